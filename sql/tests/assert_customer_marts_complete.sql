-- Every customer of customer_rfm at as_of $1 has a customer_clv and a customer_clusters row, and neither
-- has a customer that customer_rfm lacks. A table with no rows for $1 is not checked (its job has not run yet).
-- Failing rows: the customer and the table that is missing them.
WITH rfm AS (
  SELECT customer_id FROM marts.customer_rfm WHERE as_of = $1::date
),
clv AS (
  SELECT customer_id FROM marts.customer_clv WHERE as_of = $1::date
),
clusters AS (
  SELECT customer_id FROM marts.customer_clusters WHERE as_of = $1::date
)
SELECT r.customer_id, 'missing from marts.customer_clv' AS problem
FROM rfm r LEFT JOIN clv v ON v.customer_id = r.customer_id
WHERE v.customer_id IS NULL AND EXISTS (SELECT 1 FROM clv)
UNION ALL
SELECT r.customer_id, 'missing from marts.customer_clusters'
FROM rfm r LEFT JOIN clusters k ON k.customer_id = r.customer_id
WHERE k.customer_id IS NULL AND EXISTS (SELECT 1 FROM clusters)
UNION ALL
SELECT v.customer_id, 'in marts.customer_clv but not in marts.customer_rfm'
FROM clv v LEFT JOIN rfm r ON r.customer_id = v.customer_id
WHERE r.customer_id IS NULL
UNION ALL
SELECT k.customer_id, 'in marts.customer_clusters but not in marts.customer_rfm'
FROM clusters k LEFT JOIN rfm r ON r.customer_id = k.customer_id
WHERE r.customer_id IS NULL
