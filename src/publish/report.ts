import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CardSpec, DashboardSpec } from '../../infra/metabase/spec-types.js';
import type { Session } from '../db/session.js';
import { assertValidSpecs, bindCardSql } from './card-sql.js';
import { reportHtml, type RenderedCard, type RenderedDashboard } from './report-html.js';
import { hintFields, renderSvg, type ChartRow } from './vega-render.js';

/** What a written report holds. */
export interface ReportSummary {
  /** Absolute path of the HTML file. */
  readonly path: string;
  /** Charts drawn (cards with rows and a chart display). */
  readonly charts: number;
  /** Cards rendered: KPI tiles, charts and tables. */
  readonly cards: number;
  /** The customer snapshot shown; null when there is none. */
  readonly asOf: string | null;
}

/** Options of a report. */
export interface ReportOptions {
  /** Last day included (YYYY-MM-DD); the latest snapshot when absent. */
  readonly asOf?: string | undefined;
}

const CHART_SIZE: Readonly<Record<string, { width: number; height: number }>> = {
  wide: { width: 1240, height: 320 },
  half: { width: 600, height: 320 },
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Dates become text: `date` columns as YYYY-MM-DD, timestamps in UTC to the minute. */
function plain(value: unknown): ChartRow[string] {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    // A `date` column arrives as midnight: UTC midnight from PGlite, local midnight from pg.
    if (value.getUTCHours() === 0 && value.getUTCMinutes() === 0 && value.getUTCSeconds() === 0 && value.getUTCMilliseconds() === 0) {
      return value.toISOString().slice(0, 10);
    }
    if (value.getHours() === 0 && value.getMinutes() === 0 && value.getSeconds() === 0 && value.getMilliseconds() === 0) {
      return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
    }
    return `${value.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

async function runCard(session: Session, card: CardSpec, dashboard: DashboardSpec, asOf: string | undefined): Promise<ChartRow[]> {
  const bound = bindCardSql(card.sql, dashboard.filters, asOf ? { as_of: asOf } : {});
  try {
    const rows = await session.query(bound.text, bound.params);
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
  } catch (error) {
    throw new Error(`report card ${card.key} (${dashboard.name}): ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function renderCard(session: Session, card: CardSpec, dashboard: DashboardSpec, asOf: string | undefined): Promise<RenderedCard> {
  const rows = await runCard(session, card, dashboard, asOf);
  if (card.display === 'scalar' || card.display === 'table' || rows.length === 0) return { spec: card, rows };
  const columns = new Set(Object.keys(rows[0]!));
  const missing = hintFields(card.vegaLite).filter((f) => !columns.has(f));
  if (missing.length > 0) {
    throw new Error(`report card ${card.key}: chart reads ${missing.join(', ')}, which its SQL does not return (columns: ${[...columns].join(', ')})`);
  }
  const size = (card.width ?? 12) > 12 ? CHART_SIZE['wide']! : CHART_SIZE['half']!;
  return { spec: card, rows, svg: await renderSvg(card.vegaLite, rows, size) };
}

/** The customer snapshot a report shows: the latest on or before asOf. */
async function snapshotDate(session: Session, asOf: string | undefined): Promise<string | null> {
  const [row] = await session.query<{ as_of: string | null }>(
    'SELECT max(as_of)::text AS as_of FROM marts.customer_rfm WHERE $1::date IS NULL OR as_of <= $1::date',
    [asOf ?? null],
  );
  return row?.as_of ?? null;
}

/** Runs every card of the dashboards against the warehouse and renders the report's HTML. */
export async function renderReport(
  session: Session,
  dashboards: readonly DashboardSpec[],
  options: ReportOptions = {},
): Promise<{ html: string; charts: number; cards: number; asOf: string | null }> {
  assertValidSpecs(dashboards);
  const asOf = await snapshotDate(session, options.asOf);
  const rendered: RenderedDashboard[] = [];
  for (const dashboard of dashboards) {
    const cards: RenderedCard[] = [];
    for (const card of dashboard.cards) cards.push(await renderCard(session, card, dashboard, options.asOf));
    rendered.push({ spec: dashboard, cards });
  }
  const all = rendered.flatMap((d) => d.cards);
  return {
    html: reportHtml(rendered, asOf, options.asOf),
    charts: all.filter((c) => c.svg !== undefined).length,
    cards: all.length,
    asOf,
  };
}

/** Renders the report and writes it as `insiders-report-<as_of>.html` under outDir. */
export async function writeReportFile(
  session: Session,
  dashboards: readonly DashboardSpec[],
  options: ReportOptions & { readonly outDir: string },
): Promise<ReportSummary> {
  const { html, charts, cards, asOf } = await renderReport(session, dashboards, options);
  await mkdir(options.outDir, { recursive: true });
  const path = resolve(join(options.outDir, `insiders-report-${asOf ?? options.asOf ?? 'empty'}.html`));
  await writeFile(path, html, 'utf8');
  return { path, charts, cards, asOf };
}
