import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, before, describe, mock, test } from 'node:test';
import { runSchedulerProcess, startScheduler, type Scheduler } from '../../jobs/scheduler.js';
import { ConfigError } from '../../src/config.js';
import { createLog, type Log } from '../../src/runtime/log.js';

// node-cron arms setTimeout for the next cron time and reads Date, so mocked timers and a mocked
// clock drive the real library deterministically, one second at a time.
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

async function advanceTo(iso: string): Promise<void> {
  const target = Date.parse(iso);
  while (Date.now() < target) {
    mock.timers.tick(Math.min(1000, target - Date.now()));
    await flush();
  }
}

function startClock(iso: string): void {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.parse(iso) });
}

interface Event { level: 'info' | 'warn' | 'error'; event: string; fields: Record<string, unknown> }

function recordingLog(): { log: Log; events: Event[]; names: () => string[] } {
  const events: Event[] = [];
  const at = (level: Event['level']) => (event: string, fields: Record<string, unknown> = {}) => void events.push({ level, event, fields });
  return { log: { info: at('info'), warn: at('warn'), error: at('error'), progress: () => undefined }, events, names: () => events.map((e) => e.event) };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('scheduler', () => {
  let scheduler: Scheduler | undefined;

  before(() => {
    // A local zone half an hour off any UTC hour: a tick at local 02:00 could not pass for 02:00 UTC.
    process.env.TZ = 'Asia/Kolkata';
    assert.equal(new Date(Date.UTC(2024, 2, 10)).getTimezoneOffset(), -330);
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    mock.timers.reset();
  });

  test('an invalid INSIDERS_CRON fails at start with one line naming the variable', () => {
    for (const expression of ['61 * * * *', 'every night', '* * *']) {
      const { log, events } = recordingLog();
      assert.throws(
        () => startScheduler({ cron: expression, runNightly: async () => undefined, log }),
        (e: Error) => e instanceof ConfigError && e.message.startsWith(`INSIDERS_CRON: ${JSON.stringify(expression)} is not a valid cron expression`)
          && !e.message.includes('\n'),
      );
      assert.deepEqual(events, []);
    }
  });

  test('ticks at the cron times in UTC, whatever the local zone', async () => {
    startClock('2024-03-10T01:59:58Z');
    const { log, events } = recordingLog();
    const runs: string[] = [];
    scheduler = startScheduler({ cron: '0 2 * * *', runNightly: async () => void runs.push(new Date().toISOString()), log });
    assert.deepEqual(events[0], {
      level: 'info', event: 'scheduler.started', fields: { cron: '0 2 * * *', timezone: 'UTC', next_run: '2024-03-10T02:00:00.000Z' },
    });
    await advanceTo('2024-03-12T02:00:05Z');
    assert.deepEqual(runs, ['2024-03-10T02:00:00.000Z', '2024-03-11T02:00:00.000Z', '2024-03-12T02:00:00.000Z']);
    assert.deepEqual(events.filter((e) => e.event === 'scheduler.tick').map((e) => e.fields.scheduled_for), runs);
    assert.equal(events.filter((e) => e.event === 'scheduler.run.succeeded').length, 3);
    assert.equal(scheduler.nextRun()?.toISOString(), '2024-03-13T02:00:00.000Z');
  });

  test('never overlaps: a slow run and two ticks give one run and one logged skip', async () => {
    startClock('2024-03-10T12:00:30Z');
    const { log, events, names } = recordingLog();
    const slow = deferred();
    const runs: string[] = [];
    const runNightly = async () => {
      runs.push(new Date().toISOString());
      if (runs.length === 1) await slow.promise;
    };
    scheduler = startScheduler({ cron: '* * * * *', runNightly, log });
    await advanceTo('2024-03-10T12:02:30Z');
    assert.deepEqual(runs, ['2024-03-10T12:01:00.000Z']);
    assert.equal(scheduler.running(), true);
    const skip = events.find((e) => e.event === 'scheduler.tick.skipped_overlap');
    assert.deepEqual(skip, {
      level: 'warn', event: 'scheduler.tick.skipped_overlap',
      fields: { scheduled_for: '2024-03-10T12:02:00.000Z', running_since: '2024-03-10T12:01:00.000Z' },
    });
    slow.resolve();
    await flush();
    assert.equal(scheduler.running(), false);
    await advanceTo('2024-03-10T12:03:30Z');
    assert.deepEqual(runs, ['2024-03-10T12:01:00.000Z', '2024-03-10T12:03:00.000Z']);
    assert.deepEqual(names(), [
      'scheduler.started',
      'scheduler.tick', 'scheduler.tick', 'scheduler.tick.skipped_overlap', 'scheduler.run.succeeded',
      'scheduler.tick', 'scheduler.run.succeeded',
    ]);
    assert.equal(events.find((e) => e.event === 'scheduler.run.succeeded')?.fields.seconds, 90);
  });

  test('survives failing runs: each is one error line, and the next tick runs as usual', async () => {
    startClock('2024-03-10T12:00:30Z');
    const { log, events } = recordingLog();
    let calls = 0;
    const runNightly = (): Promise<unknown> => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('job transform failed at step 30_marts (run 7): disk full'));
      if (calls === 2) throw new Error('warehouse unreachable');
      return Promise.resolve({ status: 'skipped', runId: 9, reason: 'another nightly run is in progress' });
    };
    scheduler = startScheduler({ cron: '* * * * *', runNightly, log });
    await advanceTo('2024-03-10T12:03:30Z');
    assert.equal(calls, 3);
    const outcomes = events.filter((e) => e.event.startsWith('scheduler.run.'));
    assert.deepEqual(outcomes, [
      { level: 'error', event: 'scheduler.run.failed', fields: { scheduled_for: '2024-03-10T12:01:00.000Z', seconds: 0, error: 'job transform failed at step 30_marts (run 7): disk full' } },
      { level: 'error', event: 'scheduler.run.failed', fields: { scheduled_for: '2024-03-10T12:02:00.000Z', seconds: 0, error: 'warehouse unreachable' } },
      { level: 'info', event: 'scheduler.run.succeeded', fields: { scheduled_for: '2024-03-10T12:03:00.000Z', seconds: 0, status: 'skipped' } },
    ]);
  });

  test('stop() drains: it waits for the run in progress, and no run starts after it', async () => {
    startClock('2024-03-10T12:00:30Z');
    const { log, names } = recordingLog();
    const slow = deferred();
    let calls = 0;
    scheduler = startScheduler({ cron: '* * * * *', runNightly: async () => { calls += 1; await slow.promise; }, log });
    await advanceTo('2024-03-10T12:01:10Z');
    let drained = false;
    const stopping = scheduler.stop('test').then(() => { drained = true; });
    await advanceTo('2024-03-10T12:04:10Z');
    assert.equal(drained, false);
    assert.equal(calls, 1);
    assert.equal(scheduler.nextRun(), null);
    slow.resolve();
    await stopping;
    assert.equal(drained, true);
    await advanceTo('2024-03-10T12:06:10Z');
    assert.equal(calls, 1);
    assert.deepEqual(names(), ['scheduler.started', 'scheduler.tick', 'scheduler.stopping', 'scheduler.run.succeeded', 'scheduler.stopped']);
  });

  test('the process: SIGTERM stops the ticks, waits for the run, closes, exits 0 — one JSON line per event', async () => {
    startClock('2024-03-10T01:59:30Z');
    const dir = mkdtempSync(join(tmpdir(), 'insiders-sched-'));
    const fd = openSync(join(dir, 'log.jsonl'), 'w');
    const log = createLog('info', { fd, isTTY: false } as unknown as NodeJS.WriteStream);
    const signals = new EventEmitter();
    const slow = deferred();
    let calls = 0;
    let closed = 0;
    const exit = runSchedulerProcess({
      cron: '0 2 * * *', log, signals,
      runNightly: async () => { calls += 1; await slow.promise; },
      close: async () => { closed += 1; },
    });
    await advanceTo('2024-03-10T02:00:10Z');
    assert.equal(signals.listenerCount('SIGTERM'), 1);
    signals.emit('SIGTERM', 'SIGTERM');
    assert.equal(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT'), 0);
    await advanceTo('2024-03-11T02:00:10Z');
    assert.deepEqual([calls, closed], [1, 0]);
    slow.resolve();
    assert.equal(await exit, 0);
    assert.equal(closed, 1);
    closeSync(fd);
    const lines = readFileSync(join(dir, 'log.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l.event), ['scheduler.started', 'scheduler.tick', 'scheduler.stopping', 'scheduler.run.succeeded', 'scheduler.stopped']);
    assert.equal(lines[0]?.next_run, '2024-03-10T02:00:00.000Z');
    assert.deepEqual([lines[2]?.reason, lines[2]?.run_in_progress], ['SIGTERM', true]);
  });

  test('the process: SIGINT with no run in progress stops at once', async () => {
    startClock('2024-03-10T01:00:00Z');
    const { log, names } = recordingLog();
    const signals = new EventEmitter();
    let closed = 0;
    const exit = runSchedulerProcess({ cron: '0 2 * * *', log, signals, runNightly: async () => undefined, close: async () => { closed += 1; } });
    signals.emit('SIGINT', 'SIGINT');
    assert.equal(await exit, 0);
    assert.equal(closed, 1);
    assert.deepEqual(names(), ['scheduler.started', 'scheduler.stopping', 'scheduler.stopped']);
  });

  test('the process: an invalid INSIDERS_CRON rejects after closing and installs no handlers', async () => {
    const { log } = recordingLog();
    const signals = new EventEmitter();
    let closed = 0;
    await assert.rejects(
      runSchedulerProcess({ cron: '0 25 * * *', log, signals, runNightly: async () => undefined, close: async () => { closed += 1; } }),
      /^ConfigError: INSIDERS_CRON: "0 25 \* \* \*" is not a valid cron expression/,
    );
    assert.equal(closed, 1);
    assert.equal(signals.listenerCount('SIGTERM'), 0);
  });
});
