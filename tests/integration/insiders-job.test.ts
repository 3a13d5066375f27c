import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insiders } from '../../jobs/insiders.js';
import { DEFAULT_INSIDERS_RULE, type Config, type InsidersRule } from '../../src/config.js';
import type { Session } from '../../src/db/session.js';
import { run } from '../support/jobs.js';
import { ENGINE, freshWarehouse, onSession, type TestWarehouse } from '../support/warehouse.js';

const D1 = '2011-11-30';
const D2 = '2011-12-09';

/** One customer at one as_of: the columns the rule reads; the rest are filled plausibly. */
interface Customer {
  readonly id: string;
  readonly pAlive: number;
  readonly frequency: number;
  readonly clv: number;
  readonly segment: string;
}

const c = (id: string, pAlive: number, frequency: number, clv: number, segment: string): Customer => ({ id, pAlive, frequency, clv, segment });

// 32 ordinary customers (never Champions, CLV 20..795) so that each date has 40 customers and the
// default top 10% by CLV is exactly the 4 best.
const fillers = (shift: number): Customer[] =>
  Array.from({ length: 32 }, (_, i) =>
    c(String(10_100 + i), ((i * 37 + shift) % 100) / 100, 1 + (i % 6), 20 + 25 * i, ['Hibernating', 'Loyal', 'Potential Loyalist'][i % 3]!));

const AT_D1: Customer[] = [
  c('10003', 0.9, 10, 4500, 'Champions'), //  value member and Champions
  c('10007', 0.9, 8, 4200, 'Loyal'), //       value member; P(alive) falls at D2
  c('10021', 0.8, 3, 4100, 'Loyal'), //       value member; drops out of the top at D2
  c('10030', 0.85, 5, 4000, 'Loyal'), //      value member; has no rows at D2
  c('10001', 0.6, 4, 3900, 'Loyal'), //       not alive enough; joins at D2
  c('10010', 0.4, 2, 80, 'Champions'), //     member only as Champions, stays one at D2
  c('10020', 0.85, 5, 150, 'Champions'), //   member only as Champions; stops being one at D2
  c('10002', 0.9, 3, 300, 'Loyal'),
  ...fillers(11),
];

const AT_D2: Customer[] = [
  c('10003', 0.95, 12, 5000, 'Champions'), // CLV rank 1
  c('10007', 0.5, 9, 4000, 'Loyal'), //       CLV rank 2, but P(alive) 0.5: not eligible
  c('10011', 0.99, 1, 3500, 'New'), //        CLV rank 3, but one purchase: not eligible
  c('10001', 0.8, 5, 3000, 'Loyal'), //       CLV rank 4 (wins the tie on customer_id): eligible
  c('10002', 0.9, 4, 3000, 'Loyal'), //       CLV rank 5 (loses the tie): not in the top 4
  c('10021', 0.75, 4, 900, 'Loyal'), //       CLV rank 6
  c('10020', 0.85, 6, 200, 'At Risk'), //     CLV rank 31
  c('10010', 0.3, 3, 100, 'Champions'), //    CLV rank 36; eligible as Champions only
  ...fillers(53),
];

async function insertCustomers(session: Session, asOf: string, customers: readonly Customer[]): Promise<void> {
  for (const k of customers) {
    await session.query(
      `INSERT INTO marts.customer_rfm (as_of, customer_id, country, recency_days, frequency, monetary, first_purchase, last_purchase,
         r_score, f_score, m_score, segment, x, t_x, t, monetary_value)
       VALUES ($1, $2, 'United Kingdom', 10, $3, $4, $1::date - 200, $1::date - 10, 3, 3, 3, $5, $3 - 1, 190, 200, 25)`,
      [asOf, k.id, k.frequency, k.clv / 2, k.segment],
    );
    await session.query(
      `INSERT INTO marts.customer_clv (as_of, customer_id, p_alive, expected_purchases_90d, expected_purchases_180d,
         expected_purchases_365d, expected_order_value, clv_180d, clv_365d)
       VALUES ($1, $2, $3, 1, 2, 4, 50, $4 / 2, $4)`,
      [asOf, k.id, k.pAlive, k.clv],
    );
  }
}

