import { createHash } from 'node:crypto';
import type { CardSpec, DashboardSpec, FilterSpec } from '../../infra/metabase/spec-types.js';
import { templateTags } from './card-sql.js';
import type {
  CardBody, CardParameter, DashboardParameter, Dashcard, DashcardBody, ParameterMapping, TemplateTag, VariableTarget,
} from './metabase-schemas.js';

/** The key of a spec, kept at the end of the Metabase description so a rerun finds what it made. */
const KEY_LINE = /\n*\[insiders:([\w.-]+)\]\s*$/;

/** A description carrying the spec key. */
export function describeWithKey(description: string, key: string): string {
  return `${description}\n\n[insiders:${key}]`;
}

/** The spec key in a Metabase description, if it has one. */
export function keyOf(description: string | null | undefined): string | undefined {
  return description ? KEY_LINE.exec(description)?.[1] : undefined;
}

/** A UUID derived from a name, so template-tag ids stay the same from one publish to the next. */
function stableUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function target(slug: string): VariableTarget {
  return ['variable', ['template-tag', slug]];
}

/** The filters of a dashboard that a card's SQL uses. */
function cardFilters(card: CardSpec, dashboard: DashboardSpec): FilterSpec[] {
  const tags = new Set(templateTags(card.sql));
  return dashboard.filters.filter((f) => tags.has(f.slug));
}

const NUMBER_STYLE = { number: 'decimal', amount: 'decimal', percent: 'percent' } as const;

/** Metabase's display and settings for a card (a heatmap is a pivoted table there). */
function display(card: CardSpec): { display: string; settings: Record<string, unknown> } {
  switch (card.display) {
    case 'scalar':
      return {
        display: 'scalar',
        settings: {
          'scalar.field': card.field,
          column_settings: { [JSON.stringify(['name', card.field])]: { number_style: NUMBER_STYLE[card.format], decimals: card.format === 'percent' ? 1 : 0 } },
        },
      };
    case 'table':
      return { display: 'table', settings: {} };
    case 'heatmap':
      return {
        display: 'table',
        settings: { 'table.pivot': true, 'table.pivot_column': card.dimensions[1], 'table.cell_column': card.metrics[0] },
      };
    default:
      return {
        display: card.display,
        settings: {
          'graph.dimensions': [...card.dimensions],
          'graph.metrics': [...card.metrics],
          ...(card.dimensions.length > 1 ? { 'stackable.stack_type': 'stacked' } : {}),
        },
      };
  }
}

/** The body that creates or updates a card's question. */
export function cardBody(card: CardSpec, dashboard: DashboardSpec, databaseId: number, collectionId: number): CardBody {
  const filters = cardFilters(card, dashboard);
  const tagId = (slug: string) => stableUuid(`${card.key}:${slug}`);
  const tags: Record<string, TemplateTag> = Object.fromEntries(
    filters.map((f) => [f.slug, { id: tagId(f.slug), name: f.slug, 'display-name': f.name, type: f.tagType, required: false }]),
  );
  const parameters: CardParameter[] = filters.map((f) => ({ id: tagId(f.slug), name: f.name, slug: f.slug, type: f.parameterType, target: target(f.slug) }));
  const { display: mbDisplay, settings } = display(card);
  return {
    name: card.title,
    type: 'question',
    description: describeWithKey(card.description, card.key),
    display: mbDisplay,
    collection_id: collectionId,
    dataset_query: { database: databaseId, type: 'native', native: { query: card.sql, 'template-tags': tags } },
    parameters,
    visualization_settings: settings,
  };
}

/** The dashboard's filters as Metabase parameters (the id is the slug: stable across publishes). */
export function dashboardParameters(dashboard: DashboardSpec): DashboardParameter[] {
  return dashboard.filters.map((f) => ({ id: f.slug, name: f.name, slug: f.slug, type: f.parameterType, sectionId: f.sectionId }));
}

const DEFAULT_SIZE: Readonly<Record<CardSpec['display'], { width: number; height: number }>> = {
  scalar: { width: 8, height: 3 },
  bar: { width: 12, height: 7 },
  row: { width: 12, height: 7 },
  line: { width: 12, height: 7 },
  scatter: { width: 12, height: 7 },
  heatmap: { width: 12, height: 8 },
  table: { width: 24, height: 8 },
};

/** Cards flowed left to right, in spec order, over Metabase's 24-column grid. */
export function layout(cards: readonly CardSpec[]): Array<{ row: number; col: number; size_x: number; size_y: number }> {
  let row = 0;
  let col = 0;
  let rowHeight = 0;
  return cards.map((card) => {
    const size_x = Math.min(24, card.width ?? DEFAULT_SIZE[card.display].width);
    const size_y = DEFAULT_SIZE[card.display].height;
    if (col + size_x > 24) {
      row += rowHeight;
      col = 0;
      rowHeight = 0;
    }
    const placed = { row, col, size_x, size_y };
    col += size_x;
    rowHeight = Math.max(rowHeight, size_y);
    return placed;
  });
}

/**
 * The dashcards of a dashboard: a card already on it keeps its dashcard id (so a rerun updates in
 * place), a new one gets a negative id. Dashcards not in the spec are left out, so Metabase drops them.
 */
export function dashcardBodies(dashboard: DashboardSpec, cardIds: ReadonlyMap<string, number>, existing: readonly Dashcard[]): DashcardBody[] {
  const places = layout(dashboard.cards);
  let nextNew = -1;
  return dashboard.cards.map((card, i) => {
    const cardId = cardIds.get(card.key);
    if (cardId === undefined) throw new Error(`card ${card.key} has no Metabase id`);
    const mappings: ParameterMapping[] = cardFilters(card, dashboard).map((f) => ({ parameter_id: f.slug, card_id: cardId, target: target(f.slug) }));
    const id = existing.find((d) => d.card_id === cardId)?.id ?? nextNew--;
    return { id, card_id: cardId, ...places[i]!, parameter_mappings: mappings, visualization_settings: {} };
  });
}
