"""One filter language (issue 3, point 5): the same query string gives the
same records in the HTML list, the JSON API, the CSV export, the workbook
export and the Atom feed (every page of it); a withdrawal takes a record
out of all of them at the same moment; the masking rule is the same in all
of them."""
import csv
import datetime
import io
import xml.etree.ElementTree as ET

import openpyxl
import pytest

import portal
import world as world_mod
import oracle
from portal import mask_id
from world import PAGE_TOKEN

DAY = datetime.timedelta(days=1)
ATOM = "{http://www.w3.org/2005/Atom}"
CONS_WORD = "獓狠"     # only in this module's rows


@pytest.fixture(scope="module")
def cx(stack, world):
    n = stack.sql("SELECT COUNT(*) FROM records WHERE title LIKE %s OR facts LIKE %s",
                  ("%" + CONS_WORD + "%",) * 2)[0][0]
    assert n == 0
    t = world.today
    g = world_mod.add_gov(stack, "一致性测试局", "heping")
    h = world_mod.add_gov(stack, "一致性测试二局", "hexi")
    off = world_mod.add_official(stack, "钱一致", "heping", g, stored_full=True)
    rows = {}
    specs = [
        ("victim", g, "penalty", "general", t - 15 * DAY),
        ("breach", g, "breach", "general", t - 16 * DAY),
        ("hexi", h, "penalty", "serious", t - 17 * DAY),
        ("official", off, "discipline", "minor", t - 18 * DAY),
        ("hexi_old", h, "penalty", "general", t - 200 * DAY),
    ]
    for i, (key, subject, category, severity, disclosed) in enumerate(specs, 1):
        rows[key] = world_mod.add_record(
            stack, world, "TJZW-2097-%06d" % (400 + i), subject,
            title="一致性%s测试记录%d" % (CONS_WORD, i), category=category, severity=severity,
            disclosed=disclosed, decision_no="津一致罚〔2097〕%d号" % (400 + i))
    return {"rows": rows, "official": off, "gov": g}


def mixes(world, cx):
    t = world.today
    victim = cx["rows"]["victim"]
    return {
        "district+severity": {"district": "heping", "severity": "general"},
        "q+category": {"q": CONS_WORD, "category": "penalty"},
        "q+domain+relevance": {"q": PAGE_TOKEN, "domain": "ppp", "sort": "relevance"},
        "from/to": {"from": (t - 30 * DAY).isoformat(), "to": (t - 10 * DAY).isoformat()},
        "kind=official": {"kind": "official"},
        "status=contested": {"status": "contested"},
        "sort=oldest": {"district": "hexi", "sort": "oldest"},
        "empty": {"from": (t + DAY).isoformat()},
        "q=credit code": {"q": cx["gov"].credit_code},
        "q=decision number": {"q": victim.decision_no},
        "q=decision fragment": {"q": victim.decision_no[victim.decision_no.index("〔"):]},
        "q+severity+district": {"q": "%s OR %s" % (CONS_WORD, PAGE_TOKEN),
                                "severity": "general", "district": "hexi"},
    }


# -- the four outputs ------------------------------------------------------------------

def from_html(stack, params):
    pages = portal.follow(stack.get, "/records", dict(params, limit=100), max_pages=60)
    return [no for _, nos in pages for no in nos]


def from_json(stack, params):
    out = []
    r = stack.get("/api/v1/records", params=dict(params, limit=100))
    while True:
        assert r.status_code == 200, r.text[:300]
        j = r.json()
        out += [i["no"] for i in j["items"]]
        if not j["next"]:
            return out
        assert len(out) < 20000
        r = stack.get(j["next"][len(stack.base_url):])


def from_csv(stack, params):
    r = stack.get("/records.csv", params=params)
    assert r.status_code == 200, r.text[:300]
    return portal.csv_record_numbers(r.content)


def from_xlsx(stack, params):
    r = stack.get("/records.xlsx", params=params)
    assert r.status_code == 200, r.text[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)["records"]
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def from_atom(stack, params):
    """Every page of the feed, through its rel="next" links."""
    out = []
    r = stack.get("/feed.atom", params=dict(params, limit=100))
    while True:
        assert r.status_code == 200, r.text[:300]
        root = ET.fromstring(r.content)
        out += [e.find(ATOM + "id").text.rsplit("/", 1)[1] for e in root.findall(ATOM + "entry")]
        nxt = [l.get("href") for l in root.findall(ATOM + "link") if l.get("rel") == "next"]
        if not nxt:
            return out
        assert len(out) < 20000
        r = stack.get(nxt[0][len(stack.base_url):])


def all_four(stack, params):
    return {"html": from_html(stack, params), "json": from_json(stack, params),
            "csv": from_csv(stack, params), "xlsx": from_xlsx(stack, params),
            "atom": from_atom(stack, params)}


def newest_first(stack, nos):
    """nos in the feed's order (newest disclosure first, then the newest row)."""
    if not nos:
        return []
    rows = oracle.rows(stack, " AND r.record_no IN (%s)" % ",".join(["%s"] * len(nos)), nos)
    return [r.record_no for r in sorted(rows, key=lambda r: (r.disclosed_on, r.id),
                                        reverse=True)]


