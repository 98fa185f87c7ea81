"""Totals without counting (issue 10): the number of public records for any
combination of the enumerated filters comes from numbers the database keeps
in the same transaction as every write (sql/011_counts.sql); it follows the
public window across midnight without any write; totals that would need
counting (words, dates) are exact up to a bound and say "more than" beyond.
Every number is checked against the oracle (oracle.py: the public rule in Python)."""
import datetime
import random
from email.utils import parsedate_to_datetime

import requests

import oracle as public_oracle
import portal
import world as world_mod
from conftest import ClockedHttpd

DAY = datetime.timedelta(days=1)
LISTED = ("published", "contested", "corrected")
DIMS = {
    "district": ("district", ["city", "heping", "hedong", "hexi", "nankai", "hebei", "hongqiao",
                              "dongli", "xiqing", "jinnan", "beichen", "wuqing", "baodi", "binhai",
                              "ninghe", "jinghai", "jizhou"]),
    "kind": ("subject_kind", ["gov", "official"]),
    "category": ("category", ["judgment", "penalty", "discipline", "accountability", "breach"]),
    "domain": ("domain", ["procurement", "ppp", "bidding", "investment", "debt", "grassroots",
                          "other"]),
    "severity": ("severity", ["minor", "general", "serious"]),
    "status": ("status", list(LISTED)),
}


def where_of(f):
    """The plain column filter of the enumerated filters f, and its values."""
    where, args = "", []
    for name, value in sorted(f.items()):
        where += " AND r.%s = %%s" % DIMS[name][0]
        args.append(value)
    return where, args


def oracle(stack, day, **f):
    """The number of records public on `day` matching the filters f (oracle.py)."""
    return public_oracle.count(stack, day, *where_of(f))


def api_total(base_url, **params):
    r = requests.get(base_url + "/api/v1/records", params=dict(params, limit=1), timeout=10)
    assert r.status_code == 200, (params, r.status_code, r.text[:200])
    j = r.json()
    return j["total"], j["total_relation"]


def filters(n, seed):
    """The empty filter, every single value, and n random combinations of
    two or three enumerated filters."""
    out = [{}]
    for name, (_, values) in DIMS.items():
        out += [{name: v} for v in values]
    rnd = random.Random(seed)
    for _ in range(n):
        names = rnd.sample(sorted(DIMS), rnd.choice((2, 3)))
        out.append({name: rnd.choice(DIMS[name][1]) for name in names})
    return out


def test_totals_of_enumerated_filters_equal_a_count(stack, world):
    today = portal.today()
    for i, f in enumerate(filters(120, 10)):
        assert api_total(stack.base_url, **f) == (oracle(stack, today, **f), "eq"), f
        if i % 12 == 0:  # the HTML list says the same
            r = stack.get("/records", params=f)
            assert r.status_code == 200
            assert portal.total(r.text) == oracle(stack, today, **f), f
            assert 'class="total more"' not in r.text


def test_home_and_statistics_totals_equal_a_count(stack, world):
    today = portal.today()
    r = stack.get("/api/v1/stats")
    assert r.status_code == 200
    j = r.json()
    assert j["total"] == oracle(stack, today)
    for row in j["by_district"]:
        assert row["n"] == oracle(stack, today, district=row["key"]), row
    for row in j["by_severity"]:
        assert row["n"] == oracle(stack, today, severity=row["key"]), row
    home = stack.get("/")
    assert portal.text_by_id(home.text, "count-total").replace(",", "") == \
        str(oracle(stack, today))


def test_writes_move_the_totals_at_once(adm):
    """A new record counts at once; contesting it moves it from published to
    contested; revoking it takes it out; each seen by the very next request,
    in the same numbers the COUNT gives."""
    stack, today = adm.stack, portal.today()
    district = adm.subject.district
    keys = [{}, {"district": district}, {"district": district, "status": "published"},
            {"district": district, "status": "contested"}, {"severity": "general"}]

    def totals():
        got = {i: api_total(stack.base_url, **k)[0] for i, k in enumerate(keys)}
        want = {i: oracle(stack, today, **k) for i, k in enumerate(keys)}
        assert got == want
        return got

    t0 = totals()
    no, _ = adm.record()
    t1 = totals()
    assert t1[0] == t0[0] + 1 and t1[2] == t0[2] + 1
    r = adm.event(no, "contest")
    assert r.status_code == 200, r.text
    t2 = totals()
    assert t2[2] == t1[2] - 1 and t2[3] == t1[3] + 1 and t2[0] == t1[0]
    r = adm.event(no, "revoke")
    assert r.status_code == 200, r.text
    t3 = totals()
    assert t3[0] == t0[0] and t3[1] == t0[1] and t3[3] == t0[3]
    # A record disclosed tomorrow does not count today.
    adm.record(disclosed=today + DAY)
    assert totals() == t3


