/**
 * The shop simulation behind the generator, run in time order, one open day at a time.
 *
 * Customers follow a buy-till-you-die process (BG/NBD): on arrival each draws a purchase rate
 * λ ~ Gamma(r, α) and a drop-out probability p ~ Beta(a, b), and a Gamma-Gamma spend rate
 * ν ~ Gamma(q, γ). After every repeat purchase they leave with probability p; otherwise the
 * next purchase is an exponential gap later. A customer's next purchase is all the state kept,
 * filed under its day (CustomerPool), and recent purchase lines wait in a fixed-size heap
 * until cancelled (PendingCancellations), so memory does not grow with the number of rows.
 *
 * Within a day four event streams are merged by business time u ∈ [0, 1): customers due that
 * day (sorted), new customers and guest/anonymous events (Poisson processes, drawn lazily in
 * increasing u) and due cancellations. The output is therefore in global invoice-date order.
 *
 * Volume: each day gets its share of the rows still to write (seasonal weights); returning
 * customers fill what they fill and new customers arrive at the rate that makes up the rest.
 * On the last day the arrival streams never run dry, so exactly `rows` rows are written.
 */
import { Calendar, type DateStyle } from './calendar.js';
import { CUSTOMER_COUNTRIES, buildCatalogue } from './catalogue.js';
import { CustomerPool } from './customer-pool.js';
import { InvoiceWriter } from './invoices.js';
import { PendingCancellations } from './pending-cancellations.js';
import { AliasTable, Rng } from './prng.js';

export interface SimulationOptions {
  readonly rows: number;
  readonly seed: number;
  readonly startDay: number;
  readonly endDay: number;
  readonly dateStyle: DateStyle;
  readonly header: string;
}

const CATALOGUE_SIZE = 4000;
const CHUNK_CHARS = 64 * 1024;
/** At most this many customers wait for a future purchase (about 12 MB of typed arrays). */
const MAX_POOL = 1 << 18;
const MAX_PENDING = 1 << 14;
/** BG/NBD population parameters, time in open days. */
const R = 0.45;
const ALPHA = 15;
const A = 0.5;
const B = 3;
/** Gamma-Gamma population parameters of the spend rate ν (mean order value 4γ/(q − 1), order shape 4). */
const Q = 2.2;
const GAMMA = 135;
/** Share of rows without a customer (guest orders, adjustments, some fees). */
const GUEST_SHARE = 0.25;
const P_UNMATCHED_CANCEL = 0.1;
/** Key layout for sorting a day's due customers: 32-bit business time above a 20-bit slot. */
const SLOT_BITS = 2 ** 20;
const U32 = 4294967296;
/** Last-day streams stop just before closing time instead of running out. */
const LAST_U = 1 - 2 ** -20;

/** Running mean of rows per event, starting from a prior worth a few events. */
class RowsPerEvent {
  private rows: number;
  private events = 8;
  constructor(prior: number) {
    this.rows = prior * this.events;
  }
  add(rows: number): void {
    this.rows += rows;
  }
  event(): void {
    this.events++;
  }
  get mean(): number {
    return this.rows / this.events;
  }
}

/** Yields the CSV text (header first) in chunks of about 64 KB. */
export function* simulate(o: SimulationOptions): Generator<string> {
  const rng = new Rng(o.seed);
  const calendar = new Calendar(o.startDay, o.endDay, o.dateStyle);
  const out = new InvoiceWriter(rng, buildCatalogue(rng, CATALOGUE_SIZE), calendar, o.dateStyle, o.rows);
  const days = calendar.days.length;
  const pool = new CustomerPool(days, MAX_POOL);
  const pending = new PendingCancellations(MAX_PENDING);
  const countries = new AliasTable(CUSTOMER_COUNTRIES.map(([, w]) => w));
  const perCustomerEvent = new RowsPerEvent(22);
  const perAnonymousEvent = new RowsPerEvent(25);
  const due: number[] = [];
  let dueKeys = new Float64Array(1024);
  let customers = 0;
  let weightLeft = 1;
  out.text = o.header;

  /** Writes one purchase and files the customer under their next purchase day, or lets them go. */
  const buy = (slot: number, day: number, u: number): void => {
    out.purchase(pool, slot, u, day + u, pending);
    const purchases = (pool.purchases[slot] ?? 0) + 1;
    pool.purchases[slot] = purchases;
    const next = day + Math.max(1, Math.floor(u + rng.exponential(pool.rate[slot] ?? 1)));
    if ((purchases > 1 && rng.chance(pool.dropout[slot] ?? 1)) || next >= days) pool.release(slot);
    else pool.schedule(slot, next);
  };

  for (let day = 0; day < days && out.left > 0; day++) {
    const last = day === days - 1;
    const weight = calendar.weight[day] ?? 0;
    const target = last || weight >= weightLeft ? out.left : (out.left * weight) / weightLeft;
    weightLeft -= weight;
    out.beginDay(day);

    pool.takeDay(day, due);
    if (due.length > dueKeys.length) dueKeys = new Float64Array(due.length * 2);
    const keys = dueKeys.subarray(0, due.length);
    due.forEach((slot, i) => (keys[i] = rng.nextU32() * SLOT_BITS + slot));
    keys.sort();

    const customerRows = perCustomerEvent.mean;
    const newRate = Math.max(0, (1 - GUEST_SHARE) * target - due.length * customerRows) / customerRows;
    const anonymousRate = (GUEST_SHARE * target) / perAnonymousEvent.mean;
    const after = (u: number, rate: number): number => {
      if (!(rate > 0)) return Infinity;
      const next = u + rng.exponential(rate);
      return last ? Math.min(next, LAST_U) : next;
    };
    let uNew = after(0, newRate);
    let uAnonymous = after(0, anonymousRate);
    let i = 0;

    while (out.left > 0) {
      const key = i < keys.length ? (keys[i] ?? 0) : Infinity;
      const uDue = Math.floor(key / SLOT_BITS) / U32;
      const uCancel = pending.peekTime() - day;
      const u = Math.min(uDue, uNew, uAnonymous, uCancel);
      if (u >= 1) break;
      const before = out.left;
      if (u === uCancel) {
        out.cancellation(pending, pending.pop(), u);
        perCustomerEvent.add(before - out.left);
      } else if (u === uDue) {
        i++;
        buy(key % SLOT_BITS, day, u);
        perCustomerEvent.event();
        perCustomerEvent.add(before - out.left);
      } else if (u === uNew) {
        const slot = pool.add(
          {
            seq: customers++,
            country: countries.sample(rng),
            rate: rng.gamma(R, 1 / ALPHA),
            dropout: rng.beta(A, B),
            spendRate: rng.gamma(Q, 1 / GAMMA),
            breadth: rng.gamma(1.2, 17),
          },
          day,
        );
        if (rng.chance(P_UNMATCHED_CANCEL)) out.unmatchedCancellation(pool.seq[slot] ?? 0, pool.country[slot] ?? 0, u);
        buy(slot, day, u);
        perCustomerEvent.event();
        perCustomerEvent.add(before - out.left);
        uNew = after(uNew, newRate);
      } else {
        out.anonymous(u);
        perAnonymousEvent.event();
        perAnonymousEvent.add(before - out.left);
        uAnonymous = after(uAnonymous, anonymousRate);
      }
      if (out.text.length >= CHUNK_CHARS) yield out.take();
    }
  }
  if (out.text.length > 0) yield out.take();
}
