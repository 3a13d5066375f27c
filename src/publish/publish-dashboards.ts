import type { DashboardSpec } from '../../infra/metabase/spec-types.js';
import { assertValidSpecs } from './card-sql.js';
import type { MetabaseClient } from './metabase-client.js';
import { cardBody, dashboardParameters, dashcardBodies, describeWithKey, keyOf } from './metabase-payloads.js';
import type { Database, DatabaseBody } from './metabase-schemas.js';

/** The name the warehouse is registered under in Metabase. */
export const WAREHOUSE_NAME = 'Insiders warehouse';

/** How Metabase reaches the warehouse: as the read-only role, reading the marts schema only. */
export interface ReaderConnection {
  readonly host: string;
  readonly port: number;
  readonly dbname: string;
  readonly user: string;
  /** Needed only when the warehouse is not registered in Metabase yet. */
  readonly password: string | undefined;
  readonly ssl: boolean;
}

/** The reader's connection to the same server and database as a warehouse URL. */
export function readerConnection(databaseUrl: string, password: string | undefined): ReaderConnection {
  const url = new URL(databaseUrl);
  const sslmode = url.searchParams.get('sslmode');
  return {
    host: decodeURIComponent(url.hostname),
    port: url.port ? Number(url.port) : 5432,
    dbname: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    user: 'insiders_reader',
    password,
    ssl: sslmode !== null && sslmode !== 'disable',
  };
}

/** What a publish did; a rerun with nothing changed creates nothing. */
export interface PublishSummary {
  readonly databaseId: number;
  readonly collectionId: number;
  readonly created: { readonly database: boolean; readonly collection: boolean; readonly cards: number; readonly dashboards: number };
  readonly updated: { readonly cards: number; readonly dashboards: number };
  /** Metabase ids by spec key. */
  readonly cardIds: Readonly<Record<string, number>>;
  readonly dashboardIds: Readonly<Record<string, number>>;
}

/** What to publish and where. */
export interface PublishOptions {
  readonly dashboards: readonly DashboardSpec[];
  readonly collection: string;
  readonly reader: ReaderConnection;
}

function isWarehouse(db: Database, reader: ReaderConnection): boolean {
  if (db.name === WAREHOUSE_NAME) return true;
  // A warehouse registered by hand (the AWS bootstrap suggests it) is recognised by its connection.
  return db.engine === 'postgres' && db.details?.['host'] === reader.host && db.details?.['dbname'] === reader.dbname;
}

async function ensureDatabase(client: MetabaseClient, reader: ReaderConnection): Promise<{ id: number; created: boolean }> {
  const existing = (await client.listDatabases()).find((db) => isWarehouse(db, reader));
  if (existing) return { id: existing.id, created: false };
  if (!reader.password) {
    throw new Error(`the warehouse is not registered in Metabase yet and INSIDERS_READER_PASSWORD is not set (the password of ${reader.user})`);
  }
  const body: DatabaseBody = {
    name: WAREHOUSE_NAME,
    engine: 'postgres',
    details: {
      host: reader.host, port: reader.port, dbname: reader.dbname, user: reader.user, password: reader.password, ssl: reader.ssl,
      'schema-filters-type': 'inclusion', 'schema-filters-patterns': 'marts',
    },
    is_full_sync: true,
  };
  return { id: (await client.createDatabase(body)).id, created: true };
}

async function ensureCollection(client: MetabaseClient, name: string): Promise<{ id: number; created: boolean }> {
  const existing = (await client.listCollections()).find(
    (c) => typeof c.id === 'number' && c.name === name && !c.archived && !c.personal_owner_id && (c.location ?? '/') === '/',
  );
  if (existing && typeof existing.id === 'number') return { id: existing.id, created: false };
  const created = await client.createCollection({ name, description: 'Dashboards published from the Insiders repository (infra/metabase); edits made here are overwritten.' });
  if (typeof created.id !== 'number') throw new Error(`Metabase returned collection id ${String(created.id)} for a new collection`);
  return { id: created.id, created: true };
}

/**
 * Publishes the dashboards idempotently: the warehouse connection and the collection are created
 * when missing, each question and dashboard is found by its spec key and updated in place, then
 * Metabase is asked to resync the warehouse schema (new marts columns appear without a restart).
 */
export async function publishDashboards(client: MetabaseClient, options: PublishOptions): Promise<PublishSummary> {
  assertValidSpecs(options.dashboards);
  const db = await ensureDatabase(client, options.reader);
  const collection = await ensureCollection(client, options.collection);

  const cardsByKey = new Map<string, number>();
  for (const c of await client.listCards()) {
    const key = keyOf(c.description);
    if (key && c.collection_id === collection.id && !c.archived && !cardsByKey.has(key)) cardsByKey.set(key, c.id);
  }
  let cardsCreated = 0;
  let cardsUpdated = 0;
  const cardIds = new Map<string, number>();
  for (const dashboard of options.dashboards) {
    for (const spec of dashboard.cards) {
      const body = cardBody(spec, dashboard, db.id, collection.id);
      const existingId = cardsByKey.get(spec.key);
      if (existingId === undefined) {
        cardIds.set(spec.key, (await client.createCard(body)).id);
        cardsCreated++;
      } else {
        cardIds.set(spec.key, (await client.updateCard(existingId, body)).id);
        cardsUpdated++;
      }
    }
  }

  const dashboardsByKey = new Map<string, number>();
  for (const d of await client.collectionDashboards(collection.id)) {
    const key = keyOf(d.description);
    if (key && !dashboardsByKey.has(key)) dashboardsByKey.set(key, d.id);
  }
  let dashboardsCreated = 0;
  const dashboardIds = new Map<string, number>();
  for (const spec of options.dashboards) {
    const head = { name: spec.name, description: describeWithKey(spec.description, spec.key), collection_id: collection.id, parameters: dashboardParameters(spec) };
    let id = dashboardsByKey.get(spec.key);
    if (id === undefined) {
      id = (await client.createDashboard(head)).id;
      dashboardsCreated++;
    }
    const current = await client.getDashboard(id);
    await client.updateDashboard(id, { ...head, dashcards: dashcardBodies(spec, cardIds, current.dashcards ?? []) });
    dashboardIds.set(spec.key, id);
  }

  await client.syncSchema(db.id);
  return {
    databaseId: db.id,
    collectionId: collection.id,
    created: { database: db.created, collection: collection.created, cards: cardsCreated, dashboards: dashboardsCreated },
    updated: { cards: cardsUpdated, dashboards: options.dashboards.length - dashboardsCreated },
    cardIds: Object.fromEntries(cardIds),
    dashboardIds: Object.fromEntries(dashboardIds),
  };
}
