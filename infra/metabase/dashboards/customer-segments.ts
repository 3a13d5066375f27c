import { customerFilters, FILTERS, snapshotOf } from '../filters.js';
import type { DashboardSpec } from '../spec-types.js';

const RFM = snapshotOf('marts.customer_rfm');
const SUMMARY = snapshotOf('marts.segment_summary');

/** Who the customers are: RFM segments, their size and revenue, and how customers move between them. */
export const customerSegments: DashboardSpec = {
  key: 'customer-segments',
  name: 'Customer Segments',
  description: 'RFM segments for one as-of date: how many customers each holds, the revenue they bring, and how customers moved since the previous run.',
  filters: [FILTERS.as_of, FILTERS.country, FILTERS.segment],
  cards: [
    {
      key: 'segments.kpi-customers',
      title: 'Customers',
      description: 'Customers with at least one purchase invoice on or before the as-of date.',
      display: 'scalar',
      field: 'customers',
      format: 'number',
      sql: `SELECT count(*) AS customers
FROM marts.customer_rfm r
WHERE r.as_of = ${RFM}
  ${customerFilters('r')}`,
    },
    {
      key: 'segments.kpi-revenue',
      title: 'Net product revenue',
      description: 'Purchases minus cancellations over product lines, summed over the customers shown.',
      display: 'scalar',
      field: 'revenue',
      format: 'amount',
      sql: `SELECT coalesce(sum(r.monetary), 0) AS revenue
FROM marts.customer_rfm r
WHERE r.as_of = ${RFM}
  ${customerFilters('r')}`,
    },
    {
      key: 'segments.kpi-champions-share',
      title: 'Revenue share of Champions',
      description: 'Share of net product revenue that comes from the Champions segment.',
      display: 'scalar',
      field: 'champions_revenue_share',
      format: 'percent',
      sql: `SELECT coalesce(sum(s.revenue_share) FILTER (WHERE s.segment = 'Champions'), 0) AS champions_revenue_share
FROM marts.segment_summary s
WHERE s.kind = 'rfm' AND s.as_of = ${SUMMARY}`,
    },
    {
      key: 'segments.sizes',
      title: 'Customers per segment',
      description: 'Number of customers in each RFM segment.',
      display: 'bar',
      dimensions: ['segment'],
      metrics: ['customers'],
      sql: `SELECT s.segment, s.customers
FROM marts.segment_summary s
WHERE s.kind = 'rfm' AND s.as_of = ${SUMMARY}
ORDER BY s.customers DESC, s.segment`,
      vegaLite: {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'segment', type: 'nominal', sort: '-y', title: null },
          y: { field: 'customers', type: 'quantitative', title: 'Customers' },
        },
      },
    },
    {
      key: 'segments.revenue-share',
      title: 'Revenue share per segment',
      description: 'Share of net product revenue brought by each RFM segment.',
      display: 'row',
      dimensions: ['segment'],
      metrics: ['revenue_share'],
      sql: `SELECT s.segment, s.revenue_share, s.revenue
FROM marts.segment_summary s
WHERE s.kind = 'rfm' AND s.as_of = ${SUMMARY}
ORDER BY s.revenue_share DESC, s.segment`,
      vegaLite: {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'segment', type: 'nominal', sort: '-x', title: null },
          x: { field: 'revenue_share', type: 'quantitative', axis: { format: '.0%' }, title: 'Share of revenue' },
        },
      },
    },
    {
      key: 'segments.rf-scatter',
      title: 'Recency and frequency',
      description: 'One point per customer (the 2,000 with the highest revenue): days since the last purchase against purchase invoices.',
      display: 'scatter',
      dimensions: ['recency_days'],
      metrics: ['frequency'],
      sql: `SELECT r.customer_id, r.segment, r.recency_days, r.frequency, r.monetary
FROM marts.customer_rfm r
WHERE r.as_of = ${RFM}
  ${customerFilters('r')}
ORDER BY r.monetary DESC, r.customer_id
LIMIT 2000`,
      vegaLite: {
        mark: { type: 'point', filled: true, opacity: 0.7, tooltip: true },
        encoding: {
          x: { field: 'recency_days', type: 'quantitative', title: 'Days since last purchase' },
          y: { field: 'frequency', type: 'quantitative', scale: { type: 'log' }, title: 'Purchase invoices' },
          color: { field: 'segment', type: 'nominal', title: 'Segment' },
        },
      },
    },
    {
      key: 'segments.clusters',
      title: 'Behavioural clusters',
      description: 'Customers and revenue share of each behavioural cluster (k-means on log recency, frequency and revenue).',
      display: 'bar',
      dimensions: ['cluster_name'],
      metrics: ['customers'],
      sql: `SELECT s.segment AS cluster_name, s.customers, s.revenue_share
FROM marts.segment_summary s
WHERE s.kind = 'cluster' AND s.as_of = ${SUMMARY}
ORDER BY s.customers DESC, s.segment`,
      vegaLite: {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'cluster_name', type: 'nominal', sort: '-y', title: null },
          y: { field: 'customers', type: 'quantitative', title: 'Customers' },
        },
      },
    },
    {
      key: 'segments.transitions',
      title: 'Segment transitions since the previous run',
      description: 'Customers by segment at the previous as-of date (rows) and now (columns).',
      display: 'heatmap',
      width: 24,
      dimensions: ['from_segment', 'to_segment'],
      metrics: ['customers'],
      sql: `SELECT t.from_segment, t.to_segment, t.customers
FROM marts.segment_transitions t
WHERE t.as_of = ${snapshotOf('marts.segment_transitions')}
ORDER BY t.from_segment, t.to_segment`,
      vegaLite: {
        mark: { type: 'rect', tooltip: true },
        encoding: {
          x: { field: 'to_segment', type: 'nominal', title: 'Now' },
          y: { field: 'from_segment', type: 'nominal', title: 'Previous run' },
          color: { field: 'customers', type: 'quantitative', title: 'Customers', scale: { scheme: 'blues' } },
        },
      },
    },
  ],
};
