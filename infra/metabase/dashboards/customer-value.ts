import { customerFilters, FILTERS, snapshotOf } from '../filters.js';
import type { DashboardSpec } from '../spec-types.js';

const CLV = snapshotOf('marts.customer_clv');

/** Customers' CLV rows joined to their RFM row of the same snapshot, so segment and country filter them. */
function clvWithRfm(extraJoin = ''): string {
  return `marts.customer_clv v
JOIN marts.customer_rfm r ON r.as_of = v.as_of AND r.customer_id = v.customer_id${extraJoin}
WHERE v.as_of = ${CLV}
  ${customerFilters('r')}`;
}

/** What customers are worth: BG/NBD + Gamma-Gamma CLV, P(alive), and how well the model backtests. */
export const customerValue: DashboardSpec = {
  key: 'customer-value',
  name: 'Customer Value',
  description: 'Predicted customer lifetime value over the next year, the chance each customer is still active, and the backtest of the model.',
  filters: [FILTERS.as_of, FILTERS.country, FILTERS.segment],
  cards: [
    {
      key: 'value.kpi-clv-365d',
      title: 'Predicted revenue, next 365 days',
      description: 'Sum of the 365-day CLV of the customers shown.',
      display: 'scalar',
      field: 'clv_365d',
      format: 'amount',
      sql: `SELECT coalesce(sum(v.clv_365d), 0) AS clv_365d
FROM ${clvWithRfm()}`,
    },
    {
      key: 'value.kpi-p-alive',
      title: 'Mean P(alive)',
      description: 'Average probability, under BG/NBD, that a customer has not churned.',
      display: 'scalar',
      field: 'mean_p_alive',
      format: 'percent',
      sql: `SELECT coalesce(avg(v.p_alive), 0) AS mean_p_alive
FROM ${clvWithRfm()}`,
    },
    {
      key: 'value.kpi-expected-purchases',
      title: 'Expected purchases, next 90 days',
      description: 'Sum of the purchases BG/NBD expects from the customers shown over the next 90 days.',
      display: 'scalar',
      field: 'expected_purchases_90d',
      format: 'number',
      sql: `SELECT coalesce(sum(v.expected_purchases_90d), 0) AS expected_purchases_90d
FROM ${clvWithRfm()}`,
    },
    {
      key: 'value.clv-distribution',
      title: 'CLV distribution per segment',
      description: 'Customers per band of 365-day CLV, stacked by RFM segment.',
      display: 'bar',
      width: 24,
      dimensions: ['clv_band', 'segment'],
      metrics: ['customers'],
      sql: `WITH bands (band_order, clv_band, low, high) AS (
  VALUES (1, 'under 50', 0::float8, 50::float8), (2, '50-250', 50, 250), (3, '250-1k', 250, 1000),
         (4, '1k-5k', 1000, 5000), (5, '5k and more', 5000, 'Infinity'::float8)
)
SELECT b.band_order, b.clv_band, r.segment, count(*) AS customers
FROM ${clvWithRfm('\nJOIN bands b ON v.clv_365d >= b.low AND v.clv_365d < b.high')}
GROUP BY b.band_order, b.clv_band, r.segment
ORDER BY b.band_order, r.segment`,
      vegaLite: {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'clv_band', type: 'ordinal', sort: { field: 'band_order', op: 'min' }, axis: { labelAngle: 0 }, title: '365-day CLV' },
          y: { field: 'customers', type: 'quantitative', stack: 'zero', title: 'Customers' },
          color: { field: 'segment', type: 'nominal', title: 'Segment' },
        },
      },
    },
    {
      key: 'value.p-alive-recency',
      title: 'P(alive) against recency',
      description: 'One point per customer (the 2,000 most valuable): days since the last purchase against the probability of being active.',
      display: 'scatter',
      dimensions: ['recency_days'],
      metrics: ['p_alive'],
      sql: `SELECT v.customer_id, r.segment, r.recency_days, v.p_alive, v.clv_365d
FROM ${clvWithRfm()}
ORDER BY v.clv_365d DESC, v.customer_id
LIMIT 2000`,
      vegaLite: {
        mark: { type: 'point', filled: true, opacity: 0.7, tooltip: true },
        encoding: {
          x: { field: 'recency_days', type: 'quantitative', title: 'Days since last purchase' },
          y: { field: 'p_alive', type: 'quantitative', axis: { format: '.0%' }, title: 'P(alive)' },
          color: { field: 'segment', type: 'nominal', title: 'Segment' },
        },
      },
    },
    {
      key: 'value.calibration',
      title: 'Backtest: purchases in the holdout period',
      description: 'Mean actual against mean predicted purchases in the holdout period, per calibration-frequency bin.',
      display: 'line',
      dimensions: ['frequency_bin'],
      metrics: ['mean_actual', 'mean_predicted'],
      sql: `SELECT c.frequency_bin, c.bin_order, c.customers, c.mean_actual, c.mean_predicted
FROM marts.clv_calibration c
WHERE c.as_of = ${snapshotOf('marts.clv_calibration')}
ORDER BY c.bin_order`,
      vegaLite: {
        transform: [{ fold: ['mean_actual', 'mean_predicted'], as: ['series', 'purchases'] }],
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: { field: 'frequency_bin', type: 'ordinal', sort: { field: 'bin_order', op: 'min' }, axis: { labelAngle: 0 }, title: 'Purchases in calibration period' },
          y: { field: 'purchases', type: 'quantitative', title: 'Mean purchases in holdout' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
    },
    {
      key: 'value.top-customers',
      title: 'Most valuable customers',
      description: 'The 25 customers with the highest predicted 365-day CLV.',
      display: 'table',
      sql: `SELECT v.customer_id, r.segment, r.country, r.frequency, r.monetary,
       round(v.p_alive::numeric, 3) AS p_alive, round(v.clv_365d::numeric, 2) AS clv_365d
FROM ${clvWithRfm()}
ORDER BY v.clv_365d DESC, v.customer_id
LIMIT 25`,
    },
  ],
};
