#!/usr/bin/env bash
# Sets up a PostgreSQL + PostGIS team store on this Debian/Ubuntu machine:
#   sudo bash scripts/team-db.sh [DB] [ADMIN_USER]
# installs the packages if missing, creates the database (default: cordon) and a login for the
# first admin (default: cordon_admin_user, with a generated password), creates Cordon's schema
# and its three roles (cordon_viewer, cordon_editor, cordon_admin), and prints the store URL.
# Add people afterwards with:
#   python -m layers store grant USER viewer|editor|admin --store URL
# (create their logins first: sudo -u postgres createuser --pwprompt USER).
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${1:-cordon}
ADMIN=${2:-cordon_admin_user}
PORT=${PGPORT:-5432}

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 \
    || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  echo "installing postgresql and postgis (apt-get)…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgis >/dev/null
fi
if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
  pg_ctlcluster "$(pg_lsclusters -h | awk 'NR==1{print $1}')" main start
fi

as_pg() { runuser -u postgres -- "$@"; }
PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')

if ! as_pg psql -p "$PORT" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ADMIN'" | grep -q 1; then
  as_pg psql -p "$PORT" -q -c "CREATE ROLE \"$ADMIN\" LOGIN PASSWORD '$PASSWORD'"
  NEW_PASSWORD=1
else
  as_pg psql -p "$PORT" -q -c "ALTER ROLE \"$ADMIN\" PASSWORD '$PASSWORD'"
  NEW_PASSWORD=1
fi
if ! as_pg psql -p "$PORT" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  as_pg createdb -p "$PORT" -O "$ADMIN" "$DB"
fi
# PostGIS needs a superuser once; Cordon's schema is then owned by the admin login.
as_pg psql -p "$PORT" -d "$DB" -q -c "CREATE EXTENSION IF NOT EXISTS postgis"
as_pg psql -p "$PORT" -d "$DB" -q -c "ALTER ROLE \"$ADMIN\" CREATEROLE"

URL="postgresql://$ADMIN:$PASSWORD@127.0.0.1:$PORT/$DB"
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
"$PY" -m layers store migrate --store "$URL"
"$PY" -m layers store grant "$ADMIN" admin --store "$URL"
echo
echo "Team store ready. Use it with:"
echo "  export CORDON_STORE='$URL'"
[ "${NEW_PASSWORD:-0}" = 1 ] && echo "(the password above was just set for $ADMIN; keep it safe)"
