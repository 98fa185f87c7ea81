"""The per-child cache of rendered public responses (credit_page.c): a
response is kept by data version, day, language, origin, path and query, so
a page served again is the same page, and any write, a withdrawal above all,
is seen by the very next request, as is midnight in every child; nothing of
one host or language leaks into another's answer."""
import datetime
import xml.etree.ElementTree as ET

import requests

import portal
import world as world_mod
from citizen import hidden_token
from conftest import ClockedHttpd

DAY = datetime.timedelta(days=1)

ATOM = "{http://www.w3.org/2005/Atom}"


def outputs(no):
    return ["/records/" + no, "/api/v1/records/" + no, "/records?q=" + no,
            "/api/v1/records?q=" + no, "/feed.atom?q=" + no]


def test_a_page_served_again_is_the_same_and_a_write_shows_at_once(adm):
    """A page asked for again is the same page (and its ETag gives a 304);
    it comes from the child's cache: a change that moves no data version (a
    department's new name) does not show on it. A write to the record moves
    the version: the next request of every output shows the record as it
    is now, the department's new name too, and a withdrawal removes it."""
    stack = adm.stack
    no, rid = adm.record(title="缓存测试原标题")
    dept = stack.sql("SELECT name FROM departments WHERE id = %s", (adm.heping,))[0][0]
    # One keep-alive connection: one child, whose cache is the one looked at.
    session = requests.Session()

    def get(p, **kw):
        return session.get(stack.url(p), timeout=10, allow_redirects=False, **kw)
    try:
        first = {p: get(p) for p in outputs(no)}
        for p, r in first.items():
            assert r.status_code == 200, (p, r.status_code)
            assert "缓存测试原标题" in r.text, p
            again = get(p)
            assert again.content == r.content, p
            assert again.headers.get("ETag") == r.headers.get("ETag"), p
            if r.headers.get("ETag"):
                assert get(p, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304, p
        detail = ["/records/" + no, "/api/v1/records/" + no]
        for p in detail:
            assert dept in first[p].text, p
        stack.sql("UPDATE departments SET name = CONCAT(name, '（缓存）') WHERE id = %s",
                  (adm.heping,))
        for p in detail:  # from the cache: the same bytes, the old name
            assert get(p).content == first[p].content, p
        r = requests.put(adm.url("/records/" + no), json={"title": "缓存测试新标题"},
                         auth=adm.auth("staff"), timeout=10)
        assert r.status_code == 200, r.text[:300]
        for p in outputs(no):
            r = get(p)
            assert r.status_code == 200, p
            assert "缓存测试新标题" in r.text and "缓存测试原标题" not in r.text, p
        for p in detail:
            assert dept + "（缓存）" in get(p).text, p
        assert "/records/%s\"" % no in get("/records?q=" + no).text
        # a withdrawal: gone from every output on the next request
        assert adm.event(no, "revoke").status_code == 200
        assert get("/records/" + no).status_code == 410
        assert get("/api/v1/records/" + no).status_code == 410
        assert "/records/%s\"" % no not in get("/records?q=" + no).text
        assert get("/api/v1/records?q=" + no).json()["total"] == 0
        feed = ET.fromstring(get("/feed.atom?q=" + no).content)
        assert feed.find(ATOM + "entry") is None
    finally:
        session.close()
        stack.sql("UPDATE departments SET name = %s WHERE id = %s", (dept, adm.heping))


def test_a_record_page_reads_the_database_once(adm):
    """A record page asked for the first time is read with one statement
    (the record and the data version together); asked again, one statement
    (the version: the page comes from the cache). A write made in SQL, not
    through the module, moves the version: the next request shows it."""
    stack = adm.stack
    no, rid = adm.record(title="缓存一次读取")
    session = requests.Session()

    def executed():
        return int(stack.sql("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'")[0][1])

    def get(p):
        before = executed()
        r = session.get(stack.url(p), timeout=10)
        return r, executed() - before
    try:
        for p in ("/records/" + no, "/api/v1/records/" + no):
            first, n = get(p)
            assert first.status_code == 200 and "缓存一次读取" in first.text, p
            assert n == 1, (p, n)
            again, n = get(p)
            assert again.content == first.content and n == 1, (p, n)
        stack.sql("UPDATE records SET title = '缓存一次读取（改）' WHERE id = %s", (rid,))
        for p in ("/records/" + no, "/api/v1/records/" + no):
            r, n = get(p)
            assert "缓存一次读取（改）" in r.text, p
            assert n == 2, (p, n)  # the version, then the record
    finally:
        session.close()


def test_each_host_and_language_gets_its_own_answer(adm):
    no, _ = adm.record(title="缓存测试主机与语言")
    port = adm.stack.http_port
    links = {}
    for host in ("a.example", "b.example"):
        for _ in range(2):  # the second from the cache
            r = adm.stack.get("/feed.atom?q=" + no, headers={"Host": "%s:%d" % (host, port)})
            assert r.status_code == 200
            entry = ET.fromstring(r.content).find(ATOM + "entry")
            links.setdefault(host, set()).add(entry.find(ATOM + "link").get("href"))
    assert links == {h: {"http://%s:%d/credit/records/%s" % (h, port, no)}
                     for h in ("a.example", "b.example")}, links
    zh = adm.stack.get("/records/" + no, headers={"Accept-Language": "zh-CN"})
    en = adm.stack.get("/records/" + no, headers={"Accept-Language": "en"})
    zh2 = adm.stack.get("/records/" + no, headers={"Accept-Language": "zh-CN"})
    assert '<html lang="zh-CN">' in zh.text and '<html lang="en">' in en.text
    assert zh2.content == zh.content
    assert zh.headers["ETag"] != en.headers["ETag"]


def test_forms_are_never_served_from_the_cache(adm):
    """Each form carries its own token: two requests, two tokens."""
    no, _ = adm.record(title="缓存测试表单")
    for path in ("/complaints/new", "/records/%s/objection" % no):
        a = hidden_token(adm.stack.get(path).text)
        b = hidden_token(adm.stack.get(path).text)
        assert a and b and a != b, path


def test_made_up_host_headers_do_not_fill_the_cache(adm):
    """Only the server's own names (ServerName 127.0.0.1 here) are cached: a
    page asked for with a made-up Host is made afresh every time. Seen
    through a change that moves no data version (a department's name)."""
    stack = adm.stack
    no, _ = adm.record(title="缓存主机名测试")
    dept = stack.sql("SELECT name FROM departments WHERE id = %s", (adm.heping,))[0][0]
    own = {"Host": "127.0.0.1:%d" % stack.http_port}
    made_up = {"Host": "x%d.attacker.example" % adm.heping}
    # One keep-alive connection: one child, whose cache is the one looked at.
    session = requests.Session()

    def page(h):
        return session.get(stack.url("/records/" + no), headers=h, timeout=10).text
    try:
        for h in (own, made_up):
            assert dept in page(h)
        stack.sql("UPDATE departments SET name = CONCAT(name, '（更名）') WHERE id = %s",
                  (adm.heping,))
        # The server's own name: the cached page (same data version).
        assert "（更名）" not in page(own)
        # A made-up name: never cached, so the page is made again.
        assert dept + "（更名）" in page(made_up)
    finally:
        session.close()
        stack.sql("UPDATE departments SET name = %s WHERE id = %s", (dept, adm.heping))


# ---- midnight ----------------------------------------------------------------------

def test_midnight_withdraws_and_discloses_in_every_childs_warm_cache(stack, world):
    """A record whose window ends at midnight and one disclosed at midnight,
    on a second httpd whose clock stands at 23:50 Beijing time: each of its
    children serves every output of both at least twice before midnight (the
    later times from its cache); the clock passes midnight, and the first
    answer of each child is the new day's: the one 410 and gone from the
    lists, the other shown. No write happens at midnight: a cache entry
    belongs to its day."""
    today = portal.today()
    tomorrow = today + DAY
    token = "QZXMIDNIGHTCACHE"
    subject = world_mod.add_gov(stack, "天津市蓟州区零点缓存测试局", "jizhou")
    leaving = world_mod.add_record(stack, world, "TJZW-2096-000820", subject,
                                   title="零点撤下的缓存记录 %s" % token, severity="minor",
                                   disclosed=portal.add_months(tomorrow, -3))
    coming = world_mod.add_record(stack, world, "TJZW-2096-000821", subject,
                                  title="零点公示的缓存记录 %s" % token, disclosed=tomorrow)
    assert leaving.withdraw_on == tomorrow
    paths = ["/records/" + leaving.no, "/api/v1/records/" + leaving.no,
             "/records/" + coming.no, "/api/v1/records/" + coming.no,
             "/records?q=" + token, "/api/v1/records?q=" + token, "/feed.atom?q=" + token]

    def check(r, path, day):
        """What `path` must answer on `day`."""
        gone, shown = (leaving, coming) if day == tomorrow else (coming, leaving)
        if path.endswith(shown.no):
            assert r.status_code == 200, (path, day, r.status_code)
        elif path.endswith(gone.no):
            assert r.status_code == (410 if gone is leaving else 404), (path, day, r.status_code)
        else:
            assert r.status_code == 200, (path, r.status_code)
            assert shown.no in r.text and gone.no not in r.text, (path, day)

    def every_child_twice(h, day, since):
        """Asks for every path on fresh connections until each child has
        answered each of them twice since the log line `since`."""
        kids = set(h.children())
        assert len(kids) >= 2, kids
        for _ in range(200):
            for p in paths:
                check(h.get(p), p, day)
            seen = {}
            for pid, _, p in h.served_by()[since:]:
                seen[(pid, p)] = seen.get((pid, p), 0) + 1
            if all(seen.get((pid, "/credit" + p), 0) >= 2 for pid in kids for p in paths):
                return len(h.served_by())
        raise AssertionError("not every child answered every path twice: %s" % seen)

    before = datetime.datetime.combine(today, datetime.time(23, 50), portal.BEIJING)
    with ClockedHttpd(stack, "midnight-cache", before) as h:
        n = every_child_twice(h, today, 0)
        h.set_clock(datetime.datetime.combine(tomorrow, datetime.time(0, 0, 5), portal.BEIJING))
        every_child_twice(h, tomorrow, n)
