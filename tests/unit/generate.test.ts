import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

import { generateOrderLines, writeOrderLines, type GenerateOptions } from '../../src/generate/order-lines.js';
import { AliasTable, Rng } from '../../src/generate/prng.js';

const HEADER = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];
const NON_PRODUCT = new Set(['POST', 'DOT', 'M', 'D', 'C2', 'CRUK', 'BANK CHARGES', 'AMAZONFEE', 'PADS', 'S', 'B']);

async function csvText(opts: GenerateOptions): Promise<string> {
  let text = '';
  for await (const chunk of generateOrderLines(opts)) text += chunk;
  return text;
}

async function records(opts: GenerateOptions): Promise<string[][]> {
  return parse(await csvText(opts), { relax_column_count: true }) as string[][];
}

const isNonProduct = (code: string): boolean =>
  NON_PRODUCT.has(code.toUpperCase()) || code.toLowerCase().startsWith('gift_');
const share = (rows: string[][], test: (r: string[]) => boolean): number =>
  rows.filter(test).length / rows.length;
const field = (r: string[], i: number): string => r[i] ?? '';

describe('prng', () => {
  it('is reproducible and draws gamma, beta and weighted choices with the right means', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const first = Array.from({ length: 5 }, () => a.nextU32());
    assert.deepEqual(first, Array.from({ length: 5 }, () => b.nextU32()));
    assert.notDeepEqual(first, Array.from({ length: 5 }, () => c.nextU32()));

    const rng = new Rng(7);
    const n = 100_000;
    const mean = (draw: () => number): number => Array.from({ length: n }, draw).reduce((s, x) => s + x, 0) / n;
    assert.ok(Math.abs(mean(() => rng.gamma(0.5, 2)) - 1) < 0.03, 'Gamma(0.5, 2) has mean 1');
    assert.ok(Math.abs(mean(() => rng.gamma(4, 3)) - 12) < 0.15, 'Gamma(4, 3) has mean 12');
    assert.ok(Math.abs(mean(() => rng.beta(0.5, 3)) - 0.5 / 3.5) < 0.005, 'Beta(0.5, 3) has mean 1/7');
    assert.ok(Math.abs(mean(() => rng.poisson(3)) - 3) < 0.05, 'Poisson(3) has mean 3');
    assert.ok(Math.abs(mean(() => rng.exponential(4)) - 0.25) < 0.005, 'Exp(4) has mean 1/4');

    const table = new AliasTable([1, 0, 3, 6]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[table.sample(rng)]! += 1;
    assert.equal(counts[1], 0);
    assert.ok(Math.abs(counts[3]! / n - 0.6) < 0.01 && Math.abs(counts[0]! / n - 0.1) < 0.01);
  });
});

describe('generateOrderLines', () => {
  it('gives the same bytes for the same seed and options, and different bytes for another seed', async () => {
    const hash = async (seed: number): Promise<string> =>
      createHash('sha256').update(await csvText({ rows: 20_000, seed })).digest('hex');
    const one = await hash(11);
    assert.equal(await hash(11), one);
    assert.notEqual(await hash(12), one);
  });

  for (const rows of [0, 1, 7, 10_000]) {
    it(`writes exactly ${rows} valid data rows, dated within the period and in date order`, async () => {
      const [start, end] = rows === 10_000 ? ['2011-03-01', '2011-04-30'] : ['2010-12-01', '2011-12-09'];
      const [header, ...data] = await records({ rows, seed: 3, start, end });
      assert.deepEqual(header, HEADER);
      assert.equal(data.length, rows);
      let previous = '';
      for (const r of data) {
        assert.equal(r.length, 8, `8 fields in ${r.join('|')}`);
        const date = field(r, 4);
        assert.match(date, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00$/);
        assert.equal(new Date(`${date.replace(' ', 'T')}Z`).toISOString().slice(0, 19), date.replace(' ', 'T'));
        assert.ok(date.slice(0, 10) >= start && date.slice(0, 10) <= end, `${date} within ${start}..${end}`);
        assert.ok(date >= previous, `${date} not before ${previous}`);
        previous = date;
        assert.match(field(r, 3), /^-?\d+$/);
        assert.ok(Number.isFinite(Number(field(r, 5))) && field(r, 5) !== '');
        assert.match(field(r, 6), /^(\d+\.0)?$/);
      }
    });
  }

  it('rejects impossible options at the call', () => {
    assert.throws(() => generateOrderLines({ rows: -1, seed: 1 }), RangeError);
    assert.throws(() => generateOrderLines({ rows: 1.5, seed: 1 }), RangeError);
    assert.throws(() => generateOrderLines({ rows: 1, seed: Number.NaN }), RangeError);
    assert.throws(() => generateOrderLines({ rows: 1, seed: 1, start: '2011-02-30' }), RangeError);
    assert.throws(() => generateOrderLines({ rows: 1, seed: 1, start: '2011-05-01', end: '2011-04-01' }), RangeError);
  });

  it('uses the Online Retail II names and the US date style when asked', async () => {
    const [header, ...data] = await records({ rows: 2_000, seed: 5, layout: 'online-retail-ii', dateStyle: 'us' });
    assert.deepEqual(header, ['Invoice', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'Price', 'Customer ID', 'Country']);
    for (const r of data) {
      assert.match(field(r, 4), /^(1[0-2]|[1-9])\/([1-9]|[12]\d|3[01])\/20(10|11) ([1-9]|1\d|20):[0-5]\d$/);
      assert.match(field(r, 6), /^(\d+)?$/);
    }
    assert.ok(data.some((r) => field(r, 6) !== ''));
  });
});

