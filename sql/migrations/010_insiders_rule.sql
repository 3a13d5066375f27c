-- The Insiders rule, in one place for the list (sql/customers/insiders.sql) and for explaining who
-- left it (insiders_changes.sql): every customer with both an RFM and a CLV row at p_as_of, judged.
--   top_value = among the ceil(top_share × customers) best by clv_365d (ties broken by customer_id)
--   eligible  = champion OR (p_alive >= min_p_alive AND frequency >= min_purchases AND top_value)
-- A single-SELECT SQL function, so the planner inlines it into the caller's query.
CREATE FUNCTION staging.insiders_judged(
  p_as_of date, min_p_alive float8, min_purchases integer, top_share numeric, include_champions boolean
) RETURNS TABLE (
  customer_id text, p_alive float8, clv_365d float8, frequency integer, segment text,
  top_value boolean, top_percent integer, champion boolean, eligible boolean
)
LANGUAGE sql STABLE AS $$
  WITH customers AS (
    SELECT v.customer_id, v.p_alive, v.clv_365d, r.frequency, r.segment
    FROM marts.customer_clv v
    JOIN marts.customer_rfm r ON r.as_of = v.as_of AND r.customer_id = v.customer_id
    WHERE v.as_of = p_as_of
  ),
  by_value AS (
    SELECT *,
           row_number() OVER (ORDER BY clv_365d DESC, customer_id) AS clv_rank,
           count(*) OVER () AS customers
    FROM customers
  ),
  judged AS (
    SELECT customer_id, p_alive, clv_365d, frequency, segment,
           clv_rank <= ceil(top_share * customers) AS top_value,
           ceil(100 * clv_rank::numeric / customers)::integer AS top_percent,
           (include_champions AND segment = 'Champions') AS champion
    FROM by_value
  )
  SELECT *, champion OR (p_alive >= min_p_alive AND frequency >= min_purchases AND top_value) AS eligible
  FROM judged
$$;
