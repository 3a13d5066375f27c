import pino from 'pino';

/** Structured events: JSON lines for machines (cron, journald), short plain lines on a terminal. */
export interface Log {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

function plain(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v)}`)
    .join(' ');
}

/** A logger writing to stderr: pino JSON unless stderr is a terminal. */
export function createLog(level: string, stream: NodeJS.WriteStream = process.stderr): Log {
  if (level === 'silent') return { info: () => undefined, warn: () => undefined, error: () => undefined };
  if (stream.isTTY) {
    const line = (tag: string) => (event: string, fields: Record<string, unknown> = {}) =>
      stream.write(`${new Date().toISOString().slice(11, 19)} ${tag}${event} ${plain(fields)}\n`);
    return { info: line(''), warn: line('WARN '), error: line('ERROR ') };
  }
  const logger = pino({ level, base: { app: 'insiders' } }, pino.destination({ fd: (stream as NodeJS.WriteStream & { fd?: number }).fd ?? 2, sync: true }));
  return {
    info: (event, fields = {}) => logger.info({ event, ...fields }),
    warn: (event, fields = {}) => logger.warn({ event, ...fields }),
    error: (event, fields = {}) => logger.error({ event, ...fields }),
  };
}
