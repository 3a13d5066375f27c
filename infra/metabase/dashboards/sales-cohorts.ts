import { FILTERS } from '../filters.js';
import type { DashboardSpec } from '../spec-types.js';

/** Sales marts have no snapshots: the As of filter bounds the days shown. */
const DAYS = `WHERE true
  [[AND d.sales_date <= {{as_of}}]]`;

/** Revenue over time and by country, and how each monthly cohort of new customers keeps buying. */
export const salesCohorts: DashboardSpec = {
  key: 'sales-cohorts',
  name: 'Sales & Cohorts',
  description: 'Net product revenue by month and by country, and the monthly retention of each cohort of first-time buyers.',
  filters: [FILTERS.as_of, FILTERS.country],
  cards: [
    {
      key: 'sales.kpi-net-revenue',
      title: 'Net product revenue',
      description: 'Product revenue net of cancellations, up to the as-of date.',
      display: 'scalar',
      field: 'net_revenue',
      format: 'amount',
      sql: `SELECT coalesce(sum(d.net_revenue), 0) AS net_revenue
FROM marts.sales_daily d
${DAYS}
  [[AND d.country = {{country}}]]`,
    },
    {
      key: 'sales.kpi-invoices',
      title: 'Purchase invoices',
      description: 'Invoices that are not cancellations, up to the as-of date.',
      display: 'scalar',
      field: 'invoices',
      format: 'number',
      sql: `SELECT coalesce(sum(d.invoices), 0) AS invoices
FROM marts.sales_daily d
${DAYS}
  [[AND d.country = {{country}}]]`,
    },
    {
      key: 'sales.kpi-cancelled',
      title: 'Cancelled revenue',
      description: 'Revenue of cancellation lines (credited back), up to the as-of date.',
      display: 'scalar',
      field: 'cancelled_revenue',
      format: 'amount',
      sql: `SELECT coalesce(sum(d.cancelled_revenue), 0) AS cancelled_revenue
FROM marts.sales_daily d
${DAYS}
  [[AND d.country = {{country}}]]`,
    },
    {
      key: 'sales.monthly-revenue',
      title: 'Monthly revenue',
      description: 'Net product revenue and cancelled revenue per calendar month.',
      display: 'line',
      width: 24,
      dimensions: ['month'],
      metrics: ['net_revenue', 'cancelled_revenue'],
      sql: `SELECT date_trunc('month', d.sales_date)::date AS month,
       sum(d.net_revenue) AS net_revenue, sum(d.cancelled_revenue) AS cancelled_revenue
FROM marts.sales_daily d
${DAYS}
  [[AND d.country = {{country}}]]
GROUP BY 1
ORDER BY 1`,
      vegaLite: {
        transform: [{ fold: ['net_revenue', 'cancelled_revenue'], as: ['series', 'revenue'] }],
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: { field: 'month', type: 'temporal', timeUnit: 'utcyearmonth', title: null },
          y: { field: 'revenue', type: 'quantitative', title: 'Revenue' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
    },
    {
      key: 'sales.cohort-retention',
      title: 'Cohort retention',
      description: 'Share of each first-purchase month cohort that bought again n months later.',
      display: 'heatmap',
      dimensions: ['cohort', 'month_offset'],
      metrics: ['retention'],
      sql: `SELECT to_char(c.cohort_month, 'YYYY-MM') AS cohort, c.month_offset, c.retention, c.customers, c.cohort_size
FROM marts.cohort_retention c
WHERE true
  [[AND c.cohort_month <= {{as_of}}]]
ORDER BY c.cohort_month, c.month_offset`,
      vegaLite: {
        mark: { type: 'rect', tooltip: true },
        encoding: {
          x: { field: 'month_offset', type: 'ordinal', title: 'Months since first purchase' },
          y: { field: 'cohort', type: 'ordinal', title: 'First-purchase month' },
          color: { field: 'retention', type: 'quantitative', title: 'Retention', scale: { scheme: 'greens', domain: [0, 1] }, legend: { format: '.0%' } },
        },
      },
    },
    {
      key: 'sales.revenue-by-country',
      title: 'Revenue by country',
      description: 'Net product revenue of the 15 largest countries, up to the as-of date.',
      display: 'row',
      dimensions: ['country'],
      metrics: ['net_revenue'],
      sql: `SELECT d.country, sum(d.net_revenue) AS net_revenue
FROM marts.sales_daily d
${DAYS}
GROUP BY d.country
ORDER BY net_revenue DESC, d.country
LIMIT 15`,
      vegaLite: {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'country', type: 'nominal', sort: '-x', title: null },
          x: { field: 'net_revenue', type: 'quantitative', title: 'Net revenue' },
        },
      },
    },
  ],
};
