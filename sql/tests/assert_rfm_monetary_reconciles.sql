-- monetary in customer_rfm at as_of $1 is the customer's net product revenue in marts.fct_sales on or
-- before $1 (to the penny: amounts pass through doubles on their way into the mart).
-- Failing rows: the customer, the mart's figure and the sales figure.
WITH sales AS (
  SELECT customer_id, sum(revenue) AS revenue
  FROM marts.fct_sales
  WHERE customer_id IS NOT NULL AND invoice_date <= $1::date
  GROUP BY customer_id
)
SELECT r.customer_id, r.monetary, s.revenue AS sales_revenue
FROM marts.customer_rfm r
LEFT JOIN sales s ON s.customer_id = r.customer_id
WHERE r.as_of = $1::date
  AND (s.customer_id IS NULL OR abs(r.monetary - s.revenue) >= 0.005)