def test_counted_totals_say_more_than_beyond_the_bound(stack, world):
    """/credit-bound has CreditCountBound 10: a word or a date range with more
    matches answers total 10 and total_relation gt (HTML: 'more than'); with
    fewer, the exact number; the enumerated filters stay exact beyond it."""
    bound_url = "http://127.0.0.1:%d/credit-bound" % stack.http_port
    today = portal.today()
    common = public_oracle.count(stack, today, " AND CONCAT_WS(' ', r.record_no, s.name,"
                                 " r.title, r.facts, r.decision_no) LIKE %s", ("%采购%",),
                                 join="JOIN subjects s ON s.id = r.subject_id")
    assert common > 10
    assert api_total(bound_url, q="采购") == (10, "gt")
    # Without the low bound: a frequent word is counted as far as the walk's
    # budget of rows goes: at least that many (test_search_oracle.py).
    n, rel = api_total(stack.base_url, q="采购")
    assert (n, rel) == (common, "eq") or (rel == "gte" and 21 <= n <= common), (n, rel, common)
    r = requests.get(bound_url + "/records", params={"q": "采购"}, timeout=10)
    assert r.status_code == 200
    assert 'class="total more"' in r.text and portal.total(r.text) == 10
    assert "超过" in portal.text_by_id(r.text, "total")
    r = requests.get(bound_url + "/records", params={"q": "采购", "lang": "en"}, timeout=10)
    assert "More than" in portal.text_by_id(r.text, "total")
    if rel == "gte":
        r = stack.get("/records", params={"q": "采购"})
        assert "至少" in portal.text_by_id(r.text, "total") and portal.total(r.text) == n
    # Dates are counted too.
    start = today - 400 * DAY
    n = oracle(stack, today) - public_oracle.count(stack, today, " AND r.disclosed_on < %s",
                                                   (start,))
    assert n > 10
    assert api_total(bound_url, **{"from": start.isoformat()}) == (10, "gt")
    assert api_total(stack.base_url, **{"from": start.isoformat()}) == (n, "eq")
    # A rare word: exact under the bound as well.
    rare = next(iter(world.records.values()))
    got = api_total(bound_url, q=rare.no)
    assert got[1] == "eq" and got[0] <= 1
    # Without words or dates: exact, whatever the bound.
    assert api_total(bound_url, severity="general") == (oracle(stack, today, severity="general"),
                                                        "eq")


# ---- across midnight -------------------------------------------------------------

def server_time(base_url):
    r = requests.get(base_url + "/api/v1/health", timeout=10)
    return parsedate_to_datetime(r.headers["Date"])


def test_totals_follow_the_window_across_midnight(stack, world):
    """No write happens at midnight: records disclosed tomorrow start to count
    and records whose window ends tomorrow stop, in every total, on the first
    request after 00:00 Beijing time (a second httpd whose clock the test
    sets to just before midnight, then just after)."""
    today = portal.today()
    tomorrow = today + DAY
    subject = world_mod.add_gov(stack, "天津市蓟州区跨零点测试局", "jizhou")
    for i in range(3):  # appear at midnight
        world_mod.add_record(stack, world, "TJZW-2096-%06d" % (800 + i), subject,
                             title="零点出现的记录 %d" % i, severity="general",
                             disclosed=tomorrow)
    for i in range(2):  # leave at midnight: minor, three months
        d = portal.add_months(tomorrow, -3)
        world_mod.add_record(stack, world, "TJZW-2096-%06d" % (810 + i), subject,
                             title="零点撤下的记录 %d" % i, severity="minor", disclosed=d)
    assert stack.sql("SELECT COUNT(*) FROM records WHERE record_no LIKE 'TJZW-2096-00081%%'"
                     " AND withdraw_on = %s", (tomorrow,))[0][0] == 2
    keys = [{}, {"district": "jizhou"}, {"district": "jizhou", "severity": "minor"},
            {"district": "jizhou", "severity": "general"}, {"severity": "minor"},
            {"kind": "gov", "status": "published"}]
    before_midnight = datetime.datetime.combine(today, datetime.time(23, 55), portal.BEIJING)
    with ClockedHttpd(stack, "midnight-totals", before_midnight) as h:
        base_url = h.base_url
        now = server_time(base_url)
        now = now.astimezone(portal.BEIJING)
        assert (now.date(), now.hour) == (today, 23), now
        before = [api_total(base_url, **k) for k in keys]
        assert before == [(oracle(stack, today, **k), "eq") for k in keys]
        html_before = portal.total(requests.get(base_url + "/records",
                                                params={"district": "jizhou"}, timeout=10).text)
        # Midnight on the server's clock.
        h.set_clock(datetime.datetime.combine(tomorrow, datetime.time(0, 0, 1), portal.BEIJING))
        after = [api_total(base_url, **k) for k in keys]
        assert after == [(oracle(stack, tomorrow, **k), "eq") for k in keys]
        # This test's records left and came: the numbers did change at midnight.
        assert after[2][0] < before[2][0] and after[3] != before[3], (before, after)
        html_after = portal.total(requests.get(base_url + "/records",
                                               params={"district": "jizhou"}, timeout=10).text)
        assert (html_before, html_after) == (before[1][0], after[1][0])


