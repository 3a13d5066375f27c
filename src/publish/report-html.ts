import type { CardSpec, DashboardSpec, ScalarCard } from '../../infra/metabase/spec-types.js';
import type { ChartRow } from './vega-render.js';

/** One card as rendered: its rows and, for a chart, the SVG. */
export interface RenderedCard {
  readonly spec: CardSpec;
  readonly rows: readonly ChartRow[];
  readonly svg?: string;
}

/** One dashboard section of the report. */
export interface RenderedDashboard {
  readonly spec: DashboardSpec;
  readonly cards: readonly RenderedCard[];
}

/** Rows shown in an HTML table; the report is a snapshot to read, not an export. */
export const TABLE_ROW_LIMIT = 100;

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A KPI value as shown on its tile. */
export function formatScalar(value: ChartRow[string] | undefined, format: ScalarCard['format']): string {
  if (value === null || value === undefined) return '–';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  if (format === 'percent') return `${(n * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
  return n.toLocaleString('en-US', { maximumFractionDigits: format === 'number' && !Number.isInteger(n) ? 1 : 0 });
}

function cell(value: ChartRow[string] | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return String(value);
}

function table(rows: readonly ChartRow[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const shown = rows.slice(0, TABLE_ROW_LIMIT);
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = shown
    .map((r) => `<tr>${columns.map((c) => `<td${typeof r[c] === 'number' ? ' class="num"' : ''}>${escapeHtml(cell(r[c]))}</td>`).join('')}</tr>`)
    .join('\n');
  const more = rows.length > shown.length ? `<p class="note">First ${shown.length} of ${rows.length} rows.</p>` : '';
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>${more}`;
}

const EMPTY = '<p class="empty">No rows for this as-of date.</p>';

function card(c: RenderedCard): string {
  const { spec } = c;
  const title = `<h3>${escapeHtml(spec.title)}</h3><p class="desc">${escapeHtml(spec.description)}</p>`;
  const attrs = `data-card="${escapeHtml(spec.key)}" data-display="${spec.display}"`;
  if (spec.display === 'scalar') {
    return `<div class="kpi" ${attrs}><span class="kpi-value">${escapeHtml(formatScalar(c.rows[0]?.[spec.field], spec.format))}</span><span class="kpi-label">${escapeHtml(spec.title)}</span></div>`;
  }
  const wide = spec.display === 'table' || (spec.width ?? 12) > 12 ? ' wide' : '';
  const body = c.rows.length === 0 ? EMPTY : spec.display === 'table' ? table(c.rows) : `<div class="chart">${c.svg ?? EMPTY}</div>`;
  return `<figure class="card${wide}" ${attrs}><figcaption>${title}</figcaption>${body}</figure>`;
}

function section(d: RenderedDashboard): string {
  const kpis = d.cards.filter((c) => c.spec.display === 'scalar').map(card).join('\n');
  const others = d.cards.filter((c) => c.spec.display !== 'scalar').map(card).join('\n');
  return `<section class="dashboard" id="dashboard-${escapeHtml(d.spec.key)}" data-dashboard="${escapeHtml(d.spec.key)}">
<h2>${escapeHtml(d.spec.name)}</h2>
<p class="lead">${escapeHtml(d.spec.description)}</p>
${kpis ? `<div class="kpis">\n${kpis}\n</div>` : ''}
<div class="grid">
${others}
</div>
</section>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f5f7fa; }
header { background: #102a43; color: #fff; padding: 24px 32px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; color: #bcccdc; }
nav { margin-top: 12px; display: flex; flex-wrap: wrap; gap: 8px 18px; }
nav a { color: #9fb3c8; text-decoration: none; }
main { padding: 8px 32px 40px; max-width: 1400px; margin: 0 auto; }
section.dashboard { margin-top: 28px; }
h2 { margin: 0 0 4px; font-size: 21px; }
.lead { margin: 0 0 14px; color: var(--muted); }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin-bottom: 12px; }
.kpi { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; display: flex; flex-direction: column; }
.kpi-value { font-size: 28px; font-weight: 650; color: var(--accent); }
.kpi-label { color: var(--muted); font-size: 13px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 12px; }
.card { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; min-width: 0; }
.card.wide { grid-column: 1 / -1; }
.card h3 { margin: 0; font-size: 16px; }
.card .desc { margin: 2px 0 10px; color: var(--muted); font-size: 13px; }
.chart svg { max-width: 100%; height: auto; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f4f8; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.empty, .note { color: var(--muted); font-style: italic; font-size: 13px; }
footer { padding: 16px 32px 32px; color: var(--muted); font-size: 12px; text-align: center; }
`;

/** The whole report: one HTML file with its styles and charts inline, no scripts and no external resources. */
export function reportHtml(dashboards: readonly RenderedDashboard[], asOf: string | null, requestedAsOf: string | undefined): string {
  const when = asOf ? `As of ${asOf}` : requestedAsOf ? `No customer snapshot on or before ${requestedAsOf}` : 'No customer snapshot yet';
  const nav = dashboards.map((d) => `<a href="#dashboard-${escapeHtml(d.spec.key)}">${escapeHtml(d.spec.name)}</a>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Insiders report – ${escapeHtml(asOf ?? 'no snapshot')}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Insiders</h1>
<p>${escapeHtml(when)} · customer segments, value, the Insiders list, sales and data quality</p>
<nav>${nav}</nav>
</header>
<main>
${dashboards.map(section).join('\n')}
</main>
<footer>Rendered from the warehouse marts with the dashboard specs in infra/metabase; the same questions are published to Metabase.</footer>
</body>
</html>
`;
}
