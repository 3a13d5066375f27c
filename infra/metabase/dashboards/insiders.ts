import { FILTERS, snapshotOf } from '../filters.js';
import type { DashboardSpec } from '../spec-types.js';

const LIST = snapshotOf('marts.insiders');

/** The Insiders loyalty list: who is on it and why, who joined and who left. */
export const insiders: DashboardSpec = {
  key: 'insiders',
  name: 'Insiders',
  description: 'Customers eligible for the Insiders loyalty programme, the reasons they qualify, and the changes since the previous run.',
  filters: [FILTERS.as_of, FILTERS.country],
  cards: [
    {
      key: 'insiders.kpi-members',
      title: 'Insiders',
      description: 'Customers on the Insiders list.',
      display: 'scalar',
      field: 'members',
      format: 'number',
      sql: `SELECT count(*) AS members
FROM marts.insiders i
JOIN marts.customer_rfm r ON r.as_of = i.as_of AND r.customer_id = i.customer_id
WHERE i.as_of = ${LIST}
  [[AND r.country = {{country}}]]`,
    },
    {
      key: 'insiders.kpi-joined',
      title: 'Joined since the previous run',
      description: 'Customers who are on the list now and were not at the previous as-of date.',
      display: 'scalar',
      field: 'joined',
      format: 'number',
      sql: `SELECT count(*) AS joined
FROM marts.insiders_changes c
LEFT JOIN marts.customer_rfm r ON r.as_of = c.as_of AND r.customer_id = c.customer_id
WHERE c.change = 'joined' AND c.as_of = ${LIST}
  [[AND r.country = {{country}}]]`,
    },
    {
      key: 'insiders.kpi-left',
      title: 'Left since the previous run',
      description: 'Customers who were on the list at the previous as-of date and are not now.',
      display: 'scalar',
      field: 'left',
      format: 'number',
      sql: `SELECT count(*) AS left
FROM marts.insiders_changes c
LEFT JOIN marts.customer_rfm r ON r.as_of = c.as_of AND r.customer_id = c.customer_id
WHERE c.change = 'left' AND c.as_of = ${LIST}
  [[AND r.country = {{country}}]]`,
    },
    {
      key: 'insiders.by-segment',
      title: 'Insiders per RFM segment',
      description: 'Where the Insiders sit among the RFM segments.',
      display: 'bar',
      width: 24,
      dimensions: ['segment'],
      metrics: ['members'],
      sql: `SELECT r.segment, count(*) AS members
FROM marts.insiders i
JOIN marts.customer_rfm r ON r.as_of = i.as_of AND r.customer_id = i.customer_id
WHERE i.as_of = ${LIST}
  [[AND r.country = {{country}}]]
GROUP BY r.segment
ORDER BY members DESC, r.segment`,
      vegaLite: {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'segment', type: 'nominal', sort: '-y', title: null },
          y: { field: 'members', type: 'quantitative', title: 'Insiders' },
        },
      },
    },
    {
      key: 'insiders.list',
      title: 'The Insiders list',
      description: 'Eligible customers by rank, with the reasons they qualify.',
      display: 'table',
      sql: `SELECT i.rank, i.customer_id, round(i.score::numeric, 3) AS score, i.reasons, r.segment, r.country,
       round(v.clv_365d::numeric, 2) AS clv_365d
FROM marts.insiders i
JOIN marts.customer_rfm r ON r.as_of = i.as_of AND r.customer_id = i.customer_id
LEFT JOIN marts.customer_clv v ON v.as_of = i.as_of AND v.customer_id = i.customer_id
WHERE i.as_of = ${LIST}
  [[AND r.country = {{country}}]]
ORDER BY i.rank, i.customer_id`,
    },
    {
      key: 'insiders.changes',
      title: 'Joined and left',
      description: 'Customers who joined or left the list since the previous as-of date, and why.',
      display: 'table',
      sql: `SELECT c.change, c.customer_id, c.reason, c.previous_as_of, r.segment, r.country
FROM marts.insiders_changes c
LEFT JOIN marts.customer_rfm r ON r.as_of = c.as_of AND r.customer_id = c.customer_id
WHERE c.as_of = ${LIST}
  [[AND r.country = {{country}}]]
ORDER BY c.change, c.customer_id`,
    },
  ],
};
