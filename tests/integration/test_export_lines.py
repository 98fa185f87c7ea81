"""The CSV export of a district read from its rendered lines (issue 10:
CreditExportLines, credit_lines.c, credit_page_lines.c): for every filter it
is byte for byte the export the store gives (/credit-direct has the lines
off); a write is in the very next export, a withdrawal gone from it; the
public window moves at midnight without a write; data changed less than the
settle time ago is read from the store, not made into lines; one file per
district is kept."""
import collections
import csv
import datetime
import io
import random

import requests

import oracle
import portal
import world as world_mod
from conftest import ClockedHttpd

DAY = datetime.timedelta(days=1)
# Record numbers of this module: TJZW-2096-0007NN.
NO = "TJZW-2096-%06d"


def export(stack, base, params=None, headers=None, method="GET"):
    """The CSV body of base + /records.csv, the base in its links made the
    same for every base."""
    r = requests.request(method, "http://127.0.0.1:%d%s/records.csv" % (stack.http_port, base),
                         params=params, headers=headers, timeout=60)
    assert r.status_code == 200, (base, params, r.status_code, r.text[:300])
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    return r.content.replace(base.encode() + b"/records/", b"/BASE/records/")


def numbers(body):
    rows = list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline=""), strict=True))
    return [row[0] for row in rows[1:]]


def same_as_store(stack, params, headers=None):
    """The export through the lines, checked against the store's; its numbers."""
    got = export(stack, "/credit", params, headers)
    want = export(stack, "/credit-direct", params, headers)
    assert got == want, params
    return numbers(got)


def version(stack):
    return stack.sql("SELECT version FROM data_version WHERE id = 1")[0][0]


def files(stack, district):
    """The lines files of district (the temporary ones too)."""
    return sorted(p.name for p in (stack.served / "lines").iterdir()
                  if p.name.startswith(district + "-"))


def busiest_districts(stack, n):
    rows = oracle.public(stack)
    return [d for d, _ in collections.Counter(r.district for r in rows).most_common(n)]


def test_every_filter_of_a_district_is_the_stores_export(stack, world):
    """Each of three districts with every single filter, pairs and triples of
    them drawn at random, dates and the oldest first: the same bytes as the
    store's export, the order and numbers the oracle's; one file each, named
    by the data version and the day."""
    rnd = random.Random(10)
    values = {"kind": ["gov", "official"],
              "category": ["judgment", "penalty", "discipline", "accountability", "breach"],
              "domain": ["procurement", "ppp", "bidding", "investment", "debt", "grassroots",
                         "other"],
              "severity": ["minor", "general", "serious"],
              "status": ["published", "contested", "corrected"]}
    today = portal.today()
    checked = nonempty = 0
    for district in busiest_districts(stack, 3):
        filters = [{}] + [{k: v} for k, vs in values.items() for v in vs]
        for size in (2, 3):
            for _ in range(8):
                keys = rnd.sample(sorted(values), size)
                filters.append({k: rnd.choice(values[k]) for k in keys})
        filters += [{"from": (today - 60 * DAY).isoformat()},
                    {"to": (today - 30 * DAY).isoformat(), "severity": "general"},
                    {"sort": "oldest"}, {"sort": "oldest", "kind": "gov"},
                    {"from": (today - 400 * DAY).isoformat(), "to": today.isoformat(),
                     "sort": "oldest"}]
        for f in filters:
            got = same_as_store(stack, dict(f, district=district))
            if set(f) <= set(values):
                where = " AND r.district = %s" + "".join(
                    " AND r.%s = %%s" % ("subject_kind" if k == "kind" else k) for k in sorted(f))
                assert got == oracle.public_nos(stack, None, where,
                                                [district] + [f[k] for k in sorted(f)]), f
            checked += 1
            nonempty += bool(got)
        kept = files(stack, district)
        assert len(kept) == 1 and kept[0].endswith(".lines"), kept
        assert kept[0].startswith("%s-%d-%s-" % (district, version(stack),
                                                 today.strftime("%Y%m%d"))), kept
    assert checked >= 3 * 40 and nonempty >= checked // 2, (checked, nonempty)


def test_the_links_follow_the_host_asked(stack, world):
    """The permanent link is made per request, not kept in the file: another
    Host gives its own links, as the store's export does."""
    district = busiest_districts(stack, 1)[0]
    headers = {"Host": "credit.example.org:8443"}
    same_as_store(stack, {"district": district}, headers)
    body = export(stack, "/credit", {"district": district}, headers).decode("utf-8")
    assert "http://credit.example.org:8443/BASE/records/TJZW-" in body


