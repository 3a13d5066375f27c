-- grain: one customer with at least one purchase invoice dated in ($1, $2]: $1 = the calibration
-- as_of (excluded), $2 = the last day included. A purchase invoice as in customer_features.sql:
-- not a cancellation, net product total > 0. Counts distinct purchase days, the unit in which the
-- BTYD inputs count repeat purchases (x), so predictions and actuals are comparable.
WITH invoices AS (
  SELECT customer_id, invoice_no, min(invoice_date) AS invoice_date
  FROM marts.fct_sales
  WHERE customer_id IS NOT NULL AND invoice_date > $1::date AND invoice_date <= $2::date
  GROUP BY customer_id, invoice_no
  HAVING NOT bool_or(is_cancellation) AND sum(revenue) > 0
)
SELECT customer_id, count(DISTINCT invoice_date)::integer AS purchase_days
FROM invoices
GROUP BY customer_id
ORDER BY customer_id
