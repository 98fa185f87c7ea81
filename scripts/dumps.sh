#!/usr/bin/env bash
# The daily dump of the private stack (make run, the tests): credit-dump
# writes every public record as JSON Lines and CSV (gzip) with index.json into
# the served directory's dumps/, which httpd serves at /credit/dumps/ (the
# index also at /credit/api/v1/dumps). It connects as the public pages'
# read-only user. On a real server a timer or cron runs credit-dump itself
# (docs/MIRRORING.md).
#
#   dumps.sh [--keep DAYS] [--verbose]
#
# Environment: CREDIT_VAR (default ./var), PORT (8080), DB_PORT (3307).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
VAR=${CREDIT_VAR:-$top/var}
PORT=${PORT:-8080}
DB_PORT=${DB_PORT:-3307}
bin=$top/var/build/credit-dump

[ -x "$bin" ] || { echo "dumps.sh: $bin is not built (make module)" >&2; exit 1; }
dir=$(CREDIT_VAR=$VAR "$top/scripts/httpd.sh" served)/dumps
[ -d "$dir" ] || { echo "dumps.sh: no $dir: start httpd first (scripts/httpd.sh start)" >&2; exit 1; }
pw=$(CREDIT_VAR=$VAR DB_PORT=$DB_PORT "$top/scripts/db.sh" password ro)
# The password travels in the environment, never on a command line.
CREDIT_DUMP_DB="host=127.0.0.1 port=$DB_PORT user=credit_ro password=$pw dbname=credit timeout=600" \
    exec "$bin" --dir "$dir" --url-base "http://127.0.0.1:$PORT/credit" "$@"
