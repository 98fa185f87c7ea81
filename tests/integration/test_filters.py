"""The list filters narrow the results exactly as the visibility rule and the
filter say (compared with the oracle: the rows the filter selects, made
public or not by SPEC 3's rule in Python, oracle.py), and bad input is a
400 naming the parameter."""
import datetime
import re

import pytest

import oracle
import portal
from portal import error_detail, record_numbers, total
from world import (CATEGORIES, DISTRICTS, DOMAINS, KINDS, PAGE_TOKEN, SEVERITIES)

COLUMN = {"district": "r.district", "kind": "r.subject_kind", "category": "r.category",
          "domain": "r.domain", "severity": "r.severity", "status": "r.status"}

ENUM_CASES = ([("district", v) for v in DISTRICTS] + [("kind", v) for v in KINDS]
              + [("category", v) for v in CATEGORIES] + [("domain", v) for v in DOMAINS]
              + [("severity", v) for v in SEVERITIES]
              + [("status", v) for v in portal.PUBLIC_STATUSES])


def expected(stack, where="", params=(), limit=100):
    """(total, first `limit` record numbers) of the public records matching `where`."""
    nos = oracle.public_nos(stack, None, where, params)
    return len(nos), nos[:limit]


def listing(stack, **params):
    r = stack.get("/records", params=params)
    assert r.status_code == 200, (params, r.status_code, error_detail(r.text))
    return total(r.text), record_numbers(r.text), r.text


@pytest.mark.parametrize("param,value", ENUM_CASES)
def test_enum_filter_matches_sql(stack, world, param, value):
    n, nos = expected(stack, " AND %s = %%s" % COLUMN[param], (value,))
    got_n, got_nos, body = listing(stack, **{param: value, "limit": 100})
    assert got_n == n
    assert got_nos == nos
    assert n > 0, "the fixture covers every value"
    everything, _, _ = listing(stack)
    assert n < everything, "a filter narrows"
    # the form shows the current choice
    assert '<option value="%s" selected>' % value in body


def test_filters_combine(stack, world):
    t = world.today
    frm, to = t - datetime.timedelta(days=20), t - datetime.timedelta(days=2)
    where = (" AND r.district = %s AND r.severity = %s AND r.status = %s"
             " AND r.disclosed_on >= %s AND r.disclosed_on <= %s")
    for district in ("heping", "hexi", "city"):
        params = (district, "general", "published", frm, to)
        n, nos = expected(stack, where, params)
        got_n, got_nos, _ = listing(stack, district=district, severity="general",
                                    status="published", **{"from": frm.isoformat(),
                                                           "to": to.isoformat()}, limit=100)
        assert (got_n, got_nos) == (n, nos)


def test_kind_official_lists_only_officials(stack, world):
    n, nos = expected(stack, " AND r.subject_kind = 'official'")
    got_n, got_nos, _ = listing(stack, kind="official", limit=100)
    assert (got_n, got_nos) == (n, nos)
    assert world.no("official") in stack.get(
        "/records", params={"kind": "official", "category": "discipline",
                            "domain": "grassroots", "limit": 100}).text
    assert world.no("official") not in stack.get(
        "/records", params={"kind": "gov", "category": "discipline",
                            "domain": "grassroots", "limit": 100}).text


@pytest.mark.parametrize("frm,to", [(-10, None), (None, -10), (-15, -5), (-7, -7), (0, 0),
                                    (-400, -300), (5, 9)])
def test_date_filters(stack, world, frm, to):
    t = world.today
    where, params, query = "", [], {"limit": 100}
    if frm is not None:
        d = t + datetime.timedelta(days=frm)
        where += " AND r.disclosed_on >= %s"
        params.append(d)
        query["from"] = d.isoformat()
    if to is not None:
        d = t + datetime.timedelta(days=to)
        where += " AND r.disclosed_on <= %s"
        params.append(d)
        query["to"] = d.isoformat()
    n, nos = expected(stack, where, params)
    got_n, got_nos, body = listing(stack, **query)
    assert (got_n, got_nos) == (n, nos)
    if "from" in query:
        assert 'name="from" type="date" value="%s"' % query["from"] in body


def test_future_range_lists_nothing(stack, world):
    """Records disclosed in the future exist (TJZW-2099-000008) but are never listed."""
    t = world.today
    got_n, got_nos, body = listing(stack, **{"from": (t + datetime.timedelta(1)).isoformat()})
    assert got_n == 0 and got_nos == []
    assert "没有符合条件的公示记录。" in body


def test_search_words(stack, world):
    n, nos = expected(stack, " AND (r.title LIKE %s OR r.decision_no LIKE %s)",
                      ("%" + PAGE_TOKEN + "%",) * 2)
    got_n, got_nos, body = listing(stack, q=PAGE_TOKEN, limit=100)
    assert (got_n, got_nos) == (n, nos)
    bulk_public = [b for b in world.bulk
                   if b.status in portal.PUBLIC_STATUSES and b.disclosed <= world.today
                   < b.withdraw_on]
    assert n == len(bulk_public)
    assert 'value="%s"' % PAGE_TOKEN in body


def test_search_decision_number_and_spaces(stack, world):
    rec = world.records["published"]
    for q in (rec.decision_no, "  " + rec.decision_no + "\u3000"):
        got_n, got_nos, _ = listing(stack, q=q)
        assert rec.no in got_nos, q
    # % and _ are plain characters, never wildcards
    everything = listing(stack)[0]
    for q in ("%", "_", "%%", "*"):
        assert listing(stack, q=q)[0] < everything, q


