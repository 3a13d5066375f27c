/**
 * Active customers of the buy-till-you-die simulation, kept in growable typed arrays and
 * filed in one bucket per open day (the day of their next purchase).
 *
 * Memory is bounded by `maxCustomers`, not by the number of rows: a customer leaves the pool
 * when they drop out or when their next purchase falls after the last day. Only when more
 * customers than that are waiting for a future purchase (beyond ~100 million rows) does the
 * pool evict the one whose next purchase is furthest away, i.e. that customer churns early.
 */
export interface CustomerTraits {
  /** Sequence number of the customer (maps to a CustomerID). */
  readonly seq: number;
  readonly country: number;
  /** Purchase rate per open day (BG/NBD λ). */
  readonly rate: number;
  /** Drop-out probability after each repeat purchase (BG/NBD p). */
  readonly dropout: number;
  /** Gamma-Gamma rate ν of this customer's order values (mean order value = shape / ν). */
  readonly spendRate: number;
  /** Mean number of lines per invoice. */
  readonly breadth: number;
}

const NONE = -1;
/** Slot 0 holds a customer who could not be kept (pool full): they buy once and are never scheduled. */
const TRANSIENT = 0;

export class CustomerPool {
  seq = new Int32Array(0);
  country = new Uint8Array(0);
  rate = new Float64Array(0);
  dropout = new Float64Array(0);
  spendRate = new Float64Array(0);
  breadth = new Float64Array(0);
  purchases = new Int32Array(0);
  private link = new Int32Array(0);
  private free: number[] = [];
  private used = 0;
  private readonly head: Int32Array;
  private furthest = NONE;

  /** A pool over `days` open days holding at most `maxCustomers` scheduled customers. */
  constructor(days: number, private readonly maxCustomers: number) {
    this.head = new Int32Array(days).fill(NONE);
    this.grow(Math.min(1024, maxCustomers + 1));
  }

  private grow(size: number): void {
    const resize = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.seq = resize(this.seq, (n) => new Int32Array(n));
    this.country = resize(this.country, (n) => new Uint8Array(n));
    this.rate = resize(this.rate, (n) => new Float64Array(n));
    this.dropout = resize(this.dropout, (n) => new Float64Array(n));
    this.spendRate = resize(this.spendRate, (n) => new Float64Array(n));
    this.breadth = resize(this.breadth, (n) => new Float64Array(n));
    this.purchases = resize(this.purchases, (n) => new Int32Array(n));
    this.link = resize(this.link, (n) => new Int32Array(n));
  }

  /** Takes a slot for a new customer (evicting the furthest-scheduled one when full). */
  add(traits: CustomerTraits, today: number): number {
    let slot = this.free.pop() ?? NONE;
    if (slot === NONE && this.used < this.maxCustomers) {
      slot = ++this.used;
      if (slot >= this.seq.length) this.grow(Math.min(this.seq.length * 2, this.maxCustomers + 1));
    }
    if (slot === NONE) slot = this.evictFurthest(today);
    if (slot === NONE) slot = TRANSIENT;
    this.seq[slot] = traits.seq;
    this.country[slot] = traits.country;
    this.rate[slot] = traits.rate;
    this.dropout[slot] = traits.dropout;
    this.spendRate[slot] = traits.spendRate;
    this.breadth[slot] = traits.breadth;
    this.purchases[slot] = 0;
    return slot;
  }

  private evictFurthest(today: number): number {
    while (this.furthest > today && this.head[this.furthest] === NONE) this.furthest--;
    if (this.furthest <= today) return NONE;
    const slot = this.head[this.furthest] ?? NONE;
    this.head[this.furthest] = this.link[slot] ?? NONE;
    return slot;
  }

  /** Files a customer under the open day of their next purchase. */
  schedule(slot: number, day: number): void {
    if (slot === TRANSIENT) return;
    this.link[slot] = this.head[day] ?? NONE;
    this.head[day] = slot;
    if (day > this.furthest) this.furthest = day;
  }

  /** Frees the slot of a customer who dropped out or has no purchase left in the period. */
  release(slot: number): void {
    if (slot !== TRANSIENT) this.free.push(slot);
  }

  /** Moves the customers due on `day` into `into` (in no particular order). */
  takeDay(day: number, into: number[]): void {
    into.length = 0;
    for (let s = this.head[day] ?? NONE; s !== NONE; s = this.link[s] ?? NONE) into.push(s);
    this.head[day] = NONE;
  }
}
