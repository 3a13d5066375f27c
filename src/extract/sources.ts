import { createReadStream, statSync, readdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';

/** One object to load: where it is, a version tag that changes when its bytes change, and its bytes. */
export interface SourceObject {
  readonly uri: string;
  /** S3 ETag, or size and mtime for a local file: same tag = already loaded. */
  readonly etag: string;
  readonly bytes: number | undefined;
  open(): Promise<Readable>;
}

const DATA_FILE = /\.csv(\.gz)?$/i;

function fileObject(path: string): SourceObject {
  const stat = statSync(path);
  return {
    uri: path,
    etag: `${stat.size}-${Math.trunc(stat.mtimeMs)}`,
    bytes: stat.size,
    open: async () => createReadStream(path, { highWaterMark: 1 << 20 }),
  };
}

/** Lists the objects a SOURCE_URI names: a file, a folder of CSVs, an S3 key or every object under an S3 prefix. */
export async function listSources(uri: string, config: Pick<Config, 'aws'>): Promise<SourceObject[]> {
  if (uri.startsWith('s3://')) {
    // The AWS SDK is loaded only for S3 sources.
    const { listS3Objects, parseS3Uri } = await import('./s3.js');
    return listS3Objects(parseS3Uri(uri), config.aws);
  }
  const path = resolve(uri.startsWith('file://') ? new URL(uri).pathname : uri);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new Error(`source ${uri} does not exist`);
  }
  if (!stat.isDirectory()) return [fileObject(path)];
  return readdirSync(path)
    .filter((name) => DATA_FILE.test(name))
    .sort()
    .map((name) => fileObject(join(path, name)));
}
