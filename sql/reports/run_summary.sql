-- One row: what the warehouse holds now (current batches only).
SELECT
  (SELECT coalesce(sum(rows_read), 0) FROM ops.batches WHERE status = 'loaded') AS rows_read,
  (SELECT coalesce(sum(rows_loaded), 0) FROM ops.batches WHERE status = 'loaded') AS rows_loaded,
  (SELECT coalesce(sum(rows_rejected), 0) FROM ops.batches WHERE status = 'loaded') AS rows_rejected,
  (SELECT count(DISTINCT customer_id) FROM marts.fct_sales) AS customers,
  (SELECT coalesce(sum(revenue), 0) FROM marts.fct_sales) AS net_revenue,
  (SELECT min(invoice_date)::text FROM marts.fct_sales) AS first_day,
  (SELECT max(invoice_date)::text FROM marts.fct_sales) AS last_day
