#!/usr/bin/python3
"""Relevance order (score DESC, id DESC) instead of date order: top-21 latency on 40
queries (10 of each title class, no filter), 3 runs after a warm-up; medians of p50/max."""
import designs, bench, time, statistics, sys
qs = []
for c in ('2c-common', '2c-rare', '4c-common', '4c-rare'):
    qs += [q for q in bench.load_workload() if q['cls'] == c][:10]
for D in sys.argv[1:] or ('A', 'C'):
    d = designs.DESIGNS[D]()
    per = {}
    for run in range(4):
        for q in qs:
            t = time.perf_counter(); d.top_relevance(q); ms = (time.perf_counter() - t) * 1000
            if run: per.setdefault((q['cls'], run), []).append(ms)
    for c in ('2c-common', '2c-rare', '4c-common', '4c-rare'):
        p50 = statistics.median(statistics.median(per[(c, r)]) for r in (1, 2, 3))
        mx = statistics.median(max(per[(c, r)]) for r in (1, 2, 3))
        print('%s relevance %-10s p50 %.1f ms, max %.1f ms' % (D, c, p50, mx))
