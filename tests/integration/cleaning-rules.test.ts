import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { HEADER, runIngest, runTransform, tempFile } from '../support/jobs.js';
import { ENGINE, freshWarehouse, onSession, type TestWarehouse } from '../support/warehouse.js';

// A hand-made day of trading where every cleaning rule applies at least once.
const ROWS = [
  '1001,A1,RED MUG,2,2011-01-03 10:00:00,5.00,100.0,United Kingdom', //  2 product line
  '1001,A1,RED MUG,2,2011-01-03 10:00:00,5.00,100.0,United Kingdom', //  3 exact duplicate
  '1001,POST,POSTAGE,1,2011-01-03 10:00:00,18.00,100.0,United Kingdom', //  4 non-product
  '1001,post,postage,1,2011-01-03 10:00:00,18.00,100.0,United Kingdom', //  5 non-product, other case
  '1001,gift_0001_10,GIFT VOUCHER,1,2011-01-03 10:00:00,10.00,100.0,United Kingdom', //  6 non-product by prefix
  '1002,B2,BLUE BOWL,1,2011-01-04 11:00:00,0.00,200.0,EIRE', //  7 zero price
  '1003,B2,BLUE BOWL,3,2011-01-04 12:00:00,4.00,,Unspecified', //  8 missing customer
  'C1004,A1,RED MUG,-1,2011-01-05 09:00:00,5.00,100.0,United Kingdom', //  9 cancellation matching line 2
  'C1005,Z9,GREEN JUG,-1,2011-01-05 09:00:00,7.00,100.0,United Kingdom', // 10 cancellation, never bought
  'C1006,B2,BLUE BOWL,-2,2011-01-01 09:00:00,4.00,300.0,RSA', // 11 cancellation before any purchase
  '1007,B2,BLUE BOWL,5,2011-01-02 09:00:00,4.00,300.0,USA', // 12 purchase after line 11's cancellation
  '1008,A1,RED MUG,1,2011-01-06 09:00:00,-2.00,300.0,USA', // 13 negative price
];

describe(`cleaning rules (${ENGINE})`, () => {
  let tw: TestWarehouse;
  let rules: Map<string, number>;

  before(async () => {
    tw = await freshWarehouse();
    await runIngest(tw, tempFile('day.csv', `${HEADER}\n${ROWS.join('\n')}\n`));
    await runTransform(tw);
    const rows = await onSession(tw, (s) => s.query<{ rule: string; rows: number }>('SELECT rule, rows FROM marts.dq_report'));
    rules = new Map(rows.map((r) => [r.rule, r.rows]));
  });
  after(async () => tw.close());

  const line = (n: number) =>
    onSession(tw, async (s) => (await s.query<Record<string, unknown>>('SELECT * FROM staging.order_lines WHERE line_no = $1', [n]))[0]!);

  test('every rule is counted in marts.dq_report for the batch', () => {
    assert.deepEqual(Object.fromEntries([...rules].sort()), {
      cancellation: 3,
      cancellation_matched: 1,
      country_normalised: 5,
      duplicate: 1,
      missing_customer: 1,
      non_positive_price: 2,
      non_product: 3,
      product_line: 6,
      rows_loaded: 12,
      rows_read: 12,
      rows_rejected: 0,
    });
  });

  test('exact duplicates: the first copy is kept, the second flagged', async () => {
    assert.equal((await line(2)).is_duplicate, false);
    assert.equal((await line(3)).is_duplicate, true);
    assert.equal((await line(3)).is_product_line, false);
  });

  test('non-product codes match without case and by prefix', async () => {
    for (const n of [4, 5, 6]) {
      const l = await line(n);
      assert.equal(l.is_non_product, true, `line ${n}`);
      assert.equal(l.is_product_line, false);
    }
  });

  test('only the earlier purchase of the same customer and code matches a cancellation', async () => {
    assert.equal((await line(9)).cancellation_matched, true);
    assert.equal((await line(10)).cancellation_matched, false, 'never bought');
    assert.equal((await line(11)).cancellation_matched, false, 'bought only after the cancellation');
    assert.equal((await line(2)).cancellation_matched, null, 'not a cancellation');
    assert.equal((await line(9)).is_product_line, true, 'a cancellation nets against revenue');
  });

  test('countries are normalised; a missing customer is kept for sales totals', async () => {
    assert.equal((await line(7)).country, 'Ireland');
    assert.equal((await line(8)).country, 'Unknown');
    assert.equal((await line(11)).country, 'South Africa');
    assert.equal((await line(12)).country, 'United States');
    const l8 = await line(8);
    assert.equal(l8.is_missing_customer, true);
    assert.equal(l8.is_product_line, true);
    const [sales] = await onSession(tw, (s) => s.query<{ revenue: number; lines: number }>(
      'SELECT sum(revenue) AS revenue, count(*) AS lines FROM marts.fct_sales'));
    // 10 (line 2) + 12 (line 8) - 5 (line 9) - 7 (line 10) - 8 (line 11) + 20 (line 12)
    assert.deepEqual(sales, { revenue: 22, lines: 6 });
  });

  test('the non-product list is configuration', async () => {
    const config = loadConfig({ ...(tw.url ? { DATABASE_URL: tw.url } : {}), LOG_LEVEL: 'silent', INSIDERS_NON_PRODUCT_CODES: 'A1, Z*' });
    await runTransform(tw, config);
    const flagged = await onSession(tw, (s) => s.query<{ stock_code: string }>(
      'SELECT DISTINCT stock_code FROM staging.order_lines WHERE is_non_product ORDER BY 1'));
    assert.deepEqual(flagged.map((r) => r.stock_code), ['A1', 'Z9']);
    await runTransform(tw);
  });
});
