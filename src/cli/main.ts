import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.js';
import { createLog } from '../runtime/log.js';
import { COMMANDS } from './commands.js';

const USAGE = `usage: insiders <command> [options]

commands:
  migrate                                   apply pending migrations
  run <job|nightly> [--as-of YYYY-MM-DD] [--source URI]
                                            run one job or the nightly chain (jobs: ${'ingest, transform'})
  generate --rows N [--seed S] --out FILE   write synthetic order lines (Online Retail layout)
  demo                                      sample data -> nightly on the configured warehouse -> summary
  status                                    last runs per job
`;

/** Parses argv, runs the command, and turns any failure into one line on stderr and exit code 1. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'as-of': { type: 'string' },
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
