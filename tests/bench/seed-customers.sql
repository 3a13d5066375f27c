-- $1 synthetic customers in marts.customer_rfm at as_of 2011-12-09, for timing the segment job:
-- heavy-tailed frequency and spend, recency over two years. setseed makes the rows repeatable.
WITH seed AS (SELECT setseed(0.42)),
drawn AS (
  SELECT g,
         floor(random() * 730)::integer AS recency,
         1 + floor(-ln(1 - random()) * CASE WHEN random() < 0.2 THEN 12 ELSE 3 END)::integer AS frequency,
         random() AS spend
  FROM seed, generate_series(1, $1::integer) AS g
)
INSERT INTO marts.customer_rfm (as_of, customer_id, country, recency_days, frequency, monetary, first_purchase,
                                last_purchase, r_score, f_score, m_score, segment, x, t_x, t, monetary_value)
SELECT date '2011-12-09', 'C' || lpad(g::text, 8, '0'), 'United Kingdom', recency, frequency,
       round((frequency * 20 * exp(spend * 3))::numeric, 2),
       date '2011-12-09' - (recency + frequency * 7), date '2011-12-09' - recency,
       1, 1, 1, 'Lost', frequency - 1, frequency * 7, recency + frequency * 7, 0
FROM drawn