describe('realism of 50,000 generated rows', () => {
  let rows: string[][] = [];
  before(async () => {
    rows = (await records({ rows: 50_000, seed: 2024 })).slice(1);
  });

  it('has cancellations, mostly of an earlier purchase of the same customer and stock code', () => {
    const cancelled = rows.filter((r) => field(r, 0).startsWith('C'));
    assert.ok(cancelled.length / rows.length > 0.005 && cancelled.length / rows.length < 0.05, `${cancelled.length} C rows`);
    assert.ok(cancelled.every((r) => Number(field(r, 3)) < 0), 'every cancellation has a negative quantity');
    const bought = new Set<string>();
    let products = 0;
    let matched = 0;
    for (const r of rows) {
      const key = `${field(r, 6)}|${field(r, 1)}`;
      if (!field(r, 0).startsWith('C')) {
        if (Number(field(r, 3)) > 0 && field(r, 6) !== '') bought.add(key);
      } else if (!isNonProduct(field(r, 1))) {
        products++;
        if (bought.has(key)) matched++;
      }
    }
    assert.ok(matched / products > 0.8, `${matched}/${products} cancellations match a purchase`);
    assert.ok(matched < products, 'a few cancellations match nothing');
  });

  it('has exact duplicates, guest rows, non-product codes, zero prices and quoted descriptions', () => {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.join('\u0001'), (counts.get(r.join('\u0001')) ?? 0) + 1);
    const duplicates = [...counts.values()].reduce((s, c) => s + c - 1, 0) / rows.length;
    assert.ok(duplicates > 0.003 && duplicates < 0.03, `duplicate share ${duplicates}`);
    const guests = share(rows, (r) => field(r, 6) === '');
    assert.ok(guests > 0.1 && guests < 0.4, `empty CustomerID share ${guests}`);
    const nonProduct = share(rows, (r) => isNonProduct(field(r, 1)));
    assert.ok(nonProduct > 0.001 && nonProduct < 0.02, `non-product share ${nonProduct}`);
    assert.ok(new Set(rows.map((r) => field(r, 1)).filter(isNonProduct)).size >= 3);
    const free = share(rows, (r) => Number(field(r, 5)) === 0);
    assert.ok(free > 0.001 && free < 0.02, `zero price share ${free}`);
    assert.ok(rows.some((r) => field(r, 2).includes(',')), 'a description with a comma survives quoting');
    assert.ok(rows.some((r) => field(r, 2).includes('"')), 'a description with a double quote survives quoting');
  });

  it('spreads customers over several countries, the United Kingdom first', () => {
    const countries = new Map<string, number>();
    for (const r of rows) countries.set(field(r, 7), (countries.get(field(r, 7)) ?? 0) + 1);
    assert.ok(countries.size >= 5, `${countries.size} countries`);
    assert.ok((countries.get('United Kingdom') ?? 0) / rows.length > 0.75);
  });

  it('has heavy-tailed customer value and repeat buyers', () => {
    const revenue = new Map<string, number>();
    const invoices = new Map<string, { customer: string; day: string; total: number }>();
    for (const r of rows) {
      const customer = field(r, 6);
      const price = Number(field(r, 5));
      if (customer === '' || isNonProduct(field(r, 1)) || price <= 0) continue;
      const amount = Number(field(r, 3)) * price;
      revenue.set(customer, (revenue.get(customer) ?? 0) + amount);
      if (field(r, 0).startsWith('C')) continue;
      const invoice = invoices.get(field(r, 0)) ?? { customer, day: field(r, 4).slice(0, 10), total: 0 };
      invoice.total += amount;
      invoices.set(field(r, 0), invoice);
    }
    const days = new Map<string, Set<string>>();
    for (const { customer, day, total } of invoices.values()) {
      if (total > 0) days.set(customer, (days.get(customer) ?? new Set<string>()).add(day));
    }
    const values = [...days.keys()].map((c) => revenue.get(c) ?? 0).sort((a, b) => b - a);
    const top = values.slice(0, Math.floor(values.length / 10)).reduce((s, v) => s + v, 0);
    const total = values.reduce((s, v) => s + v, 0);
    assert.ok(values.length > 100, `${values.length} customers`);
    assert.ok(top / total > 0.4, `top 10% hold ${top / total} of revenue`);
    const repeat = [...days.values()].filter((d) => d.size > 1).length / days.size;
    assert.ok(repeat > 0.3 && repeat < 0.9, `x > 0 share ${repeat}`);
  });
});

describe('writeOrderLines', () => {
  it('gzips to a .gz file the same bytes the stream yields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'insiders-generate-'));
    try {
      const file = join(dir, 'lines.csv.gz');
      const opts = { rows: 3_000, seed: 9 };
      const result = await writeOrderLines(opts, file);
      const compressed = readFileSync(file);
      assert.deepEqual(result, { rows: 3_000, bytes: compressed.length });
      assert.equal(gunzipSync(compressed).toString('utf8'), await csvText(opts));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('memory', () => {
  it('does not grow with the number of rows (1M rows)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let seen = 0;
    let atHundredThousand = 0;
    for await (const chunk of generateOrderLines({ rows: 1_000_000, seed: 1 })) {
      for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) seen++;
      if (atHundredThousand === 0 && seen >= 100_000) {
        gc();
        atHundredThousand = process.memoryUsage().heapUsed;
      }
    }
    gc();
    const growth = process.memoryUsage().heapUsed - atHundredThousand;
    assert.equal(seen, 1_000_001);
    assert.ok(growth < 50 * 1024 * 1024, `heap grew by ${(growth / 1e6).toFixed(1)} MB`);
  });
});
