#!/usr/bin/env bash
# The private httpd of `make run` and the tests, configured from
# conf/httpd.conf.in into $CREDIT_VAR/httpd/httpd.conf. Logs under $CREDIT_VAR/log.
#
#   httpd.sh start | stop | restart | configtest
#   httpd.sh served     print the served directory (below)
#
# Environment: CREDIT_VAR (default ./var), PORT (8080), DB_PORT (3307),
# CREDIT_LOGLEVEL (warn), CREDIT_SO (the built module), CREDIT_SUBMIT_LIMIT
# ("10 600": submissions per client per seconds), CREDIT_LOOKUP_LIMIT
# ("20 600"), CREDIT_FORM_MIN_SECONDS (3), CREDIT_LINES_SETTLE (10: seconds
# of unchanged data before a district's CSV lines are made), HTTPD (the server program, default
# /usr/sbin/apache2: the tests give a wrapper that sets its clock). httpd runs
# through scripts/apache2.sh (a sanitizer build of the module gets its
# runtime and report files there).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
VAR=${CREDIT_VAR:-$top/var}
PORT=${PORT:-8080}
DB_PORT=${DB_PORT:-3307}
SO=${CREDIT_SO:-$top/var/build/module/.libs/mod_credit.so}
export HTTPD=${HTTPD:-/usr/sbin/apache2} CREDIT_SO=$SO CREDIT_VAR=$VAR
# (fd 9 is the script's lock, below: httpd, a daemon, must not keep it)
run_httpd() { "$top/scripts/apache2.sh" "$@" 9>&-; }
conf=$VAR/httpd/httpd.conf
pidfile=$VAR/run/httpd.pid

mkdir -p "$VAR/httpd" "$VAR/run" "$VAR/log" "$VAR/bench/static"

# The served directory: every file httpd's children read while serving (the
# static assets, the benchmark's static copies, the staff htpasswd, the
# daily dumps, the districts' CSV lines). The
# children never read the checkout, so it may live anywhere: as root they run
# as www-data, which cannot enter a clone under /root (mode 700), and the
# served directory is /run/mod_credit/<id> (root:www-data, 0750; <id> is a
# hash of $VAR, so test stacks do not meet); as another user the children are
# that user and it is $VAR/served. It is made at start and removed at stop.
# Templates and the key file are read by the parent at start, as root.
served_dir() {
    if [ "$(id -u)" = 0 ]; then
        echo "/run/mod_credit/$(printf '%s' "$VAR" | md5sum | cut -c1-12)"
    else
        echo "$VAR/served"
    fi
}
served=$(served_dir)

make_served() {
    local group
    group=$(id -gn)
    if [ "$(id -u)" = 0 ]; then
        group=www-data
        install -d -m 755 /run/mod_credit
    fi
    install -d -m 750 -g "$group" "$served"
    # The daily dumps (scripts/dumps.sh): kept across restarts, gone at stop.
    install -d -m 750 -g "$group" "$served/dumps"
    rm -rf "$served/static" "$served/bench"
    cp -r "$top/static" "$served/static"
    mkdir -p "$served/bench"
    cp -r "$VAR/bench/static/." "$served/bench/"
    # The demo staff logins (city level "staff", one department
    # "staff-heping"), made from var/staff-password when missing: Apache
    # checks the password, the staff table says what each may do.
    if [ ! -s "$VAR/staff-password" ]; then
        (umask 077 && openssl rand -hex 8 >"$VAR/staff-password")
    fi
    if [ ! -s "$served/staff.htpasswd" ]; then
        local sp
        sp=$(cat "$VAR/staff-password")
        # bcrypt at cost 12: every guess costs ~0.2 s of CPU. (The test
        # stacks ask for less with CREDIT_STAFF_BCRYPT_COST: Basic auth
        # checks the password on every request, and they send thousands.)
        local cost=${CREDIT_STAFF_BCRYPT_COST:-12}
        htpasswd -bcB -C "$cost" "$served/staff.htpasswd" staff "$sp" >/dev/null 2>&1
        htpasswd -bB -C "$cost" "$served/staff.htpasswd" staff-heping "$sp" >/dev/null 2>&1
    fi
    chgrp -R "$group" "$served"
    chmod -R u=rwX,g=rX,o= "$served"
    # The districts' rendered CSV lines (CreditExportLines): the children
    # write them, so the group may write here. Kept across restarts (their
    # names hold the data version, the day and the module's build; the
    # module removes the old ones), gone at stop.
    install -d -m 770 -g "$group" "$served/lines"
}

