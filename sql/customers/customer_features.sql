-- grain: one customer with at least one purchase invoice on or before as_of ($1, the last day included).
-- Definitions (README, "Customer metrics"): a purchase invoice is not a cancellation and nets > 0 over
-- product lines; monetary nets all product lines (cancellations included); BTYD inputs at daily grain.
WITH lines AS (
  SELECT customer_id, invoice_no, invoice_date, is_cancellation, revenue, country
  FROM marts.fct_sales
  WHERE customer_id IS NOT NULL AND invoice_date <= $1::date
),
invoices AS (
  SELECT customer_id, invoice_no, min(invoice_date) AS invoice_date, bool_or(is_cancellation) AS is_cancellation,
         sum(revenue) AS total
  FROM lines
  GROUP BY customer_id, invoice_no
),
purchases AS (
  SELECT customer_id, invoice_no, invoice_date, total
  FROM invoices
  WHERE NOT is_cancellation AND total > 0
),
purchase_days AS (
  SELECT customer_id, invoice_date, sum(total) AS day_total, count(*) AS invoices,
         min(invoice_date) OVER (PARTITION BY customer_id) AS first_day
  FROM purchases
  GROUP BY customer_id, invoice_date
),
btyd AS (
  SELECT customer_id,
         sum(invoices)::integer AS frequency,
         (count(*) - 1)::integer AS x,
         min(invoice_date) AS first_purchase,
         max(invoice_date) AS last_purchase,
         coalesce(avg(day_total) FILTER (WHERE invoice_date > first_day), 0) AS monetary_value
  FROM purchase_days
  GROUP BY customer_id
),
spend AS (
  SELECT customer_id, sum(revenue) AS monetary, mode() WITHIN GROUP (ORDER BY country) AS country
  FROM lines
  GROUP BY customer_id
)
SELECT b.customer_id,
       s.country,
       ($1::date - b.last_purchase) AS recency_days,
       b.frequency,
       s.monetary,
       b.first_purchase::text AS first_purchase,
       b.last_purchase::text AS last_purchase,
       b.x,
       (b.last_purchase - b.first_purchase) AS t_x,
       ($1::date - b.first_purchase) AS t,
       round(b.monetary_value, 4) AS monetary_value
FROM btyd b
JOIN spend s ON s.customer_id = b.customer_id
ORDER BY b.customer_id
