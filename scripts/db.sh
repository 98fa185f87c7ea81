#!/usr/bin/env bash
# A private MariaDB for development and tests: data under $CREDIT_VAR/db,
# loopback only, its own socket and port. Output goes to $CREDIT_VAR/log.
#
#   db.sh start      initialise on first use, start, wait until it answers
#   db.sh stop       stop it (no error when it is not running)
#   db.sh migrate    apply sql/NNN_*.sql not yet recorded in schema_migrations, then grants
#   db.sh demo N     load the demo data set with N records (skipped when records exist)
#   db.sh reindex    rebuild the derived tables (full-text search, totals) from InnoDB
#   db.sh sql        a client on the private server (root), reading stdin
#   db.sh status     exit 0 when running
#   db.sh repl-user  (on a primary) the replication user credit_repl, password
#                    in $CREDIT_VAR/secrets/db-repl
#   db.sh replicate HOST PORT
#                    (on a replica) replicate from the primary at HOST:PORT by
#                    GTID (slave_pos), retrying every second while it is away;
#                    credit_repl's password from this server's secrets
#   db.sh replication  the replica's state: IO and SQL threads, seconds
#                    behind, GTID applied
#
# Environment: CREDIT_VAR (default ./var), DB_PORT (default 3307), MARIADBD (the
# server program, default mariadbd: the tests give a wrapper that sets its clock),
# DB_SERVER_ID (unset: a lone server without binary log; set: a member of a
# replicated topology, binary log in row format with GTIDs), DB_READ_ONLY=1
# (a replica: only replication and root write). See docs/DEPLOYMENT.md.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
VAR=${CREDIT_VAR:-$top/var}
DB_PORT=${DB_PORT:-3307}
DB_NAME=${DB_NAME:-credit}
MARIADBD=${MARIADBD:-mariadbd}
datadir=$VAR/db
run=$VAR/run
log=$VAR/log
cnf=$VAR/my.cnf
sock=$run/mysqld.sock
secrets=$VAR/secrets
me=$(id -un)
# Where the module's users connect from: this server listens on loopback.
GRANT_HOSTS="127.0.0.1 localhost"

mkdir -p "$run" "$log" "$secrets" "$VAR/tmp"
chmod 700 "$secrets"

write_cnf() {
    cat >"$cnf" <<EOF
[client-server]
socket=$sock
port=$DB_PORT

[client]
default-character-set=utf8mb4

[mariadbd]
datadir=$datadir
tmpdir=$VAR/tmp
pid-file=$run/mariadbd.pid
log-error=$log/mariadb.err
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
default-time-zone=+08:00
innodb_buffer_pool_size=${DB_BUFFER_POOL:-1G}
innodb_log_file_size=256M
innodb_flush_log_at_trx_commit=1
max_connections=1000
thread_cache_size=64
# A few threads run the statements, in the order they come, instead of one
# thread per connection all sharing the cores: a short statement (a record
# page) no longer takes 30 times its time while 30 others run, and a long
# one gives way after 10 ms. Measured in docs/BENCH.md (list mix p99 330 ->
# 150 ms, record mix p99 109 -> 43 ms).
thread_handling=pool-of-threads
thread_pool_stall_limit=10
# Results go out in writes of this size (16K by default): an export of a
# district (32 MB) in 256K writes took a quarter less httpd CPU and a tenth
# less MariaDB CPU (docs/DEPLOYMENT.md). Each connection holds one buffer.
net_buffer_length=256K
# InnoDB keeps a hash of the index pages read most, so a row looked up by
# key skips most of the walk down the B-tree: at 1,000,000 records the
# export, list, feed and search mixes made a fifth to a third more pages a
# second, the record mix 0-9% fewer (docs/BENCH.md, "The adaptive hash
# index, measured again"). Off by default since MariaDB 10.5.
innodb_adaptive_hash_index=ON
table_open_cache=2000
event_scheduler=ON
plugin-load-add=ha_mroonga.so
EOF
    if [ -n "${DB_SERVER_ID:-}" ]; then
        # A member of a replicated topology (docs/DEPLOYMENT.md): the binary
        # log in row format carries every row, the derived Mroonga search
        # rows too; GTIDs let a replica resume where it stopped and the
        # module measure how far behind a copy is. A replica logs what it
        # applies, so it can be promoted. Semi-synchronous: a commit is
        # acknowledged (a citizen's receipt shown) once a replica has
        # received it, so losing the primary for good loses nothing
        # acknowledged; with no replica answering, a commit waits 1 s once
        # and the primary goes on alone until one is back.
        cat >>"$cnf" <<EOF
server-id=$DB_SERVER_ID
log-bin=$datadir/binlog
relay-log=$datadir/relay
binlog_format=ROW
log_slave_updates=ON
gtid_strict_mode=ON
log_bin_trust_function_creators=ON
slave_net_timeout=5
rpl_semi_sync_master_enabled=ON
rpl_semi_sync_master_wait_point=AFTER_SYNC
rpl_semi_sync_master_timeout=1000
rpl_semi_sync_slave_enabled=ON
read_only=${DB_READ_ONLY:-0}
EOF
    fi
}

