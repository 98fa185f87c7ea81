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
json.dump(results, open(dest, "w"), indent=2, sort_keys=True)
print("written to", dest)
PY
