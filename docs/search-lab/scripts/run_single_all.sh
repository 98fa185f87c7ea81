#!/usr/bin/env bash
# Single-client timings for every design, one after the other (never overlapping).
. "$(dirname "$0")/env.sh"
cd "$LAB/scripts"
for d in "$@"; do
  uptime >> "$LAB/results/single_$d.log"
  $PY bench.py single "$d" --runs 3
  uptime >> "$LAB/results/single_$d.log"
done