client() { mariadb --defaults-file="$cnf" -u "$me" "$@"; }

# password, migrate, grants: shared with scripts/install-db.sh.
# shellcheck source=scripts/db-lib.sh
. "$top/scripts/db-lib.sh"

running() { [ -S "$sock" ] && mariadb-admin --defaults-file="$cnf" -u "$me" ping >/dev/null 2>&1; }

start() {
    write_cnf
    if running; then
        echo "MariaDB already running on 127.0.0.1:$DB_PORT ($datadir)"
        return 0
    fi
    if [ ! -d "$datadir/mysql" ]; then
        mkdir -p "$datadir"
        mariadb-install-db --defaults-file="$cnf" --user="$me" --datadir="$datadir" \
            --auth-root-authentication-method=socket --skip-test-db \
            >"$log/mariadb-install.log" 2>&1 || {
            cat "$log/mariadb-install.log" >&2
            exit 1
        }
    fi
    # Detached: a daemon must never hold the caller's terminal or CI's pipes.
    setsid "$MARIADBD" --defaults-file="$cnf" --user="$me" </dev/null >>"$log/mariadb.out" 2>&1 &
    for _ in $(seq 1 300); do
        running && break
        sleep 0.1
    done
    if ! running; then
        echo "MariaDB did not start; see $log/mariadb.err" >&2
        tail -n 20 "$log/mariadb.err" >&2 || true
        exit 1
    fi
    echo "MariaDB running on 127.0.0.1:$DB_PORT, socket $sock, data $datadir"
}

stop() {
    [ -f "$run/mariadbd.pid" ] || return 0
    local pid
    pid=$(cat "$run/mariadbd.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 300); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$run/mariadbd.pid"
    echo "MariaDB stopped ($datadir)"
}

# Set-up work that takes minutes (a million demo records) shows how it goes.
# The SQL scripts select marker rows that the client hands over as they come
# (--unbuffered): '@phase' NAME, '@rows' DONE TOTAL, '@counts' ..., '@indexed'
# N, '@changes' N; other rows are dropped. On a terminal the running phase
# is shown with its rows and time, and each phase ends with a line of its
# own; elsewhere (CI, log files) nothing but the one-line summary, which is
# printed in both cases: what was loaded, the total time and each phase's.
progress() { # title
    local title=$1 tty=0 start now phase="" pstart=0 rows="" summary=()
    local line="" chunk rc counts="" indexed="" changes="" f
    [ -t 1 ] && tty=1
    start=$EPOCHSECONDS
    took() { # seconds -> "4 min 51 s"
        local s=$1
        if [ "$s" -ge 60 ]; then echo "$((s / 60)) min $((s % 60)) s"; else echo "$s s"; fi
    }
    show() {
        [ $tty = 1 ] && [ -n "$phase" ] || return 0
        printf '\r\033[K  %s: %s%s' "$phase" "${rows:+$rows records, }" "$(took $((EPOCHSECONDS - pstart)))"
    }
    finish() {
        [ -n "$phase" ] || return 0
        summary+=("$phase $(took $((EPOCHSECONDS - pstart)))")
        show
        [ $tty = 1 ] && printf '\n'
        phase=""
    }
    handle() {
        IFS=$'\t' read -r -a f <<<"$1"
        case ${f[0]:-} in
        @phase) finish; phase=${f[1]}; pstart=$EPOCHSECONDS; rows="" ;;
        @rows) rows="${f[1]} / ${f[2]}" ;;
        @counts) counts="${f[4]} records (${f[5]} events), $((f[2] + f[3])) subjects, ${f[1]} departments, ${f[6]} ratings, ${f[7]} commitments" ;;
        @indexed) indexed=${f[1]} ;;
        @changes) changes=${f[1]} ;;
        esac
    }
    while :; do
        if IFS= read -r -t 1 chunk; then
            handle "$line$chunk"
            line=""
        else
            rc=$?
            line+=$chunk
            if [ $rc -le 128 ]; then # end of input
                [ -n "$line" ] && handle "$line"
                break
            fi
        fi
        show
    done
    finish
    now=$EPOCHSECONDS
    local what=${counts:-${indexed:+$indexed records indexed}}
    [ -n "$changes" ] && what+=", $changes change-feed entries"
    local IFS=,
    echo "$title: ${what:-done} in $(took $((now - start))) (${summary[*]/#/ })" | sed 's/( /(/'
}

