-- insiders_reader: the read-only role dashboards connect as. It sees marts and nothing else.
-- Roles are cluster-wide while migrations run per database, so the role is created only when
-- missing (two databases migrating at once may race: the loser's duplicate_object is ignored).
-- It is created NOLOGIN: whoever runs the server gives it a password and LOGIN
-- (infra/deploy/bootstrap-metabase-db.sh on AWS, the Postgres init script of the local stack).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'insiders_reader') THEN
    CREATE ROLE insiders_reader NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;

GRANT USAGE ON SCHEMA marts TO insiders_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA marts TO insiders_reader;
-- Marts created by later migrations (by the role that runs migrations) stay readable.
ALTER DEFAULT PRIVILEGES IN SCHEMA marts GRANT SELECT ON TABLES TO insiders_reader;

-- Nothing below marts: raw lines hold customer data as landed, ops holds run internals.
REVOKE ALL ON SCHEMA raw, staging, ops FROM insiders_reader;
