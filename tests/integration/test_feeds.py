"""Atom feeds as feed readers meet them (issue 12, point 7), read with
feedparser: a feed's title names its filter in the page's language, so
subscriptions can be told apart; a feed pages on past its first entries
(RFC 5005 section 3: rel="next", "previous", "first" with the list's
keyset cursor); an unknown filter value answers plain text naming the
values the parameter accepts, not an HTML page."""
import warnings
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # feedparser 6.0.10 imports cgi
    import feedparser

import oracle
import portal
from world import PAGE_TOKEN


def parse(stack, params=None, headers=None):
    r = stack.get("/feed.atom", params=params, headers=headers)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    ET.fromstring(r.content)                        # well-formed XML
    d = feedparser.parse(r.content)
    assert not d.bozo, d.get("bozo_exception")
    assert d.version == "atom10"
    return d


def links(d):
    return {l["rel"]: l["href"] for l in d.feed.links}


def entry_nos(d):
    return [e.id.rsplit("/", 1)[1] for e in d.entries]


def sql_nos(stack, where="", params=()):
    return oracle.public_nos(stack, where=where, params=params)


def get_href(stack, href):
    assert href.startswith(stack.base_url + "/feed.atom"), href
    return stack.get(href[len(stack.base_url):])


# -- titles ---------------------------------------------------------------------------

def test_titles_name_the_filter(stack, world):
    plain = parse(stack).feed.title
    assert plain == "信用天津 政务失信记录公示订阅"
    t = parse(stack, {"district": "heping", "severity": "serious"}).feed.title
    assert t == "信用天津 政务失信记录公示订阅（地区：和平区；严重程度：严重）"
    t = parse(stack, {"category": "penalty", "domain": "ppp", "kind": "official",
                      "status": "contested"}).feed.title
    for words in ("主体类型：公务员", "类别：行政处罚", "领域：政府和社会资本合作",
                  "状态：异议处理中"):
        assert words in t, t
    t = parse(stack, {"q": "采购", "from": "2025-01-01", "to": "2025-12-31"}).feed.title
    assert "关键词：采购" in t and "公示起始日期：2025-01-01" in t and "公示截止日期：2025-12-31" in t


def test_titles_in_english(stack, world):
    d = parse(stack, {"district": "binhai", "severity": "general", "lang": "en"})
    assert d.feed.title == ("Credit Tianjin Government dishonesty records feed"
                            " (District: Binhai New Area; Severity: General)")
    assert parse(stack, {"lang": "en"}).feed.title == \
        "Credit Tianjin Government dishonesty records feed"


def test_every_district_feed_has_its_own_title(stack, world):
    titles = {parse(stack, {"district": d}).feed.title
              for d in ("city", "heping", "hedong", "hexi", "nankai", "binhai", "jizhou")}
    assert len(titles) == 7


def test_sort_and_paging_parameters_are_no_part_of_the_title(stack, world):
    base = parse(stack, {"district": "hexi"}).feed.title
    assert parse(stack, {"district": "hexi", "sort": "oldest", "limit": 10}).feed.title == base


# -- paging (RFC 5005) -------------------------------------------------------------------

def follow(stack, params):
    """The feed's pages through rel=next: [(parsed, response)]."""
    pages = []
    r = stack.get("/feed.atom", params=params)
    while True:
        assert r.status_code == 200
        d = feedparser.parse(r.content)
        assert not d.bozo
        pages.append(d)
        nxt = links(d).get("next")
        if not nxt:
            return pages
        assert len(pages) < 100
        r = get_href(stack, nxt)


