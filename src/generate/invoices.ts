/**
 * Writes invoices as CSV lines into the current chunk: customer purchases, their later
 * cancellations, guest orders, stock adjustments and fee lines. Stops writing as soon as the
 * requested number of rows is reached, so the output has exactly that many data rows.
 */
import type { Calendar, DateStyle } from './calendar.js';
import {
  ADJUSTMENT_NOTES, CUSTOMER_COUNTRIES, GUEST_COUNTRIES, NON_PRODUCT, csvField, formatPrice,
  type Catalogue,
} from './catalogue.js';
import type { CustomerPool } from './customer-pool.js';
import { MAX_CANCEL_LINES, type PendingCancellations } from './pending-cancellations.js';
import { AliasTable, type Rng } from './prng.js';

/** Shares of the dirt, per line or per invoice, chosen to land near the real file's figures. */
const P_DUPLICATE = 0.01;
const P_FREE_ITEM = 0.001;
const P_CANCEL = 0.33;
const P_SAME_DAY_CANCEL = 0.6;
const P_FOREIGN_POSTAGE = 0.5;
const P_MANUAL = 0.025;
const P_PADS = 0.0005;
const P_DISCOUNT = 0.004;
const P_DOTCOM_POSTAGE = 0.25;
const P_VOUCHER = 0.01;
/** Gamma-Gamma shape p of order values around a customer's mean (order value ~ Gamma(p, ν)). */
const ORDER_SHAPE = 4;
const MAX_LINES = 600;
const GUEST_MEAN_LINES = 45;
const RETAIL_QUANTITIES = [1, 1, 1, 1, 2, 2, 2, 3, 4, 6];
const PACKS = [
  1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 25, 32, 36, 48, 50, 60, 72, 96, 100, 120, 144, 192, 200,
  240, 288, 300, 360, 384, 400, 480, 500, 576, 600, 720, 960, 1000, 1200, 1440, 2000, 2400, 3000, 4800,
];
const UK = 'United Kingdom';
const CUSTOMER_COUNTRY_NAMES = CUSTOMER_COUNTRIES.map(([name]) => name);

/** A fee in whole pence, never zero (zero prices are their own kind of dirt). */
function money(value: number): string {
  const pence = Math.round(value * 100);
  return formatPrice((pence === 0 ? Math.sign(value) || 1 : pence) / 100);
}

/** Nearest pack size (on a log scale) for every whole-number target up to the largest pack. */
const SNAP = Int32Array.from({ length: 4801 }, (_, t) => {
  let best = 1;
  for (const p of PACKS) if (Math.abs(Math.log(p / Math.max(t, 1))) < Math.abs(Math.log(best / Math.max(t, 1)))) best = p;
  return best;
});

export class InvoiceWriter {
  /** Text of the chunk being built. */
  text = '';
  /** Data rows still to write. */
  left: number;
  private invoice = 536365;
  private datePrefix = '';
  private readonly idSpace: number;
  /** Per product, the last invoice that listed it. */
  private readonly lastInvoice: Float64Array;
  private readonly guestCountries = new AliasTable(GUEST_COUNTRIES.map(([, w]) => w));

  /** A writer of `rows` rows; `dateStyle` also picks the CustomerID style (`17850.0` for iso). */
  constructor(
    private readonly rng: Rng,
    private readonly catalogue: Catalogue,
    private readonly calendar: Calendar,
    private readonly dateStyle: DateStyle,
    rows: number,
  ) {
    this.left = rows;
    this.lastInvoice = new Float64Array(catalogue.size);
    // CustomerIDs are a permutation of a power-of-two block above 12346 sized to the expected
    // number of customers, so they look unordered; customers beyond the block count upwards.
    this.idSpace = 2 ** Math.min(30, Math.ceil(Math.log2(Math.max(8192, rows / 100))));
  }

  /** Returns the chunk built so far and starts a new one. */
  take(): string {
    const t = this.text;
    this.text = '';
    return t;
  }

  /** Starts writing lines dated on open day `day`. */
  beginDay(day: number): void {
    this.datePrefix = this.calendar.datePrefix(day);
  }

  private put(line: string): void {
    if (this.left > 0) {
      this.text += line;
      this.left--;
    }
  }

  private stamp(u: number): string {
    return `,${this.datePrefix}${this.calendar.clockTime(u)},`;
  }

