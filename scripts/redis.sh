#!/usr/bin/env bash
# A private redis-server on loopback: the shared cache of the per-client
# rate limits of several httpd hosts (CreditRateLimitCache redis:HOST:PORT,
# docs/DEPLOYMENT.md). Nothing is written to disk: the counts live for
# minutes and are worth nothing after a restart.
#
#   redis.sh start | stop | status
#
# Environment: CREDIT_VAR (default ./var), REDIS_PORT (6380). Pid file and
# log under $CREDIT_VAR/run and $CREDIT_VAR/log.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
VAR=${CREDIT_VAR:-$top/var}
REDIS_PORT=${REDIS_PORT:-6380}
pidfile=$VAR/run/redis.pid

mkdir -p "$VAR/run" "$VAR/log"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
    if running; then
        echo "redis already running on 127.0.0.1:$REDIS_PORT"
        return 0
    fi
    # Detached, no persistence, a bounded memory that forgets the oldest
    # keys first (every key of the limits has its expiry).
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
        --pidfile "$pidfile" --logfile "$VAR/log/redis.log" --dir "$VAR/run" \
        --save "" --appendonly no --maxmemory 64mb --maxmemory-policy volatile-ttl \
        </dev/null >/dev/null
    for _ in $(seq 1 100); do
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
        sleep 0.05
    done
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 || {
        echo "redis did not start; see $VAR/log/redis.log" >&2
        exit 1
    }
    echo "redis running on 127.0.0.1:$REDIS_PORT"
}

stop() {
    running || { rm -f "$pidfile"; return 0; }
    local pid
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
    echo "redis stopped"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) running ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
