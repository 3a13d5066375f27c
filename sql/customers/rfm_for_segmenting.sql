-- The RFM snapshot of as_of $1, in customer order, as the clustering models read it.
SELECT customer_id, recency_days, frequency, monetary::float8 AS monetary, t AS tenure_days
FROM marts.customer_rfm
WHERE as_of = $1::date
ORDER BY customer_id
