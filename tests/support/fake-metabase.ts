import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * An in-memory Metabase (the v0.56 API) on loopback, for the endpoints publishing uses. Request
 * bodies are checked against the fields Metabase's endpoint definitions declare, closed: a field
 * Metabase does not declare is rejected here even where Metabase would ignore it, so a typo in a
 * payload fails the test instead of silently doing nothing. Unknown endpoints answer 404 as Metabase does.
 */

const pos = z.number().int().positive();
const nonBlank = z.string().trim().min(1);
const target = z.tuple([z.literal('variable'), z.tuple([z.literal('template-tag'), nonBlank])]);
const parameter = z.looseObject({ id: nonBlank, type: nonBlank, name: z.string().optional(), slug: z.string().optional(), sectionId: z.string().optional() });
const parameterMapping = z.strictObject({ parameter_id: nonBlank, card_id: pos.optional(), target });
const templateTag = z.strictObject({
  id: z.uuid(), name: nonBlank, 'display-name': nonBlank, type: z.enum(['text', 'number', 'date', 'dimension', 'card', 'snippet']),
  required: z.boolean().optional(), default: z.unknown().optional(),
});
const nativeQuery = z.strictObject({
  database: pos, type: z.literal('native'),
  native: z.strictObject({ query: nonBlank, 'template-tags': z.record(z.string(), templateTag).optional() }),
});

const bodies = {
  session: z.strictObject({ username: nonBlank, password: nonBlank }),
  database: z.strictObject({
    name: nonBlank, engine: nonBlank,
    details: z.strictObject({
      host: nonBlank, port: pos, dbname: nonBlank, user: nonBlank, password: z.string(), ssl: z.boolean().optional(),
      'schema-filters-type': z.enum(['inclusion', 'exclusion', 'all']).optional(), 'schema-filters-patterns': z.string().optional(),
    }),
    is_full_sync: z.boolean().optional(), is_on_demand: z.boolean().optional(), auto_run_queries: z.boolean().optional(),
    cache_ttl: pos.nullish(), schedules: z.record(z.string(), z.unknown()).optional(),
  }),
  collection: z.strictObject({
    name: nonBlank, description: z.string().nullish(), parent_id: pos.nullish(), namespace: z.string().nullish(),
    authority_level: z.literal('official').nullish(),
  }),
  card: z.strictObject({
    name: nonBlank, type: z.enum(['question', 'model', 'metric']).nullish(), dataset_query: nativeQuery, entity_id: nonBlank.nullish(),
    parameters: z.array(parameter).nullish(), parameter_mappings: z.array(parameterMapping).nullish(), description: nonBlank.nullish(),
    display: nonBlank, visualization_settings: z.record(z.string(), z.unknown()), collection_id: pos.nullish(),
    collection_position: pos.nullish(), cache_ttl: pos.nullish(), dashboard_id: pos.nullish(), dashboard_tab_id: pos.nullish(),
  }),
  dashboard: z.strictObject({
    name: nonBlank, parameters: z.array(parameter).nullish(), description: z.string().nullish(), cache_ttl: pos.nullish(),
    collection_id: pos.nullish(), collection_position: pos.nullish(),
  }),
  dashcard: z.strictObject({
    id: z.number().int(), size_x: pos, size_y: pos, row: z.number().int().min(0), col: z.number().int().min(0),
    card_id: pos.nullish(), action_id: pos.nullish(), dashboard_tab_id: z.number().int().nullish(),
    parameter_mappings: z.array(parameterMapping).nullish(), visualization_settings: z.record(z.string(), z.unknown()).nullish(),
    inline_parameters: z.array(nonBlank).nullish(), series: z.array(z.strictObject({ id: pos })).nullish(),
  }),
};
const cardUpdate = bodies.card.partial().extend({ archived: z.boolean().nullish(), description: z.string().nullish() });
const dashboardUpdate = bodies.dashboard.partial().extend({
  archived: z.boolean().nullish(), width: z.enum(['fixed', 'full']).optional(), auto_apply_filters: z.boolean().nullish(),
  dashcards: z.array(bodies.dashcard).nullish(), tabs: z.array(z.strictObject({ id: z.number().int(), name: nonBlank })).nullish(),
});

type Obj = Record<string, unknown>;
type Card = Obj & { id: number; archived: boolean; collection_id: number | null; dataset_query: z.infer<typeof nativeQuery> };
type Dashcard = z.infer<typeof bodies.dashcard> & { dashboard_id: number };
type Dashboard = Obj & { id: number; parameters: Array<z.infer<typeof parameter>>; collection_id: number | null };

/** Metabase's way of failing a request. */
class HttpError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new HttpError(400, { errors: Object.fromEntries(result.error.issues.map((i) => [i.path.join('.') || 'body', i.message])) });
}

/** What the fake holds; tests read it to see what publishing did. */
export interface FakeState {
  readonly databases: Map<number, Obj & { id: number }>;
  readonly collections: Map<number, Obj & { id: number }>;
  readonly cards: Map<number, Card>;
  readonly dashboards: Map<number, Dashboard>;
  readonly dashcards: Map<number, Dashcard>;
  readonly syncs: number[];
}

