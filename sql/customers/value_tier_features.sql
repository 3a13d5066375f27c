-- grain: one customer with at least one purchase invoice in the feature window ($1 − $2 days, $1].
-- $1 = the cutoff (last day of the features), $2 = the window in days, $3 = the last day of the
-- target period ($1, $3]. A purchase invoice as in customer_features.sql: not a cancellation, net
-- product total > 0. Window features: recency (days from the last purchase in the window to the
-- cutoff), frequency (purchase invoices), monetary (net product revenue); tenure counts from the
-- first purchase ever. Target: net product revenue in the target period (cancellations netted).
WITH lines AS (
  SELECT customer_id, invoice_no, invoice_date, is_cancellation, revenue
  FROM marts.fct_sales
  WHERE customer_id IS NOT NULL AND invoice_date <= $3::date
),
purchases AS (
  SELECT customer_id, invoice_no, min(invoice_date) AS invoice_date
  FROM lines
  WHERE invoice_date <= $1::date
  GROUP BY customer_id, invoice_no
  HAVING NOT bool_or(is_cancellation) AND sum(revenue) > 0
),
history AS (
  SELECT customer_id,
         min(invoice_date) AS first_purchase,
         max(invoice_date) FILTER (WHERE invoice_date > $1::date - $2::integer) AS last_in_window,
         count(*) FILTER (WHERE invoice_date > $1::date - $2::integer) AS window_invoices
  FROM purchases
  GROUP BY customer_id
),
revenue AS (
  SELECT customer_id,
         sum(revenue) FILTER (WHERE invoice_date > $1::date - $2::integer AND invoice_date <= $1::date) AS window_revenue,
         coalesce(sum(revenue) FILTER (WHERE invoice_date > $1::date), 0) AS next_revenue
  FROM lines
  GROUP BY customer_id
)
SELECT h.customer_id,
       ($1::date - h.last_in_window) AS recency_days,
       h.window_invoices::integer AS frequency,
       r.window_revenue::float8 AS monetary,
       ($1::date - h.first_purchase) AS tenure_days,
       r.next_revenue::float8 AS next_revenue
FROM history h
JOIN revenue r ON r.customer_id = h.customer_id
WHERE h.window_invoices > 0
ORDER BY h.customer_id
