#!/usr/bin/python3
"""Shows Mroonga's fast-path counters (SHOW GLOBAL STATUS) moving, per design: 10 queries
(top-21 then count) and the deltas of Mroonga_fast_order_limit and Mroonga_count_skip."""
import designs, bench
qs = [q for q in bench.load_workload() if q['qid'] % 97 == 1][:10]
for D in ('A', 'B', 'B3'):
    d = designs.DESIGNS[D]()
    st = lambda: {k: int(v) for k, v in (d.cur.execute("SHOW GLOBAL STATUS LIKE 'Mroonga_%'") and d.cur.fetchall())}
    s0 = st()
    for q in qs: d.top(q)
    s1 = st()
    for q in qs: d.count(q)
    s2 = st()
    print('%-3s top-21 x%d: fast_order_limit +%d, count_skip +%d | count x%d: fast_order_limit +%d, count_skip +%d' % (
        D, len(qs), s1['Mroonga_fast_order_limit'] - s0['Mroonga_fast_order_limit'],
        s1['Mroonga_count_skip'] - s0['Mroonga_count_skip'], len(qs),
        s2['Mroonga_fast_order_limit'] - s1['Mroonga_fast_order_limit'],
        s2['Mroonga_count_skip'] - s1['Mroonga_count_skip']))
