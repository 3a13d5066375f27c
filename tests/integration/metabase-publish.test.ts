import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DASHBOARDS } from '../../infra/metabase/dashboards.js';
import { publish } from '../../jobs/publish.js';
import { loadConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import type { Warehouse } from '../../src/db/session.js';
import { bindCardSql, martsOnlyProblem, specProblems, tablesReferenced, templateTags } from '../../src/publish/card-sql.js';
import { MetabaseClient } from '../../src/publish/metabase-client.js';
import { publishDashboards, readerConnection, WAREHOUSE_NAME, type PublishOptions } from '../../src/publish/publish-dashboards.js';
import { runJob } from '../../src/runtime/job-runner.js';
import { createLog } from '../../src/runtime/log.js';
import { startFakeMetabase, type FakeMetabase } from '../support/fake-metabase.js';

const ALL_CARDS = DASHBOARDS.flatMap((d) => d.cards);
const OPTIONS: PublishOptions = {
  dashboards: DASHBOARDS,
  collection: 'Insiders',
  reader: readerConnection('postgres://insiders:secret@warehouse.internal:5432/insiders?sslmode=require', 'reader-secret'),
};

describe('dashboard specs', () => {
  test('five dashboards, and every card reads schema-qualified marts tables only', () => {
    assert.deepEqual(DASHBOARDS.map((d) => d.key), ['customer-segments', 'customer-value', 'insiders', 'sales-cohorts', 'data-quality']);
    for (const card of ALL_CARDS) {
      assert.equal(martsOnlyProblem(card.sql), undefined, `card ${card.key}`);
      const tables = tablesReferenced(card.sql);
      assert.ok(tables.length > 0, `card ${card.key} reads no table`);
      assert.ok(tables.every((t) => t.startsWith('marts.')), `card ${card.key} reads ${tables.join(', ')}`);
    }
    assert.deepEqual(specProblems(DASHBOARDS), []);
  });

  test('the marts-only check catches SQL that reaches past marts', () => {
    assert.match(martsOnlyProblem('SELECT * FROM ops.job_runs') ?? '', /schema ops/);
    assert.match(martsOnlyProblem('SELECT * FROM marts.fct_sales f JOIN raw.order_lines r ON true') ?? '', /schema raw/);
    assert.match(martsOnlyProblem('SELECT * FROM customer_rfm') ?? '', /reads customer_rfm/);
    assert.match(martsOnlyProblem('SELECT * FROM marts.customer_rfm r, pg_user u') ?? '', /comma/);
    assert.equal(martsOnlyProblem("WITH t AS (SELECT 'from ops.x' AS s FROM marts.insiders) SELECT * FROM t"), undefined);
  });

  test('spec problems name the card: unknown filters, filters outside [[ ]], duplicate keys', () => {
    const [first] = DASHBOARDS;
    const card = first!.cards[0]!;
    const broken = [{ ...first!, cards: [
      { ...card, key: 'x.one', sql: 'SELECT 1 FROM marts.insiders WHERE as_of = {{as_of}}' },
      { ...card, key: 'x.one', sql: 'SELECT 1 FROM marts.insiders WHERE true [[AND rank = {{rank}}]]' },
    ] }];
    const problems = specProblems(broken).join('\n');
    assert.match(problems, /card x\.one uses \{\{as_of\}\} outside \[\[/);
    assert.match(problems, /card x\.one uses \{\{rank\}\} but dashboard customer-segments has no such filter/);
    assert.match(problems, /card key x\.one is used twice/);
  });

  test('card SQL binds filters as parameters and drops empty optional clauses', () => {
    const sql = 'SELECT 1 FROM marts.customer_rfm WHERE as_of <= coalesce([[{{as_of}}, ]] current_date) [[AND country = {{country}}]] [[AND as_of > {{as_of}} - 30]]';
    const filters = DASHBOARDS[0]!.filters;
    const none = bindCardSql(sql, filters, {});
    assert.equal(none.params.length, 0);
    assert.doesNotMatch(none.text, /\{\{|\[\[|country/);
    const both = bindCardSql(sql, filters, { as_of: '2011-12-09', country: "O'Hara's" });
    assert.deepEqual(both.params, ['2011-12-09', "O'Hara's"]);
    assert.match(both.text, /coalesce\(\$1::date, {2}current_date\) AND country = \$2 AND as_of > \$1::date - 30/);
    assert.deepEqual(templateTags(sql), ['as_of', 'country']);
  });
});

describe('publishing to Metabase (in-process fake of the v0.56 API)', () => {
  let fake: FakeMetabase;
  before(async () => {
    fake = await startFakeMetabase();
  });
  after(() => fake.close());

  const counts = () => ({
    databases: fake.state.databases.size, collections: fake.state.collections.size, cards: fake.state.cards.size,
    dashboards: fake.state.dashboards.size, dashcards: fake.state.dashcards.size,
  });

  test('the first publish creates the database, collection, every card and five wired dashboards', async () => {
    const client = new MetabaseClient({ url: fake.url, auth: { username: fake.login.username, password: fake.login.password } });
    const summary = await publishDashboards(client, OPTIONS);
    assert.deepEqual(counts(), { databases: 1, collections: 1, cards: ALL_CARDS.length, dashboards: 5, dashcards: ALL_CARDS.length });
    assert.deepEqual(summary.created, { database: true, collection: true, cards: ALL_CARDS.length, dashboards: 5 });
    assert.equal(fake.requests[0]?.path, '/api/session', 'logs in before anything else');

    const [db] = fake.state.databases.values();
    assert.equal(db?.['name'], WAREHOUSE_NAME);
    assert.deepEqual(db?.['details'], {
      host: 'warehouse.internal', port: 5432, dbname: 'insiders', user: 'insiders_reader', password: '**MetabasePass**', ssl: true,
      'schema-filters-type': 'inclusion', 'schema-filters-patterns': 'marts',
    });
    assert.deepEqual(fake.state.syncs, [summary.databaseId]);

    for (const spec of DASHBOARDS) {
      const dashboard = fake.state.dashboards.get(summary.dashboardIds[spec.key]!);
      assert.equal(dashboard?.['name'], spec.name);
      assert.deepEqual(dashboard?.parameters.map((p) => [p.id, p.type]), spec.filters.map((f) => [f.slug, f.parameterType]));
      const dashcards = [...fake.state.dashcards.values()].filter((dc) => dc.dashboard_id === dashboard?.id);
      assert.equal(dashcards.length, spec.cards.length);
      for (const card of spec.cards) {
        const cardId = summary.cardIds[card.key];
        const dc = dashcards.find((d) => d.card_id === cardId);
        assert.ok(dc, `card ${card.key} is on ${spec.key}`);
        const wired = (dc.parameter_mappings ?? []).map((m) => [m.parameter_id, m.target[1][1]]);
        assert.deepEqual(wired, templateTags(card.sql).map((t) => [t, t]), `filters of ${card.key}`);
        const stored = fake.state.cards.get(cardId!);
        assert.equal(stored?.dataset_query.native.query, card.sql);
        assert.equal(stored?.collection_id, summary.collectionId);
      }
      assert.ok(dashcards.some((dc) => dc.parameter_mappings?.some((m) => m.parameter_id === 'as_of')), `${spec.key} wires as_of`);
    }
  });

  test('a second publish creates nothing: same ids, only updates', async () => {
    const before = counts();
    const cardIds = [...fake.state.cards.keys()].sort();
    const dashcardIds = [...fake.state.dashcards.keys()].sort();
    const firstRequest = fake.requests.length;
    const client = new MetabaseClient({ url: fake.url, auth: { apiKey: fake.apiKey } });
    const summary = await publishDashboards(client, OPTIONS);

    assert.deepEqual(counts(), before);
    assert.deepEqual([...fake.state.cards.keys()].sort(), cardIds);
    assert.deepEqual([...fake.state.dashcards.keys()].sort(), dashcardIds);
    assert.deepEqual(summary.created, { database: false, collection: false, cards: 0, dashboards: 0 });
    assert.deepEqual(summary.updated, { cards: ALL_CARDS.length, dashboards: 5 });
    const second = fake.requests.slice(firstRequest);
    assert.deepEqual(second.filter((r) => r.method === 'POST').map((r) => r.path), [`/api/database/${summary.databaseId}/sync_schema`]);
    assert.equal(second.filter((r) => r.method === 'PUT').length, ALL_CARDS.length + 5);
    assert.ok(second.every((r) => r.status === 200));
  });

  test('a failing response names the endpoint and what Metabase said', async () => {
    const other = await startFakeMetabase();
    try {
      const client = new MetabaseClient({ url: other.url, auth: { apiKey: other.apiKey } });
      const noPassword = { ...OPTIONS, reader: { ...OPTIONS.reader, password: undefined } };
      await assert.rejects(publishDashboards(client, noPassword), /not registered in Metabase yet and INSIDERS_READER_PASSWORD is not set/);
      other.failNext('POST', '/api/card', 500, 'Unable to save card: disk full');
      await assert.rejects(publishDashboards(client, OPTIONS), /Metabase POST \/api\/card: HTTP 500 Unable to save card: disk full/);
      const badLogin = new MetabaseClient({ url: other.url, auth: { username: other.login.username, password: 'wrong' } });
      await assert.rejects(badLogin.listDatabases(), /Metabase POST \/api\/session: HTTP 401 .*password.*METABASE_USER/);
      const unreachable = new MetabaseClient({ url: 'http://127.0.0.1:9', auth: { apiKey: 'k' } });
      await assert.rejects(unreachable.listCollections(), /Metabase GET \/api\/collection: cannot reach http:\/\/127\.0\.0\.1:9/);
    } finally {
      await other.close();
    }
  });

  test('the fake rejects unknown endpoints and bodies Metabase does not define', async () => {
    const headers = { 'content-type': 'application/json', 'x-api-key': fake.apiKey };
    const unknown = await fetch(`${fake.url}/api/cards`, { headers });
    assert.equal(unknown.status, 404);
    const extraField = await fetch(`${fake.url}/api/collection`, { method: 'POST', headers, body: JSON.stringify({ name: 'x', colour: '#fff' }) });
    assert.equal(extraField.status, 400);
    const unauthenticated = await fetch(`${fake.url}/api/card?f=all`);
    assert.equal(unauthenticated.status, 401);
  });
});

describe('the publish job', () => {
  let fake: FakeMetabase;
  // The job touches the warehouse only for its run record, so the embedded database serves every engine.
  let warehouse: Warehouse;
  before(async () => {
    fake = await startFakeMetabase();
    warehouse = await openPglite(undefined);
    await warehouse.withSession((s) => migrate(s));
  });
  after(async () => {
    await warehouse.close();
    await fake.close();
  });
  const log = createLog('silent');

  test('does nothing without METABASE_URL, so the nightly chain can always include it', async () => {
    const outcome = await runJob(warehouse, publish, { config: loadConfig({ LOG_LEVEL: 'silent' }), log });
    assert.equal(outcome.status, 'succeeded');
    assert.deepEqual(outcome.status === 'succeeded' && outcome.summary, { status: 'not-configured', reason: 'METABASE_URL is not set' });
  });

  test('publishes with the configured credentials and records the summary in ops.job_runs', async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://insiders@db:5432/insiders', METABASE_URL: fake.url,
      METABASE_API_KEY: fake.apiKey, INSIDERS_READER_PASSWORD: 'reader-secret',
    });
    const outcome = await runJob(warehouse, publish, { config, log });
    assert.equal(outcome.status === 'succeeded' && outcome.summary.status, 'published');
    assert.equal(fake.state.cards.size, ALL_CARDS.length);
    const [db] = fake.state.databases.values();
    assert.deepEqual(db?.['details'], {
      host: 'db', port: 5432, dbname: 'insiders', user: 'insiders_reader', password: '**MetabasePass**', ssl: false,
      'schema-filters-type': 'inclusion', 'schema-filters-patterns': 'marts',
    });
    const [run] = await warehouse.withSession((s) => s.query<{ status: string; cards: number }>(
      "SELECT status, (stats -> 'created' ->> 'cards')::int AS cards FROM ops.job_runs WHERE job = 'publish' ORDER BY run_id DESC LIMIT 1",
    ));
    assert.deepEqual(run, { status: 'succeeded', cards: ALL_CARDS.length });
  });
});
