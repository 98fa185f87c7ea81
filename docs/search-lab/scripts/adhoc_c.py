import designs, time, statistics
d = designs.C()
qs = [l.split('\t') for l in open('/work/search-lab/words/workload.tsv').read().splitlines()[1:]]
for cls in ('2c-rare', '4c-rare', '2c-common'):
    sel = [q for q in qs if q[1] == cls][:15]
    ts = []
    for q in sel:
        qq = dict(word=q[2], filters=[], today='2026-12-05')
        t = time.perf_counter(); d.both(qq); ts.append((time.perf_counter() - t) * 1000)
    print(cls, 'median %.1f ms' % statistics.median(ts))
