-- What the insiders job needs for as_of $1: the RFM snapshot (segment, frequency) and the CLV snapshot (p_alive, clv_365d).
SELECT (SELECT count(*) FROM marts.customer_rfm WHERE as_of = $1::date) AS rfm,
       (SELECT count(*) FROM marts.customer_clv WHERE as_of = $1::date) AS clv