def test_a_write_is_in_the_next_export_and_a_withdrawal_gone(stack, world):
    """No waiting for a cache: the export right after a write holds it, the
    one after a withdrawal does not, both the store's bytes; the district's
    older file is removed when its next one is made."""
    district = "ninghe"
    subject = world_mod.add_gov(stack, "宁河区导出行测试局", district)
    same_as_store(stack, {"district": district})
    before = files(stack, district)
    rec = world_mod.add_record(stack, world, NO % 700, subject, title="导出行写入后即见",
                               disclosed=portal.today() - 2 * DAY, severity="serious")
    got = same_as_store(stack, {"district": district})
    assert rec.no in got
    assert same_as_store(stack, {"district": district, "severity": "serious"}).count(rec.no) == 1
    after = files(stack, district)
    assert len(after) == 1 and after != before, (before, after)
    stack.sql("UPDATE records SET status = 'revoked', withdrawn_on = %s WHERE id = %s",
              (portal.today(), rec.id))
    assert rec.no not in same_as_store(stack, {"district": district})
    assert rec.no not in same_as_store(stack, {"district": district, "sort": "oldest"})


def test_data_changed_within_the_settle_time_is_read_from_the_store(stack, world):
    """/credit-settle makes lines only once the data has been unchanged for
    an hour: right after a write its export is the store's, and no file of
    the new version is made."""
    district = "jinghai"
    subject = world_mod.add_gov(stack, "静海区导出行测试局", district)
    rec = world_mod.add_record(stack, world, NO % 710, subject, title="刚写入的记录",
                               disclosed=portal.today() - DAY)
    v = version(stack)
    got = export(stack, "/credit-settle", {"district": district})
    assert got == export(stack, "/credit-direct", {"district": district})
    assert rec.no in numbers(got)
    assert not [f for f in files(stack, district) if f.startswith("%s-%d-" % (district, v))]
    # HEAD reads nothing and makes nothing either
    export(stack, "/credit", {"district": district}, method="HEAD")
    assert not [f for f in files(stack, district) if f.startswith("%s-%d-" % (district, v))]
    # the portal's own location (settle 0) makes them at its first export
    same_as_store(stack, {"district": district})
    assert [f for f in files(stack, district) if f.startswith("%s-%d-" % (district, v))]


def test_the_lines_follow_the_window_across_midnight(stack, world):
    """No write at midnight: records disclosed tomorrow appear in the first
    export after 00:00 Beijing time and records whose window ends leave it
    (a second httpd on a clock the test sets)."""
    today = portal.today()
    tomorrow = today + DAY
    district = "baodi"
    subject = world_mod.add_gov(stack, "宝坻区导出行跨零点测试局", district)
    coming = [world_mod.add_record(stack, world, NO % (720 + i), subject,
                                   title="零点出现 %d" % i, disclosed=tomorrow).no
              for i in range(2)]
    leaving = [world_mod.add_record(stack, world, NO % (730 + i), subject,
                                    title="零点撤下 %d" % i, severity="minor",
                                    disclosed=portal.add_months(tomorrow, -3)).no
               for i in range(2)]
    where, args = " AND r.district = %s", [district]
    before_midnight = datetime.datetime.combine(today, datetime.time(23, 58), portal.BEIJING)
    with ClockedHttpd(stack, "midnight-lines", before_midnight) as h:
        def nos(**f):
            r = requests.get(h.base_url + "/records.csv", params=dict(f, district=district),
                             timeout=60)
            assert r.status_code == 200
            return numbers(r.content)
        got = nos()
        assert got == oracle.public_nos(stack, today, where, args)
        assert set(leaving) <= set(got) and not set(coming) & set(got)
        assert nos(severity="minor") == oracle.public_nos(
            stack, today, where + " AND r.severity = %s", args + ["minor"])
        h.set_clock(datetime.datetime.combine(tomorrow, datetime.time(0, 0, 1), portal.BEIJING))
        got = nos()
        assert got == oracle.public_nos(stack, tomorrow, where, args)
        assert set(coming) <= set(got) and not set(leaving) & set(got)
        assert nos(sort="oldest") == oracle.public_nos(stack, tomorrow, where, args, oldest=True)
