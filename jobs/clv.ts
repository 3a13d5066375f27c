import { DEFAULT_CLV } from '../src/config.js';
import { copyRows } from '../src/db/copy-rows.js';
import { readSql } from '../src/db/sql-files.js';
import { resolveAsOf } from '../src/marts/as-of.js';
import { runBacktest, type BacktestSummary, type MetricRow } from '../src/marts/clv-backtest.js';
import { pastFits } from '../src/marts/clv-calibration.js';
import { fitClvModels, type ClvModelRow } from '../src/marts/clv-models.js';
import { runValueTier, type ValueTierSummary } from '../src/marts/clv-value-tier.js';
import { clearSnapshot } from '../src/marts/snapshots.js';
import { scoreCustomers, type BgNbdParams, type GammaGammaParams } from '../src/models/clv/index.js';
import type { Job } from '../src/runtime/job-runner.js';

interface InputRow {
  customer_id: string;
  x: number;
  t_x: number;
  t: number;
  monetary_value: number;
}

type ModelSummary<P> = Pick<ClvModelRow<P>, 'params' | 'logLikelihood' | 'customers' | 'status'> & { readonly reason: string | null };

/** Summary of a clv run (model parameters with time in days). */
export interface ClvSummary {
  readonly asOf: string;
  readonly customers: number;
  readonly monthlyDiscountRate: number;
  readonly bgnbd: ModelSummary<BgNbdParams>;
  readonly gammaGamma: ModelSummary<GammaGammaParams>;
  readonly backtest: BacktestSummary;
  readonly valueTier: ValueTierSummary;
  /** Seconds spent in each step, in order. */
  readonly stepSeconds: Readonly<Record<string, number>>;
}

const modelSummary = <P>(row: ClvModelRow<P>): ModelSummary<P> => ({
  params: row.params, logLikelihood: row.logLikelihood, customers: row.customers, status: row.status, reason: row.detail?.reason ?? null,
});

/**
 * BG/NBD × Gamma-Gamma CLV for every customer of the RFM snapshot of one as_of, the nightly
 * calibration/holdout backtest and the value-tier check, replacing that as_of's CLV snapshot whole.
 */
export const clv: Job<ClvSummary> = {
  name: 'clv',
  async run(ctx) {
    const { session } = ctx;
    const settings = ctx.config.clv ?? DEFAULT_CLV;
    const asOf = await resolveAsOf(ctx);
    const stepSeconds: Record<string, number> = {};
    let current: { name: string; started: number } | undefined;
    const lap = () => {
      if (current) stepSeconds[current.name] = (performance.now() - current.started) / 1000;
    };
    const step = async (name: string) => {
      lap();
      current = { name, started: performance.now() };
      await ctx.step(name);
    };

    await step('read');
    const rows = await session.query<InputRow>(readSql('customers/clv_inputs.sql'), [asOf]);
    if (rows.length === 0) throw new Error(`no RFM snapshot for ${asOf}: run rfm for ${asOf} first ("insiders run rfm --as-of ${asOf}")`);
    const inputs = rows.map((r) => ({ x: r.x, tx: r.t_x, T: r.t, monetaryValue: r.monetary_value }));

    await step('fit');
    const models = await fitClvModels(session, asOf, inputs);
    for (const row of [models.bgnbd, models.gammaGamma]) {
      if (row.status === 'degraded') ctx.log.warn('clv.degraded', { as_of: asOf, model: row.model, reason: row.detail?.reason ?? '', kept_from: row.detail?.params_from ?? 'this run' });
    }

    await step('score');
    const scores = scoreCustomers(models.bgnbd.params, models.gammaGamma.params, inputs, { monthlyDiscountRate: settings.monthlyDiscountRate });

    await step('backtest');
    const fitAt = pastFits(session);
    const backtest = await runBacktest(session, asOf, settings.backtestDays, fitAt);

    await step('value_tier');
    const valueTier = await runValueTier(session, asOf, { monthlyDiscountRate: settings.monthlyDiscountRate }, fitAt);

    await step('publish');
    const metricRows = (model: string, metrics: readonly MetricRow[]) =>
      metrics.map((m) => [asOf, model, m.metric, m.value, m.detail === null ? null : JSON.stringify(m.detail)] as const);
    await session.transaction(async () => {
      for (const table of ['marts.customer_clv', 'marts.clv_models', 'marts.clv_calibration'] as const) {
        await clearSnapshot(session, table, asOf);
      }
      await clearSnapshot(session, 'marts.model_metrics', asOf, { column: 'model', values: ['bgnbd_backtest', 'value_tier'] });
      await copyRows(
        session,
        'marts.customer_clv',
        ['as_of', 'customer_id', 'p_alive', 'expected_purchases_90d', 'expected_purchases_180d', 'expected_purchases_365d',
          'expected_order_value', 'clv_180d', 'clv_365d'],
        rows.map((r, i) => [
          asOf, r.customer_id, scores.pAlive[i]!, scores.expectedPurchases90d[i]!, scores.expectedPurchases180d[i]!,
          scores.expectedPurchases365d[i]!, scores.expectedOrderValue[i]!, scores.clv180d[i]!, scores.clv365d[i]!,
        ]),
      );
      await copyRows(
        session,
        'marts.clv_models',
        ['as_of', 'model', 'params', 'log_likelihood', 'customers', 'status', 'detail'],
        [models.bgnbd, models.gammaGamma].map((m) => [
          asOf, m.model, JSON.stringify(m.params), m.logLikelihood, m.customers, m.status, m.detail === null ? null : JSON.stringify(m.detail),
        ]),
      );
      await copyRows(
        session,
        'marts.clv_calibration',
        ['as_of', 'frequency_bin', 'bin_order', 'customers', 'mean_actual', 'mean_predicted'],
        backtest.calibration.map((c) => [asOf, c.bin, c.frequency, c.customers, c.meanActual!, c.meanPredicted!]),
      );
      await copyRows(
        session,
        'marts.model_metrics',
        ['as_of', 'model', 'metric', 'value', 'detail'],
        [...metricRows('bgnbd_backtest', backtest.metrics), ...metricRows('value_tier', valueTier.metrics)],
      );
    });
    lap();
    ctx.log.info('clv.published', { as_of: asOf, customers: rows.length, bgnbd: models.bgnbd.status, gamma_gamma: models.gammaGamma.status });
    return {
      asOf,
      customers: rows.length,
      monthlyDiscountRate: settings.monthlyDiscountRate,
      bgnbd: modelSummary(models.bgnbd),
      gammaGamma: modelSummary(models.gammaGamma),
      backtest: backtest.summary,
      valueTier: valueTier.summary,
      stepSeconds,
    };
  },
};
