-- grain: one eligible customer per as_of ($1).
-- The Insiders rule (README, "Insiders"), over customers with both an RFM and a CLV row for $1:
--   eligible = (p_alive >= $2 AND frequency >= $3 AND among the ceil($4 × customers) best by clv_365d)
--              OR ($6 AND segment = 'Champions')
--   score    = clv_365d, the predicted value of the next 12 months: what the programme is worth keeping.
--   rank     = by score desc, customer_id; $5 (when not null) keeps ranks 1..$5.
-- Ranks run over the per-customer rows with customer_id as tie-breaker (deterministic, Citus-safe).
-- insiders_changes.sql repeats the tests to explain who left: change the two together.
INSERT INTO marts.insiders (as_of, customer_id, rank, score, reasons)
WITH customers AS (
  SELECT v.customer_id, v.p_alive, v.clv_365d, r.frequency, r.segment
  FROM marts.customer_clv v
  JOIN marts.customer_rfm r ON r.as_of = v.as_of AND r.customer_id = v.customer_id
  WHERE v.as_of = $1::date
),
by_value AS (
  SELECT *,
         row_number() OVER (ORDER BY clv_365d DESC, customer_id) AS clv_rank,
         count(*) OVER () AS customers
  FROM customers
),
judged AS (
  SELECT *,
         clv_rank <= ceil($4::numeric * customers) AS top_value,
         ceil(100 * clv_rank::numeric / customers)::integer AS top_percent,
         ($6::boolean AND segment = 'Champions') AS champion
  FROM by_value
),
members AS (
  SELECT *, row_number() OVER (ORDER BY clv_365d DESC, customer_id) AS rank
  FROM judged
  WHERE champion OR (p_alive >= $2::float8 AND frequency >= $3::integer AND top_value)
)
SELECT $1::date, customer_id, rank, clv_365d,
       concat_ws('; ',
         CASE WHEN champion THEN 'Champions segment' END,
         'P(alive) ' || to_char(p_alive, 'FM0.00'),
         frequency || CASE WHEN frequency = 1 THEN ' purchase' ELSE ' purchases' END,
         CASE WHEN top_value
              THEN 'top ' || top_percent || '% by 12-month CLV (£' || to_char(clv_365d, 'FM999,999,999,990') || ')'
              ELSE '12-month CLV £' || to_char(clv_365d, 'FM999,999,999,990')
         END)
FROM members
WHERE $5::integer IS NULL OR rank <= $5::integer
RETURNING customer_id
