import type { Session } from '../db/session.js';
import { readSql } from '../db/sql-files.js';
import type { PastFit } from './clv-calibration.js';
import {
  backtestMetrics,
  calibrationTable,
  expectedPurchasesIfAlive,
  pAlive,
  type BgNbdParams,
  type CalibrationRow,
} from '../models/clv/index.js';

/** One row of marts.model_metrics (as_of and model are added when published). */
export interface MetricRow {
  readonly metric: string;
  readonly value: number;
  readonly detail: Readonly<Record<string, unknown>> | null;
}

/** What the backtest found, for the job's summary. */
export type BacktestSummary =
  | {
      readonly calibrationAsOf: string;
      readonly holdoutDays: number;
      readonly customers: number;
      readonly params: BgNbdParams;
      readonly status: 'converged' | 'degraded';
      readonly totalPredicted: number;
      readonly totalActual: number;
      readonly mae: number;
      readonly rmse: number;
      readonly spearman: number | null;
    }
  | { readonly calibrationAsOf: string; readonly holdoutDays: number; readonly skipped: string };

export interface BacktestResult {
  readonly summary: BacktestSummary;
  readonly metrics: readonly MetricRow[];
  /** Non-empty bins of the calibration table. */
  readonly calibration: readonly CalibrationRow[];
}

/** The day `days` after `day` (negative: before), both YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}


/**
 * E[purchases in the next `days`] per customer. The alive-customer part depends on (x, T) only,
 * so the hypergeometric work is done once per distinct pair, not once per customer.
 */
function predictPurchases(params: BgNbdParams, rows: readonly PastFit['rows'][number][], days: number): Float64Array {
  const ifAlive = new Map<string, number>();
  return Float64Array.from(rows, (r) => {
    const key = `${r.x}:${r.t}`;
    let value = ifAlive.get(key);
    if (value === undefined) {
      value = expectedPurchasesIfAlive(params, days, r.x, r.t);
      ifAlive.set(key, value);
    }
    return pAlive(params, r.x, r.t_x, r.t) * value;
  });
}

/**
 * Calibration/holdout check of BG/NBD for as_of D: fitted on the customers as of C = D − holdoutDays,
 * its expected purchase days over (C, D] are compared with the purchase days that happened.
 * With no customer by C there is nothing to check: a `skipped` metric says why.
 */
export async function runBacktest(
  session: Session,
  asOf: string,
  holdoutDays: number,
  fitAt: (date: string) => Promise<PastFit>,
): Promise<BacktestResult> {
  const calibrationAsOf = addDays(asOf, -holdoutDays);
  const context = { calibration_as_of: calibrationAsOf, holdout_days: holdoutDays };
  const { rows, bgnbd: fit } = await fitAt(calibrationAsOf);
  if (!fit) {
    const skipped = `no customer had purchased by ${calibrationAsOf} (${holdoutDays} days before ${asOf}): not enough history to backtest`;
    return {
      summary: { calibrationAsOf, holdoutDays, skipped },
      metrics: [{ metric: 'skipped', value: 1, detail: { ...context, reason: skipped } }],
      calibration: [],
    };
  }
  const holdout = await session.query<{ customer_id: string; purchase_days: number }>(
    readSql('customers/holdout_purchases.sql'),
    [calibrationAsOf, asOf],
  );
  const actualById = new Map(holdout.map((h) => [h.customer_id, h.purchase_days]));
  const actual = Float64Array.from(rows, (r) => actualById.get(r.customer_id) ?? 0);
  const predicted = predictPurchases(fit.params, rows, holdoutDays);
  const m = backtestMetrics(predicted, actual);
  const calibration = calibrationTable(Int32Array.from(rows, (r) => r.x), predicted, actual).filter((c) => c.customers > 0);
  const metrics: MetricRow[] = [
    { metric: 'customers', value: m.customers, detail: context },
    { metric: 'holdout_days', value: holdoutDays, detail: context },
    { metric: 'total_predicted', value: m.totalPredicted, detail: context },
    { metric: 'total_actual', value: m.totalActual, detail: context },
    { metric: 'mae', value: m.mae, detail: context },
    { metric: 'rmse', value: m.rmse, detail: context },
    {
      metric: 'log_likelihood',
      value: fit.logLikelihood,
      detail: { ...context, params: fit.params, status: fit.status, reason: fit.reason },
    },
  ];
  if (m.spearman !== null) metrics.push({ metric: 'spearman', value: m.spearman, detail: context });
  return {
    summary: {
      calibrationAsOf,
      holdoutDays,
      customers: m.customers,
      params: fit.params,
      status: fit.status,
      totalPredicted: m.totalPredicted,
      totalActual: m.totalActual,
      mae: m.mae,
      rmse: m.rmse,
      spearman: m.spearman,
    },
    metrics,
    calibration,
  };
}
