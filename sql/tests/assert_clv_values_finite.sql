-- Expected purchases, order value and CLV at as_of $1 are finite and not negative (Postgres sorts NaN
-- above every number, so "< 0" alone would let it through). Failing rows: the customer and each bad column.
WITH checks AS (
  SELECT customer_id,
         concat_ws('; ',
           CASE WHEN expected_purchases_90d  IN ('NaN', 'Infinity', '-Infinity') OR expected_purchases_90d  < 0 THEN 'expected_purchases_90d '  || expected_purchases_90d END,
           CASE WHEN expected_purchases_180d IN ('NaN', 'Infinity', '-Infinity') OR expected_purchases_180d < 0 THEN 'expected_purchases_180d ' || expected_purchases_180d END,
           CASE WHEN expected_purchases_365d IN ('NaN', 'Infinity', '-Infinity') OR expected_purchases_365d < 0 THEN 'expected_purchases_365d ' || expected_purchases_365d END,
           CASE WHEN expected_order_value    IN ('NaN', 'Infinity', '-Infinity') OR expected_order_value    < 0 THEN 'expected_order_value '    || expected_order_value END,
           CASE WHEN clv_180d                IN ('NaN', 'Infinity', '-Infinity') OR clv_180d                < 0 THEN 'clv_180d '                || clv_180d END,
           CASE WHEN clv_365d                IN ('NaN', 'Infinity', '-Infinity') OR clv_365d                < 0 THEN 'clv_365d '                || clv_365d END
         ) AS problem
  FROM marts.customer_clv
  WHERE as_of = $1::date
)
SELECT customer_id, problem FROM checks WHERE problem <> ''
