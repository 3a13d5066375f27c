// Dense ids for tuples of numbers (e.g. (x, t_x, T) patterns). An open-addressing table over the
// raw float bits: a Map keyed by strings or by packed non-small-integer doubles costs ~1 µs per
// customer, too slow when a million customers are collapsed into patterns.

const bits = new Float64Array(1);
const words = new Int32Array(bits.buffer);

function mix(hash: number, value: number): number {
  bits[0] = value + 0; // + 0 turns −0 into 0, which compares equal
  let h = Math.imul(hash ^ words[0]!, 0x9e3779b1);
  h = Math.imul(h ^ words[1]!, 0x85ebca77);
  return h ^ (h >>> 15);
}

/** Assigns 0, 1, 2, … to distinct tuples of `width` numbers in first-seen order. */
export class TupleIndex {
  readonly width: number;
  private values: Float64Array;
  private slots: Int32Array;
  private count = 0;

  constructor(width: number, expected = 1024) {
    this.width = width;
    let capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(-1);
    this.values = new Float64Array(expected * width);
  }

  /** Number of distinct tuples seen. */
  get size(): number {
    return this.count;
  }

  /** Id of the tuple (v0, v1, v2) (unused trailing components are 0), adding it if new. */
  id(v0: number, v1 = 0, v2 = 0): number {
    const w = this.width;
    const h = mix(mix(mix(0x2545f491, v0), v1), v2);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot]!;
      if (at < 0) {
        this.slots[slot] = this.count;
        this.store(v0, v1, v2);
        return this.count++;
      }
      const base = at * w;
      if (this.values[base] === v0 && (w < 2 || this.values[base + 1] === v1) && (w < 3 || this.values[base + 2] === v2)) {
        return at;
      }
    }
  }

  /** Component k of every tuple, in id order. */
  column(k: number): Float64Array {
    const out = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.values[i * this.width + k]!;
    return out;
  }

  private store(v0: number, v1: number, v2: number): void {
    const w = this.width;
    if ((this.count + 1) * w > this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    const base = this.count * w;
    this.values[base] = v0;
    if (w > 1) this.values[base + 1] = v1;
    if (w > 2) this.values[base + 2] = v2;
    if (2 * (this.count + 1) > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    const w = this.width;
    for (let i = 0; i <= this.count; i++) {
      const base = i * w;
      const h = mix(mix(mix(0x2545f491, this.values[base]!), w > 1 ? this.values[base + 1]! : 0), w > 2 ? this.values[base + 2]! : 0);
      let slot = h & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = i;
    }
    this.slots = slots;
  }
}
