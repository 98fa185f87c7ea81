#!/usr/bin/env bash
# 8 concurrent clients, random mix over the whole workload, 3 runs of SECONDS each per design.
. "$(dirname "$0")/env.sh"
cd "$LAB/scripts"
S=${SECONDS_PER_RUN:-30}
for d in "$@"; do
  uptime >> "$LAB/results/conc.log"
  $PY bench.py conc "$d" --clients 8 --seconds "$S" --runs 3 | tee -a "$LAB/results/conc.log"
done
