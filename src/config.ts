import { z } from 'zod';

/** Stock codes that are not products (postage, fees, manual adjustments); a trailing `*` matches a prefix. */
export const DEFAULT_NON_PRODUCT_CODES = [
  'POST', 'DOT', 'M', 'D', 'C2', 'CRUK', 'BANK CHARGES', 'AMAZONFEE', 'PADS', 'S', 'B', 'gift_*',
] as const;

const csvList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
  .pipe(z.array(z.string()).min(1, 'must list at least one code'));

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  INSIDERS_HOME: z.string().min(1).default('.insiders'),
  SOURCE_URI: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ENDPOINT_URL: z.url().optional(),
  INSIDERS_ENCODING: z.enum(['auto', 'utf8', 'latin1']).default('auto'),
  INSIDERS_NON_PRODUCT_CODES: csvList.optional(),
  INSIDERS_CHUNK_MB: z.coerce.number().positive().max(256).default(8),
  INSIDERS_CRON: z.string().min(9).default('0 2 * * *'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type SourceEncoding = 'auto' | 'utf8' | 'latin1';

/** Everything the program reads from its environment, validated once. */
export interface Config {
  /** Postgres URL; undefined means the embedded PGlite under `home`. */
  readonly databaseUrl: string | undefined;
  readonly home: string;
  readonly sourceUri: string | undefined;
  readonly aws: { readonly region: string; readonly endpoint: string | undefined };
  readonly encoding: SourceEncoding;
  readonly nonProductCodes: readonly string[];
  readonly chunkBytes: number;
  readonly cron: string;
  readonly logLevel: string;
}

/** A bad environment value; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment (the only place that does). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid value'} (got ${JSON.stringify(env[name])})`);
  }
  const e = parsed.data;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    home: e.INSIDERS_HOME,
    sourceUri: e.SOURCE_URI,
    aws: Object.freeze({ region: e.AWS_REGION, endpoint: e.AWS_ENDPOINT_URL }),
    encoding: e.INSIDERS_ENCODING,
    nonProductCodes: Object.freeze([...(e.INSIDERS_NON_PRODUCT_CODES ?? DEFAULT_NON_PRODUCT_CODES)]),
    chunkBytes: Math.round(e.INSIDERS_CHUNK_MB * 1024 * 1024),
    cron: e.INSIDERS_CRON,
    logLevel: e.LOG_LEVEL,
  });
}
