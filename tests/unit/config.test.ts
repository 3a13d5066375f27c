import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, DEFAULT_NON_PRODUCT_CODES, loadConfig } from '../../src/config.js';

describe('config', () => {
  test('defaults: embedded warehouse, UTC nightly at 02:00, the documented non-product codes', () => {
    const c = loadConfig({});
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.home, '.insiders');
    assert.equal(c.cron, '0 2 * * *');
    assert.equal(c.encoding, 'auto');
    assert.deepEqual(c.nonProductCodes, [...DEFAULT_NON_PRODUCT_CODES]);
    assert.ok(Object.isFrozen(c));
  });

  test('values are read and typed', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h:5432/db',
      SOURCE_URI: 's3://raw/orders/',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9000',
      INSIDERS_ENCODING: 'latin1',
      INSIDERS_NON_PRODUCT_CODES: 'POST, DOT ,gift_*',
      INSIDERS_CHUNK_MB: '2',
    });
    assert.equal(c.databaseUrl, 'postgres://u@h:5432/db');
    assert.equal(c.sourceUri, 's3://raw/orders/');
    assert.equal(c.aws.endpoint, 'http://127.0.0.1:9000');
    assert.equal(c.encoding, 'latin1');
    assert.deepEqual(c.nonProductCodes, ['POST', 'DOT', 'gift_*']);
    assert.equal(c.chunkBytes, 2 * 1024 * 1024);
  });

  test('an empty value counts as unset', () => {
    assert.equal(loadConfig({ DATABASE_URL: '' }).databaseUrl, undefined);
  });

  for (const [name, value] of [
    ['DATABASE_URL', 'mysql://x'],
    ['AWS_ENDPOINT_URL', 'not a url'],
    ['INSIDERS_ENCODING', 'utf16'],
    ['INSIDERS_CHUNK_MB', '-1'],
    ['INSIDERS_NON_PRODUCT_CODES', ' , '],
    ['LOG_LEVEL', 'loud'],
  ] as const) {
    test(`a bad ${name} fails naming the variable`, () => {
      assert.throws(() => loadConfig({ [name]: value }), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${name}:`));
    });
  }
});

describe('progress line', () => {
  test('a bar with percent and megabytes when the total is known, megabytes alone when not', async () => {
    const { progressLine } = await import('../../src/runtime/log.js');
    assert.equal(progressLine('load a.csv', 0, 4 * 2 ** 20), `load a.csv [${'.'.repeat(30)}]   0% 0.0/4.0 MB`);
    assert.equal(progressLine('load a.csv', 2 * 2 ** 20, 4 * 2 ** 20), `load a.csv [${'#'.repeat(15)}${'.'.repeat(15)}]  50% 2.0/4.0 MB`);
    assert.equal(progressLine('load a.csv.gz', 9 * 2 ** 20, 4 * 2 ** 20), 'load a.csv.gz 9.0 MB', 'gunzipped bytes outgrow the object');
    assert.equal(progressLine('load s3://b/k', 2 ** 20, undefined), 'load s3://b/k 1.0 MB');
  });
});