/** A running fake Metabase. */
export interface FakeMetabase {
  readonly url: string;
  readonly apiKey: string;
  readonly login: { readonly username: string; readonly password: string };
  readonly state: FakeState;
  /** Every request answered: method, path (with query) and status. */
  readonly requests: Array<{ method: string; path: string; status: number }>;
  /** Makes the next request matching method and path (without query) fail with status and message. */
  failNext(method: string, path: string, status: number, message: string): void;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 at a free port. */
export async function startFakeMetabase(): Promise<FakeMetabase> {
  const apiKey = `mb_${randomUUID()}`;
  const login = { username: 'admin@example.com', password: 'correct horse battery staple' };
  const sessions = new Set<string>();
  const state: FakeState = { databases: new Map(), collections: new Map(), cards: new Map(), dashboards: new Map(), dashcards: new Map(), syncs: [] };
  const requests: FakeMetabase['requests'] = [];
  const failures: Array<{ method: string; path: string; status: number; message: string }> = [];
  let nextId = 1;
  const now = () => '2026-01-01T00:00:00Z';

  const found = <T>(map: Map<number, T>, id: string | undefined, what: string): T => {
    const value = map.get(Number(id));
    if (!value) throw new HttpError(404, `${what} ${id} not found`);
    return value;
  };
  const checkCollection = (id: number | null | undefined) => {
    if (id != null && !state.collections.has(id)) throw new HttpError(400, { errors: { collection_id: `collection ${id} does not exist` } });
  };
  const checkQuery = (query: z.infer<typeof nativeQuery>) => {
    if (!state.databases.has(query.database)) throw new HttpError(400, { errors: { 'dataset_query.database': 'no such database' } });
    const tags = query.native['template-tags'] ?? {};
    const used = new Set([...query.native.query.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!));
    for (const [name, tag] of Object.entries(tags)) {
      if (tag.name !== name) throw new HttpError(400, { errors: { 'template-tags': `tag ${name} is named ${tag.name}` } });
      if (!used.has(name)) throw new HttpError(400, { errors: { 'template-tags': `tag ${name} is not in the query` } });
    }
    for (const name of used) if (!tags[name]) throw new HttpError(400, { errors: { 'template-tags': `{{${name}}} has no template tag` } });
  };
  const dashboardView = (d: Dashboard) => ({
    ...d,
    dashcards: [...state.dashcards.values()].filter((dc) => dc.dashboard_id === d.id)
      .map((dc) => ({ parameter_mappings: [], visualization_settings: {}, ...dc, card: dc.card_id ? state.cards.get(dc.card_id) : null })),
    tabs: [],
  });

  const routes: Array<[string, RegExp, (m: RegExpMatchArray, body: unknown, query: URLSearchParams) => unknown]> = [
    ['GET', /^\/api\/database$/, () => ({ data: [...state.databases.values()], total: state.databases.size })],
    ['POST', /^\/api\/database$/, (_m, body) => {
      const b = parse(bodies.database, body);
      const db = { ...b, id: nextId++, details: { ...b.details, password: '**MetabasePass**' }, is_sample: false, created_at: now() };
      state.databases.set(db.id, db);
      return db;
    }],
    ['POST', /^\/api\/database\/(\d+)\/sync_schema$/, (m) => {
      const db = found(state.databases, m[1], 'database');
      state.syncs.push(db.id);
      return { status: 'ok' };
    }],
    ['GET', /^\/api\/collection$/, () => [
      { id: 'root', name: 'Our analytics', can_write: true, is_personal: false },
      ...state.collections.values(),
    ]],
    ['POST', /^\/api\/collection$/, (_m, body) => {
      const b = parse(bodies.collection, body);
      if (b.parent_id != null) checkCollection(b.parent_id);
      const c = { ...b, id: nextId++, location: b.parent_id ? `/${b.parent_id}/` : '/', archived: false, personal_owner_id: null, slug: b.name.toLowerCase() };
      state.collections.set(c.id, c);
      return c;
    }],
    ['GET', /^\/api\/collection\/(\d+)\/items$/, (m, _b, query) => {
      const collection = found(state.collections, m[1], 'collection');
      const models = query.getAll('models');
      if (models.some((model) => !['card', 'dashboard', 'collection', 'dataset', 'metric'].includes(model))) throw new HttpError(400, { errors: { models: 'invalid model' } });
      const items = [
        ...[...state.dashboards.values()].filter((d) => d.collection_id === collection.id && !d['archived']).map((d) => ({ ...d, model: 'dashboard' })),
        ...[...state.cards.values()].filter((c) => c.collection_id === collection.id && !c.archived).map((c) => ({ ...c, model: 'card' })),
      ].filter((item) => models.length === 0 || models.includes(item.model));
      return { total: items.length, data: items, models: models.length ? models : ['card', 'dashboard'], limit: null, offset: null };
    }],
    ['GET', /^\/api\/card$/, (_m, _b, query) => {
      const f = query.get('f') ?? 'all';
      if (f !== 'all' && f !== 'archived') throw new HttpError(400, { errors: { f: `filter ${f} is not served by this fake` } });
      return [...state.cards.values()].filter((c) => c.archived === (f === 'archived'));
    }],
    ['POST', /^\/api\/card$/, (_m, body) => {
      const b = parse(bodies.card, body);
      checkCollection(b.collection_id);
      checkQuery(b.dataset_query);
      const c: Card = { type: 'question', description: null, ...b, id: nextId++, archived: false, collection_id: b.collection_id ?? null,
        database_id: b.dataset_query.database, query_type: 'native', entity_id: randomUUID(), created_at: now(), updated_at: now() };
      state.cards.set(c.id, c);
      return c;
    }],
    ['PUT', /^\/api\/card\/(\d+)$/, (m, body) => {
      const c = found(state.cards, m[1], 'card');
      const b = parse(cardUpdate, body);
      checkCollection(b.collection_id);
      if (b.dataset_query) checkQuery(b.dataset_query);
      Object.assign(c, b, { updated_at: now() });
      return c;
    }],
    ['POST', /^\/api\/dashboard$/, (_m, body) => {
      const b = parse(bodies.dashboard, body);
      checkCollection(b.collection_id);
      const d: Dashboard = { description: null, ...b, id: nextId++, parameters: b.parameters ?? [], collection_id: b.collection_id ?? null, archived: false, created_at: now() };
      state.dashboards.set(d.id, d);
      return dashboardView(d);
    }],
    ['GET', /^\/api\/dashboard\/(\d+)$/, (m) => dashboardView(found(state.dashboards, m[1], 'dashboard'))],
    ['PUT', /^\/api\/dashboard\/(\d+)$/, (m, body) => {
      const d = found(state.dashboards, m[1], 'dashboard');
      const { dashcards, tabs: _tabs, ...rest } = parse(dashboardUpdate, body);
      checkCollection(rest.collection_id);
      const parameters = rest.parameters ?? d.parameters;
      if (dashcards) {
        if (new Set(dashcards.map((dc) => dc.id)).size !== dashcards.length) throw new HttpError(400, { errors: { dashcards: 'ids must be unique' } });
        for (const dc of dashcards) {
          if (dc.id > 0 && state.dashcards.get(dc.id)?.dashboard_id !== d.id) throw new HttpError(400, `dashcard ${dc.id} is not on dashboard ${d.id}`);
          if (dc.col + dc.size_x > 24) throw new HttpError(400, `dashcard ${dc.id} does not fit the 24-column grid`);
          const card = dc.card_id ? state.cards.get(dc.card_id) : undefined;
          if (dc.card_id && (!card || card.archived)) throw new HttpError(404, `card ${dc.card_id} does not exist or is archived`);
          for (const pm of dc.parameter_mappings ?? []) {
            if (!parameters.some((p) => p.id === pm.parameter_id)) throw new HttpError(400, `mapping to unknown dashboard parameter ${pm.parameter_id}`);
            const tag = pm.target[1][1];
            if (!card?.dataset_query.native['template-tags']?.[tag]) throw new HttpError(400, `card ${dc.card_id} has no template tag ${tag}`);
          }
        }
        const kept = new Set(dashcards.filter((dc) => dc.id > 0).map((dc) => dc.id));
        for (const [id, dc] of state.dashcards) if (dc.dashboard_id === d.id && !kept.has(id)) state.dashcards.delete(id);
        for (const dc of dashcards) {
          const id = dc.id > 0 ? dc.id : nextId++;
          state.dashcards.set(id, { ...dc, id, dashboard_id: d.id });
        }
      }
      Object.assign(d, rest, { parameters });
      return dashboardView(d);
    }],
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const send = (status: number, body: unknown) => {
      requests.push({ method, path: `${url.pathname}${url.search}`, status });
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        throw new HttpError(400, 'malformed JSON');
      }
      const failure = failures.findIndex((f) => f.method === method && f.path === url.pathname);
      if (failure >= 0) {
        const [f] = failures.splice(failure, 1);
        throw new HttpError(f!.status, { message: f!.message });
      }
      if (method === 'POST' && url.pathname === '/api/session') {
        const b = parse(bodies.session, body);
        if (b.username !== login.username || b.password !== login.password) throw new HttpError(401, { errors: { password: 'did not match stored password' } });
        const id = randomUUID();
        sessions.add(id);
        return send(200, { id });
      }
      const session = req.headers['x-metabase-session'];
      if (req.headers['x-api-key'] !== apiKey && !(typeof session === 'string' && sessions.has(session))) throw new HttpError(401, 'Unauthenticated');
      for (const [routeMethod, pattern, fn] of routes) {
        const match = url.pathname.match(pattern);
        if (match && routeMethod === method) return send(200, fn(match, body, url.searchParams));
      }
      throw new HttpError(404, 'API endpoint does not exist.');
    } catch (error) {
      if (error instanceof HttpError) return send(error.status, error.body);
      return send(500, { message: error instanceof Error ? error.message : String(error) });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    login,
    state,
    requests,
    failNext(method, path, status, message) {
      failures.push({ method, path, status, message });
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
