#!/usr/bin/env bash
# Installs the Debian 12 packages the build, the servers and the tests need,
# when any is missing. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
    build-essential pkg-config curl ca-certificates openssl
    apache2 apache2-utils apache2-dev libapr1-dev libaprutil1-dev
    mariadb-server mariadb-client libmariadb-dev mariadb-plugin-mroonga
    libjson-c-dev clearsilver-dev libssl-dev
    check clang clang-format
    python3 python3-pytest python3-requests python3-pymysql
    chromium chromium-driver python3-selenium fonts-wqy-microhei
    wrk
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
# Packages must not start their own system services (apache2, mariadb) here.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    made_policy=1
fi
cleanup() { [ $made_policy = 1 ] && $sudo rm -f "$policy"; }
trap cleanup EXIT
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "packages installed"
