import { writeOrderLines } from '../generate/order-lines.js';
import type { CommandInput } from './commands.js';

function intOption(input: CommandInput, name: string, fallback?: number): number {
  const raw = input.options[name];
  if (raw === undefined && fallback !== undefined) return fallback;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) throw new Error(`--${name} must be a whole number (got ${JSON.stringify(raw)})`);
  return value;
}

/** `insiders generate --rows N --seed S --out FILE`: synthetic order lines, the same bytes for the same seed. */
export async function runGenerate(input: CommandInput): Promise<number> {
  const out = input.options.out;
  if (typeof out !== 'string') throw new Error('generate needs --out FILE (a .gz name compresses)');
  const layout = input.options.layout ?? 'online-retail';
  if (layout !== 'online-retail' && layout !== 'online-retail-ii') throw new Error('--layout must be online-retail or online-retail-ii');
  const dateStyle = input.options['date-style'] ?? 'iso';
  if (dateStyle !== 'iso' && dateStyle !== 'us') throw new Error('--date-style must be iso or us');
  const started = performance.now();
  const result = await writeOrderLines(
    { rows: intOption(input, 'rows'), seed: intOption(input, 'seed', 1), layout, dateStyle },
    out,
  );
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`wrote ${result.rows.toLocaleString('en-US')} rows (${(result.bytes / 2 ** 20).toFixed(1)} MB) to ${out} in ${seconds.toFixed(1)} s\n`);
  return 0;
}
