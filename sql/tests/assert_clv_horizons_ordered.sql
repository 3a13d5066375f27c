-- A longer horizon never predicts less at as_of $1: clv_365d >= clv_180d and expected purchases over
-- 365 >= 180 >= 90 days (a relative slack of 1e-9 absorbs floating-point noise from the model).
-- Failing rows: the customer and the figures out of order.
SELECT customer_id, clv_180d, clv_365d, expected_purchases_90d, expected_purchases_180d, expected_purchases_365d
FROM marts.customer_clv
WHERE as_of = $1::date
  AND (clv_365d < clv_180d - 1e-9 * greatest(1, abs(clv_180d))
       OR expected_purchases_365d < expected_purchases_180d - 1e-9 * greatest(1, expected_purchases_180d)
       OR expected_purchases_180d < expected_purchases_90d - 1e-9 * greatest(1, expected_purchases_90d))
