import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b];

/** The bytes of a source, gunzipped in the stream when they are gzip (by magic number, whatever the name). */
export async function* decompressed(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = Buffer.from(first.value);
  const rest = { [Symbol.asyncIterator]: () => iterator };
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield head;
    for await (const piece of rest) yield Buffer.from(piece);
    return;
  }
  const gunzip = Readable.from((async function* () {
    yield head;
    yield* rest;
  })()).pipe(createGunzip());
  for await (const piece of gunzip) yield piece as Buffer;
}