def test_search_combines_with_filters(stack, world):
    like = "%" + PAGE_TOKEN + "%"
    n, nos = expected(stack, " AND (r.title LIKE %s OR r.decision_no LIKE %s)"
                             " AND r.domain = %s AND r.status = %s", (like, like, "ppp",
                                                                     "published"))
    got_n, got_nos, _ = listing(stack, q=PAGE_TOKEN, domain="ppp", status="published", limit=100)
    assert (got_n, got_nos) == (n, nos)
    assert n > 0


def test_limit(stack, world):
    for limit in (1, 5, 100):
        got_n, got_nos, _ = listing(stack, limit=limit)
        n, nos = expected(stack, limit=limit)
        assert got_nos == nos and got_n == n


def test_empty_values_are_ignored(stack, world):
    everything = listing(stack)[:2]
    assert listing(stack, district="", status="", q="", sort="", page="", limit="")[:2] \
        == everything
    assert listing(stack, q="   ")[:2] == everything
    # unknown parameters are ignored
    assert listing(stack, utm_source="x")[:2] == everything


@pytest.mark.parametrize("query,param", [
    ("district=xx", "district"),
    ("district=HEPING", "district"),
    ("district=和平区", "district"),
    ("kind=person", "kind"),
    ("category=crime", "category"),
    ("domain=sports", "domain"),
    ("severity=critical", "severity"),
    ("status=revoked", "status"),
    ("status=repaired", "status"),
    ("status=expired", "status"),
    ("status=draft", "status"),
    ("from=2026-13-01", "from"),
    ("from=2026-02-30", "from"),
    ("from=yesterday", "from"),
    ("from=2026-1-1", "from"),
    ("to=20260101", "to"),
    ("to=2026-01-01T00:00", "to"),
    ("from=2026-05-02&to=2026-05-01", "to"),
    ("sort=random", "sort"),
    ("sort=relevance", "sort"),
    ("page=0", "page"),
    ("page=-1", "page"),
    ("page=abc", "page"),
    ("page=01", "page"),
    ("page=100001", "page"),
    ("page=1.5", "page"),
    ("limit=0", "limit"),
    ("limit=101", "limit"),
    ("limit=ten", "limit"),
    ("cursor=garbage", "cursor"),
    ("cursor=2026-01-01", "cursor"),
    ("cursor=2026-01-01.abc", "cursor"),
    ("cursor=2026-02-30.5", "cursor"),
    ("q=" + "测" * 101, "q"),
    ("q=a%01b", "q"),
    ("q=%FF%FE", "q"),
])
def test_invalid_values_are_400_naming_the_parameter(stack, world, query, param):
    r = stack.get("/records?" + query)
    assert r.status_code == 400, query
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    detail = error_detail(r.text)
    assert detail is not None, "no #error-detail"
    assert detail.split(":")[0] == param, detail
    assert "请求有误" in r.text
    assert "ETag" not in r.headers


@pytest.mark.parametrize("query,param", [
    ("district=heping&district=hexi", "district"),
    ("district=heping&district=heping", "district"),
    ("kind=gov&kind=official", "kind"),
    ("category=penalty&category=breach", "category"),
    ("domain=ppp&domain=debt", "domain"),
    ("severity=minor&severity=serious", "severity"),
    ("status=published&status=contested", "status"),
    ("from=2026-01-01&from=2026-02-01", "from"),
    ("to=2026-01-01&to=2026-02-01", "to"),
    ("sort=newest&sort=oldest", "sort"),
    ("page=2&page=3", "page"),
    ("limit=5&limit=6", "limit"),
    ("q=a&q=b", "q"),
    ("cursor=2026-01-01.5&cursor=2026-01-02.6", "cursor"),
])
def test_duplicated_parameter_is_400(stack, world, query, param):
    r = stack.get("/records?" + query)
    assert r.status_code == 400, query
    detail = error_detail(r.text)
    assert detail is not None and detail.split(":")[0] == param, detail
    assert "只能给出一次" in detail
    # in the page's language
    r = stack.get("/records?" + query + "&lang=en")
    assert r.status_code == 400, query
    detail = error_detail(r.text)
    assert detail.split(":")[0] == param and "is given more than once" in detail, detail


@pytest.mark.parametrize("query", ["q=%", "q=%zz", "q=%E4%B8", "%=x", "q=a%00b", "district=%"])
def test_malformed_query_string_is_400(stack, world, query):
    status, headers, body = stack.raw_get("/records?" + query)
    assert status == 400, query
    assert "请求有误" in body
    assert error_detail(body)


def test_plus_is_a_space_in_search_words(stack, world):
    """'+' in a query string is a space: two words, both in the title."""
    b = next(b for b in world.bulk if b.status == "published" and b.disclosed <= world.today)
    domain = b.title.split(" ")[1]
    r = stack.get("/records?q=%s+%s&limit=100" % (PAGE_TOKEN, domain))
    assert r.status_code == 200
    assert b.no in record_numbers(r.text)
    assert 0 < total(r.text) < listing(stack, q=PAGE_TOKEN)[0]


def test_filter_values_survive_into_pager_links(stack, world):
    r = stack.get("/records", params={"q": PAGE_TOKEN, "district": "city", "limit": 2})
    assert r.status_code == 200
    href = portal.link(r.text, "next")
    assert href is not None
    assert re.search(r"[?&]q=%s(&|$)" % PAGE_TOKEN, href)
    assert "district=city" in href and "limit=2" in href and "cursor=" in href
