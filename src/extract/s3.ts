import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import type { SourceObject } from './sources.js';

/** Bucket and key (or prefix, when it ends with `/` or is empty). */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** Splits `s3://bucket/key`; a missing key means the whole bucket. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match?.[1]) throw new Error(`not an S3 URI: ${uri} (expected s3://bucket/key or s3://bucket/prefix/)`);
  return { bucket: match[1], key: match[2] ?? '' };
}

/** An S3 client for the configured region and endpoint (MinIO and other S3-compatible stores need path style). */
export function s3Client(aws: Config['aws']): S3Client {
  return new S3Client({
    region: aws.region,
    ...(aws.endpoint ? { endpoint: aws.endpoint, forcePathStyle: true } : {}),
  });
}

function s3Object(client: S3Client, bucket: string, key: string, etag: string, bytes: number | undefined): SourceObject {
  return {
    uri: `s3://${bucket}/${key}`,
    etag: etag.replace(/"/g, ''),
    bytes,
    async open() {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: etag }));
      if (!response.Body) throw new Error(`s3://${bucket}/${key}: empty response body`);
      return response.Body as Readable;
    },
  };
}

/** The object at a key, or every object under a prefix in key order. */
export async function listS3Objects(location: S3Location, aws: Config['aws']): Promise<SourceObject[]> {
  const client = s3Client(aws);
  const { bucket, key } = location;
  if (key !== '' && !key.endsWith('/')) {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch((error: unknown) => {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new Error(status === 404 ? `s3://${bucket}/${key} not found` : `s3://${bucket}/${key}: ${(error as Error).name} (HTTP ${status ?? '?'})`);
    });
    return [s3Object(client, bucket, key, head.ETag ?? '', head.ContentLength)];
  }
  const objects: SourceObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token }));
    for (const item of page.Contents ?? []) {
      // Folder markers carry no data.
      if (!item.Key || item.Key.endsWith('/')) continue;
      objects.push(s3Object(client, bucket, item.Key, item.ETag ?? '', item.Size));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects.sort((a, b) => a.uri.localeCompare(b.uri));
}
