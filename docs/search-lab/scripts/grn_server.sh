#!/usr/bin/env bash
# start|stop the lab's own Groonga HTTP server on 127.0.0.1:$GRN_PORT (pid in groonga/server.pid)
set -euo pipefail
. "$(dirname "$0")/env.sh"
pidf=$LAB/groonga/server.pid
case "$1" in
start)
  setsid groonga -s --protocol http --bind-address 127.0.0.1 --port "$GRN_PORT" \
      --max-threads 8 --log-path "$LAB/groonga/groonga.log" --query-log-path "" \
      --pid-path "$pidf" "$GRN_DB" </dev/null >>"$LAB/groonga/server.out" 2>&1 &
  for i in $(seq 50); do curl -sf "http://127.0.0.1:$GRN_PORT/d/status" >/dev/null && break; sleep 0.2; done
  curl -s "http://127.0.0.1:$GRN_PORT/d/status"; echo ;;
stop)
  [ -f "$pidf" ] && kill "$(cat "$pidf")" && echo stopped || true ;;
esac
