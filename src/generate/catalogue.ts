/**
 * The synthetic shop's product catalogue: stock codes like `85123A`, upper-case gift-shop
 * descriptions (a few with commas or double quotes, as in the real file), price points and
 * Zipf–Mandelbrot popularity. Everything a line needs is pre-formatted once here so the hot
 * loop only concatenates strings.
 */
import { AliasTable, type Rng } from './prng.js';

const COLOURS = [
  'RED', 'BLUE', 'PINK', 'WHITE', 'IVORY', 'CREAM', 'GREEN', 'BLACK', 'SILVER', 'GOLD', 'PURPLE',
  'ORANGE', 'YELLOW', 'PASTEL', 'VINTAGE', 'ANTIQUE', 'FRENCH BLUE', 'ROSE', 'GLASS', 'ZINC',
];
const MOTIFS = [
  'RETROSPOT', 'POLKADOT', 'SPACEBOY', 'DOLLY GIRL', 'HEART', 'STAR', 'SKULL', 'BIRD', 'OWL',
  'BUTTERFLY', 'PAISLEY', 'REGENCY', 'LEAF', 'UNION JACK', 'CHRISTMAS', 'SNOWFLAKE', 'STRAWBERRY',
  'CHERRY', 'PANTRY', 'BABUSHKA', 'WOODLAND', 'ALPHABET', 'KNITTED', 'HANGING HEART', 'SPOTTY',
  "POPPY'S PLAYHOUSE", 'FELTCRAFT', 'JAM MAKING', 'LOVEBIRD', 'ENGLISH ROSE', 'CIRCUS PARADE',
];
const NOUNS = [
  'T-LIGHT HOLDER', 'LANTERN', 'COAT HANGER', 'HOT WATER BOTTLE', 'NESTING BOXES', 'MUG',
  'LUNCH BAG', 'JUMBO BAG', 'CAKE TIN', 'CAKE CASES', 'PAPER NAPKINS', 'TEA TOWEL', 'DOORSTOP',
  'CUSHION COVER', 'PHOTO FRAME', 'KEY RING', 'NOTEBOOK', 'GIFT WRAP', 'CHILDRENS APRON',
  'LUNCH BOX', 'WATER BOTTLE', 'CANDLE', 'DOOR SIGN', 'METAL SIGN', 'WALL CLOCK', 'BUNTING',
  'GARLAND', 'CAKESTAND', 'PLATE', 'BOWL', 'STORAGE JAR', 'SHOPPER', 'PURSE', 'NECKLACE',
  'ORNAMENT', 'DECORATION', 'PEG BAG', 'JIGSAW', 'DOLL', 'BIRTHDAY CARD', 'WRAPPING PAPER',
  'HAND WARMER', 'BEDROOM', 'KITCHEN', 'PARTY BAG', 'TRINKET BOX', 'CHOPSTICKS', 'SPOONS',
];
const SET_SIZES = [2, 3, 4, 6, 8, 10, 12, 20, 24, 60, 72];
/** Price points (GBP) seen again and again in the real catalogue. */
const PRICE_POINTS = [
  0.39, 0.42, 0.55, 0.65, 0.72, 0.79, 0.85, 1.25, 1.45, 1.65, 1.69, 1.95, 2.1, 2.46, 2.55, 2.95,
  3.25, 3.39, 3.75, 4.25, 4.95, 5.45, 5.95, 6.75, 7.95, 8.5, 9.95, 10.95, 12.75, 14.95, 16.95,
  18.0, 19.95,
];
const EXPENSIVE_PRICES = [24.95, 29.95, 39.95, 49.95, 65.0, 125.0, 165.0, 295.0];

/** Prices print like the real file (Python float repr): `2.1`, `18.0`, `0.42`. */
export function formatPrice(value: number): string {
  const s = String(Math.round(value * 1000) / 1000);
  return s.includes('.') ? s : `${s}.0`;
}

