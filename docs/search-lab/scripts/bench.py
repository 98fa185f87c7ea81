#!/usr/bin/python3
"""Driver. Usage (source scripts/env.sh first; run with /usr/bin/python3):
  bench.py single DESIGN [--runs 3] [--classes a,b] [--limit N]
      one client; a warm-up pass, then RUNS timed passes over the workload, in a seeded
      shuffled order. Per query: ms for top-21 and for count (designs answering both in
      one call have 'both' and it is timed once, reported for both).
      -> results/single_DESIGN.tsv (run qid cls t_top t_count count exact ids path)
  bench.py conc DESIGN [--clients 8] [--seconds 60] [--runs 3]
      CLIENTS processes, each its own connection, random queries from the whole workload
      (top-21 then count = one request) for SECONDS. -> results/conc_DESIGN.tsv
  bench.py oracle [--per-class 6]  -> results/oracle.tsv (LIKE over InnoDB, a sample)
  bench.py check DESIGN            -> agreement of results/single_DESIGN.tsv with the oracle
"""
import sys, os, time, random, argparse, multiprocessing as mp, statistics, subprocess
sys.path.insert(0, os.path.dirname(__file__))
import designs

LAB = os.environ.get('LAB', '/work/search-lab')
TODAY = os.environ.get('TODAY', '2026-12-05')


def load_workload():
    qs = []
    for line in open(f'{LAB}/words/workload.tsv').read().splitlines()[1:]:
        qid, cls, word, fs, df = line.split('\t')
        filters = [] if fs == '-' else [tuple(kv.split('=')) for kv in fs.split(',')]
        qs.append(dict(qid=int(qid), cls=cls, word=word, filters=filters, today=TODAY,
                       df=int(df)))
    return qs


def run_one(d, q):
    if hasattr(d, 'both'):
        t0 = time.perf_counter()
        ids, n = d.both(q)
        t = (time.perf_counter() - t0) * 1000
        return ids, (n, True), t, t
    t0 = time.perf_counter()
    ids = d.top(q)
    t1 = time.perf_counter()
    n = d.count(q)
    t2 = time.perf_counter()
    return ids, n, (t1 - t0) * 1000, (t2 - t1) * 1000


def load():
    return os.getloadavg()[0]


def single(args):
    d = designs.DESIGNS[args.design]()
    qs = load_workload()
    if args.classes:
        qs = [q for q in qs if q['cls'].split('+')[0] in args.classes.split(',')]
    if args.limit:
        qs = qs[:args.limit]
    out = open(f'{LAB}/results/single_{args.design}.tsv', 'w')
    out.write('run\tqid\tcls\tt_top\tt_count\tcount\texact\tids\tpath\n')
    log = open(f'{LAB}/results/single_{args.design}.log', 'a')
    for run in range(0, args.runs + 1):  # run 0: warm-up, not reported
        order = qs[:]
        random.Random(run).shuffle(order)
        l0 = load(); t0 = time.time()
        for q in order:
            ids, (n, exact), tt, tc = run_one(d, q)
            out.write('%d\t%d\t%s\t%.3f\t%.3f\t%d\t%d\t%s\t%s\n' % (
                run, q['qid'], q['cls'], tt, tc, n, exact, ','.join(map(str, ids)),
                getattr(d, 'last_path', '')))
        out.flush()
        msg = '%s single %s run %d: %d queries in %.1f s, load %.2f -> %.2f' % (
            time.strftime('%H:%M:%S'), args.design, run, len(order), time.time() - t0, l0, load())
        print(msg); log.write(msg + '\n'); log.flush()


def worker(design, seed, seconds, qs, outq, start, ready):
    d = designs.DESIGNS[design]()
    rnd = random.Random(seed)
    lat = []
    ready.put(1)
    start.wait()
    end = time.time() + seconds
    while time.time() < end:
        q = rnd.choice(qs)
        t0 = time.perf_counter()
        run_one(d, q)
        lat.append((time.perf_counter() - t0) * 1000)
    outq.put(lat)


