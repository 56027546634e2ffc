#!/usr/bin/env bash
# Sets up a fresh machine and runs the page: the README's app command.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements.txt
# the geoparser's hot modules compiled (once per version of the code; plain Python without a
# C compiler, same results)
.venv/bin/python -m geo compile || true
exec .venv/bin/streamlit run app.py "$@"
