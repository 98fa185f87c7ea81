#!/usr/bin/env bash
# make bench: wrk against the running stack, each dynamic page next to a
# static copy of its exact bytes served by the same httpd (the ceiling), in
# the same run. Prints requests/s, p50/p99 and the ratio to the ceiling and
# writes var/bench/results.json as {name: {rps, p50_ms, p99_ms, ceiling_rps, ratio}}.
#
# Environment: DEMO_RECORDS (default 1000000, loaded when the database is
# empty), BENCH_SECONDS (10), BENCH_CONNECTIONS (32), BENCH_THREADS (2).
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

scripts/db.sh start >/dev/null
scripts/db.sh migrate >/dev/null
scripts/db.sh demo "${DEMO_RECORDS:-1000000}"
records=$(scripts/db.sh sql -N -e "SELECT COUNT(*) FROM records")
echo "benchmarking on $records records"

# A public record and the most common district, chosen by the database.
no=$(scripts/db.sh sql -N -e "SELECT record_no FROM records WHERE status = 'published'
    AND disclosed_on <= CURDATE() AND withdraw_on > CURDATE() ORDER BY id DESC LIMIT 1")
district=$(scripts/db.sh sql -N -e "SELECT district FROM records GROUP BY district ORDER BY COUNT(*) DESC LIMIT 1")

declare -A pages=(
    [record]="/credit/records/$no"
    [list_district]="/credit/records?district=$district"
)
# Rare words: two and four characters of one township's name, found in few records.
township=$(scripts/db.sh sql -N -e "SELECT name FROM subjects WHERE level = 'township' AND kind = 'gov'
    ORDER BY id LIMIT 1")
urlenc() { /usr/bin/python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
if [ -n "$township" ]; then
    rare2=$(/usr/bin/python3 -c 'import sys; print(sys.argv[1][3:5])' "$township")
    rare4=$(/usr/bin/python3 -c 'import sys; print(sys.argv[1][3:7])' "$township")
    pages[search_2_rare]="/credit/records?q=$(urlenc "$rare2")"
    pages[search_4_rare]="/credit/records?q=$(urlenc "$rare4")"
    echo "rare words: $rare2 / $rare4 (from $township)"
fi
# Extra pages other benchmarks add: tests/bench/pages.d/NAME holds a path.
if [ -d tests/bench/pages.d ]; then
    for f in tests/bench/pages.d/*; do
        [ -f "$f" ] && pages[$(basename "$f")]=$(sed "s/@RECORD@/$no/; s/@DISTRICT@/$district/" "$f")
    done
fi
if [ -n "${BENCH_ONLY:-}" ]; then # BENCH_ONLY="record api_list": a subset
    for name in "${!pages[@]}"; do
        [[ " $BENCH_ONLY " == *" $name "* ]] || unset "pages[$name]"
    done
fi

mkdir -p "$VAR/bench/static"
for name in "${!pages[@]}"; do
    curl -sf -o "$VAR/bench/static/$name.html" "$base${pages[$name]}" ||
        { echo "cannot fetch ${pages[$name]} (is the stack up? make run)" >&2; exit 1; }
done
scripts/httpd.sh start >/dev/null # (re)start, so the static copies are served

out=$VAR/bench/wrk
mkdir -p "$out"
run() { # name url
    wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$2" >"$out/$1.txt" 2>&1
}
for name in "${!pages[@]}"; do
    # A short warm-up first: every child fills its caches of totals and
    # search ids (keyed by data version and day), as it would in service.
    wrk -t"$threads" -c"$conns" -d2s "$base${pages[$name]}" >/dev/null 2>&1
    run "$name" "$base${pages[$name]}"
    run "$name.ceiling" "$base/bench-static/$name.html"
done

# The CSV export of everything: time, rows, and how much the serving child grew.
csv_seconds=0
csv_rows=0
rss_growth_kb=0
if [ "${BENCH_CSV:-1}" = 1 ]; then
    rss_max() { ps -o rss= -C apache2 | sort -n | tail -n 1; }
    before=$(rss_max)
    peak=$before
    start=$(date +%s.%N)
    curl -sf -o "$out/export.csv" "$base/credit/records.csv" &
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
    echo "csv export: $csv_rows rows in ${csv_seconds}s, largest httpd process grew by $((rss_growth_kb / 1024)) MB"
    rm -f "$out/export.csv"
fi
export csv_seconds csv_rows rss_growth_kb

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
        -d"${secs}s" --latency -s tests/bench/submit.lua "$base/credit/complaints" >"$out/submit.txt" 2>&1
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
        -u credit_bench -p"$(scripts/db.sh password bench)" --create-schema=credit \
        --init-command="SET NAMES utf8mb4" \
        --concurrency="$conns" --number-of-queries="$nq" --iterations=1 --query="$q" \
        >"$out/slap.txt" 2>&1 || cat "$out/slap.txt" >&2
    slap_secs=$(awk '/Average number of seconds to run all queries/ {print $(NF-1)}' "$out/slap.txt")
    slap_rps=$(/usr/bin/python3 -c "print(round($nq / $slap_secs, 1))")
    scripts/db.sh sql -e "DROP TABLE bench_complaints; DROP USER 'credit_bench'@'127.0.0.1'"
    echo "complaint submissions: $submit_rps/s stored; the same INSERT by mariadb-slap: $slap_rps/s"
    scripts/httpd.sh restart >/dev/null
fi
export submit_rps slap_rps

/usr/bin/python3 - "$out" "$VAR/bench/results.json" "${!pages[@]}" <<'PY'
import json, re, sys
out, dest, names = sys.argv[1], sys.argv[2], sys.argv[3:]
def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def pct(p):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, text, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    return rps, pct(50), pct(99), int(non2xx.group(1)) if non2xx else 0
results = {}
print("%-16s %10s %9s %9s %12s %7s" % ("page", "req/s", "p50 ms", "p99 ms", "ceiling r/s", "ratio"))
for n in sorted(names):
    rps, p50, p99, bad = parse("%s/%s.txt" % (out, n))
    crps = parse("%s/%s.ceiling.txt" % (out, n))[0]
    results[n] = {"rps": round(rps, 1), "p50_ms": round(p50, 3), "p99_ms": round(p99, 3),
                  "ceiling_rps": round(crps, 1), "ratio": round(rps / crps, 3)}
    print("%-16s %10.0f %9.2f %9.2f %12.0f %7.3f%s" % (n, rps, p50, p99, crps, rps / crps,
          "  (%d non-2xx!)" % bad if bad else ""))
import os
if int(os.environ.get("csv_rows", "0")):
    results["csv_export"] = {"seconds": float(os.environ["csv_seconds"]),
                             "rows": int(os.environ["csv_rows"]),
                             "rss_growth_mb": round(int(os.environ["rss_growth_kb"]) / 1024, 1)}
if float(os.environ.get("slap_rps", "0")):
    sub, slap = float(os.environ["submit_rps"]), float(os.environ["slap_rps"])
    results["complaint_submit"] = {"rps": sub, "ceiling_rps": slap,
                                   "ceiling": "the same INSERT by mariadb-slap",
                                   "ratio": round(sub / slap, 3)}
json.dump(results, open(dest, "w"), indent=2, sort_keys=True)
print("written to", dest)
PY
