#!/usr/bin/env bash
# Fails when a built module has an undefined dynamic symbol that neither
# httpd nor the shared libraries it links provide (a missing static library
# otherwise only shows up at LoadModule time), or when it exports more than
# its module record. A sanitizer build (make module ASAN=1) needs clang's
# AddressSanitizer runtime, which is not on the library path (httpd gets it
# preloaded): the symbols of that runtime count as provided; nothing else
# changes.
set -euo pipefail
so=$1
runtime=
needed=$(readelf -d "$so")
if [[ $needed =~ \[(libclang_rt\.asan-[A-Za-z0-9_]+\.so)\] ]]; then
    runtime=$(clang -print-runtime-dir)/${BASH_REMATCH[1]}
    [ -f "$runtime" ] || {
        echo "$so: needs $runtime, which is not there" >&2
        exit 1
    }
fi
httpd=${HTTPD_BIN:-/usr/sbin/apache2}
defined=$(mktemp)
trap 'rm -f "$defined"' EXIT
{
    nm -D --defined-only "$httpd"
    # the libraries it links that are found, and the dynamic loader (which
    # provides __tls_get_addr for thread-local variables)
    for lib in $(ldd "$so" | awk '/=>/ && $3 ~ /^\// {print $3} !/=>/ && $1 ~ /^\// {print $1}'); do
        nm -D --defined-only "$lib"
    done
    for lib in /usr/lib/x86_64-linux-gnu/libapr-1.so.0 /usr/lib/x86_64-linux-gnu/libaprutil-1.so.0 \
        $runtime; do
        [ -e "$lib" ] && nm -D --defined-only "$lib"
    done
} 2>/dev/null | awk '{print $NF}' | sed 's/@.*//' | sort -u >"$defined"
missing=$(nm -D --undefined-only "$so" | awk '{print $NF}' | sed 's/@.*//' | sort -u |
    grep -v -E '^(_ITM_|__gmon_start__|__cxa_finalize)' | comm -23 - "$defined" || true)
if [ -n "$missing" ]; then
    echo "$so: undefined symbols nobody provides:" >&2
    echo "$missing" >&2
    exit 1
fi
exported=$(nm -D --defined-only "$so" | awk '{print $NF}' | grep -v -E '^(credit_module|_init|_fini)$' || true)
if [ -n "$exported" ]; then
    echo "$so: exports more than credit_module:" >&2
    echo "$exported" | head -n 20 >&2
    exit 1
fi
if ! nm -D --defined-only "$so" | awk '{print $NF}' | grep -qx credit_module; then
    echo "$so: credit_module is not exported: LoadModule would fail" >&2
    exit 1
fi
if [ -n "$runtime" ]; then
    echo "$so: symbols ok (sanitizer build: exports credit_module only, no undefined symbols" \
        "but its runtime's)"
else
    echo "$so: symbols ok (exports credit_module only, no undefined symbols)"
fi
