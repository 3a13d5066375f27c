import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { s3Client } from '../../src/extract/s3.js';

/** A real S3 HTTP API (s3rver) on loopback, with the endpoint and credentials to reach it. */
export interface LocalS3 {
  readonly endpoint: string;
  /** Environment for the program under test. */
  readonly env: Record<string, string>;
  put(bucket: string, key: string, body: string | Buffer): Promise<void>;
  createBucket(bucket: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 with a random port and a temporary directory. */
export async function startS3(): Promise<LocalS3> {
  const dir = mkdtempSync(join(tmpdir(), 'insiders-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  // The SDK reads credentials from the environment; s3rver accepts these fixed ones.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  const client = s3Client({ region: 'us-east-1', endpoint });
  return {
    endpoint,
    env: { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    async createBucket(bucket) {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    async put(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async close() {
      client.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
