import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { readSql } from '../../src/db/sql-files.js';
import { ENGINE, freshWarehouse, onSession, type TestWarehouse } from '../support/warehouse.js';

// The marts are the contract with Metabase and its users: a change to them must be deliberate.
const SNAPSHOT = fileURLToPath(new URL('../fixtures/marts-contract.txt', import.meta.url));

describe(`marts contract (${ENGINE})`, () => {
  let tw: TestWarehouse;
  before(async () => {
    tw = await freshWarehouse();
  });
  after(async () => tw.close());

  test('the migrated marts match the committed snapshot', async () => {
    const rows = await onSession(tw, (s) => s.query<{ line: string }>(readSql('reports/marts_contract.sql')));
    const actual = `${rows.map((r) => r.line).join('\n')}\n`;
    if (process.env.UPDATE_MARTS_CONTRACT === '1') writeFileSync(SNAPSHOT, actual);
    const expected = readFileSync(SNAPSHOT, 'utf8');
    assert.equal(actual, expected,
      'the marts changed: if that is intended, rerun with UPDATE_MARTS_CONTRACT=1 and commit tests/fixtures/marts-contract.txt');
  });
});
