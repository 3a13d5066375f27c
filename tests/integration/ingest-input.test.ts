import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { HEADER, runIngest, tempFile } from '../support/jobs.js';
import { ENGINE, freshWarehouse, onSession, type TestWarehouse } from '../support/warehouse.js';

const GOOD = '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom';
const GOOD2 = '536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom';

interface Counts {
  read: number;
  loaded: number;
  rejected: number;
  rawRows: number;
  typedRows: number;
  reasons: Array<{ line_no: number; reason: string; raw: string }>;
}

describe(`ingest: input shapes and bad rows (${ENGINE})`, () => {
  let tw: TestWarehouse;
  before(async () => {
    tw = await freshWarehouse({ INSIDERS_CHUNK_MB: '0.001' });
  });
  after(async () => tw.close());
  beforeEach(async () => tw.reset());

  async function load(content: string | Buffer, name = 'orders.csv'): Promise<Counts> {
    await runIngest(tw, tempFile(name, content));
    return onSession(tw, async (s) => {
      const [b] = await s.query<{ rows_read: number; rows_loaded: number; rows_rejected: number }>(
        "SELECT rows_read, rows_loaded, rows_rejected FROM ops.batches WHERE status = 'loaded'",
      );
      const [raw] = await s.query<{ n: number }>('SELECT count(*) AS n FROM raw.order_lines');
      const [typed] = await s.query<{ n: number }>('SELECT count(*) AS n FROM staging.typed_lines');
      const reasons = await s.query<{ line_no: number; reason: string; raw: string }>(
        'SELECT line_no, reason, raw FROM ops.rejected_rows ORDER BY line_no',
      );
      return { read: b!.rows_read, loaded: b!.rows_loaded, rejected: b!.rows_rejected, rawRows: raw!.n, typedRows: typed!.n, reasons };
    });
  }

  function assertAddsUp(c: Counts): void {
    assert.equal(c.read, c.loaded + c.rejected, 'rows read = loaded + rejected');
    assert.equal(c.rejected, c.reasons.length, 'every rejected row is in ops.rejected_rows');
    assert.equal(c.typedRows, c.loaded);
    assert.equal(c.rawRows, c.loaded, 'raw keeps exactly the loaded rows');
  }

  test('an empty file fails with one clear line and records no batch', async () => {
    await assert.rejects(load(''), /is empty: expected a header line/);
    const batches = await onSession(tw, (s) => s.query('SELECT * FROM ops.batches'));
    assert.equal(batches.length, 0);
  });

  test('a header-only file is a batch of zero rows', async () => {
    const c = await load(`${HEADER}\n`);
    assert.deepEqual([c.read, c.loaded, c.rejected], [0, 0, 0]);
  });

  test('a header without a trailing newline is a batch of zero rows', async () => {
    const c = await load(HEADER);
    assert.deepEqual([c.read, c.loaded, c.rejected], [0, 0, 0]);
  });

  test('a header missing required columns fails naming them and loads nothing', async () => {
    await assert.rejects(
      load('InvoiceNo,StockCode,Description,Quantity,UnitPrice,Country\n1,2,3,4,5,6\n'),
      /missing required columns: invoice_date, customer_id/,
    );
    const [n] = await onSession(tw, (s) => s.query<{ n: number }>('SELECT count(*) AS n FROM raw.order_lines'));
    assert.equal(n!.n, 0);
    const batches = await onSession(tw, (s) => s.query('SELECT * FROM ops.batches'));
    assert.equal(batches.length, 0);
  });

  test('a UTF-8 BOM and CRLF line ends load cleanly', async () => {
    const c = await load(`\ufeff${HEADER}\r\n${GOOD}\r\n${GOOD2}\r\n`);
    assertAddsUp(c);
    assert.deepEqual([c.read, c.loaded, c.rejected], [2, 2, 0]);
    const [row] = await onSession(tw, (s) => s.query<{ country_source: string }>('SELECT country_source FROM staging.typed_lines LIMIT 1'));
    assert.equal(row!.country_source, 'United Kingdom', 'no stray carriage return in the last field');
  });

  test('quoted commas, doubled quotes and a line break inside quotes keep their text', async () => {
    const c = await load(
      `${HEADER}\n` +
        '536367,84879,"ASSORTED COLOUR BIRD ORNAMENT, LARGE",32,2010-12-01 08:34:00,1.69,13047.0,United Kingdom\n' +
        '536368,22960,"JAM MAKING SET ""DELUXE""",6,2010-12-01 08:34:00,4.25,13047.0,United Kingdom\n' +
        '536369,22913,"RED COAT RACK\nPARIS FASHION",3,2010-12-01 08:35:00,4.95,13047.0,United Kingdom\n',
    );
    assertAddsUp(c);
    assert.equal(c.loaded, 3);
    const rows = await onSession(tw, (s) => s.query<{ description: string }>('SELECT description FROM staging.typed_lines ORDER BY line_no'));
    assert.deepEqual(rows.map((r) => r.description), [
      'ASSORTED COLOUR BIRD ORNAMENT, LARGE',
      'JAM MAKING SET "DELUXE"',
      'RED COAT RACK\nPARIS FASHION',
    ]);
  });

  test('a truncated last line without newline loads when whole, is rejected when cut short', async () => {
    const whole = await load(`${HEADER}\n${GOOD}\n${GOOD2}`);
    assertAddsUp(whole);
    assert.deepEqual([whole.loaded, whole.rejected], [2, 0]);
    await tw.reset();
    const cut = await load(`${HEADER}\n${GOOD}\n536366,22633,HAND WARMER UNION JACK,6,2010-12`);
    assertAddsUp(cut);
    assert.deepEqual([cut.read, cut.loaded, cut.rejected], [2, 1, 1]);
    assert.equal(cut.reasons[0]!.line_no, 3);
    assert.match(cut.reasons[0]!.reason, /expected 8 fields, found 5/);
  });

  test('rows that break COPY are quarantined with line number, raw text and reason', async () => {
    const lines = [
      HEADER,
      GOOD, // line 2
      '536370,22728,ALARM CLOCK BAKELIKE PINK,24,2010-12-01 08:45:00,3.75,12583.0,France,EXTRA', // 3: too many fields
      '536371,22727,ALARM CLOCK', // 4: too few
      '536372,"22726,ALARM CLOCK BAKELIKE GREEN,4,2010-12-01 08:45:00,3.75,12583.0,France', // 5: unterminated quote
      GOOD2, // 6
      '', // 7: blank line
      '536373,21754,HOME BUILDING BLOCK \0WORD,3,2010-12-01 09:02:00,5.95,13748.0,United Kingdom', // 8: NUL byte
      GOOD, // 9 (an exact duplicate is not a load error)
    ];
    const c = await load(`${lines.join('\n')}\n`);
    assertAddsUp(c);
    assert.deepEqual([c.read, c.loaded, c.rejected], [8, 3, 5]);
    assert.deepEqual(c.reasons.map((r) => [r.line_no, r.reason.replace(/:.*/, '')]), [
      [3, 'expected 8 fields, found 9'],
      [4, 'expected 8 fields, found 3'],
      [5, 'unterminated quoted field'],
      [7, 'blank line'],
      [8, 'NUL byte in row'],
    ]);
    assert.match(c.reasons[0]!.raw, /France,EXTRA$/);
    assert.match(c.reasons[4]!.raw, /\\0WORD/);
  });

  test('invalid UTF-8 bytes in a UTF-8 file are quarantined, the rest loads', async () => {
    const body = Buffer.concat([
      Buffer.from(`${HEADER}\n536374,21755,LOVE BUILDING BLOCK WORD,3,2010-12-01 09:02:00,5.95,13748.0,Côte d’Ivoire\n`),
      Buffer.from('536375,21756,BAD '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' BYTES,3,2010-12-01 09:02:00,5.95,13748.0,United Kingdom\n'),
      Buffer.from(`${GOOD2}\n`),
    ]);
    const c = await load(body);
    assertAddsUp(c);
    assert.deepEqual([c.read, c.loaded, c.rejected], [3, 2, 1]);
    assert.equal(c.reasons[0]!.line_no, 3);
    assert.match(c.reasons[0]!.reason, /invalid UTF-8/);
  });

  test('values that do not type are moved to the quarantine by SQL with a reason', async () => {
    const lines = [
      HEADER,
      GOOD,
      '536380,22111,SCOTTIE DOG HOT WATER BOTTLE,three,2010-12-01 09:41:00,4.95,17850.0,United Kingdom',
      '536381,22112,CHOCOLATE HOT WATER BOTTLE,3,2010-12-01 09:41:00,4,95,17850.0', // shifted: price "4", customer "95"
      '536382,22113,GREY HEART HOT WATER BOTTLE,3,2011-02-30 09:41:00,3.75,17850.0,United Kingdom',
      '536383,22114,HOT WATER BOTTLE TEA AND SYMPATHY,3,yesterday,3.95,17850.0,United Kingdom',
      ',22115,HOT WATER BOTTLE KEEP CALM,3,2010-12-01 09:41:00,4.25,17850.0,United Kingdom',
      '536384,22116,METAL SIGN,4,2010-12-01 09:41:00,1.2.3,17850.0,United Kingdom',
      '536385,22117,METAL SIGN,4,2010-12-01 24:00:00,2.10,17850.0,United Kingdom',
      '536386,22118,METAL SIGN,4,2012-02-29 10:00:00,2.10,17850.0,United Kingdom', // leap day: valid
    ];
    const c = await load(`${lines.join('\n')}\n`);
    assertAddsUp(c);
    assert.deepEqual(c.reasons.map((r) => [r.line_no, r.reason]), [
      [3, 'unparseable quantity: three'],
      [5, 'unparseable invoice date: 2011-02-30 09:41:00'],
      [6, 'unparseable invoice date: yesterday'],
      [7, 'empty invoice number'],
      [8, 'unparseable unit price: 1.2.3'],
      [9, 'unparseable invoice date: 2010-12-01 24:00:00'],
    ]);
    assert.equal(c.loaded, 3, 'the good row, the shifted row (its fields still type) and the leap day load');
  });

  test('Online Retail II header, US dates, integer ids and Latin-1 bytes load alike', async () => {
    const text =
      'Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n' +
      '489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,12/1/2009 7:45,6.95,13085,Réunion\n' +
      'C489449,22087,PAPER BUNTING WHITE LACE,-12,12/1/2009 10:33,2.95,16321,Australia\n';
    const c = await load(Buffer.from(text, 'latin1'));
    assertAddsUp(c);
    assert.deepEqual([c.loaded, c.rejected], [2, 0]);
    const rows = await onSession(tw, (s) =>
      s.query<{ invoice_no: string; quantity: number; at: string; customer_id: string; country_source: string }>(
        "SELECT invoice_no, quantity, to_char(invoiced_at, 'YYYY-MM-DD HH24:MI') AS at, customer_id, country_source FROM staging.typed_lines ORDER BY line_no",
      ),
    );
    assert.deepEqual(rows[0], { invoice_no: '489434', quantity: 12, at: '2009-12-01 07:45', customer_id: '13085', country_source: 'Réunion' });
    assert.equal(rows[1]!.quantity, -12);
    const [batch] = await onSession(tw, (s) => s.query<{ layout: string; encoding: string }>('SELECT layout, encoding FROM ops.batches'));
    assert.deepEqual(batch, { layout: 'online-retail-ii', encoding: 'latin1' });
  });

  test('a customer id written 17850.0 and 17850 is the same customer', async () => {
    const c = await load(`${HEADER}\n${GOOD}\n${GOOD2.replace('17850.0', '17850')}\n`);
    assertAddsUp(c);
    const ids = await onSession(tw, (s) => s.query<{ customer_id: string }>('SELECT DISTINCT customer_id FROM staging.typed_lines'));
    assert.deepEqual(ids, [{ customer_id: '17850' }]);
  });

  test('a gzip file is decompressed in the stream', async () => {
    const { gzipSync } = await import('node:zlib');
    const c = await load(gzipSync(`${HEADER}\n${GOOD}\n${GOOD2}\n`), 'orders.csv.gz');
    assertAddsUp(c);
    assert.equal(c.loaded, 2);
  });

  test('many small chunks: line numbers stay exact across chunk boundaries and fallbacks', async () => {
    // INSIDERS_CHUNK_MB=0.001 makes ~1 KB chunks, so this file spans dozens of them.
    const rows: string[] = [];
    const bad = new Set([17, 140, 141, 299]);
    for (let i = 0; i < 300; i++) rows.push(bad.has(i) ? `BROKEN,"ROW ${i}` : GOOD.replace('536365', String(600000 + i)));
    const c = await load(`${HEADER}\n${rows.join('\n')}\n`);
    assertAddsUp(c);
    assert.deepEqual([c.read, c.loaded, c.rejected], [300, 296, 4]);
    assert.deepEqual(c.reasons.map((r) => r.line_no), [...bad].map((i) => i + 2));
    const lines = await onSession(tw, (s) => s.query<{ line_no: number; invoice_no: string }>('SELECT line_no, invoice_no FROM staging.typed_lines ORDER BY line_no'));
    for (const l of lines) assert.equal(Number(l.invoice_no) - 600000 + 2, l.line_no, `line ${l.line_no} holds its own row`);
  });
});
