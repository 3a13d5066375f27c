-- For each kind of segment_summary at as_of $1 (rfm, cluster, value_tier) the segments' customers add up
-- to the customers of customer_rfm and their revenue to its monetary (to the penny).
-- Failing rows: the kind and both sides of each sum.
WITH summary AS (
  SELECT kind, sum(customers) AS customers, sum(revenue) AS revenue
  FROM marts.segment_summary
  WHERE as_of = $1::date
  GROUP BY kind
),
rfm AS (
  SELECT count(*) AS customers, coalesce(sum(monetary), 0) AS revenue
  FROM marts.customer_rfm
  WHERE as_of = $1::date
)
SELECT s.kind, s.customers, r.customers AS rfm_customers, s.revenue, r.revenue AS rfm_revenue
FROM summary s
CROSS JOIN rfm r
WHERE s.customers <> r.customers OR abs(s.revenue - r.revenue) >= 0.01
