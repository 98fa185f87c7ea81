#!/usr/bin/env bash
# The private httpd of `make run` and the tests, configured from
# conf/httpd.conf.in into $CREDIT_VAR/httpd/httpd.conf. Logs under $CREDIT_VAR/log.
#
#   httpd.sh start | stop | restart | configtest
#
# Environment: CREDIT_VAR (default ./var), PORT (8080), DB_PORT (3307),
# CREDIT_LOGLEVEL (warn), CREDIT_SO (the built module), CREDIT_SUBMIT_LIMIT
# ("10 600": submissions per client per seconds), CREDIT_LOOKUP_LIMIT
# ("20 600"), CREDIT_FORM_MIN_SECONDS (3).
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

# Files httpd's children serve themselves (static assets, the benchmark's
# static copies). As root the children run as www-data, which may not be able
# to enter the checkout (a clone under /root, say): then they are served from
# a world-readable copy. Templates need no copy: the module reads them at start.
stage=""
generate() {
    local pw user_lines="" static_dir=$top/static bench_dir=$VAR/bench/static
    local ins rw
    pw=$(CREDIT_VAR=$VAR DB_PORT=$DB_PORT "$top/scripts/db.sh" password ro)
    rw=$(CREDIT_VAR=$VAR DB_PORT=$DB_PORT "$top/scripts/db.sh" password rw)
    # The demo staff logins (city level "staff", one department "staff-heping"):
    # Apache checks the password, the staff table says what each may do.
    if [ ! -s "$VAR/httpd/staff.htpasswd" ]; then
        local sp
        sp=$(openssl rand -hex 8)
        (umask 077 && echo "$sp" >"$VAR/staff-password")
        htpasswd -bcB "$VAR/httpd/staff.htpasswd" staff "$sp" >/dev/null 2>&1
        htpasswd -bB "$VAR/httpd/staff.htpasswd" staff-heping "$sp" >/dev/null 2>&1
    fi
    chmod 644 "$VAR/httpd/staff.htpasswd"
    CREDIT_VAR=$VAR DB_PORT=$DB_PORT "$top/scripts/db.sh" sql -e "
        INSERT IGNORE INTO staff (username, name, department_id) VALUES ('staff', '市级管理员', NULL);
        INSERT IGNORE INTO staff (username, name, department_id)
            SELECT 'staff-heping', '和平区管理员', MIN(id) FROM departments WHERE district = 'heping'
            HAVING MIN(id) IS NOT NULL;" >/dev/null 2>&1 || true
    ins=$(CREDIT_VAR=$VAR DB_PORT=$DB_PORT "$top/scripts/db.sh" password ins)
    # The form key: made once; rotate by putting a new key on the first line.
    [ -s "$VAR/secrets/form-keys" ] ||
        (umask 077 && { echo "# mod_credit form keys: current first"; openssl rand -hex 32; } \
            >"$VAR/secrets/form-keys")
    if [ "$(id -u)" = 0 ]; then
        # httpd refuses to serve as root; its children run as www-data.
        user_lines=$'User www-data\nGroup www-data'
        if ! runuser -u www-data -- test -r "$top/static/css/credit.css" 2>/dev/null ||
            ! runuser -u www-data -- test -x "$bench_dir" 2>/dev/null; then
            stage=/tmp/mod_credit-$(printf '%s' "$VAR" | md5sum | cut -c1-12)
            rm -rf "$stage/static"
            mkdir -p "$stage/bench"
            cp -r "$top/static" "$stage/static"
            cp -r "$bench_dir/." "$stage/bench/" 2>/dev/null || true
            chmod -R a+rX "$stage"
            chmod 755 "$stage"
            static_dir=$stage/static
            bench_dir=$stage/bench
        fi
    fi
    umask 077
    sed -e "s|@STATIC_DIR@|$static_dir|g" -e "s|@BENCH_DIR@|$bench_dir|g" \
        -e "s|@VAR@|$VAR|g" -e "s|@TOP@|$top|g" -e "s|@PORT@|$PORT|g" \
        -e "s|@DB_PORT@|$DB_PORT|g" -e "s|@DB_PASSWORD@|$pw|g" -e "s|@SO@|$SO|g" \
        -e "s|@DB_INS_PASSWORD@|$ins|g" -e "s|@DB_RW_PASSWORD@|$rw|g" -e "s|@SUBMIT_LIMIT@|${CREDIT_SUBMIT_LIMIT:-10 600}|g" \
        -e "s|@LOOKUP_LIMIT@|${CREDIT_LOOKUP_LIMIT:-20 600}|g" \
        -e "s|@FORM_MIN_SECONDS@|${CREDIT_FORM_MIN_SECONDS:-3}|g" \
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
    rm -rf "/tmp/mod_credit-$(printf '%s' "$VAR" | md5sum | cut -c1-12)"
    echo "httpd stopped"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
restart) stop; start ;;
configtest) generate; "$HTTPD" -t -f "$conf" ;;
*) echo "usage: $0 start|stop|restart|configtest" >&2; exit 2 ;;
esac
