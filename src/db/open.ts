import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Warehouse } from './session.js';

/** Opens the configured warehouse: `DATABASE_URL`, else PGlite under the home folder. */
export async function openWarehouse(config: Pick<Config, 'databaseUrl' | 'home'>): Promise<Warehouse> {
  // Loaded on demand: each driver costs tens of MB of memory in a process that never uses it.
  if (config.databaseUrl) return (await import('./postgres.js')).openPostgres(config.databaseUrl);
  return (await import('./pglite.js')).openPglite(join(config.home, 'pgdata'));
}
