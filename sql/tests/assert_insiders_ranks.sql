-- The Insiders list of as_of $1 is ranked 1..n without gaps or repeats, in order of score (highest first).
-- Failing rows: the customer, its rank, the rank it should have by position, and what is wrong.
WITH ordered AS (
  SELECT customer_id, rank, score,
         row_number() OVER (ORDER BY rank, customer_id) AS position,
         lag(score) OVER (ORDER BY rank, customer_id) AS score_above
  FROM marts.insiders
  WHERE as_of = $1::date
)
SELECT customer_id, rank, position,
       concat_ws('; ',
         CASE WHEN rank <> position THEN 'rank ' || rank || ' at position ' || position END,
         CASE WHEN score > score_above THEN 'score ' || score || ' above the rank before (' || score_above || ')' END) AS problem
FROM ordered
WHERE rank <> position OR score > score_above
