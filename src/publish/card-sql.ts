import type { DashboardSpec, FilterSlug, FilterSpec } from '../../infra/metabase/spec-types.js';

/** Metabase's optional clause: kept when every variable inside has a value, dropped otherwise. */
const OPTIONAL = /\[\[([\s\S]*?)\]\]/g;
const VARIABLE = /\{\{\s*(\w+)\s*\}\}/g;
/** Schemas a dashboard must never reach: the reader role cannot read them, and Metabase would fail. */
const FORBIDDEN_SCHEMA = /\b(raw|staging|ops|public|pg_catalog|information_schema)\s*\.\s*[a-z_"]/i;

/** The `{{variables}}` a card's SQL uses, in order of first use. */
export function templateTags(sql: string): string[] {
  return [...new Set([...sql.matchAll(VARIABLE)].map((m) => m[1]!))];
}

/** Card SQL with Metabase's variables bound as positional parameters, for running outside Metabase. */
export interface BoundSql {
  readonly text: string;
  readonly params: readonly string[];
}

/**
 * Turns Metabase card SQL into a parameterised statement: an optional clause whose variables all
 * have values is kept with each variable as `$n` (cast as its template tag is typed), any other
 * optional clause is dropped. Values are bound, never spliced into the SQL text.
 */
export function bindCardSql(
  sql: string,
  filters: readonly FilterSpec[],
  values: Readonly<Partial<Record<FilterSlug, string>>>,
): BoundSql {
  const params: string[] = [];
  const position = new Map<string, number>();
  const placeholder = (name: string): string => {
    const filter = filters.find((f) => f.slug === name);
    const value = values[name as FilterSlug];
    if (!filter || value === undefined) throw new Error(`card SQL uses {{${name}}} with no value (not a filter, or outside [[ … ]])`);
    if (!position.has(name)) position.set(name, params.push(value));
    return `$${position.get(name)}${filter.tagType === 'date' ? '::date' : ''}`;
  };
  const hasValue = (name: string) => {
    const value = values[name as FilterSlug];
    return value !== undefined && value !== '';
  };
  const text = sql
    .replace(OPTIONAL, (_clause, body: string) =>
      templateTags(body).every(hasValue) ? body.replace(VARIABLE, (_v, name: string) => placeholder(name)) : '')
    .replace(VARIABLE, (_v, name: string) => placeholder(name));
  return { text, params };
}

/** SQL with string literals and comments blanked, so words inside them are not mistaken for SQL. */
function codeOnly(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''").replace(/--[^\n]*/g, '').replace(OPTIONAL, ' $1 ');
}

/** Names of the common table expressions a statement defines. */
function cteNames(code: string): Set<string> {
  const names = [...code.matchAll(/(?:\bwith|,)\s+(?:recursive\s+)?([a-z_]\w*)\s*(?:\([^)]*\))?\s+as\s*\(/gi)];
  return new Set(names.map((m) => m[1]!.toLowerCase()));
}

/** Relations a statement reads after FROM or JOIN (subqueries and CTEs left out). */
export function tablesReferenced(sql: string): string[] {
  const code = codeOnly(sql);
  const ctes = cteNames(code);
  const tables = [...code.matchAll(/\b(?:from|join)\s+(?:lateral\s+)?([a-z_"][\w."]*|\()/gi)]
    .map((m) => m[1]!.toLowerCase())
    .filter((name) => name !== '(' && !ctes.has(name));
  return [...new Set(tables)];
}

/** Why a card's SQL may not run as the read-only role, or undefined when it reads marts only. */
export function martsOnlyProblem(sql: string): string | undefined {
  const code = codeOnly(sql);
  const forbidden = FORBIDDEN_SCHEMA.exec(code);
  if (forbidden) return `reads schema ${forbidden[1]} (dashboards may read marts only)`;
  if (/\bfrom\s+[\w."]+(?:\s+(?:as\s+)?\w+)?\s*,/i.test(code)) return 'joins with a comma (write JOIN so every table is checked)';
  const outside = tablesReferenced(sql).filter((name) => !name.startsWith('marts.'));
  return outside.length > 0 ? `reads ${outside.join(', ')} (only marts.* tables, schema-qualified)` : undefined;
}

/** Every problem in a set of dashboard specs; empty when they can be published and rendered. */
export function specProblems(dashboards: readonly DashboardSpec[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const unique = (kind: string, key: string) => {
    if (seen.has(`${kind}:${key}`)) problems.push(`${kind} key ${key} is used twice`);
    seen.add(`${kind}:${key}`);
  };
  for (const dashboard of dashboards) {
    unique('dashboard', dashboard.key);
    const slugs = new Set<string>(dashboard.filters.map((f) => f.slug));
    if (!slugs.has('as_of')) problems.push(`dashboard ${dashboard.key} has no as_of filter`);
    for (const card of dashboard.cards) {
      unique('card', card.key);
      const where = `card ${card.key}`;
      const martsProblem = martsOnlyProblem(card.sql);
      if (martsProblem) problems.push(`${where} ${martsProblem}`);
      const outsideOptional = templateTags(card.sql.replace(OPTIONAL, ''));
      if (outsideOptional.length > 0) problems.push(`${where} uses {{${outsideOptional.join('}}, {{')}}} outside [[ … ]]: filters are optional`);
      for (const tag of templateTags(card.sql)) {
        if (!slugs.has(tag)) problems.push(`${where} uses {{${tag}}} but dashboard ${dashboard.key} has no such filter`);
      }
    }
  }
  return problems;
}

/** Throws one error listing every problem of the specs. */
export function assertValidSpecs(dashboards: readonly DashboardSpec[]): void {
  const problems = specProblems(dashboards);
  if (problems.length > 0) throw new Error(`dashboard specs are invalid:\n- ${problems.join('\n- ')}`);
}
