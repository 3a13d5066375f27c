-- grain: one customer of the RFM snapshot of as_of $1: the BTYD inputs (daily grain) the CLV models read.
SELECT customer_id, x, t_x, t, monetary_value::float8 AS monetary_value
FROM marts.customer_rfm
WHERE as_of = $1::date
ORDER BY customer_id
