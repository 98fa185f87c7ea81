#!/usr/bin/env bash
# Fuzz targets of the pure core (libFuzzer, clang, ASan + UBSan).
#
#   run.sh build           build every target into $CREDIT_VAR/build/fuzz/
#   run.sh replay          build, then run every corpus file once (make test);
#                          exit 1 when any target crashes
#   run.sh fuzz SECONDS    build, then fuzz each target for SECONDS into a
#                          scratch copy of its corpus; crashes are written to
#                          $CREDIT_VAR/build/fuzz/artifacts/<target>/
#
# Targets: tests/fuzz/fuzz_<name>.c, corpus tests/fuzz/corpus/<name>/,
# optional dictionary tests/fuzz/<name>.dict. New interesting inputs found
# by `fuzz` stay in the scratch copy: add them to the corpus by hand.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
VAR=${CREDIT_VAR:-$top/var}
out=$VAR/build/fuzz
CC=${FUZZ_CC:-clang}
targets=(query filter csv form cell)

# The core sources each target links (no httpd header in any of them).
sources() {
    local m=mod_credit
    case $1 in
    query | filter)
        echo "$m/credit_query.c $m/credit_filter.c $m/credit_model.c $m/credit_rules.c $m/credit_validate.c"
        ;;
    csv) echo "$m/credit_csv.c" ;;
    cell) echo "$m/credit_export.c $m/credit_model.c $m/credit_rules.c $m/credit_validate.c" ;;
    form) echo "$m/credit_form.c $m/credit_token.c $m/credit_filter.c $m/credit_query.c $m/credit_model.c $m/credit_rules.c $m/credit_validate.c" ;;
    esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

build_one() {
    local t=$1 bin=$out/fuzz_$1 src
    src="tests/fuzz/fuzz_$t.c $(sources "$t")"
    # rebuild only when a source or header is newer than the binary
    if [ -x "$bin" ] && [ -z "$(find $src mod_credit/*.h -newer "$bin" 2>/dev/null)" ]; then
        return 0
    fi
    echo "fuzz: building $bin"
    # shellcheck disable=SC2046,SC2086
    "$CC" -std=c11 -D_DEFAULT_SOURCE -g -O1 -Wall -Wextra -Werror \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -fno-omit-frame-pointer $(apr-1-config --cflags --cppflags --includes) -Imod_credit \
        $src $(apr-1-config --link-ld) -lcrypto -o "$bin"
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
        if "$out/fuzz_$t" -runs=0 "tests/fuzz/corpus/$t" >"$out/replay_$t.log" 2>&1; then
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
    local secs=$1 t dict failed=()
    for t in "${targets[@]}"; do
        local work=$out/work/$t art=$out/artifacts/$t/
        rm -rf "$work"
        mkdir -p "$work" "$art"
        cp "tests/fuzz/corpus/$t"/* "$work"/
        dict=()
        [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
        echo "fuzz: $t for ${secs}s (corpus copy $work)"
        if "$out/fuzz_$t" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$art" "${dict[@]}" "$work" \
            >"$out/fuzz_$t.log" 2>&1; then
            echo "fuzz: $t: $(grep -m1 'stat::number_of_executed_units' "$out/fuzz_$t.log" |
                awk '{print $2}') runs, no crash; corpus now $(ls "$work" | wc -l) files"
        else
            echo "fuzz: $t: CRASH (log $out/fuzz_$t.log, inputs in $art)"
            tail -n 40 "$out/fuzz_$t.log"
            failed+=("$t")
        fi
    done
    [ ${#failed[@]} -eq 0 ]
}

case ${1:-} in
build) build ;;
replay)
    build
    replay
    ;;
fuzz)
    [[ ${2:-} =~ ^[0-9]+$ ]] || {
        echo "usage: $0 fuzz SECONDS" >&2
        exit 2
    }
    build
    fuzz "$2"
    ;;
*)
    echo "usage: $0 build | replay | fuzz SECONDS" >&2
    exit 2
    ;;
esac
