#!/usr/bin/python3
"""Markdown tables from results/single_*.tsv: per design and query class, p50/p99/max of
top-21 and of count, each statistic computed per timed run (runs >= 1) and then the
median over the runs. Usage: summarize.py DESIGN..."""
import sys, statistics, collections, os
LAB = os.environ.get('LAB', '/work/search-lab')
CLASSES = ['2c-common', '2c-rare', '4c-common', '4c-rare', '2c-xrare', '4c-xrare']


def pct(xs, p):
    # nearest rank: p99 of 100 samples is the 99th smallest (the second largest)
    import math
    xs = sorted(xs)
    return xs[max(0, math.ceil(len(xs) * p) - 1)]


def stats(design):
    per = collections.defaultdict(lambda: collections.defaultdict(lambda: ([], [])))
    paths = collections.Counter()
    for line in open(f'{LAB}/results/single_{design}.tsv').read().splitlines()[1:]:
        run, qid, cls, tt, tc, n, exact, ids, path = line.split('\t')
        if run == '0':
            continue
        per[cls][run][0].append(float(tt))
        per[cls][run][1].append(float(tc))
        if path and run == '1':
            paths[(cls, path)] += 1
    res = {}
    for cls, runs in per.items():
        row = []
        for k in (0, 1):
            for f in (lambda x: pct(x, .5), lambda x: pct(x, .99), max):
                row.append(statistics.median(f(r[k]) for r in runs.values()))
        res[cls] = (row, len(runs), len(next(iter(runs.values()))[0]))
    return res, paths


def main():
    for d in sys.argv[1:]:
        res, paths = stats(d)
        print(f'\n#### Design {d} (single client, ms; median of {next(iter(res.values()))[1]} runs)\n')
        print('| class | n | top21 p50 | p99 | max | count p50 | p99 | max |')
        print('|---|---:|---:|---:|---:|---:|---:|---:|')
        for c in CLASSES:
            for cls in (c, c + '+f'):
                if cls in res:
                    row, runs, n = res[cls]
                    print('| %s | %d | %s |' % (cls, n, ' | '.join('%.1f' % x for x in row)))
        if paths:
            print('\nplanner paths (run 1): ' + ', '.join('%s %s: %d' % (c, p, n) for (c, p), n in sorted(paths.items())))


main()
