/**
 * Cancellations waiting to happen: when a customer buys, a few of the lines are remembered
 * here with the time the customer will take them back. A fixed-capacity binary min-heap keyed
 * by time, so this bounded memory of recent purchases never grows with the rows; when it is
 * full a cancellation is simply not scheduled.
 */
export const MAX_CANCEL_LINES = 3;

export class PendingCancellations {
  private readonly key: Float64Array;
  private readonly heap: Int32Array;
  private readonly free: Int32Array;
  private size = 0;
  private freeTop: number;
  /** Per entry: customer sequence number, country, line count and the lines. */
  readonly seq: Int32Array;
  readonly country: Uint8Array;
  readonly lines: Uint8Array;
  readonly product: Int32Array;
  readonly quantity: Int32Array;
  readonly bulk: Uint8Array;

  /** A heap with room for `capacity` pending cancellations. */
  constructor(capacity: number) {
    this.key = new Float64Array(capacity);
    this.heap = new Int32Array(capacity);
    this.free = Int32Array.from({ length: capacity }, (_, i) => capacity - 1 - i);
    this.freeTop = capacity;
    this.seq = new Int32Array(capacity);
    this.country = new Uint8Array(capacity);
    this.lines = new Uint8Array(capacity);
    this.product = new Int32Array(capacity * MAX_CANCEL_LINES);
    this.quantity = new Int32Array(capacity * MAX_CANCEL_LINES);
    this.bulk = new Uint8Array(capacity * MAX_CANCEL_LINES);
  }

  /** Time (open-day index + fraction of the day) of the earliest pending cancellation, or Infinity. */
  peekTime(): number {
    return this.size > 0 ? (this.key[this.heap[0] ?? 0] ?? Infinity) : Infinity;
  }

  /** Reserves an entry due at `time`; the caller fills its fields. Returns -1 when full. */
  push(time: number): number {
    if (this.freeTop === 0) return -1;
    const entry = this.free[--this.freeTop] ?? 0;
    this.key[entry] = time;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = this.heap[parent] ?? 0;
      if ((this.key[p] ?? 0) <= time) break;
      this.heap[i] = p;
      i = parent;
    }
    this.heap[i] = entry;
    return entry;
  }

  /** Removes the earliest entry and returns it; its fields stay readable until the next push. */
  pop(): number {
    const top = this.heap[0] ?? 0;
    const last = this.heap[--this.size] ?? 0;
    const lastKey = this.key[last] ?? 0;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      const right = child + 1;
      if (right < this.size && (this.key[this.heap[right] ?? 0] ?? 0) < (this.key[this.heap[child] ?? 0] ?? 0)) child = right;
      const c = this.heap[child] ?? 0;
      if ((this.key[c] ?? 0) >= lastKey) break;
      this.heap[i] = c;
      i = child;
    }
    this.heap[i] = last;
    this.free[this.freeTop++] = top;
    return top;
  }
}
