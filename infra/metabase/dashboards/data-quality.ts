import { FILTERS } from '../filters.js';
import type { DashboardSpec } from '../spec-types.js';

/** Runs with no as-of date are "latest" runs: they belong to every As of choice. */
const RUNS_UP_TO = `[[AND (j.as_of IS NULL OR j.as_of <= {{as_of}})]]`;

/** What was loaded, what was rejected, which cleaning rules fired, and how the jobs ran. */
export const dataQuality: DashboardSpec = {
  key: 'data-quality',
  name: 'Data Quality & Runs',
  description: 'Rows read, loaded and rejected per source object, the counts of each cleaning rule, a sample of rejected rows, and the recent job runs.',
  filters: [FILTERS.as_of],
  cards: [
    {
      key: 'dq.kpi-rows-read',
      title: 'Rows read',
      description: 'Input rows of the current batches (rows read = loaded + rejected).',
      display: 'scalar',
      field: 'rows_read',
      format: 'number',
      sql: `SELECT coalesce(sum(b.rows_read), 0) AS rows_read
FROM marts.batches b
WHERE b.status = 'loaded'`,
    },
    {
      key: 'dq.kpi-rows-rejected',
      title: 'Rows rejected',
      description: 'Input rows of the current batches that could not be parsed.',
      display: 'scalar',
      field: 'rows_rejected',
      format: 'number',
      sql: `SELECT coalesce(sum(b.rows_rejected), 0) AS rows_rejected
FROM marts.batches b
WHERE b.status = 'loaded'`,
    },
    {
      key: 'dq.kpi-failing-jobs',
      title: 'Jobs whose last run failed',
      description: 'Jobs whose most recent run, up to the as-of date, ended in failure.',
      display: 'scalar',
      field: 'failing_jobs',
      format: 'number',
      sql: `WITH last_runs AS (
  SELECT DISTINCT ON (j.job) j.job, j.status
  FROM marts.job_runs j
  WHERE j.status <> 'skipped'
    ${RUNS_UP_TO}
  ORDER BY j.job, j.started_at DESC, j.run_id DESC
)
SELECT count(*) FILTER (WHERE l.status = 'failed') AS failing_jobs
FROM last_runs l`,
    },
    {
      key: 'dq.rule-counts',
      title: 'Cleaning rules',
      description: 'Rows each cleaning rule applied to, summed over the current batches.',
      display: 'row',
      dimensions: ['rule'],
      metrics: ['rows'],
      sql: `SELECT q.rule, sum(q.rows) AS rows
FROM marts.dq_report q
GROUP BY q.rule
ORDER BY rows DESC, q.rule`,
      vegaLite: {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'rule', type: 'nominal', sort: '-x', title: null },
          x: { field: 'rows', type: 'quantitative', title: 'Rows' },
        },
      },
    },
    {
      key: 'dq.job-durations',
      title: 'Duration of the last successful run',
      description: 'Seconds taken by the most recent successful run of each job.',
      display: 'bar',
      dimensions: ['job'],
      metrics: ['seconds'],
      sql: `SELECT DISTINCT ON (j.job) j.job, j.seconds, j.as_of, j.finished_at
FROM marts.job_runs j
WHERE j.status = 'succeeded'
  ${RUNS_UP_TO}
ORDER BY j.job, j.started_at DESC, j.run_id DESC`,
      vegaLite: {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'job', type: 'nominal', sort: '-y', title: null },
          y: { field: 'seconds', type: 'quantitative', title: 'Seconds' },
        },
      },
    },
    {
      key: 'dq.job-runs',
      title: 'Recent job runs',
      description: 'The 50 most recent job runs: status, the step a failed run stopped at, and its error.',
      display: 'table',
      sql: `SELECT j.run_id, j.job, j.as_of, j.status, j.started_at, round(j.seconds::numeric, 1) AS seconds, j.step, j.error
FROM marts.job_runs j
WHERE true
  ${RUNS_UP_TO}
ORDER BY j.started_at DESC, j.run_id DESC
LIMIT 50`,
    },
    {
      key: 'dq.batches',
      title: 'Batches',
      description: 'One row per source object loaded; a changed object gets a new batch and the old one is marked replaced.',
      display: 'table',
      sql: `SELECT b.batch_id, b.source_uri, b.status, b.layout, b.encoding, b.rows_read, b.rows_loaded, b.rows_rejected, b.finished_at
FROM marts.batches b
ORDER BY b.batch_id DESC
LIMIT 100`,
    },
    {
      key: 'dq.rejected-rows',
      title: 'Rejected rows (sample)',
      description: 'The most recent rows that could not be parsed, with the reason and the raw text.',
      display: 'table',
      sql: `SELECT s.batch_id, s.line_no, s.reason, s.raw
FROM marts.rejected_rows_sample s
ORDER BY s.batch_id DESC, s.line_no
LIMIT 200`,
    },
  ],
};
