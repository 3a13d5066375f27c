import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { METABASE_VERSION } from '../../src/publish/metabase-schemas.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string };
  volumes?: string[];
  command?: string[] | string;
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
const services = compose.services;

/** Compose's `${VAR:-default}` and `${VAR}` with an empty environment: what a fresh checkout runs with. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_m, _name: string, fallback: string | undefined) => fallback ?? '');
}
const env = (service: string): Record<string, string> =>
  Object.fromEntries(Object.entries(services[service]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));

/** A pinned image: an explicit tag that is not a moving one. */
function assertPinned(image: string, where: string): void {
  const match = /^(?<name>[\w./-]+):(?<tag>[\w.-]+)(@sha256:[0-9a-f]{64})?$/.exec(image);
  assert.ok(match, `${where}: ${image} has no tag`);
  assert.doesNotMatch(match.groups!['tag']!, /^(latest|stable|edge|main|lts|current)$|^\d+$/, `${where}: ${image} uses a moving tag`);
}

describe('docker-compose.yml', () => {
  test('holds the stack: Postgres, Metabase, MinIO with its one-shot setup, and the runner', () => {
    assert.deepEqual(Object.keys(services).sort(), ['metabase', 'minio', 'minio-setup', 'postgres', 'runner']);
  });

  test('every image is pinned, Postgres is 15 and Metabase is the version the client speaks', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.image) assertPinned(service.image, name);
      else assert.equal(service.build?.dockerfile, 'infra/Dockerfile', `${name} has neither an image nor the runner build`);
    }
    assert.match(services['postgres']!.image!, /^postgres:15\.\d+/);
    assert.equal(services['metabase']!.image, `metabase/metabase:${METABASE_VERSION}`);
    assert.match(METABASE_VERSION, /^v0\.56\.\d+$/);
  });

  test('health checks on postgres, metabase and minio, and every dependency waits on a condition', () => {
    for (const name of ['postgres', 'metabase', 'minio']) {
      const check = services[name]!.healthcheck?.test;
      assert.ok(check && check.length > 0, `${name} has a health check`);
    }
    for (const [name, service] of Object.entries(services)) {
      assert.ok(!Array.isArray(service.depends_on), `${name}: depends_on lists conditions`);
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {})) {
        assert.ok(services[dep], `${name} depends on unknown service ${dep}`);
        assert.match(condition, /^service_(healthy|completed_successfully)$/, `${name} → ${dep}`);
        if (condition === 'service_healthy') assert.ok(services[dep]!.healthcheck, `${dep} has the health check ${name} waits for`);
      }
    }
    assert.deepEqual(services['runner']!.depends_on, {
      postgres: { condition: 'service_healthy' },
      'minio-setup': { condition: 'service_completed_successfully' },
      metabase: { condition: 'service_healthy' },
    });
  });

  test("the runner's environment is valid config and points at the stack's services", () => {
    const runner = env('runner');
    const config = loadConfig(runner);
    assert.equal(new URL(config.databaseUrl!).hostname, 'postgres');
    assert.equal(new URL(config.databaseUrl!).pathname, `/${services['postgres']!.environment!['POSTGRES_DB']}`);
    assert.equal(config.aws.endpoint, 'http://minio:9000');
    assert.equal(config.metabase?.url, 'http://metabase:3000');
    assert.equal(runner['INSIDERS_READER_PASSWORD'], env('postgres')['INSIDERS_READER_PASSWORD'], 'reader password matches the init script');
    assert.equal(runner['AWS_ACCESS_KEY_ID'], env('minio')['MINIO_ROOT_USER']);
    assert.equal(runner['AWS_SECRET_ACCESS_KEY'], env('minio')['MINIO_ROOT_PASSWORD']);
    const bucket = /^s3:\/\/([^/]+)\/(.+\/)$/.exec(config.sourceUri ?? '');
    assert.ok(bucket, `SOURCE_URI ${config.sourceUri} is an s3:// prefix`);
    const setup = String(services['minio-setup']!.command);
    assert.match(setup, new RegExp(`mc mb --ignore-existing local/${bucket[1]}\\b`));
    assert.match(setup, new RegExp(`local/${bucket[1]}/${bucket[2]}`));
    assert.ok(services['minio-setup']!.volumes?.includes('./.insiders/sample:/sample:ro'), 'uploads the samples npm start writes');
  });

  test("Metabase keeps its own database in Postgres with an encryption key", () => {
    const mb = env('metabase');
    assert.equal(mb['MB_DB_TYPE'], 'postgres');
    assert.equal(mb['MB_DB_HOST'], 'postgres');
    assert.equal(mb['MB_DB_PASS'], env('postgres')['METABASE_DB_PASSWORD']);
    assert.ok((mb['MB_ENCRYPTION_SECRET_KEY'] ?? '').length >= 16);
    assert.ok(services['postgres']!.volumes?.some((v) => v.startsWith('./infra/metabase/postgres-init:/docker-entrypoint-initdb.d')));
    assert.match(read('infra/metabase/postgres-init/10-metabase-and-reader.sh'), /CREATE DATABASE metabase OWNER metabase/);
  });
});

describe('infra/Dockerfile', () => {
  const dockerfile = read('infra/Dockerfile');
  test('builds on a pinned node 20 bookworm-slim image and runs the scheduler', () => {
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!);
    assert.ok(bases.length > 0);
    for (const base of bases) {
      assertPinned(base, 'Dockerfile');
      assert.match(base, /^node:20\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/);
    }
    assert.match(dockerfile, /^RUN npm ci\b(?!.*--omit=dev)/m);
    assert.match(dockerfile, /^CMD \["npx", "--no", "insiders", "schedule"\]$/m);
  });

  test('.dockerignore keeps local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['.git', 'node_modules', '.insiders', 'test-artifacts', '.env']) assert.ok(ignored.includes(entry), entry);
  });
});
