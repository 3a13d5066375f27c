import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordChunks } from '../../src/load/chunker.js';
import { mapHeader, HeaderError } from '../../src/load/header.js';
import { sortChunk } from '../../src/load/slow-path.js';

async function chunksOf(text: string, target: number, pieceSize = 7): Promise<string[]> {
  const bytes = Buffer.from(text);
  async function* pieces() {
    for (let i = 0; i < bytes.length; i += pieceSize) yield bytes.subarray(i, i + pieceSize);
  }
  const out: string[] = [];
  for await (const c of recordChunks(pieces(), target)) out.push(c.toString());
  return out;
}

describe('record chunker', () => {
  test('the header comes first and the chunks put the input back together', async () => {
    const text = 'h1,h2\n' + Array.from({ length: 200 }, (_, i) => `${i},row ${i}`).join('\n') + '\n';
    const chunks = await chunksOf(text, 64);
    assert.equal(chunks[0], 'h1,h2\n');
    assert.equal(chunks.join(''), text);
    assert.ok(chunks.length > 10);
    for (const c of chunks.slice(1, -1)) assert.ok(c.endsWith('\n'), 'every chunk ends at a line end');
  });

  test('a line break inside quotes is never a cut', async () => {
    const record = '1,"two\nlines"\n';
    const text = 'h1,h2\n' + record.repeat(50);
    for (const c of (await chunksOf(text, 20)).slice(1)) {
      assert.equal((c.match(/"/g) ?? []).length % 2, 0, `balanced quotes in ${JSON.stringify(c)}`);
    }
  });

  test('an unterminated quote cannot make it buffer the rest of the input', async () => {
    const text = 'h1,h2\n1,"open\n' + '2,b\n'.repeat(1000);
    const chunks = await chunksOf(text, 100);
    assert.ok(Math.max(...chunks.map((c) => c.length)) < 1000, 'chunks stay near the target');
    assert.equal(chunks.join(''), text);
  });

  test('a missing final newline keeps the last record', async () => {
    assert.deepEqual(await chunksOf('h\na\nb', 1000), ['h\n', 'a\nb']);
    assert.deepEqual(await chunksOf('', 10), []);
  });
});

describe('header mapping', () => {
  test('both UCI layouts map by name, in any order', () => {
    assert.equal(mapHeader('InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country').layout, 'online-retail');
    const ii = mapHeader('Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country');
    assert.equal(ii.layout, 'online-retail-ii');
    assert.deepEqual(mapHeader('Country,CustomerID,UnitPrice,InvoiceDate,Quantity,Description,StockCode,InvoiceNo').columns,
      ['country', 'customer_id', 'unit_price', 'invoice_date', 'quantity', 'description', 'stock_code', 'invoice_no']);
  });

  test('missing and unexpected columns are named', () => {
    assert.throws(() => mapHeader('InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country,Notes'),
      (e: unknown) => e instanceof HeaderError && /missing required columns: description; unexpected or repeated columns: Notes/.test(e.message));
  });
});

describe('fallback sorter', () => {
  test('line numbers follow records; bad ones carry a reason', () => {
    const chunk = Buffer.from('a,b\n"x\ny",z\nonly-one\n\nq,"r""s"\n');
    const sorted = sortChunk(chunk, { batchId: 9, firstLineNo: 10, fieldCount: 2, latin1: false });
    assert.equal(sorted.records, 5);
    assert.equal(sorted.goodCount, 3);
    assert.deepEqual(sorted.bad.map((b) => [b.lineNo, b.reason]), [[12, 'expected 2 fields, found 1'], [13, 'blank line']]);
    assert.equal(sorted.good.toString(), '9,10,a,b\n9,11,"x\ny",z\n9,14,q,"r""s"\n');
  });
});
