import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { DASHBOARDS } from '../../infra/metabase/dashboards.js';
import { createReportJob, report, writeReport } from '../../jobs/report.js';
import { loadConfig } from '../../src/config.js';
import type { Warehouse } from '../../src/db/session.js';
import type { ReportSummary } from '../../src/publish/report.js';
import { runJob } from '../../src/runtime/job-runner.js';
import { createLog } from '../../src/runtime/log.js';
import { SEED_AS_OF, seedMarts, type SeedFacts } from '../support/seed-marts.js';
import { freshWarehouse, type TestWarehouse } from '../support/warehouse.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../test-artifacts/report.png', import.meta.url));
const ALL_CARDS = DASHBOARDS.flatMap((d) => d.cards);
const CHART_CARDS = ALL_CARDS.filter((c) => c.display !== 'scalar' && c.display !== 'table');

describe('static HTML report', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'insiders-report-'));
  let warehouse: Warehouse;
  let tw: TestWarehouse;
  let facts: SeedFacts;
  let latest: ReportSummary;
  let previous: ReportSummary;

  before(async () => {
    tw = await freshWarehouse();
    warehouse = tw.warehouse;
    await warehouse.withSession(async (s) => {
      facts = await seedMarts(s);
      latest = await writeReport(s, { outDir });
      previous = await writeReport(s, { outDir, asOf: SEED_AS_OF[0] });
    });
  });

  after(async () => {
    await tw.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  test('writes one self-contained file per as_of, every card rendered and every chart drawn', () => {
    assert.equal(latest.asOf, SEED_AS_OF[1]);
    assert.equal(previous.asOf, SEED_AS_OF[0]);
    assert.notEqual(latest.path, previous.path);
    assert.equal(latest.cards, ALL_CARDS.length);
    assert.equal(latest.charts, CHART_CARDS.length);
    // The previous snapshot has no earlier one to compare with: no transitions to draw.
    assert.equal(previous.charts, CHART_CARDS.length - 1);
    const html = readFileSync(latest.path, 'utf8');
    // Only same-document references (SVG clip paths use url(#id)) may appear.
    assert.deepEqual(html.match(/<script|<link|<img|<iframe|@import|url\((?!#)/gi), null);
    const external = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('http://www.w3.org/'));
    assert.deepEqual(external, []);
    assert.equal((html.match(/<svg\b/g) ?? []).length, CHART_CARDS.length);
  });

  test('the report job writes into its folder and records the as-of date it showed', async () => {
    assert.equal(report.name, 'report');
    const jobDir = join(outDir, 'job');
    const outcome = await runJob(warehouse, createReportJob(jobDir), { config: loadConfig({ LOG_LEVEL: 'silent' }), log: createLog('silent') });
    assert.equal(outcome.status, 'succeeded');
    if (outcome.status !== 'succeeded') return;
    assert.equal(outcome.summary.path, join(jobDir, `insiders-report-${SEED_AS_OF[1]}.html`));
    assert.ok(existsSync(outcome.summary.path));
    const [run] = await warehouse.withSession((s) =>
      s.query<{ as_of: string }>('SELECT as_of::text AS as_of FROM ops.job_runs WHERE run_id = $1', [outcome.runId]));
    assert.equal(run?.as_of, SEED_AS_OF[1]);
  });

  test('loads in headless Chromium offline, with every section, chart, table and KPI', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium); the browser check is skipped` }, async () => {
    const profile = mkdtempSync(join(tmpdir(), 'insiders-chromium-'));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1400, height: 900 },
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const requests: string[] = [];
      const problems: string[] = [];
      context.on('request', (r) => requests.push(r.url()));
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      const fileUrl = pathToFileURL(latest.path).href;
      await page.goto(fileUrl, { waitUntil: 'load' });

      assert.equal(await page.title(), `Insiders report – ${SEED_AS_OF[1]}`);
      for (const d of DASHBOARDS) {
        assert.equal(await page.locator(`section[data-dashboard="${d.key}"] > h2`).textContent(), d.name, `section ${d.key}`);
      }
      for (const card of CHART_CARDS) {
        // Vega draws data marks as groups of class "role-mark" holding one path/rect/symbol per datum.
        const marks = await page.locator(`figure[data-card="${card.key}"] svg g.role-mark`).evaluateAll(
          (groups) => groups.reduce((n, g) => n + g.childElementCount, 0),
        );
        assert.ok(marks > 0, `chart ${card.key} has drawn marks`);
      }
      for (const card of ALL_CARDS.filter((c) => c.display === 'table')) {
        assert.ok(await page.locator(`figure[data-card="${card.key}"] tbody tr`).count() > 0, `table ${card.key} has rows`);
      }
      assert.equal(await page.locator('.kpi').count(), ALL_CARDS.filter((c) => c.display === 'scalar').length);
      assert.equal(await page.locator('[data-card="segments.kpi-customers"] .kpi-value').textContent(), String(facts.customers[SEED_AS_OF[1]]));
      assert.equal(await page.locator('[data-card="insiders.kpi-members"] .kpi-value').textContent(), String(facts.insiders[SEED_AS_OF[1]]));
      assert.equal(await page.locator('[data-card="dq.kpi-failing-jobs"] .kpi-value').textContent(), '1');

      mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      assert.ok(readFileSync(SCREENSHOT).length > 10_000, 'screenshot written');

      await page.goto(pathToFileURL(previous.path).href, { waitUntil: 'load' });
      assert.match((await page.locator('header p').textContent()) ?? '', new RegExp(`As of ${SEED_AS_OF[0]}`));
      assert.equal(await page.locator('[data-card="segments.kpi-customers"] .kpi-value').textContent(), String(facts.customers[SEED_AS_OF[0]]));
      assert.equal(await page.locator('figure[data-card="segments.transitions"] .empty').count(), 1);

      assert.deepEqual(problems, []);
      assert.deepEqual(requests, [fileUrl, pathToFileURL(previous.path).href], 'no request but the report files themselves');
    } finally {
      await context?.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
