"""The measurement behind CELL_COST (mod_credit/store/credit_store_maria_narrow.c).

A list or feed page of several filters is read one of two ways: the page's
ids from the index of its narrowest filter, which holds the other filters too
(sql/024), then their rows; or the newest rows of each matching cell of the
combo index, merged. The module estimates
both from the tally (rows the scan reads: want x index_rows / total; rows the
cells read: cells x want x CELL_COST) and takes the cheaper. This script reads
a sample of pages of `make bench`'s URLs both ways on the running database,
times each with MariaDB's profiling, and prints the total time the module's
choice would take for several values of CELL_COST, beside the best possible.

    /usr/bin/python3 tests/bench/cell_cost.py --socket var/run/mysqld.sock \\
        --urls var/bench/urls/feed.urls --want 51 --filters 2,3

--want 51 is a feed's page (50 and one more), 21 a list's first page.
"""
import argparse
import random
import statistics
import subprocess
import urllib.parse

# The orders of records.combo (sql/013) and of the enums it is made of.
DISTRICTS = ["city", "heping", "hedong", "hexi", "nankai", "hebei", "hongqiao", "dongli",
             "xiqing", "jinnan", "beichen", "wuqing", "baodi", "binhai", "ninghe", "jinghai",
             "jizhou"]
CATEGORIES = ["judgment", "penalty", "discipline", "accountability", "breach"]
DOMAINS = ["procurement", "ppp", "bidding", "investment", "debt", "grassroots", "other"]
SEVERITIES = ["minor", "general", "serious"]

COLS = ("r.id, r.record_no, r.category, r.domain, r.severity, r.status, r.title,"
        " r.decision_no, r.authority, r.decided_on, r.disclosed_on, r.withdraw_on,"
        " r.updated_at, r.district, s.name, s.kind, r.facts")


def cell_filters(x):
    x //= 3
    s = x % 3
    x //= 3
    o = x % 7
    x //= 7
    c = x % 5
    x //= 5
    return {"district": DISTRICTS[x // 2], "category": CATEGORIES[c], "domain": DOMAINS[o],
            "severity": SEVERITIES[s]}


class Db:
    def __init__(self, args):
        self.cmd = ["mariadb", "-S", args.socket, "-u", args.user, "-N", "-B", args.db]

    def run(self, sql):
        out = subprocess.run(self.cmd, input=sql, capture_output=True, text=True, check=True)
        return [line.split("\t") for line in out.stdout.splitlines()]


def statements(f, want, today, cells, index):
    window = "disclosed_on <= '%s' AND withdraw_on > '%s'" % (today, today)
    where = " AND ".join("r.%s = '%s'" % kv for kv in sorted(f.items()))
    scan = ("SELECT STRAIGHT_JOIN %s FROM (SELECT r.id FROM records r FORCE INDEX (ix_records_%s)"
            " WHERE r.status IN ('published','contested','corrected') AND r.%s AND %s"
            " ORDER BY r.disclosed_on DESC, r.id DESC LIMIT %d) v"
            " JOIN records r ON r.id = v.id JOIN subjects s ON s.id = r.subject_id"
            % (COLS, index, window.replace(" AND ", " AND r."), where, want))
    parts = " UNION ALL ".join(
        "(SELECT c.id, c.disclosed_on FROM records c WHERE c.combo = %d AND c.%s"
        " ORDER BY c.disclosed_on DESC, c.id DESC LIMIT %d)"
        % (x, window.replace(" AND ", " AND c."), want) for x in cells)
    merged = ("SELECT STRAIGHT_JOIN %s FROM (SELECT u.id FROM (%s) u"
              " ORDER BY u.disclosed_on DESC, u.id DESC LIMIT %d) v"
              " JOIN records r ON r.id = v.id JOIN subjects s ON s.id = r.subject_id"
              " ORDER BY r.disclosed_on DESC, r.id DESC" % (COLS, parts, want))
    return scan, merged


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--socket", required=True)
    ap.add_argument("--user", default="root")
    ap.add_argument("--db", default="credit")
    ap.add_argument("--urls", required=True, help="a file of list or feed paths")
    ap.add_argument("--want", type=int, default=51)
    ap.add_argument("--filters", default="2,3,4", help="numbers of filters to sample")
    ap.add_argument("--per", type=int, default=25, help="pages sampled per number of filters")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    db = Db(args)
    today = db.run("SELECT CURDATE()")[0][0]
    tally = {int(c): int(n) for c, n in db.run(
        "SELECT combo, COUNT(*) FROM records WHERE combo IS NOT NULL AND disclosed_on <= '%s'"
        " AND withdraw_on > '%s' GROUP BY combo" % (today, today))}
    everyone = sum(tally.values())
    paths = [p.strip() for p in open(args.urls) if "?" in p]
    rng = random.Random(args.seed)
    pages = []
    for k in (int(x) for x in args.filters.split(",")):
        pool = [p for p in paths if urllib.parse.urlparse(p).query.count("=") == k]
        pages += rng.sample(pool, min(args.per, len(pool)))
    rows = []
    for path in pages:
        f = {k: v for k, v in urllib.parse.parse_qsl(urllib.parse.urlparse(path).query)
             if k in ("district", "category", "domain", "severity")}
        cells = [x for x in tally if all(cell_filters(x)[k] == v for k, v in f.items())]
        total = sum(tally[x] for x in cells)
        if not cells or total == 0:
            continue
        index_rows, index = min([(sum(n for x, n in tally.items() if cell_filters(x)[k] == v), k)
                                 for k, v in f.items()] + [(everyone, "disclosed")])
        scan, merged = statements(f, args.want, today, cells, index)  # the cells that hold some
        sql = "SET profiling = 1;\n" + "".join(
            "SELECT COUNT(*) FROM (%s) z;\nSELECT COUNT(*) FROM (%s) z;\n" % (scan, merged)
            for _ in range(args.repeat)) + "SHOW PROFILES;\n"
        times = [float(r[1]) * 1000 for r in db.run(sql) if len(r) == 3 and r[0].isdigit()
                 and "SELECT COUNT" in r[2]]
        rows.append((len(cells), total, index_rows, statistics.median(times[0::2]),
                     statistics.median(times[1::2])))
    want = args.want
    best = sum(min(r[3], r[4]) for r in rows)
    print("%d pages of %s filters, want %d: every page by its index %.0f ms, best possible"
          " %.0f ms" % (len(rows), args.filters, want, sum(r[3] for r in rows), best))
    for cost in (8, 6, 4, 3, 2, 1.5, 1, 0.7, 0.5):
        took = sum(scan_ms if n * want * cost >= want * idx / total else merged_ms
                   for n, total, idx, scan_ms, merged_ms in rows)
        print("CELL_COST %-4g the module's choice takes %.0f ms" % (cost, took))

if __name__ == "__main__":
    main()
