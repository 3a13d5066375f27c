import cron from 'node-cron';
import { ConfigError } from '../src/config.js';
import type { Log } from '../src/runtime/log.js';

/** What the scheduler runs and when. */
export interface SchedulerOptions {
  /** Cron expression (INSIDERS_CRON: 5 fields, or 6 with seconds first), read in UTC. */
  readonly cron: string;
  /** One pipeline run; a rejection is logged and the scheduler waits for the next tick. */
  readonly runNightly: () => Promise<unknown>;
  readonly log: Log;
}

/** A started scheduler. */
export interface Scheduler {
  /** Stops taking ticks and resolves once the run in progress, if any, has finished. */
  stop(reason?: string): Promise<void>;
  /** Whether a run is in progress. */
  running(): boolean;
  /** When the next tick is due; null once stopped. */
  nextRun(): Date | null;
}

const TIMEZONE = 'UTC';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The outcome's status when a run reports one (a job run skipped because another process holds its lock). */
function statusOf(result: unknown): string | undefined {
  return typeof result === 'object' && result !== null && 'status' in result && typeof result.status === 'string'
    ? result.status
    : undefined;
}

/**
 * Starts running `runNightly` at the cron times, in UTC. A tick while a run is in progress is skipped
 * (never two runs at once), a failed run is logged and the next tick runs as usual. Every event is one
 * log line. Throws a ConfigError naming INSIDERS_CRON when the expression is not valid.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const { log } = options;
  const check = cron.validateDetailed(options.cron);
  if (!check.valid) {
    const detail = check.errors.map((e) => e.message).join(', ') || 'not a cron expression';
    throw new ConfigError(`INSIDERS_CRON: ${JSON.stringify(options.cron)} is not a valid cron expression (${detail})`);
  }

  let inFlight: { readonly done: Promise<void>; readonly scheduledFor: string } | undefined;
  let stopped: Promise<void> | undefined;

  const runOnce = async (scheduledFor: string): Promise<void> => {
    const started = Date.now();
    const seconds = () => Number(((Date.now() - started) / 1000).toFixed(2));
    try {
      const status = statusOf(await options.runNightly());
      log.info('scheduler.run.succeeded', { scheduled_for: scheduledFor, seconds: seconds(), ...(status ? { status } : {}) });
    } catch (error) {
      log.error('scheduler.run.failed', { scheduled_for: scheduledFor, seconds: seconds(), error: messageOf(error) });
    }
  };

  const onTick = (date: Date): void => {
    const scheduledFor = date.toISOString();
    log.info('scheduler.tick', { scheduled_for: scheduledFor });
    if (inFlight) {
      log.warn('scheduler.tick.skipped_overlap', { scheduled_for: scheduledFor, running_since: inFlight.scheduledFor });
      return;
    }
    // The cron callback returns at once: overlap is decided here, not by node-cron, so a skip is logged.
    const done = runOnce(scheduledFor).finally(() => {
      inFlight = undefined;
    });
    inFlight = { done, scheduledFor };
  };

  const task = cron.schedule(options.cron, (context) => onTick(context.date), {
    name: 'insiders-nightly',
    timezone: TIMEZONE,
    // node-cron's own notices (e.g. a missed tick after the machine slept) become log lines too.
    logger: {
      info: (message) => log.info('scheduler.cron', { message }),
      warn: (message) => log.warn('scheduler.cron', { message }),
      error: (message) => log.error('scheduler.cron', { message: messageOf(message) }),
      debug: () => undefined,
    },
  });
  log.info('scheduler.started', { cron: options.cron, timezone: TIMEZONE, next_run: task.getNextRun()?.toISOString() ?? null });

  return {
    stop(reason) {
      if (!stopped) {
        log.info('scheduler.stopping', { ...(reason ? { reason } : {}), run_in_progress: inFlight !== undefined });
        void task.destroy();
        stopped = (inFlight?.done ?? Promise.resolve()).then(() => log.info('scheduler.stopped', {}));
      }
      return stopped;
    },
    running: () => inFlight !== undefined,
    nextRun: () => (stopped ? null : task.getNextRun()),
  };
}

/** Where termination signals come from: the process, or a test's emitter. */
export interface SignalSource {
  on(signal: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown;
}

/** The scheduler as a long-lived process. */
export interface SchedulerProcessOptions extends SchedulerOptions {
  /** Releases what the runs use (the warehouse); called once, after the last run has finished. */
  readonly close: () => Promise<void>;
  readonly signals?: SignalSource;
}

/**
 * Runs the scheduler until SIGTERM or SIGINT, then stops taking ticks, waits for the run in progress,
 * closes and resolves with exit code 0. A second signal while draining gets Node's default (the process
 * ends at once), so an operator can still force it. Rejects, after closing, when the cron expression is invalid.
 */
export async function runSchedulerProcess(options: SchedulerProcessOptions): Promise<number> {
  const signals = options.signals ?? process;
  let scheduler: Scheduler;
  try {
    scheduler = startScheduler(options);
  } catch (error) {
    await options.close();
    throw error;
  }
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      signals.off('SIGTERM', onSignal);
      signals.off('SIGINT', onSignal);
      resolve(scheduler.stop(signal));
    };
    signals.on('SIGTERM', onSignal);
    signals.on('SIGINT', onSignal);
  });
  await options.close();
  return 0;
}
