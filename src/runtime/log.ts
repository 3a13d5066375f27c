import pino from 'pino';

/** Structured events: JSON lines for machines (cron, journald), short plain lines on a terminal. */
export interface Log {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** A progress bar redrawn in place on a terminal; nothing elsewhere (JSON logs carry progress events). */
  progress(label: string, done: number, total: number | undefined): void;
}

const BAR = 30;

/** `label [#####.....]  42% 20.1/48.0 MB`, or without the bar when the total is unknown. */
export function progressLine(label: string, done: number, total: number | undefined): string {
  const mb = (n: number) => (n / 2 ** 20).toFixed(1);
  if (!total || done > total) return `${label} ${mb(done)} MB`;
  const filled = Math.round((BAR * done) / total);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(Math.round((100 * done) / total)).padStart(3)}% ${mb(done)}/${mb(total)} MB`;
}

function plain(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v)}`)
    .join(' ');
}

/** A logger writing to stderr: pino JSON unless stderr is a terminal. */
export function createLog(level: string, stream: NodeJS.WriteStream = process.stderr): Log {
  if (level === 'silent') return { info: () => undefined, warn: () => undefined, error: () => undefined, progress: () => undefined };
  if (stream.isTTY) {
    const line = (tag: string) => (event: string, fields: Record<string, unknown> = {}) =>
      stream.write(`${new Date().toISOString().slice(11, 19)} ${tag}${event} ${plain(fields)}\n`);
    let open = false;
    const finish = () => {
      if (open) stream.write('\n');
      open = false;
    };
    const withFinish = (write: ReturnType<typeof line>) => (event: string, fields?: Record<string, unknown>) => {
      finish();
      write(event, fields);
    };
    return {
      info: withFinish(line('')),
      warn: withFinish(line('WARN ')),
      error: withFinish(line('ERROR ')),
      progress(label, done, total) {
        stream.write(`\r${progressLine(label, done, total)}\x1b[K`);
        open = true;
      },
    };
  }
  const logger = pino({ level, base: { app: 'insiders' } }, pino.destination({ fd: (stream as NodeJS.WriteStream & { fd?: number }).fd ?? 2, sync: true }));
  return {
    info: (event, fields = {}) => logger.info({ event, ...fields }),
    warn: (event, fields = {}) => logger.warn({ event, ...fields }),
    error: (event, fields = {}) => logger.error({ event, ...fields }),
    progress: () => undefined,
  };
}
