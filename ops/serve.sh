#!/usr/bin/env bash
# newsfigures operations: a local Prefect server (SQLite under PREFECT_HOME, UI on
# 127.0.0.1:4200), a process worker for the `newsfigures` pool, and the deployments of
# prefect.yaml. See docs/operations.md.
#
#   bash ops/serve.sh           everything in the foreground (what `make serve` runs); Ctrl-C
#                               stops the server and the worker
#   bash ops/serve.sh server    the server alone, in the foreground (systemd: newsfigures-server)
#   bash ops/serve.sh worker    wait for the server, deploy, apply automations, then the worker
#                               in the foreground (systemd: newsfigures-worker)
#   bash ops/serve.sh deploy    make sure the work pool exists, apply the automations (when
#                               NEWSFIGURES_WEBHOOK_URL is set), deploy prefect.yaml
#
# Environment: NEWSFIGURES_PREFECT_HOST / NEWSFIGURES_PREFECT_PORT (127.0.0.1 / 4200),
# PREFECT_HOME (Prefect's default ~/.prefect), NEWSFIGURES_POOL (newsfigures),
# NEWSFIGURES_CRON / NEWSFIGURES_CRON_TZ (0 2 * * * / UTC, read at deploy time),
# NEWSFIGURES_WEBHOOK_URL (automations are applied only when it is set).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"

HOST="${NEWSFIGURES_PREFECT_HOST:-127.0.0.1}"
PORT="${NEWSFIGURES_PREFECT_PORT:-4200}"
POOL="${NEWSFIGURES_POOL:-newsfigures}"
HEALTH_TIMEOUT="${NEWSFIGURES_HEALTH_TIMEOUT:-120}"

# Offline machine: no telemetry, and every client talks to this server, not a profile's.
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export DO_NOT_TRACK=1
export PREFECT_API_URL="http://${HOST}:${PORT}/api"
export PREFECT_UI_URL="http://${HOST}:${PORT}"

# The flow-run subprocesses start from the worker's Python: use the checkout's venv when the
# caller did not put one on PATH already.
if [[ -x "$REPO/.venv/bin/prefect" && ":$PATH:" != *":$REPO/.venv/bin:"* ]]; then
    export PATH="$REPO/.venv/bin:$PATH"
fi

say() { printf '[serve] %s\n' "$*" >&2; }

server_healthy() {
    python - "$PREFECT_API_URL/health" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except OSError:
    sys.exit(1)
PY
}

wait_for_server() {
    local waited=0
    until server_healthy; do
        if ((waited >= HEALTH_TIMEOUT)); then
            say "no healthy Prefect server at $PREFECT_API_URL after ${HEALTH_TIMEOUT}s"
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    say "server healthy at $PREFECT_API_URL (after ~${waited}s)"
}

run_server() {
    say "starting Prefect server on $HOST:$PORT (PREFECT_HOME=${PREFECT_HOME:-~/.prefect})"
    exec prefect server start --host "$HOST" --port "$PORT"
}

prepare() { # wait for the server, make sure the work pool exists, apply the automations
    say "waiting for the Prefect server at $PREFECT_API_URL (up to ${HEALTH_TIMEOUT}s)"
    python -m ops.prepare --pool "$POOL" --timeout "$HEALTH_TIMEOUT"
}

deploy() {
    say "deploying prefect.yaml (nightly cron: ${NEWSFIGURES_CRON:-0 2 * * *} ${NEWSFIGURES_CRON_TZ:-UTC})"
    prefect --no-prompt deploy --all
}

run_worker() {
    prepare
    deploy
    say "starting a process worker for pool $POOL"
    exec prefect worker start --pool "$POOL" --type process --name "newsfigures-$(hostname -s)"
}

SERVER_PID=""
WORKER_PID=""
STOP_TIMEOUT="${NEWSFIGURES_STOP_TIMEOUT:-20}"

stop_pid() { # pid name: SIGTERM, then SIGKILL if it has not ended within STOP_TIMEOUT seconds
    local pid="$1" name="$2" waited=0
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    say "stopping the $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT * 2)); do
        sleep 0.5
        waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "the $name did not stop within ${STOP_TIMEOUT}s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

stop_children() {
    trap - EXIT INT TERM
    # The worker first: it cancels its flow runs through the server, and a worker whose server
    # is gone keeps retrying instead of exiting.
    stop_pid "$WORKER_PID" worker
    stop_pid "$SERVER_PID" server
}

run_all() {
    if server_healthy; then
        say "something already answers on $PREFECT_API_URL: stop it or set NEWSFIGURES_PREFECT_PORT"
        exit 1
    fi
    trap stop_children EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    run_server &
    SERVER_PID=$!
    wait_for_server
    run_worker &
    WORKER_PID=$!
    say "UI: $PREFECT_UI_URL (Ctrl-C stops the server and the worker)"
    # Stay in the foreground until either child ends; the EXIT trap stops the other.
    wait -n "$SERVER_PID" "$WORKER_PID" || true
    say "a child process ended: shutting down"
}

case "${1:-all}" in
all) run_all ;;
server) run_server ;;
worker) run_worker ;;
deploy) prepare && deploy ;;
*)
    say "usage: $0 [all|server|worker|deploy]"
    exit 2
    ;;
esac