def conc(args):
    qs = load_workload()
    out = open(f'{LAB}/results/conc_{args.design}.tsv', 'a')
    for run in range(1, args.runs + 1):
        outq = mp.Queue()
        start = mp.Event()
        ready = mp.Queue()
        ps = [mp.Process(target=worker, args=(args.design, run * 100 + i, args.seconds, qs, outq,
                                              start, ready)) for i in range(args.clients)]
        for p in ps:
            p.start()
        for p in ps:
            ready.get()  # every client connected and set up
        time.sleep(0.5)
        l0 = load(); t0 = time.time()
        start.set()
        lats = [x for _ in ps for x in outq.get()]
        el = time.time() - t0
        for p in ps:
            p.join()
        lats.sort()
        p50 = lats[len(lats) // 2]; p99 = lats[int(len(lats) * 0.99)]
        msg = ('%s\t%s\tclients=%d\trun=%d\trequests=%d\tqps=%.1f\tp50=%.1f\tp99=%.1f\tmax=%.1f'
               '\tload=%.2f->%.2f' % (time.strftime('%H:%M:%S'), args.design, args.clients, run,
                                       len(lats), len(lats) / el, p50, p99, lats[-1], l0, load()))
        print(msg); out.write(msg + '\n'); out.flush()


def oracle(args):
    qs = load_workload()
    bycls = {}
    for q in qs:
        bycls.setdefault(q['cls'], []).append(q)
    rnd = random.Random(42)
    sample = [q for c in sorted(bycls) for q in rnd.sample(bycls[c], min(args.per_class, len(bycls[c])))]
    o = designs.Oracle()
    done = set()
    path = f'{LAB}/results/oracle.tsv'
    if os.path.exists(path):
        done = {int(l.split('\t')[0]) for l in open(path).read().splitlines()[1:]}
    else:
        open(path, 'w').write('qid\tcls\tcount\tids\tms\n')
    with open(path, 'a') as out:
        for q in sample:
            if q['qid'] in done:
                continue
            t0 = time.perf_counter()
            ids = o.all(q)
            ms = (time.perf_counter() - t0) * 1000
            out.write('%d\t%s\t%d\t%s\t%.0f\n' % (q['qid'], q['cls'], len(ids),
                                                  ','.join(map(str, ids[:21])), ms))
            out.flush()
    print('oracle sample', len(sample))


def check(args):
    ora = {}
    for line in open(f'{LAB}/results/oracle.tsv').read().splitlines()[1:]:
        qid, cls, n, ids, ms = line.split('\t')
        ora[int(qid)] = (int(n), ids)
    seen = set(); ok = bad = 0
    for line in open(f'{LAB}/results/single_{args.design}.tsv').read().splitlines()[1:]:
        run, qid, cls, tt, tc, n, exact, ids, path = line.split('\t')
        qid = int(qid)
        if qid not in ora or qid in seen:
            continue
        seen.add(qid)
        on, oids = ora[qid]
        n = int(n)
        count_ok = (n == on) if (exact == '1' or on <= designs.BOUND) else (n > designs.BOUND)
        if exact == '0' and on <= designs.BOUND:
            count_ok = n == on
        if ids == oids and count_ok:
            ok += 1
        else:
            bad += 1
            print('MISMATCH qid %d %s: count %d (exact %s) vs oracle %d; ids %s vs %s' % (
                qid, cls, n, exact, on, ids[:60], oids[:60]))
    print('%s: %d of %d sampled queries agree with the LIKE oracle' % (args.design, ok, ok + bad))


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('mode')
    ap.add_argument('design', nargs='?')
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--clients', type=int, default=8)
    ap.add_argument('--seconds', type=int, default=60)
    ap.add_argument('--per-class', type=int, default=6)
    ap.add_argument('--classes')
    ap.add_argument('--limit', type=int)
    a = ap.parse_args()
    {'single': single, 'conc': conc, 'oracle': oracle, 'check': check}[a.mode](a)
