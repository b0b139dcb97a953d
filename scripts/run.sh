#!/usr/bin/env bash
# Migrate, load the demo data and serve the app with uvicorn (ASGI). Idempotent; called by `make run`.
# With REDIS_URL set, a Celery worker runs beside the server and stops with it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python
mkdir -p var
$PY manage.py migrate --noinput
$PY manage.py load_demo_data --site-url "${SITE_URL:-http://127.0.0.1:$PORT}"
worker_pid=""
if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A labeling worker --loglevel=INFO --concurrency=2 &
  worker_pid=$!
  trap '[ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true' EXIT
fi
echo
echo "Serving at http://127.0.0.1:$PORT/  (log in with the demo credentials above; API docs at /api/docs)"
echo
exec_args=(labeling.asgi:application --host "${HOST:-127.0.0.1}" --port "$PORT" --workers "${WEB_CONCURRENCY:-1}" --lifespan off)
.venv/bin/uvicorn "${exec_args[@]}"
