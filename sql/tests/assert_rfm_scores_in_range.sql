-- R, F and M scores of as_of $1 are 1..5. Failing rows: the customer and the three scores.
SELECT customer_id, r_score, f_score, m_score
FROM marts.customer_rfm
WHERE as_of = $1::date
  AND (r_score NOT BETWEEN 1 AND 5 OR f_score NOT BETWEEN 1 AND 5 OR m_score NOT BETWEEN 1 AND 5)
