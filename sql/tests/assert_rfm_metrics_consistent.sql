-- Customer metrics of as_of $1 obey their definitions (README, "Customer metrics"): a customer has at
-- least one purchase, recency and BTYD ages are whole days from first and last purchase, so
-- t = t_x + recency_days, and x (repeat purchase days) is between 0 and frequency − 1.
-- Failing rows: the customer and each rule broken.
WITH checks AS (
  SELECT customer_id,
         concat_ws('; ',
           CASE WHEN frequency < 1 THEN 'frequency ' || frequency || ' < 1' END,
           CASE WHEN recency_days < 0 THEN 'recency_days ' || recency_days || ' < 0' END,
           CASE WHEN t_x < 0 THEN 't_x ' || t_x || ' < 0' END,
           CASE WHEN t < t_x THEN 't ' || t || ' < t_x ' || t_x END,
           CASE WHEN t <> t_x + recency_days THEN 't ' || t || ' <> t_x + recency_days ' || (t_x + recency_days) END,
           CASE WHEN x < 0 THEN 'x ' || x || ' < 0' END,
           CASE WHEN x > frequency - 1 THEN 'x ' || x || ' > frequency - 1' END,
           CASE WHEN monetary_value < 0 OR monetary_value = 'NaN' THEN 'monetary_value ' || monetary_value END
         ) AS problem
  FROM marts.customer_rfm
  WHERE as_of = $1::date
)
SELECT customer_id, problem FROM checks WHERE problem <> ''
