import type { TopLevelSpec } from 'vega-lite';
import type { VegaLiteHint } from '../../infra/metabase/spec-types.js';

/** A row of a card's result as charts get it (dates as YYYY-MM-DD text). */
export type ChartRow = Readonly<Record<string, string | number | boolean | null>>;

const CHANNELS = ['x', 'y', 'color', 'size', 'shape', 'opacity', 'tooltip', 'theta', 'text'] as const;

/** Columns a hint reads: encoded fields not produced by its own fold transform, plus the folded ones. */
export function hintFields(hint: VegaLiteHint): string[] {
  const produced = new Set<string>();
  const read = new Set<string>();
  for (const t of hint.transform ?? []) {
    if ('fold' in t) {
      t.fold.forEach((f) => read.add(String(f)));
      (t.as ?? ['key', 'value']).forEach((f) => produced.add(String(f)));
    }
  }
  const encoding = (hint.encoding ?? {}) as Record<string, unknown>;
  for (const channel of CHANNELS) {
    const def = encoding[channel] as { field?: unknown; sort?: { field?: unknown } } | undefined;
    if (typeof def?.field === 'string' && !produced.has(def.field)) read.add(def.field);
    if (typeof def?.sort === 'object' && typeof def.sort.field === 'string') read.add(def.sort.field);
  }
  return [...read];
}

/**
 * Renders a Vega-Lite hint over rows to an SVG string, on the server with no browser or canvas.
 * vega and vega-lite are loaded on first use so that commands which never draw do not load them.
 */
export async function renderSvg(hint: VegaLiteHint, rows: readonly ChartRow[], size: { width: number; height: number }): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const spec = {
    ...hint,
    data: { values: rows.map((r) => ({ ...r })) },
    width: size.width,
    height: size.height,
    // The whole chart (axes and legend included) fits the size, so charts line up in the grid.
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    config: { font: 'system-ui, sans-serif', legend: { labelLimit: 160 }, axis: { labelLimit: 140 }, range: { category: { scheme: 'tableau10' } } },
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
