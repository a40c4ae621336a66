#!/usr/bin/env bash
# The load test: a fresh PostgreSQL database, gunicorn with 4 workers on 127.0.0.1, 50
# panel members for 60 s (locust, headless). Not part of the test suite; see README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
DB=${LOAD_DB:-shortlist_load}
PORT=${LOAD_PORT:-8765}
USERS=${LOAD_USERS:-50}
OUT=${LOAD_OUT:-bench/results}
export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB"
export SECRET_KEY=${SECRET_KEY:-load-test-secret-key-not-for-production}
export SHORTLIST_INSTANCE_PATH=${SHORTLIST_INSTANCE_PATH:-$(mktemp -d)}
export LOGIN_THROTTLE_ADDRESS_LIMIT=1000  # every simulated member signs in from 127.0.0.1

test -x "$BIN/locust" || { echo "locust is not installed: $BIN/pip install -e '.[load]'" >&2; exit 1; }
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
"$BIN/flask" --app wsgi db upgrade >/dev/null 2>&1
"$BIN/python" -m bench.load.setup_data

"$BIN/gunicorn" --workers 4 --bind "127.0.0.1:$PORT" --pid "$SHORTLIST_INSTANCE_PATH/gunicorn.pid" \
  --access-logfile /dev/null --error-logfile "$SHORTLIST_INSTANCE_PATH/gunicorn.log" --daemon wsgi:app
trap 'kill "$(cat "$SHORTLIST_INSTANCE_PATH/gunicorn.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done

mkdir -p "$OUT"
"$BIN/locust" -f bench/load/locustfile.py --headless --users "$USERS" --spawn-rate "$USERS" \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/load" --only-summary --loglevel WARNING
echo "server errors logged: $(grep -c 'Unhandled' "$SHORTLIST_INSTANCE_PATH/gunicorn.log" || true)"
