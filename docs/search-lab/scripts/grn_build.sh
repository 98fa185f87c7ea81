#!/usr/bin/env bash
# Design C: build a standalone Groonga 13 database from MariaDB (InnoDB records + subjects).
# Dates are stored as UInt32 yyyymmdd (no time-zone questions). Timed phases go to stdout.
set -euo pipefail
. "$(dirname "$0")/env.sh"
rm -rf "$LAB/groonga/db"; mkdir -p "$LAB/groonga/db"
t0=$(date +%s.%N)
groonga -n "$GRN_DB" >/dev/null <<'G'
table_create Records TABLE_HASH_KEY UInt64
column_create Records disclosed_on COLUMN_SCALAR UInt32
column_create Records withdraw_on COLUMN_SCALAR UInt32
column_create Records listed COLUMN_SCALAR UInt8
column_create Records status COLUMN_SCALAR ShortText
column_create Records district COLUMN_SCALAR ShortText
column_create Records subject_kind COLUMN_SCALAR ShortText
column_create Records category COLUMN_SCALAR ShortText
column_create Records domain COLUMN_SCALAR ShortText
column_create Records severity COLUMN_SCALAR ShortText
column_create Records body COLUMN_SCALAR Text
G
sql -N -B --quick -e "SELECT r.id, r.disclosed_on, r.withdraw_on,
       r.status IN ('published','contested','corrected'), r.status, r.district,
       r.subject_kind, r.category, r.domain, r.severity,
       CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts, r.decision_no)
  FROM records r JOIN subjects s ON s.id = r.subject_id" |
  $PY "$LAB/scripts/grn_tsv2load.py" | groonga "$GRN_DB" > "$LAB/results/grn_load.out"
t1=$(date +%s.%N)
groonga "$GRN_DB" > "$LAB/results/grn_index.out" <<'G'
table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram --normalizer NormalizerAuto
column_create Terms body_index COLUMN_INDEX|WITH_POSITION Records body
table_create Days TABLE_PAT_KEY UInt32
column_create Days disclosed_index COLUMN_INDEX Records disclosed_on
column_create Days withdraw_index COLUMN_INDEX Records withdraw_on
G
t2=$(date +%s.%N)
echo "groonga load: $(echo "$t1 - $t0" | bc) s; index build: $(echo "$t2 - $t1" | bc) s"
echo "groonga db size: $(du -sh "$LAB/groonga/db" | cut -f1)"
groonga "$GRN_DB" status | head -c 600; echo
groonga "$GRN_DB" "select Records --limit 0" | head -c 300; echo
