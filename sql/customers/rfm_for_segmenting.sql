-- The RFM snapshot of as_of $1, in customer order, named as the clustering models read it
-- (the rows are the models' input as they come, with no second copy of a million customers).
SELECT customer_id AS "customerId",
       recency_days AS "recencyDays",
       frequency,
       monetary::float8 AS monetary,
       t AS "tenureDays"
FROM marts.customer_rfm
WHERE as_of = $1::date
ORDER BY customer_id
