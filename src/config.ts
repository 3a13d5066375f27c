import { z } from 'zod';

/** Stock codes that are not products (postage, fees, manual adjustments); a trailing `*` matches a prefix. */
export const DEFAULT_NON_PRODUCT_CODES = [
  'POST', 'DOT', 'M', 'D', 'C2', 'CRUK', 'BANK CHARGES', 'AMAZONFEE', 'PADS', 'S', 'B', 'gift_*',
] as const;

/** CLV settings of the clv job. */
export interface ClvSettings {
  /** Discount rate per month applied to CLV (0.01 = 1 %/month). */
  readonly monthlyDiscountRate: number;
  /** Holdout of the nightly backtest in days: the models are refitted as of D minus this and checked on (D − H, D]. */
  readonly backtestDays: number;
}

export const DEFAULT_CLV: ClvSettings = Object.freeze({ monthlyDiscountRate: 0, backtestDays: 180 });

/** The Insiders rule's defaults (README, "Insiders"); each can be overridden from the environment. */
export const DEFAULT_INSIDERS_RULE: InsidersRule = Object.freeze({
  minPAlive: 0.7,
  minPurchases: 2,
  topShare: 0.1,
  maxMembers: undefined,
  includeChampions: true,
});

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
  INSIDERS_CHUNK_MB: z.coerce.number().positive().max(256).default(4),
  INSIDERS_CRON: z.string().min(9).default('0 2 * * *'),
  INSIDERS_MIN_P_ALIVE: z.coerce.number().min(0).max(1).default(DEFAULT_INSIDERS_RULE.minPAlive),
  INSIDERS_MIN_PURCHASES: z.coerce.number().int().min(1).default(DEFAULT_INSIDERS_RULE.minPurchases),
  INSIDERS_TOP_SHARE: z.coerce.number().gt(0).max(1).default(DEFAULT_INSIDERS_RULE.topShare),
  INSIDERS_MAX_MEMBERS: z.coerce.number().int().positive().optional(),
  INSIDERS_INCLUDE_CHAMPIONS: z.stringbool().default(DEFAULT_INSIDERS_RULE.includeChampions),
  INSIDERS_CLV_MONTHLY_DISCOUNT: z.coerce.number().gt(-1).lt(1).default(DEFAULT_CLV.monthlyDiscountRate),
  INSIDERS_BACKTEST_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_CLV.backtestDays),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METABASE_URL: z.url().optional(),
  METABASE_API_KEY: z.string().min(1).optional(),
  METABASE_USER: z.string().min(1).optional(),
  METABASE_PASSWORD: z.string().min(1).optional(),
  METABASE_COLLECTION: z.string().min(1).default('Insiders'),
  INSIDERS_READER_PASSWORD: z.string().min(1).optional(),
});

export type SourceEncoding = 'auto' | 'utf8' | 'latin1';

/**
 * Who qualifies for the Insiders list: (P(alive) ≥ minPAlive and frequency ≥ minPurchases and among the
 * best topShare of customers by predicted 12-month CLV) or, when includeChampions, the Champions segment.
 */
export interface InsidersRule {
  readonly minPAlive: number;
  readonly minPurchases: number;
  /** Share of customers (0–1] counted as "top by CLV": the ⌈share × customers⌉ best. */
  readonly topShare: number;
  /** Keeps only ranks 1..maxMembers; undefined = no cap. */
  readonly maxMembers: number | undefined;
  readonly includeChampions: boolean;
}

/** How the publish job reaches Metabase; an API key wins over user and password. */
export interface MetabaseSettings {
  readonly url: string | undefined;
  readonly apiKey: string | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** Collection the dashboards and their questions are kept in. */
  readonly collection: string;
  /** Password of `insiders_reader`, the role Metabase connects as (needed when the database is first registered). */
  readonly readerPassword: string | undefined;
}

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
  /** Optional like `metabase`; DEFAULT_CLV applies when absent. */
  readonly clv?: ClvSettings;
  /** Optional so that hand-built configs (tests) need not spell it out; loadConfig always sets it. */
  readonly metabase?: MetabaseSettings;
  /** Optional for the same reason; the insiders job falls back to DEFAULT_INSIDERS_RULE. */
  readonly insiders?: InsidersRule;
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
    clv: Object.freeze({ monthlyDiscountRate: e.INSIDERS_CLV_MONTHLY_DISCOUNT, backtestDays: e.INSIDERS_BACKTEST_DAYS }),
    metabase: Object.freeze({
      url: e.METABASE_URL,
      apiKey: e.METABASE_API_KEY,
      user: e.METABASE_USER,
      password: e.METABASE_PASSWORD,
      collection: e.METABASE_COLLECTION,
      readerPassword: e.INSIDERS_READER_PASSWORD,
    }),
    insiders: Object.freeze({
      minPAlive: e.INSIDERS_MIN_P_ALIVE,
      minPurchases: e.INSIDERS_MIN_PURCHASES,
      topShare: e.INSIDERS_TOP_SHARE,
      maxMembers: e.INSIDERS_MAX_MEMBERS,
      includeChampions: e.INSIDERS_INCLUDE_CHAMPIONS,
    }),
  });
}
