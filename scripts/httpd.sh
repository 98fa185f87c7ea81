#!/usr/bin/env bash
# The private httpd of `make run` and the tests, configured from
# conf/httpd.conf.in into $CREDIT_VAR/httpd/httpd.conf. Logs under $CREDIT_VAR/log.
#
#   httpd.sh start | stop | restart | configtest
#
# Environment: CREDIT_VAR (default ./var), PORT (8080), DB_PORT (3307),
# CREDIT_LOGLEVEL (warn), CREDIT_SO (the built module).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
VAR=${CREDIT_VAR:-$top/var}
PORT=${PORT:-8080}
DB_PORT=${DB_PORT:-3307}
SO=${CREDIT_SO:-$top/mod_credit/.libs/mod_credit.so}
HTTPD=${HTTPD:-/usr/sbin/apache2}
conf=$VAR/httpd/httpd.conf
pidfile=$VAR/run/httpd.pid

mkdir -p "$VAR/httpd" "$VAR/run" "$VAR/log" "$VAR/bench/static"

generate() {
    local pw user_lines=""
    pw=$(CREDIT_VAR=$VAR DB_PORT=$DB_PORT "$top/scripts/db.sh" password ro)
    if [ "$(id -u)" = 0 ]; then
        # httpd refuses to serve as root; its children run as www-data.
        user_lines=$'User www-data\nGroup www-data'
        chmod 755 "$VAR" "$VAR/run" "$VAR/log" "$VAR/bench" "$VAR/bench/static" 2>/dev/null || true
    fi
    umask 077
    sed -e "s|@VAR@|$VAR|g" -e "s|@TOP@|$top|g" -e "s|@PORT@|$PORT|g" \
        -e "s|@DB_PORT@|$DB_PORT|g" -e "s|@DB_PASSWORD@|$pw|g" -e "s|@SO@|$SO|g" \
        -e "s|@CREDIT_LOGLEVEL@|${CREDIT_LOGLEVEL:-warn}|g" \
        "$top/conf/httpd.conf.in" | awk -v u="$user_lines" '{ if ($0 == "@USER_LINES@") print u; else print }' >"$conf"
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
    generate
    if running; then
        "$HTTPD" -f "$conf" -k graceful >>"$VAR/log/httpd-start.log" 2>&1
        echo "httpd reloaded on http://127.0.0.1:$PORT/credit/"
        return 0
    fi
    "$HTTPD" -t -f "$conf" >"$VAR/log/httpd-configtest.log" 2>&1 || {
        cat "$VAR/log/httpd-configtest.log" >&2
        exit 1
    }
    # httpd daemonises itself; its output goes to the log, never to our terminal.
    "$HTTPD" -f "$conf" -k start </dev/null >>"$VAR/log/httpd-start.log" 2>&1
    for _ in $(seq 1 100); do
        running && curl -s -o /dev/null "http://127.0.0.1:$PORT/credit/api/v1/health" && break
        sleep 0.1
    done
    if ! running; then
        echo "httpd did not start; see $VAR/log/httpd-error.log" >&2
        tail -n 20 "$VAR/log/httpd-error.log" >&2 || true
        exit 1
    fi
    echo "httpd running on http://127.0.0.1:$PORT/credit/"
}

stop() {
    running || { rm -f "$pidfile"; return 0; }
    local pid
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
    echo "httpd stopped"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
restart) stop; start ;;
configtest) generate; "$HTTPD" -t -f "$conf" ;;
*) echo "usage: $0 start|stop|restart|configtest" >&2; exit 2 ;;
esac
