#!/usr/bin/env bash
# Sets up the PostgreSQL roles of docs/postgresql-roles.sql in the application's database: an owner that runs
# the migrations, and a runtime role that may only INSERT and SELECT on the audit log.
#
#   OWNER_PASSWORD=… APP_PASSWORD=… docs/postgresql-roles.sh yushu          # as a PostgreSQL superuser
#
# Optional: OWNER=yushu_owner APP=yushu_app (the role names), PSQL="psql -h db.internal -U postgres".
set -euo pipefail
database="${1:?usage: OWNER_PASSWORD=… APP_PASSWORD=… $0 DATABASE}"
: "${OWNER_PASSWORD:?set OWNER_PASSWORD}" "${APP_PASSWORD:?set APP_PASSWORD}"
here="$(cd "$(dirname "$0")" && pwd)"
${PSQL:-psql} -X -q -v ON_ERROR_STOP=1 \
  -v owner="${OWNER:-yushu_owner}" -v app="${APP:-yushu_app}" \
  -v owner_password="$OWNER_PASSWORD" -v app_password="$APP_PASSWORD" \
  -d "$database" -f "$here/postgresql-roles.sql"
echo "Roles ready in $database: migrate as ${OWNER:-yushu_owner}, run the application as ${APP:-yushu_app}."
