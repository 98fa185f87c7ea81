#!/usr/bin/env bash
# Fuzz targets of the pure core (libFuzzer, clang, ASan + UBSan).
#
#   run.sh build           build every target into $CREDIT_VAR/build/fuzz/
#   run.sh replay          build, then run every corpus file once (make test);
#                          exit 1 when any target crashes
#   run.sh fuzz SECONDS [TARGET...]
#                          build, then fuzz each target (default: all) for
#                          SECONDS, at nice 19, into a scratch copy of its
#                          corpus ($CREDIT_VAR/build/fuzz/work/<target>/);
#                          crashes are written to
#                          $CREDIT_VAR/build/fuzz/artifacts/<target>/ and a
#                          line per run (target, seconds, runs, coverage,
#                          features, corpus, crash) is added to
#                          $CREDIT_VAR/build/fuzz/runs.tsv
#   run.sh merge [TARGET...]
#                          adds to tests/fuzz/corpus/<target>/ the inputs of
#                          the scratch copy that reach code the corpus does
#                          not (libFuzzer -merge=1; the corpus's own files
#                          stay)
#
# Targets: tests/fuzz/fuzz_<name>.c, corpus tests/fuzz/corpus/<name>/,
# optional dictionary tests/fuzz/<name>.dict. tests/fuzz/README.md lists
# what each target checks and the recorded runs.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
VAR=${CREDIT_VAR:-$top/var}
out=$VAR/build/fuzz
CC=${FUZZ_CC:-clang}
targets=(query filter csv form record jsonl route search cell)

# The source list and the compiler flags are mod_credit/sources.mk's (asked
# of make, so that a file moved between folders needs no edit here).
mk() { make -s --no-print-directory -C "$top" "print-$1"; }
all_src=$(mk SRC_ALL)
headers=$(mk HDRS)
read -r -a cflags <<<"$(mk CC_STD) $(mk WARN) $(mk SRC_INCS)"

# The path of each named core file (credit_query -> mod_credit/model/credit_query.c).
paths() {
    local n f out=()
    for n in "$@"; do
        for f in $all_src; do
            [ "${f##*/}" = "$n.c" ] && out+=("$f")
        done
    done
    echo "${out[@]}"
}

# The core sources each target links (no httpd header in any of them).
sources() {
    local base="credit_model credit_rules credit_validate"
    case $1 in
    query | filter) paths credit_query credit_filter $base ;;
    csv) paths credit_csv ;;
    cell) paths credit_export credit_csv $base ;;
    form) paths credit_form credit_token credit_filter credit_query $base ;;
    record | jsonl) paths credit_record_input $base ;;
    route) paths credit_route credit_validate ;;
    search) paths credit_search credit_filter credit_query $base ;;
    esac
}

# Libraries beyond APR.
libs() {
    case $1 in
    record | jsonl | search) pkg-config --cflags --libs json-c ;;
    esac
}

# The longest input a target is fuzzed with (its corpus may hold longer).
max_len() {
    case $1 in
    record) echo 12288 ;; # a facts over its 10,000 characters
    route) echo 512 ;;
    *) echo 4096 ;;
    esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

build_one() {
    local t=$1 bin=$out/fuzz_$1 src
    src="tests/fuzz/fuzz_$t.c $(sources "$t")"
    # rebuild only when a source or header is newer than the binary
    if [ -x "$bin" ] && [ -z "$(find $src $headers tests/fuzz/*.h mod_credit/sources.mk -newer "$bin" 2>/dev/null)" ]; then
        return 0
    fi
    echo "fuzz: building $bin"
    # shellcheck disable=SC2046,SC2086
    "$CC" "${cflags[@]}" -g -O1 \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -fno-omit-frame-pointer $(apr-1-config --cflags --cppflags --includes) \
        $src $(libs "$t") $(apr-1-config --link-ld) -lcrypto -o "$bin.tmp.$$"
    mv -f "$bin.tmp.$$" "$bin" # a target being run is never half written
}

