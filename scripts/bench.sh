#!/usr/bin/env bash
# make bench: wrk against the running stack, page kind by page kind, each run
# paired with a static ceiling (copies of pages of the same kind served by the
# same httpd) in the same run:
#
#   mix   every request a path drawn at random from thousands taken from the
#         database (tests/bench/urls.py: 50,000 public records; every
#         district x severity x category x domain combination, pages 1-3;
#         2- and 4-character words of real titles, common and rare; the CSV
#         of one district with every combination of the other filters, and
#         apart its 68 largest); the ceiling draws from 200 static copies of
#         pages of the mix
#   hot   one path repeated (what the per-child caches make of it)
#
# then: a reader's record pages while 32 connections run the search mix (the
# crawler's effect on others), the same while 32 connections export the CSV
# mix, the CSV of one common word (time and how much
# the serving process grew), complaint submissions against the same INSERT by
# mariadb-slap, and a CPU profile (perf, cpu-clock) of the record and list
# mixes. Writes var/bench/results.json and var/bench/profile-*.txt.
#
# Environment: DEMO_RECORDS (1000000, loaded when the database is empty),
# DB_BUFFER_POOL (the InnoDB data and a quarter, at most half the memory),
# BENCH_SECONDS (10), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_ONLY
# ("record list": a subset of the kinds), BENCH_SUBMIT (1), BENCH_PROFILE (1).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
VAR=${CREDIT_VAR:-$top/var}
export CREDIT_VAR=$VAR
PORT=${PORT:-8080}
DB_PORT=${DB_PORT:-3307}
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
base=http://127.0.0.1:$PORT
kinds=(record api_record list api_list search api_search feed csv csv_district)
[ -n "${BENCH_ONLY:-}" ] && read -r -a kinds <<<"$BENCH_ONLY"

