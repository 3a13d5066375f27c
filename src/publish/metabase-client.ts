import type { z } from 'zod';
import {
  card, cardList, collection, collectionItems, collectionList, database, databaseList, dashboard, sessionResponse, syncResponse,
  type Card, type CardBody, type Collection, type Dashboard, type DashboardCreateBody, type DashboardUpdateBody,
  type Database, type DatabaseBody,
} from './metabase-schemas.js';

/** How to authenticate: an API key (Admin › Settings › Authentication › API keys) or a user's login. */
export type MetabaseAuth = { readonly apiKey: string } | { readonly username: string; readonly password: string };

/** Where Metabase is and how to talk to it. */
export interface MetabaseClientOptions {
  readonly url: string;
  readonly auth: MetabaseAuth;
  /** Per-request limit; Metabase answers these calls quickly (schema sync runs in the background). */
  readonly timeoutMs?: number;
}

/** A failed Metabase call; the message names the endpoint and what Metabase said. */
export class MetabaseError extends Error {
  override name = 'MetabaseError';
  constructor(
    readonly endpoint: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`Metabase ${endpoint}: ${detail}`);
  }
}

type Method = 'GET' | 'POST' | 'PUT';

/** Metabase's error bodies are JSON with a message (or field errors), or plain text. */
function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: unknown };
    if (typeof body.message === 'string') return body.message;
    if (body.errors !== undefined) return JSON.stringify(body.errors);
  } catch {
    // not JSON: the text itself is the message
  }
  return text.trim().slice(0, 300) || '(empty body)';
}

/** A small typed client for the Metabase endpoints that publishing needs; responses are validated. */
export class MetabaseClient {
  private readonly base: string;
  private sessionId: string | undefined;

  constructor(private readonly options: MetabaseClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const { auth } = this.options;
    if ('apiKey' in auth) return { 'x-api-key': auth.apiKey };
    this.sessionId ??= (await this.send('POST', '/api/session', sessionResponse, { username: auth.username, password: auth.password }, {})).id;
    return { 'X-Metabase-Session': this.sessionId };
  }

  private async request<T>(method: Method, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    return this.send(method, path, schema, body, await this.authHeaders());
  }

  private async send<T>(method: Method, path: string, schema: z.ZodType<T>, body: unknown, headers: Record<string, string>): Promise<T> {
    const endpoint = `${method} ${path}`;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new MetabaseError(endpoint, undefined, `cannot reach ${this.base} (${cause})`);
    }
    const text = await response.text();
    if (!response.ok) {
      const hint = response.status === 401 || response.status === 403 ? ' (check METABASE_API_KEY or METABASE_USER/METABASE_PASSWORD)' : '';
      throw new MetabaseError(endpoint, response.status, `HTTP ${response.status} ${errorDetail(text)}${hint}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new MetabaseError(endpoint, response.status, `answered with something that is not JSON: ${text.slice(0, 120)}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new MetabaseError(endpoint, response.status, `unexpected response (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}); is this Metabase the pinned version?`);
    }
    return parsed.data;
  }

  /** Databases Metabase knows. */
  async listDatabases(): Promise<Database[]> {
    return (await this.request('GET', '/api/database', databaseList)).data;
  }

  /** Registers a database connection. */
  createDatabase(body: DatabaseBody): Promise<Database> {
    return this.request('POST', '/api/database', database, body);
  }

  /** Asks Metabase to rescan a database's tables and columns. */
  async syncSchema(databaseId: number): Promise<void> {
    await this.request('POST', `/api/database/${databaseId}/sync_schema`, syncResponse, {});
  }

  /** Collections the caller can read. */
  listCollections(): Promise<Collection[]> {
    return this.request('GET', '/api/collection', collectionList);
  }

  /** Creates a top-level collection. */
  createCollection(body: { readonly name: string; readonly description: string }): Promise<Collection> {
    return this.request('POST', '/api/collection', collection, body);
  }

  /** Dashboards kept in a collection (id, name and description). */
  async collectionDashboards(collectionId: number): Promise<Array<{ id: number; name: string; description?: string | null | undefined }>> {
    return (await this.request('GET', `/api/collection/${collectionId}/items?models=dashboard`, collectionItems)).data
      .filter((item) => item.model === 'dashboard');
  }

  /** Every saved question the caller can read (archived ones left out by Metabase). */
  listCards(): Promise<Card[]> {
    return this.request('GET', '/api/card?f=all', cardList);
  }

  /** Saves a new question. */
  createCard(body: CardBody): Promise<Card> {
    return this.request('POST', '/api/card', card, body);
  }

  /** Replaces a question's query, display and description. */
  updateCard(cardId: number, body: CardBody): Promise<Card> {
    return this.request('PUT', `/api/card/${cardId}`, card, body);
  }

  /** Creates an empty dashboard. */
  createDashboard(body: DashboardCreateBody): Promise<Dashboard> {
    return this.request('POST', '/api/dashboard', dashboard, body);
  }

  /** A dashboard with its dashcards. */
  getDashboard(dashboardId: number): Promise<Dashboard> {
    return this.request('GET', `/api/dashboard/${dashboardId}`, dashboard);
  }

  /** Replaces a dashboard's filters and dashcards. */
  updateDashboard(dashboardId: number, body: DashboardUpdateBody): Promise<Dashboard> {
    return this.request('PUT', `/api/dashboard/${dashboardId}`, dashboard, body);
  }
}
