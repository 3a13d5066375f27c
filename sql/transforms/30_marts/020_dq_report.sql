-- grain: one cleaning rule per batch (every current batch gets every rule, zero included)
TRUNCATE marts.dq_report;

INSERT INTO marts.dq_report (batch_id, rule, rows)
WITH per_batch AS (
  SELECT b.batch_id,
         b.rows_read,
         b.rows_loaded,
         b.rows_rejected,
         count(s.line_no) FILTER (WHERE s.is_duplicate) AS duplicate,
         count(s.line_no) FILTER (WHERE s.is_missing_customer) AS missing_customer,
         count(s.line_no) FILTER (WHERE s.is_non_product) AS non_product,
         count(s.line_no) FILTER (WHERE s.is_non_positive_price) AS non_positive_price,
         count(s.line_no) FILTER (WHERE s.is_cancellation) AS cancellation,
         count(s.line_no) FILTER (WHERE s.cancellation_matched) AS cancellation_matched,
         count(s.line_no) FILTER (WHERE s.country IS DISTINCT FROM s.country_source) AS country_normalised,
         count(s.line_no) FILTER (WHERE s.is_product_line) AS product_line
  FROM ops.batches b
  LEFT JOIN staging.order_lines s ON s.batch_id = b.batch_id
  WHERE b.status = 'loaded'
  GROUP BY b.batch_id, b.rows_read, b.rows_loaded, b.rows_rejected
)
SELECT p.batch_id, r.rule, r.rows
FROM per_batch p
CROSS JOIN LATERAL (VALUES
  ('rows_read', p.rows_read),
  ('rows_loaded', p.rows_loaded),
  ('rows_rejected', p.rows_rejected),
  ('duplicate', p.duplicate),
  ('missing_customer', p.missing_customer),
  ('non_product', p.non_product),
  ('non_positive_price', p.non_positive_price),
  ('cancellation', p.cancellation),
  ('cancellation_matched', p.cancellation_matched),
  ('country_normalised', p.country_normalised),
  ('product_line', p.product_line)
) AS r(rule, rows);
