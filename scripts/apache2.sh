#!/usr/bin/env bash
# Runs httpd ($HTTPD, default /usr/sbin/apache2) with its arguments; when the
# module is a sanitizer build (make module ASAN=1: it needs clang's
# AddressSanitizer runtime, which also holds UBSan's), with that runtime
# preloaded (it must come first in the process) and every report written to
# a file of $CREDIT_SANITIZER_DIR (default var/sanitizer of the checkout),
# asan.<pid>. `make test ASAN=1` fails when that directory holds a report at
# the end, and each integration test fails when a report appeared while it
# ran. Leaks are not reported: httpd's children end by exit, with their
# pools unfreed.
#
# The module is $CREDIT_SO (default the built var/build/module/.libs/mod_credit.so).
# scripts/httpd.sh and the tests that run `apache2 -t` go through here.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
HTTPD=${HTTPD:-/usr/sbin/apache2}
SO=${CREDIT_SO:-$top/var/build/module/.libs/mod_credit.so}

needed=$(readelf -d "$SO" 2>/dev/null || true)
if [[ $needed =~ \[(libclang_rt\.asan-[A-Za-z0-9_]+\.so)\] ]]; then
    runtime=$(clang -print-runtime-dir)/${BASH_REMATCH[1]}
    dir=${CREDIT_SANITIZER_DIR:-$top/var/sanitizer}
    # the children run as www-data when httpd starts as root
    mkdir -p "$dir"
    chmod 1777 "$dir"
    if [ "$(id -u)" = 0 ] && ! runuser -u www-data -- test -w "$dir" 2>/dev/null; then
        echo "$0: www-data cannot write sanitizer reports to $dir (set CREDIT_SANITIZER_DIR" \
            "to a directory it can reach)" >&2
        exit 1
    fi
    export LD_PRELOAD=$runtime${LD_PRELOAD:+:$LD_PRELOAD}
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:print_summary=1:log_path=$dir/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}
    export UBSAN_OPTIONS=print_stacktrace=1:print_summary=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
fi
# The allocator of the children. ClearSilver allocates each node of a page's
# data with malloc and frees them all at the end of the page: a feed of 50
# entries is thousands of small blocks, and glibc's allocator then merged
# them again at the next large allocation (malloc_consolidate, a tenth of
# httpd's CPU under the feed mix). Debian's jemalloc (libjemalloc2, the run
# group of scripts/deps.sh) keeps them per thread: httpd's CPU per feed
# 1.22-1.28 ms against 1.54-1.60 ms, per list page 0.67 against 0.78-1.01 ms,
# record pages the same (docs/BENCH.md, "jemalloc in httpd").
# CREDIT_MALLOC=glibc keeps glibc's; a sanitizer build keeps its own.
# DEPLOYMENT.md has the lines for /etc/apache2/envvars.
# (awk reads ldconfig's whole list: stopping early would end ldconfig by
# SIGPIPE, which pipefail would make this script's exit.)
jemalloc=$(/sbin/ldconfig -p 2>/dev/null | awk '$1 == "libjemalloc.so.2" && !n++ { print $NF }' || true)
if [ "${CREDIT_MALLOC:-jemalloc}" = jemalloc ] && [ -z "${runtime:-}" ] && [ -n "$jemalloc" ]; then
    export LD_PRELOAD=$jemalloc${LD_PRELOAD:+:$LD_PRELOAD}
fi
# glibc's allocator (without jemalloc): blocks up to 4 MB from the heap, not
# each its own mmap, and 16 MB kept at the heap's top before it is given back.
# With glibc's defaults the children spent a tenth of the CPU zeroing fresh
# pages and consolidating (clear_page_erms, malloc_consolidate). Record mix
# 3,308-3,393 against 2,929-3,003 pages/s (docs/BENCH.md, "glibc's
# allocator"). A value the caller gives is kept.
export GLIBC_TUNABLES=${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=4194304:glibc.malloc.trim_threshold=16777216}
exec "$HTTPD" "$@"
