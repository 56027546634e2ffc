#!/usr/bin/env bash
# Sets up a fresh machine for the tests and runs them: the README's test command.
# Installs Debian's chromium (browser tests) and postgresql + postgis (team-store tests) when
# they are missing (needs root and apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium for the browser tests (apt-get)…" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: install Debian's 'chromium' package for the browser tests" >&2
    exit 1
  fi
fi

# PostgreSQL + PostGIS for the team-store tests (a throwaway cluster is started by the tests).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
    || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing postgresql and postgis for the team-store tests (apt-get)…" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgis >/dev/null
  else
    echo "PostgreSQL/PostGIS are missing: install Debian's 'postgresql' and 'postgis'" >&2
    exit 1
  fi
fi

PY=${PYTHON:-python3}
# A C compiler and Python's headers: tests/test_geo_compiled.py checks the compiled geoparser.
if ! command -v cc >/dev/null 2>&1 \
    || [ ! -f "$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing a C compiler and Python's headers for the compiled geoparser (apt-get)…" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc python3-dev >/dev/null
  else
    echo "a C compiler (cc) and Python's headers are missing: install gcc and python3-dev" >&2
    exit 1
  fi
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements-dev.txt
.venv/bin/python -m geo compile || true  # (tests/test_geo_compiled.py says why if it failed)

exec .venv/bin/python -m pytest "$@"
