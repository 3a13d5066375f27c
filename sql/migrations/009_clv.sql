-- Why a CLV model row is degraded and where its parameters came from: a degraded fit is never
-- published, the latest converged fit of the same model is kept instead and named here.
ALTER TABLE marts.clv_models ADD COLUMN detail jsonb;
