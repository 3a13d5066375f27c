#!/usr/bin/env bash
# One-off setup of Metabase's credentials after the first `terraform apply` (safe to rerun):
#   - fills the two Metabase secrets that Terraform creates empty (a password generated here
#     never passes through Terraform state),
#   - creates the `metabase` role and database in the warehouse's RDS instance,
#   - sets the password of `insiders_reader`, the read-only role created by the migrations.
# Existing secret values are kept, so a rerun changes nothing that is already right.
#
# Runs on an operator's machine with AWS credentials, psql, jq and openssl, through an SSM port
# forward to the database (the database has no public address):
#   aws ssm start-session --target "$(terraform -chdir=terraform output -raw runner_instance_id)" \
#     --document-name AWS-StartPortForwardingSessionToRemoteHost \
#     --parameters "host=<database address>,portNumber=5432,localPortNumber=15432"
#   infra/deploy/bootstrap-metabase-db.sh
#
# Settings (environment): PGHOST (127.0.0.1), PGPORT (15432), DB_NAME (insiders), TF_DIR
# (terraform/), and the secret ARNs DB_MASTER_SECRET_ARN, METABASE_APP_DB_SECRET_ARN,
# METABASE_READER_SECRET_ARN, read from `terraform output` when not set.
set -euo pipefail

TF_DIR="${TF_DIR:-$(cd "$(dirname "$0")/../../terraform" && pwd)}"
tf_output() { terraform -chdir="$TF_DIR" output -raw "$1"; }

DB_MASTER_SECRET_ARN="${DB_MASTER_SECRET_ARN:-$(tf_output database_master_secret_arn)}"
METABASE_APP_DB_SECRET_ARN="${METABASE_APP_DB_SECRET_ARN:-$(tf_output metabase_app_db_secret_arn)}"
METABASE_READER_SECRET_ARN="${METABASE_READER_SECRET_ARN:-$(tf_output metabase_reader_secret_arn)}"
DB_NAME="${DB_NAME:-insiders}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-15432}" PGDATABASE="$DB_NAME"
# Through the tunnel the server's name is 127.0.0.1, which its certificate cannot match, so
# TLS is required but the host name is not verified; the SSM session is itself encrypted.
export PGSSLMODE=require

umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Prints the secret's JSON value, or nothing when the secret has no value yet.
read_secret() {
  local arn="$1" err="$work/err"
  if aws secretsmanager get-secret-value --secret-id "$arn" --query SecretString --output text 2>"$err"; then
    return 0
  fi
  if grep -q ResourceNotFoundException "$err"; then
    return 0
  fi
  cat "$err" >&2
  echo "bootstrap-metabase-db: cannot read $arn" >&2
  return 1
}

# Stores a JSON value; the value goes through a private file, not the command line.
put_secret() {
  local arn="$1" value="$2"
  jq -n --arg id "$arn" --arg value "$value" '{SecretId: $id, SecretString: $value}' >"$work/put.json"
  aws secretsmanager put-secret-value --cli-input-json "file://$work/put.json" >/dev/null
  rm -f "$work/put.json"
}

new_password() { openssl rand -hex 32; }

app_json="$(read_secret "$METABASE_APP_DB_SECRET_ARN")"
if [ -z "$app_json" ]; then
  echo "bootstrap-metabase-db: generating Metabase application-database credentials"
  # encryption_key encrypts the data-source passwords Metabase stores; it must never change.
  app_json="$(jq -n --arg pw "$(new_password)" --arg key "$(openssl rand -base64 32)" \
    '{username: "metabase", password: $pw, encryption_key: $key}')"
  put_secret "$METABASE_APP_DB_SECRET_ARN" "$app_json"
fi

reader_json="$(read_secret "$METABASE_READER_SECRET_ARN")"
if [ -z "$reader_json" ]; then
  echo "bootstrap-metabase-db: generating insiders_reader credentials"
  reader_json="$(jq -n --arg pw "$(new_password)" '{username: "insiders_reader", password: $pw}')"
  put_secret "$METABASE_READER_SECRET_ARN" "$reader_json"
fi

master_json="$(read_secret "$DB_MASTER_SECRET_ARN")"
[ -n "$master_json" ] || { echo "bootstrap-metabase-db: master secret has no value yet" >&2; exit 1; }
PGUSER="$(jq -er .username <<<"$master_json")"
PGPASSWORD="$(jq -er .password <<<"$master_json")"
export PGUSER PGPASSWORD

app_password="$(jq -er .password <<<"$app_json")"
reader_password="$(jq -er .password <<<"$reader_json")"

reader_exists="$(psql -X -tA -c "select 1 from pg_roles where rolname = 'insiders_reader'")"

# Passwords reach psql on stdin as psql variables, never as arguments (visible in `ps`).
# On RDS the master user has CREATEROLE and CREATEDB but is no superuser: it must be a member
# of `metabase` to create a database owned by it.
{
  printf '\\set ON_ERROR_STOP on\n'
  printf 'set client_min_messages = warning;\n'
  printf "\\\\set app_password '%s'\n" "$app_password"
  printf "\\\\set reader_password '%s'\n" "$reader_password"
  cat <<'SQL'
select 'create role metabase' where not exists (select 1 from pg_roles where rolname = 'metabase') \gexec
alter role metabase with login nocreatedb nocreaterole password :'app_password';
grant metabase to current_user;
select 'create database metabase owner metabase'
  where not exists (select 1 from pg_database where datname = 'metabase') \gexec
revoke connect on database metabase from public;
SQL
  if [ "$reader_exists" = "1" ]; then
    printf '%s\n' "alter role insiders_reader with login password :'reader_password';"
  fi
} | psql -X -q -f -

if [ "$reader_exists" != "1" ]; then
  echo "bootstrap-metabase-db: role insiders_reader does not exist yet; run the migrations" \
    "(sudo -iu insiders npx insiders migrate on the runner), then rerun this script" >&2
  exit 1
fi
echo "bootstrap-metabase-db: done; add the warehouse in Metabase with the insiders_reader secret"
