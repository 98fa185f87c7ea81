#!/usr/bin/env bash
# The Debian 12 packages of mod_credit, in groups:
#
#   build   what compiling the module needs (make install checks these)
#   run     the private MariaDB and httpd of `make run`
#   test    unit, fuzz, integration and browser tests (`make test`)
#   bench   the load generator of `make bench`
#   lint    the OpenAPI tools of `make lint-openapi` (from npm, not Debian)
#
#   deps.sh [--check] GROUP...   install the missing packages of the groups
#                                (without starting any system service); with
#                                --check install nothing: name what is missing
#                                and exit 1 when anything is
#   deps.sh --list GROUP...      print the packages of the groups
#
# Needs root (or sudo) only when something is missing.
set -euo pipefail

group() {
    case $1 in
    build)
        # libxlsxwriter-dev: the workbook export /records.xlsx (shared library)
        echo build-essential pkg-config apache2-dev libapr1-dev libaprutil1-dev \
            libmariadb-dev libjson-c-dev clearsilver-dev libssl-dev libxlsxwriter-dev
        ;;
    run)
        # libxlsxwriter4: the library the module links (libxlsxwriter-dev has it too);
        # libjemalloc2: the allocator scripts/apache2.sh gives httpd
        echo apache2 apache2-utils mariadb-server mariadb-client mariadb-plugin-mroonga \
            openssl curl ca-certificates libxlsxwriter4 libjemalloc2
        ;;
    test)
        # libclang-rt-14-dev: the fuzzer and sanitizer runtimes of clang
        # (only a recommendation of clang, and recommendations are not installed).
        # faketime: the totals' test crosses midnight on a second httpd;
        # memcached: the rate limits through a shared cache; redis-server:
        # the same in the topology of two hosts (tests/topology);
        # python3-openpyxl, python3-feedparser: read the workbook and the feeds
        # as a spreadsheet and a feed reader do.
        echo check clang libclang-rt-14-dev clang-format faketime memcached redis-server \
            python3-pytest python3-requests python3-pymysql python3-openpyxl python3-feedparser \
            chromium chromium-driver python3-selenium fonts-wqy-microhei
        ;;
    bench) echo wrk python3 linux-perf php8.2-fpm php8.2-mysql ;;
    # nodejs, npm: Redocly CLI and Dredd come from the npm registry on first
    # use (make lint-openapi, tests/lint), with the test group's pytest.
    lint) echo nodejs npm ;;
    *)
        echo "deps.sh: unknown group '$1' (build, run, test, bench, lint)" >&2
        exit 2
        ;;
    esac
}

mode=install
case ${1:-} in
--check) mode=check; shift ;;
--list) mode=list; shift ;;
esac
[ $# -gt 0 ] || { echo "usage: $0 [--check|--list] build|run|test|bench|lint..." >&2; exit 2; }

packages=()
for g in "$@"; do
    read -r -a more <<<"$(group "$g")"
    packages+=("${more[@]}")
done
if [ $mode = list ]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

# Installed, or provided by an installed package (a nodejs from NodeSource
# provides npm and conflicts with Debian's: it counts as npm).
installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" && return 0
    dpkg-query -W -f='${Status}\t${Provides}\n' 2>/dev/null | awk -F'\t' -v p="$1" '
        $1 == "install ok installed" {
            n = split($2, a, /, */)
            for (i = 1; i <= n; i++) { sub(/ .*/, "", a[i]); if (a[i] == p) found = 1 }
        }
        END { exit !found }'
}

missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ $mode = check ]; then
    echo "missing Debian packages ($*): ${missing[*]}" >&2
    echo "install them with: apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "installing ($*): ${missing[*]}"
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
# Packages must not start their own system services (apache2, mariadb) here:
# a policy-rc.d that refuses is put in place for the install, unless the
# machine has one already (container images do), which is then left alone.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    made_policy=1
fi
cleanup() {
    if [ $made_policy = 1 ]; then
        $sudo rm -f "$policy"
    fi
}
trap cleanup EXIT
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "packages installed"
