import type { TopLevelSpec } from 'vega-lite';

/**
 * Dashboards as code. One spec drives both the Metabase dashboards (published over the API) and
 * the static HTML report, so the two always show the same questions over the same SQL.
 */

/** Dashboard filters; a card uses one by writing `{{slug}}` inside an optional `[[ … ]]` clause. */
export type FilterSlug = 'as_of' | 'segment' | 'country';

/** A dashboard filter and the Metabase template tag it feeds. */
export interface FilterSpec {
  readonly slug: FilterSlug;
  readonly name: string;
  /** Template-tag type on the card. */
  readonly tagType: 'date' | 'text';
  /** Widget type of the dashboard parameter. */
  readonly parameterType: 'date/single' | 'string/=';
  readonly sectionId: 'date' | 'string';
}

/** A Vega-Lite unit spec without data: the report adds the card's rows as inline values. */
export type VegaLiteHint = Omit<Extract<TopLevelSpec, { mark: unknown }>, 'data' | '$schema'>;

interface CardBase {
  /** Stable identity: Metabase questions are found again by it, so renaming a title is harmless. */
  readonly key: string;
  readonly title: string;
  readonly description: string;
  /** Native SQL over `marts.*` only, with Metabase `{{tag}}` variables in `[[ … ]]` clauses. */
  readonly sql: string;
  /** Grid width out of 24 (Metabase's dashboard grid); a default per display when absent. */
  readonly width?: number;
}

/** One number in a tile. */
export interface ScalarCard extends CardBase {
  readonly display: 'scalar';
  /** Column of the first row shown. */
  readonly field: string;
  readonly format: 'number' | 'amount' | 'percent';
}

/** Rows as a table. */
export interface TableCard extends CardBase {
  readonly display: 'table';
}

/** A chart: Metabase's own display plus the Vega-Lite rendering of the static report. */
export interface ChartCard extends CardBase {
  /** `heatmap` is a pivoted table in Metabase (it has no native-SQL heatmap) and a rect chart in the report. */
  readonly display: 'bar' | 'row' | 'line' | 'scatter' | 'heatmap';
  /** Category / x columns (for a heatmap: the row and the column dimension). */
  readonly dimensions: readonly string[];
  /** Measured columns. */
  readonly metrics: readonly string[];
  readonly vegaLite: VegaLiteHint;
}

/** One question on a dashboard. */
export type CardSpec = ScalarCard | TableCard | ChartCard;

/** One dashboard. */
export interface DashboardSpec {
  /** Stable identity of the dashboard in Metabase and the section id in the report. */
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** Filters shown on the dashboard, wired to every card whose SQL uses them. */
  readonly filters: readonly FilterSpec[];
  readonly cards: readonly CardSpec[];
}
