const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a YYYY-MM-DD option: a real calendar date. */
export function parseDate(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (!ISO_DATE.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new Error(`--${option} ${JSON.stringify(value)} is not a date in YYYY-MM-DD form`);
  }
  return value;
}

export type Every = 'day' | 'week' | 'month';

/** The as-of dates of a backfill from..to inclusive, one per day, week or month (month ends clamp). */
export function backfillDates(from: string, to: string, every: Every): string[] {
  if (from > to) throw new Error(`--from ${from} is after --to ${to}`);
  const dates: string[] = [];
  const start = new Date(`${from}T00:00:00Z`);
  for (let i = 0; ; i++) {
    const d = new Date(start);
    if (every === 'day') d.setUTCDate(start.getUTCDate() + i);
    else if (every === 'week') d.setUTCDate(start.getUTCDate() + 7 * i);
    else {
      // Same day of month, clamped to the month's last day (Jan 31 → Feb 28 → Mar 31).
      const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + i, 1));
      const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      d.setTime(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(start.getUTCDate(), last)));
    }
    const iso = d.toISOString().slice(0, 10);
    if (iso > to) break;
    dates.push(iso);
    if (dates.length > 5000) throw new Error('a backfill of more than 5,000 dates: use --every week or month');
  }
  return dates;
}
