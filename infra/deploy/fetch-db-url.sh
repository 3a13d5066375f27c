#!/usr/bin/env bash
# Builds DATABASE_URL from the RDS-managed master secret (Secrets Manager, JSON with
# username and password) and the connection settings in /etc/insiders/insiders.env.
#
#   fetch-db-url.sh FILE   write DATABASE_URL='...' to FILE (mode 0600), for systemd's EnvironmentFile=
#   fetch-db-url.sh        print the URL on stdout, for a shell
#
# Needs: aws (CLI v2), jq; DB_SECRET_ARN, DB_HOST, DB_NAME; optional DB_PORT (5432), DB_CA_FILE,
# DB_SECRET_ATTEMPTS (5).
set -euo pipefail

: "${DB_SECRET_ARN:?DB_SECRET_ARN is not set (expected in /etc/insiders/insiders.env)}"
: "${DB_HOST:?DB_HOST is not set (expected in /etc/insiders/insiders.env)}"
: "${DB_NAME:?DB_NAME is not set (expected in /etc/insiders/insiders.env)}"
DB_PORT="${DB_PORT:-5432}"
DB_CA_FILE="${DB_CA_FILE:-/etc/insiders/rds-ca.pem}"

# Just after boot the instance profile can take a few seconds to become usable: retry briefly.
attempts="${DB_SECRET_ATTEMPTS:-5}"
secret_json=""
for ((attempt = 1; ; attempt++)); do
  if secret_json="$(aws secretsmanager get-secret-value --secret-id "$DB_SECRET_ARN" \
    --query SecretString --output text)"; then
    break
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    echo "fetch-db-url: cannot read secret $DB_SECRET_ARN; check the instance role and the secret" >&2
    exit 1
  fi
  sleep $((attempt * 3))
done

# Username and password are percent-encoded: RDS-generated passwords contain characters
# (such as : # ? %) that would otherwise break the URL. Some jq releases leave ! * ' ( )
# unencoded; they are encoded too, so the value can be single-quoted below. verify-full with
# the RDS CA bundle makes the client check the server's certificate and host name.
url="$(jq -er \
  --arg host "$DB_HOST" --arg port "$DB_PORT" --arg db "$DB_NAME" --arg ca "$DB_CA_FILE" \
  'def enc: @uri | gsub("!"; "%21") | gsub("\\*"; "%2A") | gsub("'"'"'"; "%27") | gsub("\\("; "%28") | gsub("\\)"; "%29");
   if (.username | type) == "string" and (.password | type) == "string"
   then "postgres://\(.username | enc):\(.password | enc)@\($host):\($port)/\($db)?sslmode=verify-full&sslrootcert=\($ca)"
   else error("username or password missing") end' \
  <<<"$secret_json" 2>/dev/null)" || {
  echo "fetch-db-url: secret $DB_SECRET_ARN is not JSON with username and password" >&2
  exit 1
}

if [ "$#" -eq 0 ]; then
  printf '%s\n' "$url"
  exit 0
fi

out="$1"
umask 077
tmp="$(mktemp "$out.XXXXXX")"
# Single quotes: systemd and a shell both read the value verbatim ('&' in the query stays literal);
# the percent-encoding above guarantees the URL itself contains no quote.
printf "DATABASE_URL='%s'\n" "$url" >"$tmp"
mv -f "$tmp" "$out"
