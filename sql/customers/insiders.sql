-- grain: one eligible customer per as_of ($1).
-- The Insiders rule (README, "Insiders"), over customers with both an RFM and a CLV row for $1:
--   eligible = (p_alive >= $2 AND frequency >= $3 AND among the ceil($4 × customers) best by clv_365d)
--              OR ($6 AND segment = 'Champions')
--   score    = clv_365d, the predicted value of the next 12 months: what the programme is worth keeping.
--   rank     = by score desc, customer_id; $5 (when not null) keeps ranks 1..$5.
-- Ranks run over the per-customer rows with customer_id as tie-breaker (deterministic, Citus-safe).
-- The rule itself is staging.insiders_judged (migration 010), shared with insiders_changes.sql.
INSERT INTO marts.insiders (as_of, customer_id, rank, score, reasons)
WITH members AS (
  SELECT *, row_number() OVER (ORDER BY clv_365d DESC, customer_id) AS rank
  FROM staging.insiders_judged($1::date, $2::float8, $3::integer, $4::numeric, $6::boolean)
  WHERE eligible
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
