-- grain: one customer who joined or left the Insiders list at $1, against the latest earlier list in
-- marts.insiders (on the first list there is none: previous_as_of is NULL and every member joined).
-- Run after insiders.sql for $1, with the same parameters. A customer who left is explained by the tests
-- of the rule (as in insiders.sql) that they fail at $1.
INSERT INTO marts.insiders_changes (as_of, customer_id, previous_as_of, change, reason)
WITH previous AS (
  SELECT max(as_of) AS as_of FROM marts.insiders WHERE as_of < $1::date
),
now_members AS (
  SELECT customer_id, reasons FROM marts.insiders WHERE as_of = $1::date
),
previous_members AS (
  SELECT i.customer_id, r.segment AS previous_segment
  FROM marts.insiders i
  JOIN previous p ON p.as_of = i.as_of
  LEFT JOIN marts.customer_rfm r ON r.as_of = i.as_of AND r.customer_id = i.customer_id
),
customers AS (
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
         ceil(100 * clv_rank::numeric / customers)::integer AS top_percent
  FROM by_value
),
tested AS (
  SELECT *,
         ($6::boolean AND segment = 'Champions')
         OR (p_alive >= $2::float8 AND frequency >= $3::integer AND top_value) AS eligible
  FROM judged
)
SELECT $1::date, n.customer_id, p.as_of, 'joined', n.reasons
FROM now_members n
CROSS JOIN previous p
LEFT JOIN previous_members b ON b.customer_id = n.customer_id
WHERE b.customer_id IS NULL
UNION ALL
SELECT $1::date, b.customer_id, p.as_of, 'left',
       CASE WHEN j.customer_id IS NULL THEN 'no RFM and CLV rows at this as_of'
            WHEN j.eligible THEN 'still eligible but outside the cap of ' || $5::integer || ' members'
            -- Not a Champion now (or Champions do not count), so the value branch failed somewhere.
            ELSE concat_ws('; ',
              CASE WHEN $6::boolean AND b.previous_segment = 'Champions' AND j.segment <> 'Champions'
                   THEN 'no longer Champions' END,
              CASE WHEN j.p_alive < $2::float8
                   THEN 'P(alive) ' || to_char(j.p_alive, 'FM0.00') || ', below ' || to_char($2::float8, 'FM0.00') END,
              CASE WHEN j.frequency < $3::integer
                   THEN j.frequency || CASE WHEN j.frequency = 1 THEN ' purchase' ELSE ' purchases' END
                        || ', fewer than ' || $3::integer END,
              CASE WHEN NOT j.top_value
                   THEN 'not in top ' || trim_scale(100 * $4::numeric) || '% by 12-month CLV (top ' || j.top_percent || '%)' END
            )
       END
FROM previous_members b
CROSS JOIN previous p
LEFT JOIN now_members n ON n.customer_id = b.customer_id
LEFT JOIN tested j ON j.customer_id = b.customer_id
WHERE n.customer_id IS NULL
RETURNING change
