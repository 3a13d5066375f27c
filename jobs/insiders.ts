import { DEFAULT_INSIDERS_RULE, type InsidersRule } from '../src/config.js';
import { readSql } from '../src/db/sql-files.js';
import { resolveAsOf } from '../src/marts/as-of.js';
import { clearSnapshot } from '../src/marts/snapshots.js';
import type { Job } from '../src/runtime/job-runner.js';

/** Summary of an insiders run. */
export interface InsidersSummary {
  readonly asOf: string;
  readonly members: number;
  readonly joined: number;
  readonly left: number;
  readonly rule: InsidersRule;
}

/** The positional parameters shared by insiders.sql and insiders_changes.sql. */
function ruleParams(asOf: string, rule: InsidersRule): unknown[] {
  return [asOf, rule.minPAlive, rule.minPurchases, rule.topShare, rule.maxMembers ?? null, rule.includeChampions];
}

/**
 * The Insiders loyalty list for one as_of (members with rank, score and reasons) and who joined or left
 * since the previous list; both snapshots are replaced together in one transaction.
 */
export const insiders: Job<InsidersSummary> = {
  name: 'insiders',
  async run(ctx) {
    const { session } = ctx;
    const asOf = await resolveAsOf(ctx);
    const rule = ctx.config.insiders ?? DEFAULT_INSIDERS_RULE;

    await ctx.step('inputs');
    const [inputs] = await session.query<{ rfm: number; clv: number }>(readSql('customers/insiders_inputs.sql'), [asOf]);
    const missing = (['rfm', 'clv'] as const).filter((job) => (inputs?.[job] ?? 0) === 0);
    if (missing.length > 0) {
      const tables = missing.map((job) => `marts.customer_${job}`).join(' and ');
      const runs = missing.map((job) => `"insiders run ${job} --as-of ${asOf}"`).join(' then ');
      throw new Error(`no ${tables} snapshot for ${asOf}: run ${runs} first`);
    }

    await ctx.step('publish');
    const params = ruleParams(asOf, rule);
    const { members, changes } = await session.transaction(async () => {
      await clearSnapshot(session, 'marts.insiders_changes', asOf);
      await clearSnapshot(session, 'marts.insiders', asOf);
      const members = await session.query(readSql('customers/insiders.sql'), params);
      const changes = await session.query<{ change: 'joined' | 'left' }>(readSql('customers/insiders_changes.sql'), params);
      return { members, changes };
    });
    const joined = changes.filter((c) => c.change === 'joined').length;
    const left = changes.length - joined;
    ctx.log.info('insiders.published', { as_of: asOf, members: members.length, joined, left });
    return { asOf, members: members.length, joined, left, rule };
  },
};
