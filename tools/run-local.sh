#!/usr/bin/env bash
# make run: Kompis on SQLite plus the Microsoft 365 Agents Playground pointed at it.
# Both stop together (Ctrl+C). Nothing here needs credentials or the internet.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-3978}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"
PY=.venv/bin/python
LOG_DIR=data/logs
mkdir -p "$LOG_DIR"

PORT="$PORT" HOST=127.0.0.1 MicrosoftAppId= MicrosoftAppPassword= "$PY" -m bot \
  > >(tee "$LOG_DIR/kompis.log") 2>&1 &
BOT_PID=$!
PG_PID=""
cleanup() {
  [ -n "$PG_PID" ] && kill "$PG_PID" 2>/dev/null || true
  kill "$BOT_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$BOT_PID" 2>/dev/null; then echo "Kompis startet ikke; se $LOG_DIR/kompis.log" >&2; exit 1; fi
  sleep 0.2
done

cd tools/playground
TEAMSAPPTESTER_BROWSER=none APPLICATION_INSIGHTS_NO_STATSBEAT=true \
BOT_ENDPOINT="http://127.0.0.1:$PORT/api/messages" \
  node "node_modules/@microsoft/m365agentsplayground/cli.js" start --disable-telemetry \
  -p "$PLAYGROUND_PORT" > "../../$LOG_DIR/playground.log" 2>&1 &
PG_PID=$!
cd ../..

for _ in $(seq 1 150); do
  if curl -fsS "http://localhost:$PLAYGROUND_PORT/_debug/ping" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$PG_PID" 2>/dev/null; then
    echo "Agents Playground startet ikke; se $LOG_DIR/playground.log" >&2; exit 1
  fi
  sleep 0.2
done

cat <<TXT

  Kompis kjører på http://127.0.0.1:$PORT/api/messages (SQLite i data/kompis.db)
  Åpne http://localhost:$PLAYGROUND_PORT for å chatte med Kompis i Agents Playground.
  Stopp med Ctrl+C.

TXT
wait "$BOT_PID"