@pytest.mark.parametrize("params,where,args", [
    ({}, "", ()),
    ({"district": "hexi", "limit": 20}, " AND r.district = %s", ("hexi",)),
    ({"severity": "serious", "limit": 30}, " AND r.severity = %s", ("serious",)),
    ({"q": PAGE_TOKEN, "limit": 7}, None, ()),
])
def test_the_feed_pages_through_every_entry(stack, world, params, where, args):
    pages = follow(stack, params)
    got = [no for d in pages for no in entry_nos(d)]
    if where is None:   # a search: the API's answer is the oracle
        want, url = [], "/api/v1/records?limit=100&q=" + PAGE_TOKEN
        while url:
            j = stack.get(url.replace(stack.base_url, "")).json()
            want += [i["no"] for i in j["items"]]
            url = j["next"]
    else:
        want = sql_nos(stack, where, args)
    assert got == want
    assert len(pages) > 2
    size = params.get("limit", 50)
    assert all(len(d.entries) == size for d in pages[:-1])
    first = links(pages[0])
    for i, d in enumerate(pages):
        l = links(d)
        # every page names the subscription as its first page and its id
        assert l["first"] == first["self"] == d.feed.id
        assert ("previous" in l) == (i > 0)
        q = parse_qs(urlsplit(l["self"]).query)
        assert ("cursor" in q) == (i > 0)
        assert "page" not in q and "sort" not in q
        if "limit" in params:
            assert q["limit"] == [str(size)]
    assert "next" not in links(pages[-1])


def test_previous_goes_back(stack, world):
    pages = follow(stack, {"district": "hexi", "limit": 20})
    assert len(pages) >= 3
    r = get_href(stack, links(pages[2])["previous"])
    d = feedparser.parse(r.content)
    assert entry_nos(d) == entry_nos(pages[1])
    r = get_href(stack, links(d)["previous"])
    assert entry_nos(feedparser.parse(r.content)) == entry_nos(pages[0])


def test_a_page_link_is_stable_and_cached_answers_agree(stack, world):
    d = parse(stack, {"district": "heping", "limit": 5})
    nxt = links(d)["next"]
    a, b = get_href(stack, nxt), get_href(stack, nxt)
    assert a.status_code == b.status_code == 200
    assert entry_nos(feedparser.parse(a.content)) == entry_nos(feedparser.parse(b.content))
    assert links(feedparser.parse(a.content))["self"] == nxt
    # a page asked by number names itself with its number
    d = parse(stack, {"district": "heping", "limit": 5, "page": 2})
    assert parse_qs(urlsplit(links(d)["self"]).query)["page"] == ["2"]


def test_a_bad_cursor_is_plain_text(stack, world):
    r = stack.get("/feed.atom", params={"cursor": "yesterday"})
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "cursor" in r.text


# -- errors --------------------------------------------------------------------------

@pytest.mark.parametrize("param,value,accepted", [
    ("severity", "critical", ("minor", "general", "serious")),
    ("district", "tianjin", ("city", "heping", "binhai", "jizhou")),
    ("category", "x", ("judgment", "penalty", "discipline", "accountability", "breach")),
    ("status", "revoked", ()),
    ("status", "x", ("published", "contested", "corrected")),
    ("sort", "random", ("newest", "oldest")),
])
def test_an_unknown_filter_value_is_plain_text_naming_the_accepted_values(stack, world, param,
                                                                           value, accepted):
    r = stack.get("/feed.atom", params={param: value})
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "<" not in r.text
    lines = r.text.splitlines()
    assert lines[0] == "400 bad_filter"
    assert lines[1].split(":")[0] == param
    for v in accepted:
        assert v in lines[1], (v, lines[1])
    # a feed reader is not asked to cache it
    assert r.headers["Cache-Control"] == "no-store"


def test_a_malformed_query_on_a_feed_is_plain_text(stack, world):
    r = stack.get("/feed.atom?district=%00")
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.text.startswith("400 bad_query\n")


def test_the_same_bad_value_elsewhere_names_the_accepted_values_too(stack, world):
    j = stack.get("/api/v1/records", params={"severity": "critical"}).json()
    msg = j["error"]["message"]
    assert msg.startswith("severity: ") and all("(%s)" % c in msg
                                                for c in ("minor", "general", "serious")), msg
    html = stack.get("/records", params={"severity": "critical"})
    assert html.status_code == 400 and html.headers["Content-Type"].startswith("text/html")
    detail = portal.error_detail(html.text)
    assert all("(%s)" % c in detail for c in ("minor", "general", "serious")), detail
