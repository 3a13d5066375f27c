import type { Session } from '../db/session.js';
import { readSql } from '../db/sql-files.js';
import type { PastFit } from './clv-calibration.js';
import { fitGammaGamma, scoreCustomers } from '../models/clv/index.js';
import { rfmScores } from '../models/rfm-scores.js';
import { evaluateValueTiers, type ValueTierCustomer, type ValueTierEvaluation } from '../models/value-tier.js';
import { addDays, type MetricRow } from './clv-backtest.js';

/** Days of purchases before the cutoff the features are computed on. */
export const VALUE_TIER_WINDOW_DAYS = 90;
/** Days after the cutoff whose revenue is predicted; the cutoff is this many days before as_of. */
export const VALUE_TIER_HORIZON_DAYS = 180;
/** Below this many customers in the window a held-out score means little. */
const MIN_CUSTOMERS = 50;
// Fixed so a rerun reproduces the same split and tree; changing it is a model change, not a rerun.
const SEED = 20110612;

export type ValueTierSummary =
  | ({ readonly cutoff: string } & ValueTierEvaluation)
  | { readonly cutoff: string; readonly skipped: string };

interface WindowRow {
  customer_id: string;
  recency_days: number;
  frequency: number;
  monetary: number;
  tenure_days: number;
  next_revenue: number;
}


function skip(cutoff: string, reason: string, detail: Record<string, unknown>): { summary: ValueTierSummary; metrics: MetricRow[] } {
  return { summary: { cutoff, skipped: reason }, metrics: [{ metric: 'skipped', value: 1, detail: { ...detail, reason } }] };
}

/**
 * Value-tier prediction checked on the past: features from the window before cutoff = as_of − 180
 * days, the target is the revenue tier over the 180 days to as_of, scored on held-out customers
 * next to the majority tier, the CLV ranking fitted at the cutoff and the RFM score's correlation.
 */
export async function runValueTier(
  session: Session,
  asOf: string,
  options: { monthlyDiscountRate: number },
  fitAt: (date: string) => Promise<PastFit>,
): Promise<{ summary: ValueTierSummary; metrics: MetricRow[] }> {
  const cutoff = addDays(asOf, -VALUE_TIER_HORIZON_DAYS);
  const context = { cutoff, window_days: VALUE_TIER_WINDOW_DAYS, horizon_days: VALUE_TIER_HORIZON_DAYS, seed: SEED };
  const window = await session.query<WindowRow>(readSql('customers/value_tier_features.sql'), [cutoff, VALUE_TIER_WINDOW_DAYS, asOf]);
  if (window.length < MIN_CUSTOMERS) {
    return skip(cutoff, `${window.length} customers bought in the ${VALUE_TIER_WINDOW_DAYS} days to ${cutoff}, fewer than ${MIN_CUSTOMERS}: not enough history`, context);
  }
  const { rows: known, bgnbd } = await fitAt(cutoff);
  if (!bgnbd) return skip(cutoff, `no customer had purchased by ${cutoff}: no model for the CLV baseline`, context);
  const spend = known.map((r) => ({ x: r.x, monetaryValue: r.monetary_value }));
  if (!spend.some((r) => r.x > 0 && r.monetaryValue > 0)) {
    return skip(cutoff, `no customer had a repeat purchase day by ${cutoff}: no spend model for the CLV baseline`, context);
  }
  const gammaGamma = fitGammaGamma(spend);
  const clv = scoreCustomers(
    bgnbd.params,
    gammaGamma.params,
    known.map((r) => ({ x: r.x, tx: r.t_x, T: r.t, monetaryValue: r.monetary_value })),
    { monthlyDiscountRate: options.monthlyDiscountRate },
  ).clv180d;
  const scores = rfmScores(known.map((r) => ({ customerId: r.customer_id, recencyDays: r.recency_days, frequency: r.frequency, monetary: r.monetary })));
  const at = new Map(known.map((r, i) => [r.customer_id, i]));
  const customers: ValueTierCustomer[] = window.map((w) => {
    const i = at.get(w.customer_id);
    // Everyone who bought in the window had bought by the cutoff: a miss means the two queries disagree.
    if (i === undefined) throw new Error(`customer ${w.customer_id} bought before ${cutoff} but has no features as of it`);
    return {
      recencyDays: w.recency_days,
      frequency: w.frequency,
      monetary: w.monetary,
      tenureDays: w.tenure_days,
      nextRevenue: w.next_revenue,
      clv: clv[i]!,
      rfmScore: scores.r[i]! + scores.f[i]! + scores.m[i]!,
    };
  });
  const result = evaluateValueTiers(customers, { seed: SEED });
  if ('skipped' in result) return skip(cutoff, result.skipped, context);
  const fits = { bgnbd: { params: bgnbd.params, status: bgnbd.status }, gamma_gamma: { params: gammaGamma.params, status: gammaGamma.status } };
  const metrics: MetricRow[] = [
    { metric: 'customers', value: result.customers, detail: { ...context, tier_sizes: result.tierSizes, centroids_log1p: result.centroidsLog1p } },
    { metric: 'train_customers', value: result.trainCustomers, detail: context },
    { metric: 'test_customers', value: result.testCustomers, detail: context },
    { metric: 'tree_accuracy', value: result.tree.accuracy, detail: context },
    { metric: 'tree_macro_f1', value: result.tree.macroF1, detail: context },
    { metric: 'majority_accuracy', value: result.majority.accuracy, detail: context },
    { metric: 'majority_macro_f1', value: result.majority.macroF1, detail: context },
    { metric: 'clv_rank_accuracy', value: result.clvRank.accuracy, detail: { ...context, ...fits } },
    { metric: 'clv_rank_macro_f1', value: result.clvRank.macroF1, detail: { ...context, ...fits } },
  ];
  if (result.rfmRevenueSpearman !== null) metrics.push({ metric: 'rfm_revenue_spearman', value: result.rfmRevenueSpearman, detail: context });
  if (result.clvRevenueSpearman !== null) metrics.push({ metric: 'clv_revenue_spearman', value: result.clvRevenueSpearman, detail: { ...context, ...fits } });
  return { summary: { cutoff, ...result }, metrics };
}