def oracle_nos(stack, day, **f):
    return public_oracle.public_nos(stack, day, *where_of(f))


def record_id(stack, no):
    return stack.sql("SELECT id FROM records WHERE record_no = %s", (no,))[0][0]


def test_lists_of_narrow_combinations_equal_the_ordinary_read(stack, world):
    """Narrow filter combinations are read cell by cell of the totals
    (sql/013's combo, credit_store_maria_narrow.c): every page, forward and
    back, by cursor and by number, oldest first too, is the ordinary SQL
    read's; a combination without records answers an empty page."""
    today = portal.today()
    rnd = random.Random(31)
    checked = 0
    for f in filters(60, 31)[-60:]:
        want = oracle_nos(stack, today, **f)
        got, url = [], "/api/v1/records"
        params = dict(f, limit=7)
        while url:
            j = stack.get(url, params=params).json()
            got += [i["no"] for i in j["items"]]
            url, params = (j["next"].split("/credit", 1)[1], None) if j["next"] else (None, None)
        assert got == want, (f, len(got), len(want))
        if len(want) > 14:  # page numbers, and back from page 3 by the HTML list's links
            p2 = stack.get("/api/v1/records", params=dict(f, limit=7, page=2)).json()
            assert [i["no"] for i in p2["items"]] == want[7:14], f
            old = stack.get("/api/v1/records", params=dict(f, limit=7, sort="oldest")).json()
            assert [i["no"] for i in old["items"]] == list(reversed(want))[:7], f
            # back from page 2: a backward cursor at its first record
            first = p2["items"][0]
            back = stack.get("/api/v1/records", params=dict(
                f, limit=7, cursor="-%s.%s" % (first["disclosed_on"], record_id(stack, first["no"]))
            )).json()
            assert [i["no"] for i in back["items"]] == want[:7], f
        checked += 1
    assert checked == 60
    # A district x domain x category x severity no record is in: empty, at once.
    empty = {"district": "jizhou", "kind": "official", "category": "breach",
             "domain": "grassroots", "severity": "minor", "status": "corrected"}
    assert oracle_nos(stack, today, **empty) == []
    j = stack.get("/api/v1/records", params=empty).json()
    assert j["items"] == [] and j["total"] == 0 and j["next"] is None


def csv_nos(stack, params):
    r = stack.get("/records.csv", params=params)
    assert r.status_code == 200, (params, r.text[:300])
    return portal.csv_record_numbers(r.content)


def test_exports_of_enumerated_filters_equal_the_ordinary_read(stack, world):
    """An export with enumerated filters takes its ids from an index first
    (the filter's own, or the cells of ix_records_combo for two filters or
    more) and then their rows (credit_maria_each_record): every single
    value and random combinations of two to six filters, newest and oldest
    first, with dates, give the oracle's records in the oracle's order; a
    combination without records gives the header alone."""
    today = portal.today()
    rnd = random.Random(47)
    combos = filters(40, 47)
    for _ in range(8):
        names = rnd.sample(sorted(DIMS), rnd.choice((4, 5, 6)))
        combos.append({name: rnd.choice(DIMS[name][1]) for name in names})
    nonempty = 0
    for i, f in enumerate(combos):
        want = oracle_nos(stack, today, **f)
        assert csv_nos(stack, f) == want, (f, len(want))
        nonempty += bool(want)
        if i % 4 == 0:
            assert csv_nos(stack, dict(f, sort="oldest")) == list(reversed(want)), f
        if i % 5 == 0 and want:
            # a date range: the days of the middle of the list
            days = sorted({d for (d,) in stack.sql(
                "SELECT DISTINCT disclosed_on FROM records WHERE record_no IN (%s)"
                % ",".join(["%s"] * len(want)), want)})
            lo, hi = days[len(days) // 4], days[(3 * len(days)) // 4]
            where, args = where_of(f)
            dated = public_oracle.public_nos(
                stack, today, where + " AND r.disclosed_on BETWEEN %s AND %s", args + [lo, hi])
            assert csv_nos(stack, dict(f, **{"from": lo.isoformat(), "to": hi.isoformat()})) \
                == dated, f
    assert nonempty > len(combos) // 2, nonempty
    empty = {"district": "jizhou", "kind": "official", "category": "breach",
             "domain": "grassroots", "severity": "minor", "status": "corrected"}
    assert oracle_nos(stack, today, **empty) == []
    assert csv_nos(stack, empty) == []
