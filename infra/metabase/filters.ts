import type { FilterSlug, FilterSpec } from './spec-types.js';

/** The dashboard filters cards may use. */
export const FILTERS: Readonly<Record<FilterSlug, FilterSpec>> = {
  as_of: { slug: 'as_of', name: 'As of', tagType: 'date', parameterType: 'date/single', sectionId: 'date' },
  segment: { slug: 'segment', name: 'Segment', tagType: 'text', parameterType: 'string/=', sectionId: 'string' },
  country: { slug: 'country', name: 'Country', tagType: 'text', parameterType: 'string/=', sectionId: 'string' },
};

/**
 * The snapshot of a per-as_of mart that a card shows: the latest on or before the As of filter,
 * the latest of all when the filter is empty (a snapshot date need not be a day the user picks).
 */
export function snapshotOf(table: string): string {
  return `(SELECT max(as_of) FROM ${table} WHERE true [[AND as_of <= {{as_of}}]])`;
}

/** Country and segment clauses over a `marts.customer_rfm` alias. */
export function customerFilters(alias: string): string {
  return `[[AND ${alias}.country = {{country}}]] [[AND ${alias}.segment = {{segment}}]]`;
}