demo() {
    local n=${1:-10000} have
    have=$(client -N "$DB_NAME" -e "SELECT COUNT(*) FROM records")
    if [ "$have" != 0 ]; then
        echo "demo data present ($have records); make reset to start over"
        return 0
    fi
    echo "loading demo data: $n records"
    # The search table is filled once at the end instead of row by row.
    {
        { echo "SET @demo_records = $n; SET @credit_bulk_load = 1;"; cat "$top/sql/demo.sql"; } |
            client -N -B --unbuffered "$DB_NAME"
        printf '@phase\tsearch index\n'
        client -N -B --unbuffered "$DB_NAME" <"$top/sql/reindex.sql"
        printf '@phase\tchange history\n'
        client -N -B --unbuffered "$DB_NAME" <"$top/sql/changes_seed.sql"
        printf '@phase\ttotals\n'
        client -N -B "$DB_NAME" -e "CALL record_counts_rebuild()"
    } | progress "demo data"
}

# The derived tables again from InnoDB: the search index and the totals.
reindex() {
    {
        printf '@phase\tsearch index\n'
        client -N -B --unbuffered "$DB_NAME" <"$top/sql/reindex.sql"
        printf '@phase\ttotals\n'
        client -N -B "$DB_NAME" -e "CALL record_counts_rebuild()"
    } | progress "reindex"
}

# The user a replica connects as (REPLICATION SLAVE only), on a primary.
repl_user() {
    local pw h
    pw=$(password repl)
    for h in 127.0.0.1 localhost; do
        client -e "CREATE USER IF NOT EXISTS 'credit_repl'@'$h' IDENTIFIED BY '$pw';
            ALTER USER 'credit_repl'@'$h' IDENTIFIED BY '$pw';
            GRANT REPLICATION SLAVE ON *.* TO 'credit_repl'@'$h';"
    done
}

# This server replicates the primary at $1:$2 from the GTID it applied last
# (nothing yet: from the primary's first binary log), reconnecting every
# second while the primary is away.
replicate() {
    local host=$1 port=$2 pw
    pw=$(password repl)
    client -e "STOP SLAVE;
        CHANGE MASTER TO MASTER_HOST='$host', MASTER_PORT=$port, MASTER_USER='credit_repl',
            MASTER_PASSWORD='$pw', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1,
            MASTER_HEARTBEAT_PERIOD=1;
        START SLAVE;"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
migrate) migrate ;;
grants) grants ;;
demo) demo "${2:-10000}" ;;
reindex) reindex ;;
sql) shift; client "$DB_NAME" "$@" ;;
status) running ;;
password) password "$2" ;;
repl-user) repl_user ;;
replicate) replicate "$2" "$3" ;;
replication) client -e "SHOW SLAVE STATUS\\G" |
    grep -E "Slave_(IO|SQL)_Running:|Seconds_Behind|Gtid_IO_Pos|Last_(IO|SQL)_Error:" ;;
*)
    echo "usage: $0 start|stop|migrate|demo N|reindex|sql|status|password NAME|repl-user|replicate HOST PORT|replication" >&2
    exit 2
    ;;
esac
