const NL = 0x0a;
const QUOTE = 0x22;

/** Counts `"` bytes in buf[from, to). */
function countQuotes(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(QUOTE, from); i !== -1 && i < to; i = buf.indexOf(QUOTE, i + 1)) n++;
  return n;
}

/**
 * The last line end in buf[0, limit) at which the chunk's quotes are balanced, so a quoted field
 * with a line break inside is not cut; -1 when there is none.
 */
function lastRecordEnd(buf: Buffer, limit: number): number {
  let nl = buf.lastIndexOf(NL, limit - 1);
  if (nl === -1) return -1;
  // Most data has no quotes at all: one native scan answers.
  let quotes = countQuotes(buf, 0, nl);
  while (nl !== -1) {
    if (quotes % 2 === 0) return nl;
    const prev = buf.lastIndexOf(NL, nl - 1);
    if (prev === -1) return -1;
    quotes -= countQuotes(buf, prev, nl);
    nl = prev;
  }
  return -1;
}

/**
 * Re-cuts a byte stream into chunks of about `target` bytes that end at record boundaries.
 * Memory stays near 2 × target whatever the input size. The first item is the header line.
 */
export async function* recordChunks(
  source: AsyncIterable<Buffer | Uint8Array>,
  target: number,
): AsyncGenerator<Buffer, void, undefined> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let headerDone = false;
  for await (const piece of source) {
    pending.push(Buffer.isBuffer(piece) ? piece : Buffer.from(piece));
    pendingBytes += piece.length;
    if (!headerDone) {
      const joined = Buffer.concat(pending);
      const nl = joined.indexOf(NL);
      if (nl === -1) {
        pending = [joined];
        continue;
      }
      headerDone = true;
      yield joined.subarray(0, nl + 1);
      pending = [joined.subarray(nl + 1)];
      pendingBytes = pending[0]!.length;
    }
    if (pendingBytes < target) continue;
    const buf = Buffer.concat(pending);
    let end = lastRecordEnd(buf, buf.length);
    // Unbalanced quotes across a whole chunk: cut at the last line end anyway and let the
    // loader's fallback quarantine the broken line, instead of buffering the rest of the file.
    if (end === -1 && buf.length >= 4 * target) end = buf.lastIndexOf(NL);
    if (end === -1) {
      pending = [buf];
      continue;
    }
    yield buf.subarray(0, end + 1);
    const rest = buf.subarray(end + 1);
    pending = [rest];
    pendingBytes = rest.length;
  }
  const tail = Buffer.concat(pending);
  if (tail.length > 0) yield tail;
}