  private customer(seq: number, country: number): string {
    const n = seq < this.idSpace ? (Math.imul(seq, 0x9e3779b1) + 0x3c6ef372) & (this.idSpace - 1) : seq;
    const id = 12346 + n;
    return `,${this.dateStyle === 'iso' ? `${id}.0` : id},${CUSTOMER_COUNTRY_NAMES[country] ?? UK}\n`;
  }

  /**
   * A product by popularity, redrawn (a few times) if the invoice already has it: an invoice
   * lists each product once, so exact duplicate lines come only from the deliberate copies.
   */
  private product(id: number): number {
    let k = this.catalogue.popularity.sample(this.rng);
    for (let tries = 0; tries < 4 && this.lastInvoice[k] === id; tries++) k = this.catalogue.popularity.sample(this.rng);
    this.lastInvoice[k] = id;
    return k;
  }

  private quantity(lineValue: number, price: number): number {
    if (this.rng.chance(0.2)) return RETAIL_QUANTITIES[this.rng.int(RETAIL_QUANTITIES.length)] ?? 1;
    const target = Math.round((lineValue / price) * (0.4 + 1.2 * this.rng.uniform()));
    return target <= 4800 ? (SNAP[target] ?? 1) : Math.round(target / 100) * 100;
  }

  /**
   * One purchase invoice of a customer. With probability P_CANCEL some of its lines are
   * remembered (reservoir sample) in `pending`, to be cancelled the same day or days later.
   */
  purchase(pool: CustomerPool, slot: number, u: number, time: number, pending: PendingCancellations): void {
    const { rng, catalogue: cat } = this;
    const id = this.invoice++;
    const inv = String(id);
    const mid = this.stamp(u);
    const seq = pool.seq[slot] ?? 0;
    const country = pool.country[slot] ?? 0;
    const suffix = this.customer(seq, country);
    const n = Math.min(MAX_LINES, 1 + Math.floor(rng.exponential(1 / (pool.breadth[slot] ?? 1))));
    const lineValue = rng.gamma(ORDER_SHAPE, 1 / (pool.spendRate[slot] ?? 1)) / n;
    const delay = rng.chance(P_SAME_DAY_CANCEL) ? rng.exponential(20) : rng.exponential(0.2);
    const entry = rng.chance(P_CANCEL) ? pending.push(time + delay) : -1;
    const keep = Math.min(n, 1 + (rng.chance(0.4) ? 1 + rng.int(MAX_CANCEL_LINES - 1) : 0));
    for (let j = 0; j < n && this.left > 0; j++) {
      const k = this.product(id);
      const q = this.quantity(lineValue, cat.price[k] ?? 1);
      const kind = rng.chance(P_FREE_ITEM) ? 2 : q >= 100 ? 1 : 0;
      const price = kind === 2 ? '0.0' : kind === 1 ? cat.bulkPriceText[k] : cat.priceText[k];
      const line = inv + cat.fragment[k] + q + mid + price + suffix;
      this.put(line);
      if (rng.chance(P_DUPLICATE)) this.put(line);
      const at = entry < 0 ? keep : j < keep ? j : rng.int(j + 1);
      if (at < keep) {
        const e = entry * MAX_CANCEL_LINES + at;
        pending.product[e] = k;
        pending.quantity[e] = rng.chance(0.8) ? q : 1 + rng.int(q);
        pending.bulk[e] = kind;
      }
    }
    if (entry >= 0) {
      pending.seq[entry] = seq;
      pending.country[entry] = country;
      pending.lines[entry] = keep;
    }
    const countryName = CUSTOMER_COUNTRY_NAMES[country];
    if (countryName !== UK && rng.chance(P_FOREIGN_POSTAGE)) {
      const carriage = countryName === 'EIRE' && rng.chance(0.5);
      const fee = carriage ? '50.0' : formatPrice([15, 18, 28, 40][rng.int(4)] ?? 18);
      this.put(inv + (carriage ? NON_PRODUCT.carriage : NON_PRODUCT.post) + (1 + rng.int(3)) + mid + fee + suffix);
    }
    if (rng.chance(P_MANUAL)) this.put(inv + NON_PRODUCT.manual + 1 + mid + money(rng.gamma(0.8, 40)) + suffix);
    if (rng.chance(P_PADS)) this.put(inv + NON_PRODUCT.pads + 1 + mid + '0.001' + suffix);
    if (rng.chance(P_DISCOUNT)) {
      const charge = rng.chance(0.8) ? NON_PRODUCT.charges[0] : NON_PRODUCT.charges[1];
      this.put(`C${this.invoice++}` + charge + -1 + mid + money(rng.gamma(1.5, 20)) + suffix);
    }
  }