scripts/db.sh start >/dev/null
scripts/db.sh migrate >/dev/null
scripts/db.sh demo "${DEMO_RECORDS:-1000000}"
scripts/httpd.sh start >/dev/null
# The buffer pool sized to the InnoDB data (records, record_text and their
# indexes are about 3 GB at 1,000,000 records; scripts/db.sh starts with 1 GB,
# enough for make run's demo), as DEPLOYMENT.md asks of a production server:
# with less, walks and lists read pages from the file system and the figures
# measure that. Resized online; then the tables the pages read are read once.
# DB_BUFFER_POOL (bytes, K/M/G) overrides it.
innodb=$(scripts/db.sh sql -N -e "SELECT COALESCE(SUM(data_length + index_length), 0)
    FROM information_schema.tables WHERE table_schema = DATABASE() AND engine = 'InnoDB'")
pool=$(/usr/bin/python3 -c '
import sys
data, mem = int(sys.argv[1]), int(open("/proc/meminfo").read().split()[1]) * 1024
g = 1 << 30
want = -(-int(data * 1.25) // g) * g
print(max(g, min(want, mem // 2 // g * g)))' "$innodb")
if [ -n "${DB_BUFFER_POOL:-}" ]; then
    pool=$(numfmt --from=iec "$DB_BUFFER_POOL")
fi
scripts/db.sh sql -e "SET GLOBAL innodb_buffer_pool_size = $pool"
scripts/db.sh sql -N -e "SELECT COUNT(*), SUM(LENGTH(facts)) FROM records FORCE INDEX (PRIMARY);
    SELECT SUM(LENGTH(body)) FROM record_text FORCE INDEX (PRIMARY);
    SELECT COUNT(*) FROM records FORCE INDEX (ix_records_combo) WHERE combo >= 0;
    SELECT COUNT(*) FROM subjects" >/dev/null
echo "InnoDB data $((innodb >> 20)) MB, buffer pool $((pool >> 20)) MB (read once)"
records=$(scripts/db.sh sql -N -e "SELECT COUNT(*) FROM records")
today=$(scripts/db.sh sql -N -e "SELECT CURDATE()")
public="status IN ('published','contested','corrected') AND disclosed_on <= '$today' AND withdraw_on > '$today'"
echo "benchmarking on $records records ($(nproc) cores, $secs s per run, $conns connections)"
# Other work on the machine skews every figure: the load is recorded with the
# results, and a busy machine is said at the start.
load_start=$(cut -d' ' -f1 /proc/loadavg)
if /usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0.5 else 1)" "$load_start"; then
    echo "warning: the machine is not quiet (1-minute load $load_start before the first run): figures will be low" >&2
fi

out=$VAR/bench
rm -rf "$out/wrk" "$out/urls" "$out/static"
mkdir -p "$out/wrk" "$out/urls" "$out/static"

# The mixes, from the database's own rows.
scripts/db.sh sql -N -e "SELECT record_no FROM records WHERE $public ORDER BY RAND(1) LIMIT 50000" \
    >"$out/urls/records.tsv"
{
    scripts/db.sh sql -N -e "SELECT title FROM records WHERE $public ORDER BY RAND(2) LIMIT 40000"
    scripts/db.sh sql -N -e "SELECT LEFT(facts, 60) FROM records WHERE $public ORDER BY RAND(3) LIMIT 20000"
} >"$out/urls/titles.tsv"
/usr/bin/python3 tests/bench/urls.py "$out/urls" "$out/urls/records.tsv" "$out/urls/titles.tsv"

# The ceilings: static copies of 200 pages of each mix (of the first path for
# the hot run), served by the same httpd from the served directory.
for kind in "${kinds[@]}"; do
    mkdir -p "$out/static/$kind"
    : >"$out/urls/$kind.static"
    shuf -n 200 --random-source=<(yes) "$out/urls/$kind.urls" >"$out/urls/$kind.sample"
    i=0
    while read -r path; do
        if curl -sf -o "$out/static/$kind/$i.html" "$base$path"; then
            echo "/bench-static/$kind/$i.html" >>"$out/urls/$kind.static"
            i=$((i + 1))
        fi
    done <"$out/urls/$kind.sample"
    curl -sf -o "$out/static/$kind/hot.html" "$base$(head -n 1 "$out/urls/$kind.urls")" ||
        { echo "cannot fetch $(head -n 1 "$out/urls/$kind.urls") (is the stack up? make run)" >&2; exit 1; }
done
# ($out/static is what scripts/httpd.sh copies into the served directory.)
scripts/httpd.sh start >/dev/null # graceful: the copies are served, the caches start empty

wrk_run() { # name connections url [urls-file]
    local name=$1 c=$2 url=$3 file=${4:-}
    if [ -n "$file" ]; then
        BENCH_URLS=$file wrk -t"$threads" -c"$c" -d"${secs}s" --latency -s tests/bench/mix.lua \
            "$url" >"$out/wrk/$name.txt" 2>&1
    else
        wrk -t"$threads" -c"$c" -d"${secs}s" --latency "$url" >"$out/wrk/$name.txt" 2>&1
    fi
}

profile() { # name: records the whole machine's CPU (cpu-clock) while it sleeps secs
    [ "${BENCH_PROFILE:-1}" = 1 ] && command -v perf >/dev/null || return 0
    perf record -e cpu-clock -F 499 -a -g -o "$out/perf-$1.data" -- sleep "$secs" \
        >/dev/null 2>&1 || return 0
    {
        echo "# $1 mix: CPU by process and library (perf, cpu-clock, all CPUs)"
        perf report -i "$out/perf-$1.data" --no-children --sort comm,dso --stdio -g none \
            2>/dev/null | grep -v '^$' | grep -v '^#' | head -n 25
        echo
        echo "# $1 mix: hottest functions"
        perf report -i "$out/perf-$1.data" --no-children --sort comm,sym --stdio -g none \
            2>/dev/null | grep -v '^$' | grep -v '^#' | head -n 40
    } >"$VAR/bench/profile-$1.txt" || true
    rm -f "$out/perf-$1.data"
}

for kind in "${kinds[@]}"; do
    c=$conns
    [[ "$kind" == csv* ]] && c=4 # exports are long: a few at a time
    echo "running $kind"
    wrk_run "$kind.hot" "$c" "$base$(head -n 1 "$out/urls/$kind.urls")"
    wrk_run "$kind.hot.ceiling" "$c" "$base/bench-static/$kind/hot.html"
    ppid=""
    if [ "$kind" = record ] || [ "$kind" = list ]; then
        profile "$kind" &
        ppid=$!
    fi
    wrk_run "$kind.mix" "$c" "$base" "$out/urls/$kind.urls"
    if [ -n "$ppid" ]; then wait "$ppid" || true; fi
    wrk_run "$kind.mix.ceiling" "$c" "$base" "$out/urls/$kind.static"
done

# The module against a plain PHP page (issue 10 point 8): the record mix once
# more through mod_credit and through tests/bench/php/record.php on PHP 8.2-FPM
# (opcache, PDO, persistent connections, 16 static workers) behind the same
# httpd, with the CPU each kind of process used per page (/proc, all threads).
cpu_ticks() { # prints the clock ticks apache2, php-fpm8.2 and mariadbd used so far
    /usr/bin/python3 tests/bench/cpu_ticks.py apache2 php-fpm8.2 mariadbd
}
php_compare=""
if [[ " ${kinds[*]} " == *" record "* ]] && [ "${BENCH_PHP:-1}" = 1 ] &&
    command -v php-fpm8.2 >/dev/null; then
    php=$VAR/php
    sockdir=/run/credit-bench-php/$(printf '%s' "$VAR" | md5sum | cut -c1-12)
    mkdir -p "$php" "$sockdir"
    chmod 755 /run/credit-bench-php "$sockdir"
    cp tests/bench/php/record.php "$php/"
    /usr/bin/python3 tests/bench/php/frame.py "$out/static/record/hot.html" "$php/frame.php"
    chmod -R a+rX "$php"
    (
        umask 077
        sed -e "s|@VAR@|$VAR|g" -e "s|@SOCK@|$sockdir/php-fpm.sock|g" -e "s|@DB_PORT@|$DB_PORT|g" \
            -e "s|@PASS@|$(scripts/db.sh password ro)|g" tests/bench/php/php-fpm.conf.in \
            >"$php/php-fpm.conf"
    )
    php-fpm8.2 -y "$php/php-fpm.conf" -c /etc/php/8.2/fpm/php.ini
    mkdir -p "$VAR/httpd/conf.d"
    sed -e "s|@PHP@|$php|g" -e "s|@SOCK@|$sockdir/php-fpm.sock|g" tests/bench/php/httpd.conf.in \
        >"$VAR/httpd/conf.d/php-bench.conf"
    scripts/httpd.sh start >/dev/null
    sed 's|^/credit/records/|/php-bench/record.php?no=|' "$out/urls/record.urls" \
        >"$out/urls/php_record.urls"
    if ! curl -sf -o /dev/null "$base$(head -n 1 "$out/urls/php_record.urls")"; then
        echo "the PHP comparison page does not answer ($VAR/log/php-fpm.log)" >&2
    else
        for who in module php; do
            file=$out/urls/record.urls
            [ "$who" = php ] && file=$out/urls/php_record.urls
            # (warm: PHP's persistent connections, the module's pool)
            BENCH_URLS=$file wrk -t"$threads" -c"$conns" -d2s -s tests/bench/mix.lua "$base" \
                >/dev/null 2>&1
            t0=$(cpu_ticks)
            wrk_run "compare.$who" "$conns" "$base" "$file"
            t1=$(cpu_ticks)
            echo "$t0 $t1" >"$out/wrk/compare.$who.ticks"
        done
        wrk_run "compare.ceiling" "$conns" "$base" "$out/urls/record.static"
        php_compare=1
    fi
    kill "$(cat "$VAR/run/php-fpm.pid")" 2>/dev/null || true
    rm -f "$VAR/httpd/conf.d/php-bench.conf"
    scripts/httpd.sh start >/dev/null
fi
export php_compare

# A reader's record pages (1 connection) while 32 connections run the mix
# of $1's paths (output $2.txt; the reader's, $3.txt).
reader_beside() {
    BENCH_URLS=$out/urls/$1.urls wrk -t1 -c32 -d"$((secs + 4))s" --latency -s tests/bench/mix.lua \
        "$base" >"$out/wrk/$2.txt" 2>&1 &
    local cpid=$!
    sleep 2
    BENCH_URLS=$out/urls/record.urls wrk -t1 -c1 -d"${secs}s" --latency -s tests/bench/mix.lua \
        "$base" >"$out/wrk/$3.txt" 2>&1
    wait "$cpid"
}

# A reader while a crawler asks searches it has not asked before (every word
# with every district, the children's caches emptied first) on 32 connections.
isolation=""
if [[ " ${kinds[*]} " == *" search "* && " ${kinds[*]} " == *" record "* ]]; then
    scripts/httpd.sh start >/dev/null
    reader_beside crawler crawler reader
    isolation=1
fi
export isolation

# A reader while 32 connections export CSVs of the CSV mix at once (a
# script pulling every district's files in parallel): CreditExports holds
# them to a few at a time; the rest wait their turn.
isolation_exports=""
if [[ " ${kinds[*]} " == *" csv "* && " ${kinds[*]} " == *" record "* ]]; then
    reader_beside csv exporter reader-exports
    isolation_exports=1
fi
export isolation_exports

# The CSV of one common word: time, rows, and how much the serving child grew.
csv_seconds=0
csv_rows=0
rss_growth_kb=0
csv_word=${BENCH_CSV_WORD:-工程}
if [ "${BENCH_CSV:-1}" = 1 ]; then
    rss_max() { ps -o rss= -C apache2 | sort -n | tail -n 1; }
    before=$(rss_max)
    peak=$before
    start=$(date +%s.%N)
    curl -sf -o "$out/export.csv" "$base/credit/records.csv?q=$(/usr/bin/python3 -c \
        'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$csv_word")" &
    cpid=$!
    while kill -0 "$cpid" 2>/dev/null; do
        now=$(rss_max)
        [ "$now" -gt "$peak" ] && peak=$now
        sleep 0.2
    done
    wait "$cpid"
    end=$(date +%s.%N)
    csv_seconds=$(/usr/bin/python3 -c "print(round($end - $start, 2))")
    csv_rows=$(($(wc -l <"$out/export.csv") - 1))
    rss_growth_kb=$((peak - before))
    echo "csv of q=$csv_word: $csv_rows rows in ${csv_seconds}s, largest httpd process grew by $((rss_growth_kb / 1024)) MB"
    rm -f "$out/export.csv"
fi
export csv_seconds csv_rows rss_growth_kb csv_word

# The CSV mixes read the districts' rendered lines (CreditExportLines), made
# at the first export of a district after a write or at midnight; the runs
# above measure them made. What the first export costs: the largest
# district's lines removed, its export timed while it makes them, then again
# from them; and the disk the lines of every district take.
lines_cold_ms=0
lines_warm_ms=0
lines_mb=0
lines_district=""
if [[ " ${kinds[*]} " == *" csv "* ]]; then
    lines=$(scripts/httpd.sh served)/lines
    lines_district=$(scripts/db.sh sql -N -e "SELECT district FROM records WHERE $public
        GROUP BY district ORDER BY COUNT(*) DESC LIMIT 1")
    lines_mb=$(du -sm "$lines" | cut -f1)
    rm -f "$lines/$lines_district"-*
    time_ms() {
        curl -sf -o /dev/null -w '%{time_total}' "$base/credit/records.csv?district=$1" |
            /usr/bin/python3 -c 'import sys; print(round(float(sys.stdin.read()) * 1000))'
    }
    lines_cold_ms=$(time_ms "$lines_district")
    lines_warm_ms=$(time_ms "$lines_district")
    echo "csv of district=$lines_district: ${lines_cold_ms} ms making its lines, ${lines_warm_ms} ms from them; the lines of the mixes' districts: ${lines_mb} MB"
fi
export lines_cold_ms lines_warm_ms lines_mb lines_district

# Complaint submissions with durable commit (innodb_flush_log_at_trx_commit
# = 1) against the same single-row INSERT issued by mariadb-slap, same run.
submit_rps=0
slap_rps=0
if [ "${BENCH_SUBMIT:-1}" = 1 ]; then
    # No rate limit and no minimum fill time for the duration of the run.
    CREDIT_SUBMIT_LIMIT="0 1" CREDIT_FORM_MIN_SECONDS=0 scripts/httpd.sh restart >/dev/null
    ntok=${BENCH_SUBMIT_TOKENS:-40000}
    /usr/bin/python3 - "$base/credit/complaints/new" "$ntok" >"$out/tokens.txt" <<'PYT'
import re, sys, urllib.request, concurrent.futures
url, n = sys.argv[1], int(sys.argv[2])
def one(_):
    html = urllib.request.urlopen(url).read().decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)
with concurrent.futures.ThreadPoolExecutor(16) as ex:
    for t in ex.map(one, range(n)):
        print(t)
PYT
    before=$(scripts/db.sh sql -N -e "SELECT COUNT(*) FROM complaints")
    BENCH_TOKENS=$out/tokens.txt BENCH_THREADS=$threads wrk -t"$threads" -c"$conns" \
        -d"${secs}s" --latency -s tests/bench/submit.lua "$base/credit/complaints" >"$out/wrk/submit.txt" 2>&1
    after=$(scripts/db.sh sql -N -e "SELECT COUNT(*) FROM complaints")
    submit_rps=$(/usr/bin/python3 -c "print(round(($after - $before) / $secs, 1))")
    benchpw=$(scripts/db.sh password bench)
    scripts/db.sh sql -e "CREATE TABLE IF NOT EXISTS bench_complaints LIKE complaints;
        CREATE USER IF NOT EXISTS 'credit_bench'@'127.0.0.1' IDENTIFIED BY '$benchpw';
        GRANT INSERT ON credit.bench_complaints TO 'credit_bench'@'127.0.0.1';"
    q="INSERT INTO bench_complaints (receipt_no, form_token, code_hash, client_hash, target, district, domain, title, content) VALUES (CONCAT('BN', LEFT(REPLACE(UUID(),'-',''),16)), SHA2(UUID(),256), UNHEX(SHA2(UUID(),256)), UNHEX(SHA2('c',256)), '天津市某区财政局', 'heping', 'procurement', '拖欠工程款长期不支付', '该局于2025年3月签订工程合同，验收合格后长期拖欠我公司工程款，经多次书面催告仍未支付，请求依法处理。')"
    nq=$(( ${submit_rps%.*} * secs + 1000 ))
    # Over TCP, as the module's connections are; as root, to the same database.
    mariadb-slap --no-defaults --protocol=tcp --host=127.0.0.1 --port="$DB_PORT" \
        -u credit_bench -p"$benchpw" --create-schema=credit \
        --init-command="SET NAMES utf8mb4" \
        --concurrency="$conns" --number-of-queries="$nq" --iterations=1 --query="$q" \
        >"$out/wrk/slap.txt" 2>&1 || cat "$out/wrk/slap.txt" >&2
    slap_secs=$(awk '/Average number of seconds to run all queries/ {print $(NF-1)}' "$out/wrk/slap.txt")
    slap_rps=$(/usr/bin/python3 -c "print(round($nq / $slap_secs, 1))")
    scripts/db.sh sql -e "DROP TABLE bench_complaints; DROP USER 'credit_bench'@'127.0.0.1'"
    echo "complaint submissions: $submit_rps/s stored; the same INSERT by mariadb-slap: $slap_rps/s"
    scripts/httpd.sh restart >/dev/null
fi
export submit_rps slap_rps
export load_start load_end
# The server settings the figures were made with.
db_settings=$(scripts/db.sh sql -N -e "SELECT @@innodb_buffer_pool_size,
    @@innodb_adaptive_hash_index, @@thread_handling, @@net_buffer_length")
export db_settings
load_end=$(cut -d' ' -f1 /proc/loadavg)

/usr/bin/python3 - "$out" "$VAR/bench/results.json" "${kinds[@]}" <<'PY'
import json, os, re, sys
out, dest, kinds = sys.argv[1], sys.argv[2], sys.argv[3:]
def ms(v, unit):
    v = float(v)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v * 60000 if unit == "m" else v
def parse(name):
    text = open("%s/wrk/%s.txt" % (out, name)).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def pct(p):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s|m)\s*$" % p, text, re.M)
        return ms(*m.groups()) if m else None
    mx = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    total = re.search(r"(\d+) requests in", text)
    return {"rps": round(rps, 1), "p50_ms": pct(50), "p99_ms": pct(99),
            "max_ms": ms(*mx.groups()) if mx else None, "requests": int(total.group(1)),
            "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else None}
def distinct(kind):
    return len(set(l for l in open("%s/urls/%s.urls" % (out, kind)) if l.strip()))
results = {}
# The ceiling's p99 beside its req/s: what the machine's latency is for
# static copies of the same kind, so a p99 target can be read against it.
fmt = "%-12s %-4s %8s %8s %8s %9s %10s %11s %7s %8s"
print(fmt % ("kind", "run", "req/s", "p50 ms", "p99 ms", "max ms", "ceiling/s", "ceil p99 ms",
             "ratio", "urls"))
for kind in kinds:
    results[kind] = {}
    for run in ("mix", "hot"):
        r = parse("%s.%s" % (kind, run))
        c = parse("%s.%s.ceiling" % (kind, run))
        r["ceiling_rps"] = c["rps"]
        r["ceiling_p99_ms"] = c["p99_ms"]
        r["ratio"] = round(r["rps"] / c["rps"], 4) if c["rps"] else None
        r["distinct_urls"] = distinct(kind) if run == "mix" else 1
        results[kind][run] = r
        print(fmt % (kind, run, "%.0f" % r["rps"], "%.2f" % (r["p50_ms"] or 0),
                     "%.2f" % (r["p99_ms"] or 0), "%.0f" % (r["max_ms"] or 0), "%.0f" % c["rps"],
                     "%.2f" % (c["p99_ms"] or 0), "%.4f" % (r["ratio"] or 0), r["distinct_urls"])
              + ("  (%d non-2xx)" % r["non_2xx"] if r["non_2xx"] else ""))
def beside(key, other, what, reader_file, other_key):
    """The reader's figures while 32 connections (wrk/<other>.txt) ran
    another mix, when the run was made (the environment's <key>)."""
    if not os.environ.get(key):
        return
    reader, o = parse(reader_file), parse(other)
    results[key] = {"reader_record_mix": reader, other_key: o}
    print("reader's record pages while 32 connections %s: p50 %.2f ms, p99 %.2f ms, "
          "max %.0f ms (%s: %.0f req/s, p99 %.0f ms, %d non-2xx)"
          % (what, reader["p50_ms"], reader["p99_ms"], reader["max_ms"], other, o["rps"],
             o["p99_ms"], o["non_2xx"]))
beside("isolation", "crawler", "run the search mix", "reader", "crawler_search_mix")
beside("isolation_exports", "exporter", "export the CSV mix", "reader-exports",
       "exporter_csv_mix")
if os.environ.get("php_compare"):
    hz = os.sysconf("SC_CLK_TCK")
    cmp = {"ceiling": parse("compare.ceiling"),
           "php": "tests/bench/php/record.php on PHP 8.2-FPM, same httpd and database"}
    for who in ("module", "php"):
        r = parse("compare." + who)
        t = [int(x) for x in open("%s/wrk/compare.%s.ticks" % (out, who)).read().split()]
        r["cpu_ms_per_page"] = {name: round((t[3 + i] - t[i]) * 1000.0 / hz / r["requests"], 3)
                                for i, name in enumerate(("httpd", "php_fpm", "mariadb"))}
        r["ratio"] = round(r["rps"] / cmp["ceiling"]["rps"], 4)
        cmp[who + "_record_mix"] = r
    m, p = cmp["module_record_mix"], cmp["php_record_mix"]
    cmp["module_over_php"] = round(m["rps"] / p["rps"], 2)
    results["php_comparison"] = cmp
    for who, r in (("mod_credit", m), ("PHP", p)):
        print("record mix, %-10s %6.0f req/s, p99 %6.1f ms; CPU per page: httpd %.3f ms, "
              "php-fpm %.3f ms, MariaDB %.3f ms" % (who, r["rps"], r["p99_ms"] or 0,
                                                    r["cpu_ms_per_page"]["httpd"],
                                                    r["cpu_ms_per_page"]["php_fpm"],
                                                    r["cpu_ms_per_page"]["mariadb"]))
    print("mod_credit / PHP: %.2f (static ceiling %.0f req/s)" % (cmp["module_over_php"],
                                                                  cmp["ceiling"]["rps"]))
if int(os.environ.get("csv_rows", "0")):
    results["csv_search_word"] = {"word": os.environ["csv_word"],
                                  "seconds": float(os.environ["csv_seconds"]),
                                  "rows": int(os.environ["csv_rows"]),
                                  "rss_growth_mb": round(int(os.environ["rss_growth_kb"]) / 1024, 1)}
if os.environ.get("lines_district"):
    results["csv_district_lines"] = {"district": os.environ["lines_district"],
                                     "first_export_ms": int(os.environ["lines_cold_ms"]),
                                     "next_export_ms": int(os.environ["lines_warm_ms"]),
                                     "lines_mb": int(os.environ["lines_mb"])}
if float(os.environ.get("slap_rps", "0")):
    sub, slap = float(os.environ["submit_rps"]), float(os.environ["slap_rps"])
    results["complaint_submit"] = {"rps": sub, "ceiling_rps": slap,
                                   "ceiling": "the same INSERT by mariadb-slap",
                                   "ratio": round(sub / slap, 3)}
settings = os.environ["db_settings"].split()
results["database_settings"] = dict(zip(("innodb_buffer_pool_size", "innodb_adaptive_hash_index",
                                         "thread_handling", "net_buffer_length"), settings))
print("MariaDB: " + ", ".join("%s=%s" % kv for kv in sorted(results["database_settings"].items())))
results["load_average"] = {"before": float(os.environ["load_start"]),
                           "after": float(os.environ["load_end"])}
print("1-minute load average: %s before the first run, %s after the last"
      % (os.environ["load_start"], os.environ["load_end"]))
json.dump(results, open(dest, "w"), indent=2, sort_keys=True)
print("written to", dest)
PY
for f in "$VAR"/bench/profile-*.txt; do
    [ -f "$f" ] && echo "profile: $f"
done
