import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.js';
import { createLog } from '../runtime/log.js';
import { COMMANDS } from './commands.js';

const USAGE = `usage: insiders <command> [options]

commands:
  migrate                          apply pending migrations
  run <job> [--as-of YYYY-MM-DD] [--source URI]
  run <job> --from D1 --to D2 [--every day|week|month]
                                   run one job, or the nightly chain, for an as-of date or a backfill
                                   (jobs: ingest, transform, rfm, segment, clv, insiders, report, publish, nightly)
  report [--as-of D] [--out DIR]   write the static HTML report
  schedule                         run nightly at INSIDERS_CRON (UTC) until SIGTERM
  status                           the last run of each job
  generate --rows N [--seed S] --out FILE [--layout online-retail|online-retail-ii] [--date-style iso|us]
                                   synthetic order lines, the same bytes for the same seed
  demo                             sample data -> nightly on the configured warehouse -> summary

Configuration comes from the environment (see README): DATABASE_URL, SOURCE_URI, AWS_*, INSIDERS_*.
`;

/** Parses argv, runs the command, and turns any failure into one line on stderr and exit code 1. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'as-of': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      every: { type: 'string' },
      source: { type: 'string' },
      rows: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      layout: { type: 'string' },
      'date-style': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [name, ...rest] = positionals;
  if (!name || values.help) {
    process.stdout.write(USAGE);
    return name || values.help ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new Error(`unknown command ${JSON.stringify(name)}; run "insiders --help"`);
  const config: Config = loadConfig();
  const log = createLog(config.logLevel);
  return command({ args: rest, options: values, config, log });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`insiders: ${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
