-- grain: at most one row: the latest converged fit of model $2 before as_of $1 (what a degraded fit falls back to).
SELECT as_of::text AS as_of, params
FROM marts.clv_models
WHERE model = $2 AND as_of < $1::date AND status = 'converged'
ORDER BY as_of DESC
LIMIT 1