generate() {
    local pw user_lines="" ins rw
    pw=$(CREDIT_VAR=$VAR DB_PORT=$DB_PORT "$top/scripts/db.sh" password ro)
    rw=$(CREDIT_VAR=$VAR DB_PORT=$DB_PORT "$top/scripts/db.sh" password rw)
    make_served
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
    # httpd refuses to serve as root; its children run as www-data.
    [ "$(id -u)" = 0 ] && user_lines=$'User www-data\nGroup www-data'
    umask 077
    sed -e "s|@SERVED@|$served|g" \
        -e "s|@VAR@|$VAR|g" -e "s|@TOP@|$top|g" -e "s|@PORT@|$PORT|g" \
        -e "s|@DB_PORT@|$DB_PORT|g" -e "s|@DB_PASSWORD@|$pw|g" -e "s|@SO@|$SO|g" \
        -e "s|@DB_INS_PASSWORD@|$ins|g" -e "s|@DB_RW_PASSWORD@|$rw|g" -e "s|@SUBMIT_LIMIT@|${CREDIT_SUBMIT_LIMIT:-10 600}|g" \
        -e "s|@LOOKUP_LIMIT@|${CREDIT_LOOKUP_LIMIT:-20 600}|g" \
        -e "s|@FORM_MIN_SECONDS@|${CREDIT_FORM_MIN_SECONDS:-3}|g" \
        -e "s|@LINES_SETTLE@|${CREDIT_LINES_SETTLE:-10}|g" \
        -e "s|@CREDIT_LOGLEVEL@|${CREDIT_LOGLEVEL:-warn}|g" \
        "$top/conf/httpd.conf.in" | awk -v u="$user_lines" '{ if ($0 == "@USER_LINES@") print u; else print }' >"$conf"
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
answers() { curl -s -o /dev/null "http://127.0.0.1:$PORT/credit/api/v1/health"; }

start() {
    generate
    if running; then
        local parent old
        parent=$(cat "$pidfile")
        old=$(pgrep -P "$parent" | tr '\n' ' ' || true) # (none in the gap of a reload)
        run_httpd -f "$conf" -k graceful >>"$VAR/log/httpd-start.log" 2>&1
        # The old children stop accepting at once, and the parent starts
        # the new ones as it reaps the old, looking for them once a second:
        # connections made meanwhile wait up to a second (measured: the
        # first requests after a reload, 0.9-1.1 s). Returns once the old
        # children are gone (at most 5 s: they finish the requests they
        # have) and the new configuration answers.
        for _ in $(seq 1 50); do
            local left=""
            for pid in $old; do kill -0 "$pid" 2>/dev/null && left=1; done
            [ -z "$left" ] && answers && break
            sleep 0.1
        done
        echo "httpd reloaded on http://127.0.0.1:$PORT/credit/"
        return 0
    fi
    run_httpd -t -f "$conf" >"$VAR/log/httpd-configtest.log" 2>&1 || {
        cat "$VAR/log/httpd-configtest.log" >&2
        exit 1
    }
    # httpd daemonises itself; its output goes to the log, never to our terminal.
    run_httpd -f "$conf" -k start </dev/null >>"$VAR/log/httpd-start.log" 2>&1
    for _ in $(seq 1 100); do
        running && answers && break
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
    running || { rm -f "$pidfile"; rm -rf "$served"; return 0; }
    local pid
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
    rm -rf "$served"
    echo "httpd stopped"
}

# One at a time per stack: two starts at once (two `make run`s, a test's
# reload during a webmaster's) removed each other's served copies half-way.
if [ "${1:-}" != served ]; then
    exec 9>"$VAR/run/httpd.lock"
    flock 9
fi

case "${1:-}" in
start) start ;;
stop) stop ;;
restart) stop; start ;;
configtest) generate; run_httpd -t -f "$conf" ;;
served) echo "$served" ;;
*) echo "usage: $0 start|stop|restart|configtest|served" >&2; exit 2 ;;
esac
