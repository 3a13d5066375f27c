-- The slice of ops that dashboards show, exposed in marts because insiders_reader cannot read ops.
-- Views run with their owner's rights, so the reader sees these columns and no others.

-- grain: one run of one job (stats and step kept: they say where a failed run stopped)
CREATE VIEW marts.job_runs AS
SELECT run_id, job, as_of, status, started_at, finished_at,
       extract(epoch FROM finished_at - started_at)::float8 AS seconds,
       step, error, stats
FROM ops.job_runs;

-- grain: one source object loaded
CREATE VIEW marts.batches AS
SELECT batch_id, source_uri, layout, encoding, status, rows_read, rows_loaded, rows_rejected,
       started_at, finished_at, replaced_by
FROM ops.batches;

-- grain: one rejected input row, the latest 1000 (newest batches first): enough to see what
-- goes wrong without handing every raw line to the dashboard.
CREATE VIEW marts.rejected_rows_sample AS
SELECT r.batch_id, b.source_uri, r.line_no, r.reason, r.raw
FROM ops.rejected_rows r
JOIN ops.batches b ON b.batch_id = r.batch_id
ORDER BY r.batch_id DESC, r.line_no
LIMIT 1000;

-- Default privileges already cover these views; the grant says so where the views are made.
GRANT SELECT ON marts.job_runs, marts.batches, marts.rejected_rows_sample TO insiders_reader;
