#!/bin/sh
# Local stack only: runs once, when the Postgres volume is first created (docker-entrypoint-initdb.d).
# Creates Metabase's application database and gives insiders_reader a login, so the first
# `npx insiders run publish` can register the warehouse. The migrations find the role already
# there and only grant it SELECT on marts. Passwords arrive as psql variables, never in the SQL text.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v mb_password="$METABASE_DB_PASSWORD" -v reader_password="$INSIDERS_READER_PASSWORD" <<'SQL'
CREATE ROLE metabase LOGIN PASSWORD :'mb_password';
CREATE DATABASE metabase OWNER metabase;
CREATE ROLE insiders_reader LOGIN PASSWORD :'reader_password';
SQL
