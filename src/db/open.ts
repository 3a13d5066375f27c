import { join } from 'node:path';
import type { Config } from '../config.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Warehouse } from './session.js';

/** Opens the configured warehouse: `DATABASE_URL`, else PGlite under the home folder. */
export async function openWarehouse(config: Pick<Config, 'databaseUrl' | 'home'>): Promise<Warehouse> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(join(config.home, 'pgdata'));
}