  /** A cancellation invoice (`C` + number, negative quantities) of remembered purchase lines. */
  cancellation(pending: PendingCancellations, entry: number, u: number): void {
    const cat = this.catalogue;
    const inv = `C${this.invoice++}`;
    const mid = this.stamp(u);
    const suffix = this.customer(pending.seq[entry] ?? 0, pending.country[entry] ?? 0);
    const lines = pending.lines[entry] ?? 0;
    for (let j = 0; j < lines; j++) {
      const e = entry * MAX_CANCEL_LINES + j;
      const k = pending.product[e] ?? 0;
      const kind = pending.bulk[e];
      const price = kind === 2 ? '0.0' : kind === 1 ? cat.bulkPriceText[k] : cat.priceText[k];
      this.put(inv + cat.fragment[k] + -(pending.quantity[e] ?? 1) + mid + price + suffix);
    }
  }

  /** A cancellation by a new customer of something bought before the period (matches nothing). */
  unmatchedCancellation(seq: number, country: number, u: number): void {
    const k = this.catalogue.popularity.sample(this.rng);
    const price = this.catalogue.priceText[k];
    this.put(`C${this.invoice++}` + this.catalogue.fragment[k] + -(1 + this.rng.int(12)) + this.stamp(u) + price + this.customer(seq, country));
  }

  /** An event without a customer: mostly a guest order, else a stock adjustment or a fee. */
  anonymous(u: number): void {
    const { rng, catalogue: cat } = this;
    const mid = this.stamp(u);
    const r = rng.uniform();
    if (r < 0.42) {
      // Stock adjustment: zero price, a note or no description, often a negative quantity.
      const k = cat.popularity.sample(rng);
      const q = (rng.chance(0.5) ? -1 : 1) * (1 + rng.int(60));
      const note = csvField(ADJUSTMENT_NOTES[rng.int(ADJUSTMENT_NOTES.length)] ?? '');
      this.put(`${this.invoice++},${cat.code[k]},${note},${q}${mid}0.0,,${UK}\n`);
      return;
    }
    if (r < 0.44) {
      const charge = NON_PRODUCT.charges[2 + rng.int(3)] ?? NON_PRODUCT.manual;
      this.put(`C${this.invoice++}` + charge + -1 + mid + money(rng.gamma(0.7, 300)) + `,,${UK}\n`);
      return;
    }
    if (r < 0.4403) {
      this.put(`A${this.invoice++}` + NON_PRODUCT.badDebt + 1 + mid + money(-rng.gamma(2, 3000)) + `,,${UK}\n`);
      return;
    }
    const id = this.invoice++;
    const inv = String(id);
    const suffix = `,,${GUEST_COUNTRIES[this.guestCountries.sample(rng)]?.[0] ?? UK}\n`;
    const n = Math.min(MAX_LINES, 1 + Math.floor(rng.exponential(1 / GUEST_MEAN_LINES)));
    for (let j = 0; j < n && this.left > 0; j++) {
      const k = this.product(id);
      const q = rng.chance(0.9) ? (RETAIL_QUANTITIES[rng.int(RETAIL_QUANTITIES.length)] ?? 1) : 12;
      const line = inv + cat.fragment[k] + q + mid + cat.priceText[k] + suffix;
      this.put(line);
      if (rng.chance(P_DUPLICATE)) this.put(line);
    }
    if (rng.chance(P_DOTCOM_POSTAGE)) this.put(inv + NON_PRODUCT.dot + 1 + mid + money(rng.gamma(1.5, 2 * n)) + suffix);
    if (rng.chance(P_VOUCHER)) {
      const i = rng.int(NON_PRODUCT.vouchers.length);
      this.put(inv + NON_PRODUCT.vouchers[i] + 1 + mid + formatPrice(10 * (i + 1) * 0.85) + suffix);
    }
  }
}
