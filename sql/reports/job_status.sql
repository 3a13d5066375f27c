-- The last run of each job.
SELECT DISTINCT ON (job)
  job, run_id, status, as_of::text AS as_of, started_at,
  extract(epoch FROM coalesce(finished_at, now()) - started_at)::float8 AS seconds,
  step, error,
  (stats ->> 'rowsRead')::bigint AS rows_read
FROM ops.job_runs
ORDER BY job, started_at DESC, run_id DESC
