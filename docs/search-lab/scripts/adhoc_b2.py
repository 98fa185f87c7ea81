import designs, time, json, sys
d = designs.Maria()
T = '"2026-12-05 00:00:00"'
W = sys.argv[1:] or ['晶婷', '地负', '项目']
for w in W:
  for v in ['body @ "%s" && listed == 1 && disclosed_on <= %s && withdraw_on > %s' % (w, T, T),
            'body @ "%s" && listed != 0 && !(disclosed_on > %s) && !(withdraw_on <= %s)' % (w, T, T),
            'body @ "%s" && listed != 0 && !(disclosed_on > %s) && !(withdraw_on <= %s) && !(district != "hexi")' % (w, T, T),
            'body @ "%s" && listed == 1 && disclosed_on <= %s && withdraw_on > %s && district == "hexi"' % (w, T, T)]:
    best = 1e9
    for i in range(3):
        cmd = 'select record_search --filter %s --limit 0 --cache no' % designs.esc_grn(v)
        t = time.perf_counter(); r = json.loads(d.execute('SELECT mroonga_command(?)', [cmd])[0][0]); best = min(best, (time.perf_counter() - t) * 1000)
    print('%7.1f ms  n=%s  %s' % (best, r[0][0][0], v))
