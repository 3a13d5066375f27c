import type { Config } from '../config.js';
import type { Session, Warehouse } from '../db/session.js';
import type { Log } from './log.js';

/** What a job gets: one session (its lock lives there), configuration, the as-of date and a log. */
export interface JobContext {
  readonly session: Session;
  readonly config: Config;
  /** Last day included (YYYY-MM-DD); undefined = the last invoice date in the data. */
  readonly asOf: string | undefined;
  /** Source override from the command line. */
  readonly source: string | undefined;
  readonly log: Log;
  readonly runId: number;
  /** Records the step under way, so a failure says where it happened. */
  step(name: string): Promise<void>;
  /** Records the as-of date the job resolved (when none was given). */
  recordAsOf(asOf: string): Promise<void>;
}

/** One job: a name and a function returning its typed summary. */
export interface Job<S extends object = object> {
  readonly name: string;
  run(ctx: JobContext): Promise<S>;
}

/** How one run ended. */
export type JobOutcome<S> =
  | { readonly status: 'succeeded'; readonly runId: number; readonly summary: S; readonly seconds: number }
  | { readonly status: 'skipped'; readonly runId: number; readonly reason: string };

/** A job that failed; carries job, step and run id for the one-line error. */
export class JobError extends Error {
  override name = 'JobError';
  constructor(
    readonly job: string,
    readonly step: string | undefined,
    readonly runId: number,
    readonly causeMessage: string,
  ) {
    super(`job ${job} failed${step ? ` at step ${step}` : ''} (run ${runId}): ${causeMessage}`);
  }
}

function lockKey(job: string): string {
  return `insiders:${job}`;
}

/** How to run a job. */
export interface RunOptions {
  readonly config: Config;
  readonly log: Log;
  readonly asOf?: string | undefined;
  readonly source?: string | undefined;
  /** Run inside another job's run (and maybe its transaction): the outer run releases the locks. */
  readonly nested?: boolean;
}

/** Runs a job on a session of its own (see runJobOnSession). */
export function runJob<S extends object>(warehouse: Warehouse, job: Job<S>, options: RunOptions): Promise<JobOutcome<S>> {
  return warehouse.withSession((session) => runJobOnSession(session, job, options));
}

/**
 * Runs a job under a Postgres advisory lock, recording it in ops.job_runs. A second process
 * that finds the lock held records a `skipped` run instead of running twice.
 */
export async function runJobOnSession<S extends object>(
  session: Session,
  job: Job<S>,
  options: RunOptions,
): Promise<JobOutcome<S>> {
  const [lock] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockKey(job.name)]);
  if (!lock?.locked) {
    const [row] = await session.query<{ run_id: number }>(
      `INSERT INTO ops.job_runs (job, as_of, status, started_at, finished_at, error)
       VALUES ($1, $2, 'skipped', clock_timestamp(), clock_timestamp(), 'another run of this job holds its lock') RETURNING run_id`,
      [job.name, options.asOf ?? null],
    );
    options.log.warn('job.skipped', { job: job.name, reason: 'already running elsewhere' });
    return { status: 'skipped', runId: row!.run_id, reason: `another ${job.name} run is in progress` };
  }
  // Holding the lock proves no other run of this job is alive: a row still `running` belongs to a
  // process that died (killed, machine lost) and is closed as such.
  await session.query(
    `UPDATE ops.job_runs SET status = 'failed', finished_at = clock_timestamp(),
            error = 'interrupted: the process ended before the run finished'
     WHERE job = $1 AND status = 'running'`,
    [job.name],
  );
  const started = performance.now();
  const [row] = await session.query<{ run_id: number }>(
    // clock_timestamp(), not now(): a job nested in nightly's transaction would get the transaction's start.
    "INSERT INTO ops.job_runs (job, as_of, status, started_at) VALUES ($1, $2, 'running', clock_timestamp()) RETURNING run_id",
    [job.name, options.asOf ?? null],
  );
  const runId = row!.run_id;
  let step: string | undefined;
  options.log.info('job.started', { job: job.name, run_id: runId, as_of: options.asOf ?? 'latest' });
  try {
    const summary = await job.run({
      session,
      config: options.config,
      asOf: options.asOf,
      source: options.source,
      log: options.log,
      runId,
      async step(name) {
        step = name;
        await session.query('UPDATE ops.job_runs SET step = $2 WHERE run_id = $1', [runId, name]);
      },
      async recordAsOf(asOf) {
        await session.query('UPDATE ops.job_runs SET as_of = $2 WHERE run_id = $1', [runId, asOf]);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    await session.query(
      "UPDATE ops.job_runs SET status = 'succeeded', finished_at = clock_timestamp(), stats = $2 WHERE run_id = $1",
      [runId, JSON.stringify({ ...summary, seconds })],
    );
    options.log.info('job.succeeded', { job: job.name, run_id: runId, seconds: Number(seconds.toFixed(2)) });
    return { status: 'succeeded', runId, summary, seconds };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await session.query(
      "UPDATE ops.job_runs SET status = 'failed', finished_at = clock_timestamp(), error = $2, step = $3 WHERE run_id = $1",
      [runId, message, step ?? null],
    ).catch(() => undefined);
    options.log.error('job.failed', { job: job.name, run_id: runId, step: step ?? '', error: message });
    throw error instanceof JobError ? error : new JobError(job.name, step, runId, message);
  } finally {
    // The outermost run releases every lock of the session: a nested job whose failure aborted the
    // enclosing transaction could not release its own, and session locks outlive a rollback.
    const released = options.nested
      ? session.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(job.name)])
      : session.query('SELECT pg_advisory_unlock_all()');
    await released.catch(() => undefined);
  }
}
