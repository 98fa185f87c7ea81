#!/usr/bin/python3
"""Bounded count (COUNT over a LIMIT 10001 subquery) on both of E's paths, against the
engine's exact count, for 10 words of each title class without filter and with filters:
  walk:   SELECT COUNT(*) FROM (SELECT 1 FROM records r JOIN subjects s ... LIKE ... LIMIT 10001) t
  engine: SELECT COUNT(*) FROM (SELECT x.record_id FROM record_search_ss x WHERE MATCH(*SS) LIMIT 10001) t
  exact:  SELECT COUNT(*) FROM record_search_ss x WHERE MATCH(*SS)   (count_skip)
One warm-up pass and 3 timed passes; medians of p50 and max per class."""
import designs, bench, time, statistics
e = designs.E()
qs = []
for c in ('2c-common', '2c-common+f', '2c-rare', '4c-common', '4c-rare'):
    qs += [q for q in bench.load_workload() if q['cls'] == c][:10 if 'common' in c else 5]
def walk(q):
    sql, args = e.walk_sql(q, 'SELECT COUNT(*) FROM (SELECT 1', ' LIMIT 10001) t')
    return e.execute(sql, args)[0][0]
def engine(q):
    return e.execute('SELECT COUNT(*) FROM (SELECT x.record_id FROM record_search_ss x WHERE'
                     ' MATCH(x.body) AGAINST(? IN BOOLEAN MODE) LIMIT 10001) t', [e.against(q)])[0][0]
def exact(q):
    return e.count(q)[0]
res = {}
for run in range(4):
    for q in qs:
        for name, f in (('walk', walk), ('engine', engine), ('exact', exact)):
            t = time.perf_counter(); n = f(q); ms = (time.perf_counter() - t) * 1000
            if run:
                res.setdefault((q['cls'], name, run), []).append(ms)
print('| class | walk bounded p50 | max | engine bounded p50 | max | engine exact p50 | max |')
print('|---|---:|---:|---:|---:|---:|---:|')
for c in ('2c-common', '2c-common+f', '2c-rare', '4c-common', '4c-rare'):
    cells = []
    for name in ('walk', 'engine', 'exact'):
        cells.append(statistics.median(statistics.median(res[(c, name, r)]) for r in (1, 2, 3)))
        cells.append(statistics.median(max(res[(c, name, r)]) for r in (1, 2, 3)))
    print('| %s | %s |' % (c, ' | '.join('%.0f' % x for x in cells)))