interface Member { customer_id: string; rank: number; score: number; reasons: string }
interface Change { customer_id: string; previous_as_of: string | null; change: string; reason: string }

describe(`insiders job (${ENGINE})`, () => {
  let tw: TestWarehouse;
  const members = (asOf: string) =>
    onSession(tw, (s) => s.query<Member>(
      'SELECT customer_id, rank, score, reasons FROM marts.insiders WHERE as_of = $1 ORDER BY rank', [asOf]));
  const changes = (asOf: string) =>
    onSession(tw, (s) => s.query<Change>(
      `SELECT customer_id, previous_as_of::text, change, reason FROM marts.insiders_changes
       WHERE as_of = $1 ORDER BY change, customer_id`, [asOf]));
  const withRule = (rule: Partial<InsidersRule>): Config => ({ ...tw.config, insiders: { ...DEFAULT_INSIDERS_RULE, ...rule } });

  before(async () => {
    tw = await freshWarehouse();
    await onSession(tw, async (s) => {
      await insertCustomers(s, D1, AT_D1);
      await insertCustomers(s, D2, AT_D2);
    });
    await run(tw, insiders, { asOf: D1 });
    await run(tw, insiders, { asOf: D2 });
  });
  after(async () => tw.close());

  test('the first list: value members and Champions, ranked by 12-month CLV; everyone joined', async () => {
    assert.deepEqual((await members(D1)).map((m) => [m.customer_id, m.rank, m.score]), [
      ['10003', 1, 4500], ['10007', 2, 4200], ['10021', 3, 4100], ['10030', 4, 4000], ['10020', 5, 150], ['10010', 6, 80],
    ]);
    const first = await changes(D1);
    assert.deepEqual(first.map((ch) => [ch.customer_id, ch.change, ch.previous_as_of]),
      ['10003', '10007', '10010', '10020', '10021', '10030'].map((id) => [id, 'joined', null]));
  });

  test('each branch of the rule: alive + frequent + top, Champions with low CLV; P(alive), frequency and ties exclude', async () => {
    assert.deepEqual(await members(D2), [
      { customer_id: '10003', rank: 1, score: 5000, reasons: 'Champions segment; P(alive) 0.95; 12 purchases; top 3% by 12-month CLV (£5,000)' },
      { customer_id: '10001', rank: 2, score: 3000, reasons: 'P(alive) 0.80; 5 purchases; top 10% by 12-month CLV (£3,000)' },
      { customer_id: '10010', rank: 3, score: 100, reasons: 'Champions segment; P(alive) 0.30; 3 purchases; 12-month CLV £100' },
    ]);
  });

  test('changes since the previous list: who joined (with the reasons) and why the others left', async () => {
    assert.deepEqual(await changes(D2), [
      { customer_id: '10001', previous_as_of: D1, change: 'joined', reason: 'P(alive) 0.80; 5 purchases; top 10% by 12-month CLV (£3,000)' },
      { customer_id: '10007', previous_as_of: D1, change: 'left', reason: 'P(alive) 0.50, below 0.70' },
      { customer_id: '10020', previous_as_of: D1, change: 'left', reason: 'no longer Champions; not in top 10% by 12-month CLV (top 78%)' },
      { customer_id: '10021', previous_as_of: D1, change: 'left', reason: 'not in top 10% by 12-month CLV (top 15%)' },
      { customer_id: '10030', previous_as_of: D1, change: 'left', reason: 'no RFM and CLV rows at this as_of' },
    ]);
  });

  test('a rerun gives identical rows and leaves the other as_of alone', async () => {
    const before = [await members(D1), await changes(D1), await members(D2), await changes(D2)];
    const summary = await run(tw, insiders, { asOf: D2 });
    assert.deepEqual({ members: summary.members, joined: summary.joined, left: summary.left }, { members: 3, joined: 1, left: 4 });
    assert.deepEqual([await members(D1), await changes(D1), await members(D2), await changes(D2)], before);
  });

  test('the cap keeps the top ranks; a member still eligible but cut is told so', async () => {
    await run(tw, insiders, { asOf: D2, config: withRule({ maxMembers: 2 }) });
    assert.deepEqual((await members(D2)).map((m) => [m.customer_id, m.rank]), [['10003', 1], ['10001', 2]]);
    const cut = (await changes(D2)).find((ch) => ch.customer_id === '10010');
    assert.deepEqual(cut, { customer_id: '10010', previous_as_of: D1, change: 'left', reason: 'still eligible but outside the cap of 2 members' });
  });

  test('with Champions switched off only the value branch counts', async () => {
    await run(tw, insiders, { asOf: D2, config: withRule({ includeChampions: false }) });
    assert.deepEqual(await members(D2), [
      { customer_id: '10003', rank: 1, score: 5000, reasons: 'P(alive) 0.95; 12 purchases; top 3% by 12-month CLV (£5,000)' },
      { customer_id: '10001', rank: 2, score: 3000, reasons: 'P(alive) 0.80; 5 purchases; top 10% by 12-month CLV (£3,000)' },
    ]);
    const byId = new Map((await changes(D2)).map((ch) => [ch.customer_id, ch.reason]));
    assert.equal(byId.get('10010'), 'P(alive) 0.30, below 0.70; not in top 10% by 12-month CLV (top 90%)');
    assert.equal(byId.get('10020'), 'not in top 10% by 12-month CLV (top 78%)');
  });

  test('the thresholds come from the rule: P(alive) minimum, top share, purchase minimum', async () => {
    const ids = async (rule: Partial<InsidersRule>) => {
      await run(tw, insiders, { asOf: D2, config: withRule({ includeChampions: false, ...rule }) });
      return (await members(D2)).map((m) => m.customer_id);
    };
    assert.deepEqual(await ids({ minPAlive: 0.5 }), ['10003', '10007', '10001']);
    // The top 20% is the 8 best by CLV: 10002 and 10021 (4 purchases each) come in; the fillers there have 1 or 2.
    assert.deepEqual(await ids({ topShare: 0.2, minPurchases: 4 }), ['10003', '10001', '10002', '10021']);
    assert.deepEqual(await ids({ topShare: 0.2, minPurchases: 5 }), ['10003', '10001']);
    // 10021, a member at D1, is in the top 20% at D2: only the purchase minimum keeps it out.
    assert.equal((await changes(D2)).find((ch) => ch.customer_id === '10021')?.reason, '4 purchases, fewer than 5');
  });

  test('fails with one line naming what to run first when the CLV snapshot is missing', async () => {
    const D3 = '2011-12-31';
    await onSession(tw, (s) => s.query(
      `INSERT INTO marts.customer_rfm SELECT $1::date, customer_id, country, recency_days, frequency, monetary, first_purchase,
         last_purchase, r_score, f_score, m_score, segment, x, t_x, t, monetary_value FROM marts.customer_rfm WHERE as_of = $2`,
      [D3, D2]));
    await assert.rejects(run(tw, insiders, { asOf: D3 }),
      (e: Error) => e.message.includes(`no marts.customer_clv snapshot for ${D3}: run "insiders run clv --as-of ${D3}" first`)
        && !e.message.includes('\n'));
    await assert.rejects(run(tw, insiders, { asOf: '2012-01-31' }),
      /no marts\.customer_rfm and marts\.customer_clv snapshot for 2012-01-31: run "insiders run rfm --as-of 2012-01-31" then "insiders run clv/);
    assert.equal((await members(D3)).length, 0);
  });
});
