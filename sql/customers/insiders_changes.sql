-- grain: one customer who joined or left the Insiders list at $1, against the latest earlier list in
-- marts.insiders (on the first list there is none: previous_as_of is NULL and every member joined).
-- Run after insiders.sql for $1, with the same parameters. A customer who left is explained by the tests
-- of the rule (staging.insiders_judged, as for insiders.sql) that they fail at $1.
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
tested AS (
  SELECT * FROM staging.insiders_judged($1::date, $2::float8, $3::integer, $4::numeric, $6::boolean)
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
