#!/usr/bin/env bash
# Follow-up measurements after the main runs (see REPORT.md).
. "$(dirname "$0")/env.sh"
cd "$LAB/scripts"
mv -f "$LAB/results/conc_E.tsv" "$LAB/results/conc_E_v1_startup_artifact.tsv" 2>/dev/null
./run_conc_all.sh E
./run_single_all.sh B4
./run_conc_all.sh B4
$PY relevance.py A C | tee "$LAB/results/relevance.txt"
$PY bounded_count.py | tee "$LAB/results/bounded_count.txt"
for d in B3 C; do for c in 1 2 4; do
  $PY bench.py conc $d --clients $c --seconds 20 --runs 1 | tee -a "$LAB/results/scaling.txt"
done; done
