"""The per-child cache of rendered public responses (credit_page.c): a
response is kept by data version, day, language, origin, path and query, so
a page served again is the same page, and any write, a withdrawal above all,
is seen by the very next request; nothing of one host or language leaks
into another's answer."""
import xml.etree.ElementTree as ET

import requests

from citizen import hidden_token

ATOM = "{http://www.w3.org/2005/Atom}"


def outputs(no):
    return ["/records/" + no, "/api/v1/records/" + no, "/records?q=" + no,
            "/api/v1/records?q=" + no, "/feed.atom?q=" + no]


def test_a_page_served_again_is_the_same_and_a_write_shows_at_once(adm):
    no, rid = adm.record(title="缓存测试原标题")
    first = {p: adm.stack.get(p) for p in outputs(no)}
    for p, r in first.items():
        assert r.status_code == 200, (p, r.status_code)
        assert "缓存测试原标题" in r.text, p
        again = adm.stack.get(p)
        assert again.content == r.content, p  # served from the cache: the same bytes
        assert again.headers.get("ETag") == r.headers.get("ETag"), p
        if r.headers.get("ETag"):
            assert adm.stack.get(p, headers={"If-None-Match": r.headers["ETag"]}
                                 ).status_code == 304, p
    r = requests.put(adm.url("/records/" + no), json={"title": "缓存测试新标题"},
                     auth=adm.auth("staff"), timeout=10)
    assert r.status_code == 200, r.text[:300]
    for p in outputs(no):
        r = adm.stack.get(p)
        assert r.status_code == 200, p
        assert "缓存测试新标题" in r.text and "缓存测试原标题" not in r.text, p
    assert "/records/%s\"" % no in adm.stack.get("/records?q=" + no).text
    # a withdrawal: gone from every output on the next request
    assert adm.event(no, "revoke").status_code == 200
    assert adm.stack.get("/records/" + no).status_code == 410
    assert adm.stack.get("/api/v1/records/" + no).status_code == 410
    assert "/records/%s\"" % no not in adm.stack.get("/records?q=" + no).text
    assert adm.stack.get("/api/v1/records?q=" + no).json()["total"] == 0
    feed = ET.fromstring(adm.stack.get("/feed.atom?q=" + no).content)
    assert feed.find(ATOM + "entry") is None


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
