#!/usr/bin/python3
"""All 960 workload queries: does every design return the same 21 ids and count as
design C (itself checked against the LIKE oracle on the sample)? Uses run 1 of each."""
import sys
def load(d):
    r = {}
    for line in open('/work/search-lab/results/single_%s.tsv' % d).read().splitlines()[1:]:
        f = line.split('\t')
        if f[0] == '1': r[int(f[1])] = (f[5], f[7])
    return r
ref = load('C')
for d in sys.argv[1:]:
    x = load(d)
    bad = [q for q in ref if x.get(q) != ref[q]]
    print('%s: %d of %d queries identical to C (ids and count)%s' % (d, len(ref) - len(bad), len(ref),
          ('; differ: %s' % bad[:10]) if bad else ''))
