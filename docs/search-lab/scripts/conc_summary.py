#!/usr/bin/python3
"""Median over runs of qps / p50 / p99 / max per design from results/conc_*.tsv (8 clients)."""
import glob, statistics, re, os
rows = []
for f in sorted(glob.glob('/work/search-lab/results/conc_*.tsv')):
    d = os.path.basename(f)[5:-4]
    if 'artifact' in d: continue
    runs = [dict(kv.split('=') for kv in l.split('\t') if '=' in kv) for l in open(f).read().splitlines()]
    runs = [r for r in runs if r.get('clients') == '8']
    if not runs: continue
    med = lambda k: statistics.median(float(r[k]) for r in runs)
    loads = ', '.join(r['load'] for r in runs)
    rows.append('| %s | %d | %.1f | %.0f | %.0f | %.0f | %s |' % (d, len(runs), med('qps'), med('p50'), med('p99'), med('max'), loads))
print('| design | runs | requests/s | p50 ms | p99 ms | max ms | load avg (start->end of each run) |')
print('|---|---:|---:|---:|---:|---:|---|')
print('\n'.join(rows))
