-- grain: one (segment at the previous as_of, segment at $1) pair; '(new)' = no purchase before.
INSERT INTO marts.segment_transitions (as_of, previous_as_of, from_segment, to_segment, customers)
WITH prev AS (
  SELECT max(as_of) AS as_of FROM marts.customer_rfm WHERE as_of < $1::date
),
now_rows AS (
  SELECT customer_id, segment FROM marts.customer_rfm WHERE as_of = $1::date
),
prev_rows AS (
  SELECT r.customer_id, r.segment FROM marts.customer_rfm r JOIN prev p ON r.as_of = p.as_of
)
SELECT $1::date, p.as_of, coalesce(b.segment, '(new)'), coalesce(n.segment, '(gone)'), count(*)
FROM now_rows n
FULL JOIN prev_rows b ON b.customer_id = n.customer_id
CROSS JOIN prev p
WHERE p.as_of IS NOT NULL
GROUP BY p.as_of, coalesce(b.segment, '(new)'), coalesce(n.segment, '(gone)')
