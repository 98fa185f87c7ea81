import designs, time, json, sys
d = designs.Maria()
T = '"2026-12-05 00:00:00"'
variants = [
 'body @ "晶婷"',
 'body @ "晶婷" && listed == 1',
 'body @ "晶婷" && disclosed_on <= %s' % T,
 'body @ "晶婷" && withdraw_on > %s' % T,
 'body @ "晶婷" && district == "hexi"',
 'body @ "晶婷" && listed + 0 == 1',
 'body @ "晶婷" && listed + 0 == 1 && disclosed_on - 0 <= %s && withdraw_on - 0 > %s' % (T, T),
 'body @ "晶婷" && listed == 1 && disclosed_on <= %s && withdraw_on > %s' % (T, T),
 'body @ "项目" && listed == 1 && disclosed_on <= %s && withdraw_on > %s' % (T, T),
 'body @ "项目" && listed + 0 == 1 && disclosed_on - 0 <= %s && withdraw_on - 0 > %s' % (T, T),
]
for v in variants:
    best = 1e9
    for i in range(3):
        cmd = 'select record_search --filter %s --limit 0 --cache no' % designs.esc_grn(v)
        t = time.perf_counter(); r = json.loads(d.execute('SELECT mroonga_command(?)', [cmd])[0][0]); best = min(best, (time.perf_counter() - t) * 1000)
    print('%7.1f ms  n=%s  %s' % (best, r[0][0][0], v))