def check_agree(stack, params):
    got = all_four(stack, params)
    html, js, cs, atom = got["html"], got["json"], got["csv"], got["atom"]
    assert len(js) == len(set(js)), "duplicates in the JSON walk"
    problems = []
    if set(html) != set(js):
        problems.append("HTML and JSON differ: only HTML %s, only JSON %s"
                        % (sorted(set(html) - set(js))[:5], sorted(set(js) - set(html))[:5]))
    if set(cs) != set(js):
        problems.append("CSV and JSON differ: only CSV %s, only JSON %s"
                        % (sorted(set(cs) - set(js))[:5], sorted(set(js) - set(cs))[:5]))
    if got["xlsx"] != cs:
        problems.append("the workbook and the CSV differ")
    if params.get("sort") != "relevance":
        if html != js:
            problems.append("HTML and JSON orders differ")
        if cs != js:
            problems.append("CSV and JSON orders differ")
    expected_atom = newest_first(stack, js)
    if atom != expected_atom:
        problems.append("Atom differs: %d entries, only Atom %s, missing %s"
                        % (len(atom), sorted(set(atom) - set(expected_atom))[:5],
                           sorted(set(expected_atom) - set(atom))[:5]))
    total = stack.get("/api/v1/records", params=dict(params, limit=1)).json()["total"]
    if total != len(js):
        problems.append("JSON total %d but %d records walked" % (total, len(js)))
    assert problems == [], "%s:\n%s" % (params, "\n".join(problems))
    return js


SQL_MIXES = {
    "district+severity": (" AND r.district = %s AND r.severity = %s", ("heping", "general")),
    "kind=official": (" AND r.subject_kind = 'official'", ()),
    "status=contested": (" AND r.status = 'contested'", ()),
    "sort=oldest": (" AND r.district = 'hexi'", ()),
}


@pytest.mark.parametrize("name", ["district+severity", "q+category", "q+domain+relevance",
                                  "from/to", "kind=official", "status=contested", "sort=oldest",
                                  "empty", "q=credit code", "q=decision number",
                                  "q=decision fragment", "q+severity+district"])
def test_all_four_outputs_agree(stack, world, cx, name):
    params = mixes(world, cx)[name]
    nos = check_agree(stack, params)
    if name == "empty":
        assert nos == []
    else:
        assert nos, "the mix %s selects something" % name
    if name in SQL_MIXES:
        where, args = SQL_MIXES[name]
        expected = oracle.public_nos(stack, portal.today(), where, args,
                                     oldest=params.get("sort") == "oldest")
        assert nos == expected
    rows = cx["rows"]
    if name in ("q+category", "q=decision number", "q=decision fragment"):
        assert rows["victim"].no in nos
    if name == "q+category":
        assert set(nos) == {rows[k].no for k in ("victim", "hexi", "hexi_old")}


def test_withdrawn_and_expired_are_absent_everywhere(stack, world, cx):
    gone = {world.no(k) for k in ("revoked", "repaired", "expired_status", "expired_long_ago",
                                  "expires_today", "future", "future_far", "empty_subject",
                                  "official_gone")}
    for params in ({"q": world.records["published"].subject.credit_code},
                   {"district": "heping"}, {"district": "hedong"}, {"kind": "official"}):
        for out, nos in all_four(stack, params).items():
            assert not gone & set(nos), (out, params, gone & set(nos))
    assert world.no("expires_tomorrow") in from_csv(
        stack, {"q": world.records["expires_tomorrow"].decision_no})


def test_withdrawal_leaves_all_four_at_once(stack, world, cx):
    victim = cx["rows"]["victim"]
    affected = [m for n, m in mixes(world, cx).items()
                if n in ("district+severity", "q+category", "from/to", "q=credit code",
                         "q=decision number")]
    for params in affected:
        assert all(victim.no in nos for nos in all_four(stack, params).values()), params
    assert stack.get("/records/" + victim.no).status_code == 200
    stack.sql("UPDATE records SET status = 'revoked', withdrawn_on = %s WHERE id = %s",
              (world.today, victim.id))
    for params in affected:
        got = all_four(stack, params)
        for out, nos in got.items():
            assert victim.no not in nos, (out, params)
        check_agree(stack, params)
    assert stack.get("/records/" + victim.no).status_code == 410
    assert stack.get("/api/v1/records/" + victim.no).status_code == 410


def test_masking_is_the_same_everywhere(stack, world, cx):
    off = cx["official"]
    rec = cx["rows"]["official"]
    masked = mask_id(off.id_full)
    params = {"q": CONS_WORD, "kind": "official"}
    html = stack.get("/records", params=params).text
    js = stack.get("/api/v1/records", params=params).json()
    csv_text = stack.get("/records.csv", params=params).content.decode("utf-8-sig")
    atom = stack.get("/feed.atom", params=params).text
    page = stack.get("/records/" + rec.no).text
    subject_page = stack.get("/subjects/%d" % off.id).text
    one = stack.get("/api/v1/records/" + rec.no).json()["record"]
    for text in (html, str(js), csv_text, atom, page, subject_page, str(one)):
        assert off.id_full not in text
    assert [i["subject"]["id_masked"] for i in js["items"]] == [masked]
    assert one["subject"]["id_masked"] == masked
    assert portal.text_by_id(page, "id-masked") == masked
    assert portal.text_by_id(subject_page, "id-masked") == masked
    row = next(csv.reader(io.StringIO(csv_text.split("\r\n", 1)[1], newline="")))
    assert row[6] == masked
    # every official in every output: never more than the masked form
    fulls = [s.id_full for s in world.subjects.values() if s.id_full] + [off.id_full]
    for out in (stack.get("/records.csv", params={"kind": "official"}).content.decode("utf-8"),
                stack.get("/api/v1/records", params={"kind": "official", "limit": 100}).text,
                stack.get("/feed.atom", params={"kind": "official", "limit": 100}).text):
        for full in fulls:
            assert full not in out
