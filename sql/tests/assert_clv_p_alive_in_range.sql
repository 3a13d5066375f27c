-- P(alive) at as_of $1 is a probability: within [0, 1] and not NaN. Failing rows: the customer and p_alive as text.
SELECT customer_id, p_alive::text AS p_alive
FROM marts.customer_clv
WHERE as_of = $1::date
  AND (p_alive = 'NaN' OR p_alive < 0 OR p_alive > 1)
