/**
 * Trading calendar of the synthetic shop: open days between start and end, how busy each day
 * is, the time of day of an order, and the two date styles of the public copies of the data.
 */
export type DateStyle = 'iso' | 'us';

const DAY_MS = 86_400_000;
/** Relative volume per month (Jan…Dec), per open day, read off the real file: autumn peak. */
const MONTH_FACTOR = [1.0, 0.85, 0.9, 0.9, 0.95, 0.95, 1.0, 0.9, 1.3, 1.5, 2.2, 1.5];
/** Relative volume per weekday (Sun…Sat); the shop takes no orders on Saturdays. */
const WEEKDAY_FACTOR = [0.75, 1.0, 1.05, 1.05, 1.2, 0.85, 0];
/** Orders per clock hour from 07:00 to 20:59, shaped like the real file (lunchtime peak). */
const HOUR_WEIGHTS = [0.5, 9, 34, 49, 58, 79, 72, 67, 78, 55, 29, 8, 4, 1];
const FIRST_HOUR = 7;

/** Parses `YYYY-MM-DD` to days since 1970-01-01, or throws a RangeError naming the option. */
export function parseDay(text: string, name: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new RangeError(`${name} must be a date YYYY-MM-DD, got "${text}"`);
  }
  return ms / DAY_MS;
}

function closed(date: Date): boolean {
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  const christmas = (month === 11 && day >= 24) || (month === 0 && day <= 3);
  return date.getUTCDay() === 6 || christmas;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export class Calendar {
  /** Open days as days since the epoch, ascending. */
  readonly days: readonly number[];
  /** Expected share of the period's volume on each open day (sums to 1). */
  readonly weight: readonly number[];
  private readonly clock: readonly string[];
  private readonly hourCdf: readonly number[];

  /** Open days in [startDay, endDay]; when a range has none (all closed), every day counts as open. */
  constructor(startDay: number, endDay: number, private readonly style: DateStyle) {
    const all: number[] = [];
    for (let d = startDay; d <= endDay; d++) all.push(d);
    const open = all.filter((d) => !closed(new Date(d * DAY_MS)));
    this.days = open.length > 0 ? open : all;
    const raw = this.days.map((d) => {
      const date = new Date(d * DAY_MS);
      return (MONTH_FACTOR[date.getUTCMonth()] ?? 1) * (WEEKDAY_FACTOR[date.getUTCDay()] || 0.5);
    });
    const total = raw.reduce((s, w) => s + w, 0);
    this.weight = raw.map((w) => w / total);
    this.clock = Array.from({ length: 1440 }, (_, m) =>
      style === 'iso' ? `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}:00` : `${Math.floor(m / 60)}:${pad2(m % 60)}`,
    );
    const hourTotal = HOUR_WEIGHTS.reduce((s, w) => s + w, 0);
    let acc = 0;
    this.hourCdf = HOUR_WEIGHTS.map((w) => (acc += w / hourTotal));
  }

  /** The date part of open day i, ready to be followed by a clock time. */
  datePrefix(i: number): string {
    const date = new Date((this.days[i] ?? 0) * DAY_MS);
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    return this.style === 'iso' ? `${y}-${pad2(m)}-${pad2(d)} ` : `${m}/${d}/${y} `;
  }

  /**
   * Clock time for business-time u in [0, 1): u is spread over shop hours by the hourly
   * profile. The map is monotone, so events sorted by u stay sorted by clock time.
   */
  clockTime(u: number): string {
    let h = 0;
    while (h < HOUR_WEIGHTS.length - 1 && u >= (this.hourCdf[h] ?? 1)) h++;
    const lo = h === 0 ? 0 : (this.hourCdf[h - 1] ?? 0);
    const hi = this.hourCdf[h] ?? 1;
    const minute = Math.min(59, Math.floor(((u - lo) / (hi - lo)) * 60));
    return this.clock[(FIRST_HOUR + h) * 60 + Math.max(0, minute)] ?? '';
  }
}