/** A CSV field, quoted when it holds a comma, quote or line break (quotes doubled). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface Catalogue {
  readonly size: number;
  readonly code: readonly string[];
  /** `,CODE,DESCRIPTION,` — the fields between InvoiceNo and Quantity. */
  readonly fragment: readonly string[];
  readonly price: Float64Array;
  readonly priceText: readonly string[];
  /** The lower price a product sells at in bulk (quantity ≥ 100). */
  readonly bulkPrice: Float64Array;
  readonly bulkPriceText: readonly string[];
  readonly popularity: AliasTable;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[rng.int(items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

function stockCode(rng: Rng): string {
  const r = rng.uniform();
  const base =
    r < 0.75 ? 20600 + rng.int(3300)
    : r < 0.87 ? 84000 + rng.int(2000)
    : r < 0.92 ? 47000 + rng.int(2000)
    : r < 0.97 ? 90000 + rng.int(220)
    : pick(rng, [35000, 37000, 71000, 79000]) + rng.int(1000);
  return rng.chance(0.15) ? `${base}${pick(rng, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'])}` : `${base}`;
}

function description(rng: Rng): string {
  const c = pick(rng, COLOURS);
  const m = pick(rng, MOTIFS);
  const n = pick(rng, NOUNS);
  const r = rng.uniform();
  // About 1% of descriptions hold a comma and 0.4% a double quote, like the real file.
  const text =
    r < 0.3 ? `${c} ${m} ${n}`
    : r < 0.5 ? `${n} ${c} ${m}`
    : r < 0.62 ? `SET OF ${pick(rng, SET_SIZES)} ${m} ${n}`
    : r < 0.72 ? `PACK OF ${pick(rng, SET_SIZES)} ${m} ${n}`
    : r < 0.986 ? `${m} ${n}`
    : r < 0.996 ? `${n}, ${c} ${m}`
    : r < 0.998 ? `LETTER "${String.fromCharCode(65 + rng.int(26))}" ${m} ${n}`
    : `${m} ${n} ${pick(rng, [5, 7, 10, 12])}" ${c}`;
  // Some real descriptions carry a trailing space; loaders must keep them.
  return rng.chance(0.05) ? `${text} ` : text;
}

function pricePoint(rng: Rng): number {
  if (rng.chance(0.01)) return pick(rng, EXPENSIVE_PRICES);
  const target = Math.exp(Math.log(2.5) + 0.8 * rng.normal());
  let best = PRICE_POINTS[0] ?? 1;
  for (const p of PRICE_POINTS) if (Math.abs(Math.log(p / target)) < Math.abs(Math.log(best / target))) best = p;
  return best;
}

/** Builds `size` products with unique stock codes; index = popularity rank. */
export function buildCatalogue(rng: Rng, size: number): Catalogue {
  const seen = new Set<string>();
  const codes: string[] = [];
  const fragment: string[] = [];
  const priceText: string[] = [];
  const bulkPriceText: string[] = [];
  const price = new Float64Array(size);
  const bulkPrice = new Float64Array(size);
  const weights: number[] = [];
  for (let k = 0; k < size; k++) {
    let code = stockCode(rng);
    while (seen.has(code)) code = stockCode(rng);
    seen.add(code);
    codes.push(code);
    fragment.push(`,${code},${csvField(description(rng))},`);
    const p = pricePoint(rng);
    const bulk = Math.round(p * (0.8 + 0.1 * rng.uniform()) * 100) / 100;
    price[k] = p;
    bulkPrice[k] = bulk;
    priceText.push(formatPrice(p));
    bulkPriceText.push(formatPrice(bulk));
    // Flattened Zipf: the top product gets ~0.5% of lines, the top 10% ~half, like the real shop.
    weights.push(Math.pow(k + 40, -1.05));
  }
  return { size, code: codes, fragment, price, priceText, bulkPrice, bulkPriceText, popularity: new AliasTable(weights) };
}

/** Countries with weights near the real file's customer mix (United Kingdom ~90%). */
export const CUSTOMER_COUNTRIES: readonly (readonly [string, number])[] = [
  ['United Kingdom', 880], ['Germany', 25], ['France', 23], ['EIRE', 10], ['Spain', 9],
  ['Belgium', 7], ['Netherlands', 6], ['Switzerland', 6], ['Portugal', 5], ['Australia', 4],
  ['Italy', 4], ['Norway', 3], ['Channel Islands', 3], ['Finland', 3], ['Cyprus', 2],
  ['Sweden', 2], ['Austria', 2], ['Denmark', 2], ['Japan', 2], ['Poland', 2], ['Unspecified', 1.5],
  ['USA', 1.5], ['Israel', 1], ['Canada', 1], ['Greece', 1], ['Hong Kong', 0.5], ['Singapore', 0.5],
  ['Iceland', 0.5], ['Malta', 0.5], ['United Arab Emirates', 0.5], ['RSA', 0.5], ['Lebanon', 0.3],
  ['European Community', 0.3], ['Lithuania', 0.3], ['Brazil', 0.3], ['Czech Republic', 0.3],
  ['Bahrain', 0.3], ['Saudi Arabia', 0.2],
];

/** Guest (no CustomerID) invoices come almost only from the United Kingdom. */
export const GUEST_COUNTRIES: readonly (readonly [string, number])[] = [
  ['United Kingdom', 970], ['EIRE', 8], ['Hong Kong', 5], ['Unspecified', 4], ['Switzerland', 3],
  ['France', 2], ['Israel', 2], ['Portugal', 1],
];

/** Non-product codes: postage, fees, manual adjustments, vouchers. */
export const NON_PRODUCT = {
  post: ',POST,POSTAGE,',
  dot: ',DOT,DOTCOM POSTAGE,',
  manual: ',M,Manual,',
  carriage: ',C2,CARRIAGE,',
  pads: ',PADS,PADS TO MATCH ALL CUSHIONS,',
  badDebt: ',B,Adjust bad debt,',
  vouchers: [10, 20, 30, 40, 50].map((v) => `,gift_0001_${v},Dotcomgiftshop Gift Voucher £${v}.00,`),
  /** Charges that appear as cancellation-style (C) invoices. */
  charges: [',D,Discount,', ',CRUK,CRUK Commission,', ',S,SAMPLES,', ',BANK CHARGES,Bank Charges,', ',AMAZONFEE,AMAZON FEE,'],
} as const;

/** Notes written on zero-price stock adjustments (most have no description at all). */
export const ADJUSTMENT_NOTES = [
  '', '', '', '', '', '', 'check', '?', 'damaged', 'damages', 'found', 'adjustment', 'thrown away',
  'Unsaleable, destroyed.',
];
