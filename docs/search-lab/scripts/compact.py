#!/usr/bin/python3
"""Compact table: per design, queries grouped into common (2c+4c common, with and without
filters: 400), rare (2c+4c rare: 400) and xrare (160); p50/p99 of top-21 and of count per
run, median over the 3 runs. 'req' = top-21 + count (one call where the design has one)."""
import sys, math, statistics, collections
def pct(xs, p):
    xs = sorted(xs); return xs[max(0, math.ceil(len(xs) * p) - 1)]
def group(cls):
    return 'common' if 'common' in cls else 'xrare' if 'xrare' in cls else 'rare'
print('| design | top21 common p50/p99 | top21 rare p50/p99 | count common p50/p99 | count rare p50/p99 | request xrare p50/p99 | request all p50/p99/max |')
print('|---|---|---|---|---|---|---|')
for d in sys.argv[1:]:
    per = collections.defaultdict(list)
    both = d in ('B2', 'B4', 'C', 'D')
    for line in open('/work/search-lab/results/single_%s.tsv' % d).read().splitlines()[1:]:
        run, qid, cls, tt, tc, *_ = line.split('\t')
        if run == '0': continue
        g = group(cls); tt = float(tt); tc = float(tc)
        req = tt if both else tt + tc
        per[(g, 'top', run)].append(tt); per[(g, 'count', run)].append(tc); per[(g, 'req', run)].append(req)
        per[('all', 'req', run)].append(req)
    def cell(g, k, ps=(.5, .99)):
        return '/'.join('%.0f' % statistics.median(pct(per[(g, k, r)], p) for r in ('1', '2', '3')) for p in ps)
    print('| %s | %s | %s | %s | %s | %s | %s |' % (d, cell('common', 'top'), cell('rare', 'top'),
          cell('common', 'count'), cell('rare', 'count'), cell('xrare', 'req'), cell('all', 'req', (.5, .99, 1.0))))