build() {
    if ! command -v "$CC" >/dev/null; then
        echo "fuzz: $CC not found (apt-get install clang)" >&2
        exit 1
    fi
    mkdir -p "$out"
    local t
    for t in "${targets[@]}"; do
        build_one "$t"
    done
}

replay() {
    local t failed=()
    for t in "${targets[@]}"; do
        if "$out/fuzz_$t" -runs=0 -artifact_prefix="$out/replay_$t-" "tests/fuzz/corpus/$t" \
            >"$out/replay_$t.log" 2>&1; then
            echo "fuzz: replay $t: $(ls "tests/fuzz/corpus/$t" | wc -l) inputs passed"
        else
            echo "fuzz: replay $t: FAILED (log $out/replay_$t.log)"
            tail -n 30 "$out/replay_$t.log"
            failed+=("$t")
        fi
    done
    [ ${#failed[@]} -eq 0 ]
}

fuzz() {
    local secs=$1 t dict failed=() crash stats
    shift
    for t in "$@"; do
        local work=$out/work/$t art=$out/artifacts/$t/ log=$out/fuzz_$t.log
        rm -rf "$work"
        mkdir -p "$work" "$art"
        cp "tests/fuzz/corpus/$t"/* "$work"/
        dict=()
        [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
        echo "fuzz: $t for ${secs}s (corpus copy $work)"
        crash=no
        nice -n 19 "$out/fuzz_$t" -max_total_time="$secs" -max_len="$(max_len "$t")" -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art" "${dict[@]}" "$work" \
            >"$log" 2>&1 || crash=yes
        # the last status line: "#N DONE cov: C ft: F corp: K/..." (or the
        # last one before a crash)
        stats=$(grep -E '^#[0-9]+.* cov: ' "$log" | tail -n 1 |
            sed -E 's/^#([0-9]+).* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/\1 \2 \3 \4/' ||
            true)
        [ -n "$stats" ] || stats="- - - -"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$secs" \
            $stats "$crash" >>"$out/runs.tsv"
        if [ $crash = no ]; then
            echo "fuzz: $t: $(grep -m1 'stat::number_of_executed_units' "$log" |
                awk '{print $2}') runs, no crash; corpus now $(ls "$work" | wc -l) files"
        else
            echo "fuzz: $t: CRASH (log $log, inputs in $art)"
            tail -n 40 "$log"
            failed+=("$t")
        fi
    done
    [ ${#failed[@]} -eq 0 ]
}

merge() {
    local t before
    for t in "$@"; do
        [ -d "$out/work/$t" ] || {
            echo "merge: no scratch corpus for $t (run.sh fuzz first)" >&2
            return 1
        }
        before=$(ls "tests/fuzz/corpus/$t" | wc -l)
        nice -n 19 "$out/fuzz_$t" -merge=1 -max_len=$((256 * 1024)) "tests/fuzz/corpus/$t" \
            "$out/work/$t" >"$out/merge_$t.log" 2>&1 || {
            tail -n 20 "$out/merge_$t.log"
            return 1
        }
        echo "merge: $t: $before -> $(ls "tests/fuzz/corpus/$t" | wc -l) files," \
            "$(du -sh "tests/fuzz/corpus/$t" | cut -f1)"
    done
}

case ${1:-} in
build) build ;;
replay)
    build
    replay
    ;;
fuzz)
    [[ ${2:-} =~ ^[0-9]+$ ]] || {
        echo "usage: $0 fuzz SECONDS [TARGET...]" >&2
        exit 2
    }
    build
    secs=$2
    shift 2
    fuzz "$secs" "${@:-${targets[@]}}"
    ;;
merge)
    build
    shift
    merge "${@:-${targets[@]}}"
    ;;
*)
    echo "usage: $0 build | replay | fuzz SECONDS [TARGET...] | merge [TARGET...]" >&2
    exit 2
    ;;
esac
