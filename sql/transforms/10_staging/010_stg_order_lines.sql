-- grain: one loaded input line of every current batch, typed and flagged.
-- Rebuilt whole on each run, so a rerun gives the same rows whatever ran before.
TRUNCATE staging.order_lines;

INSERT INTO staging.order_lines
WITH typed AS (
  SELECT t.*
  FROM staging.typed_lines t
  JOIN ops.batches b ON b.batch_id = t.batch_id AND b.status = 'loaded'
),
non_product AS (
  -- The configured codes as two arrays, built once (an InitPlan), so each line costs an array test.
  SELECT coalesce(array_agg(upper(code)) FILTER (WHERE NOT is_prefix), '{}') AS exact,
         coalesce(array_agg(upper(code) || '%') FILTER (WHERE is_prefix), '{}') AS prefixes
  FROM staging.non_product_codes
),
flagged AS (
  SELECT t.*,
         t.invoice_no LIKE 'C%' AS is_cancellation,
         row_number() OVER (
           -- Byte order ("C") is enough to group equal values and sorts far faster than a locale.
           PARTITION BY t.invoice_no COLLATE "C", t.stock_code COLLATE "C", t.description COLLATE "C", t.quantity,
                        t.invoiced_at, t.unit_price, t.customer_id COLLATE "C", t.country_source COLLATE "C"
           ORDER BY t.batch_id, t.line_no
         ) > 1 AS is_duplicate,
         (upper(t.stock_code) = ANY (np.exact) OR upper(t.stock_code) LIKE ANY (np.prefixes)) AS is_non_product
  FROM typed t
  CROSS JOIN non_product np
),
matched AS (
  -- Whether the customer had bought the stock code at or before each line (a running bool_or in
  -- time order; RANGE makes lines at the same instant peers): what a cancellation can match.
  SELECT f.*,
         bool_or(NOT f.is_cancellation AND NOT f.is_duplicate AND f.quantity > 0) OVER (
           PARTITION BY f.customer_id COLLATE "C", f.stock_code COLLATE "C"
           ORDER BY f.invoiced_at
           RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
         ) AS bought_before
  FROM flagged f
)
SELECT f.batch_id,
       f.line_no,
       f.invoice_no,
       f.stock_code,
       f.description,
       f.quantity,
       f.unit_price,
       f.quantity * f.unit_price AS line_total,
       f.invoiced_at,
       f.invoiced_at::date AS invoice_date,
       f.customer_id,
       coalesce(cm.country, f.country_source, 'Unknown') AS country,
       f.country_source,
       f.is_cancellation,
       f.is_duplicate,
       f.customer_id IS NULL AS is_missing_customer,
       f.is_non_product,
       f.unit_price <= 0 AS is_non_positive_price,
       NOT f.is_duplicate AND NOT f.is_non_product AND f.unit_price > 0 AS is_product_line,
       CASE WHEN f.is_cancellation THEN f.customer_id IS NOT NULL AND f.bought_before END AS cancellation_matched
FROM matched f
LEFT JOIN staging.country_map cm ON cm.source = f.country_source;
