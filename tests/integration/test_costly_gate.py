"""Bounded expensive work (issue 10, point 4): CreditCostlyQueries N bounds
the searches, counted totals and statistics of a whole server, all its
children together (a host-wide semaphore), not of each child: one more
waits at most WAIT_MS for a place and then answers 503 "busy" with
Retry-After (JSON under /api/), and nothing queues without bound.

A vhost with CreditCostlyQueries 1 0 (one place, no wait): while one search
is held inside the database (its table locked by the test), every other
search of that server is refused at once, whichever child takes it; when
the lock goes, the held search answers and the others work again.

CreditExports N [WAIT_MS] bounds the exports (CSV, workbook) the server
streams at once the same way: an export reads and sends every row it
holds, and 32 clients exporting at once made a reader's record page wait
(docs/BENCH.md)."""
import concurrent.futures
import contextlib
import re
import time

import pytest
import requests

from conftest import free_ports, wait_port

VHOST = """\
Listen 127.0.0.1:%(port)d
<VirtualHost 127.0.0.1:%(port)d>
    ServerName costly.example
    %(creditdb)s
    %(bound)s
    <Location /credit>
        SetHandler credit
        Require all granted
        CreditTemplateDir "%(top)s/templates"
    </Location>
</VirtualHost>
"""

# Words of the demo's titles (2 CJK characters: walked in InnoDB first).
WORDS = ["工程", "拖欠", "合同", "采购", "行政", "处罚", "违约", "项目"]


@contextlib.contextmanager
def vhost(stack, bound):
    """A virtual host of its own with the bound directive `bound`; yields
    its portal's URL."""
    from conftest import ROOT
    conf = (stack.var / "httpd" / "httpd.conf").read_text()
    creditdb = re.search(r"^CreditDB .*$", conf, re.M).group(0)
    (port,) = free_ports(1)
    path = stack.var / "httpd" / "conf.d" / "costly.conf"
    path.write_text(VHOST % {"port": port, "creditdb": creditdb, "top": ROOT, "bound": bound})
    stack.start_httpd()
    wait_port(port)
    try:
        yield "http://127.0.0.1:%d/credit" % port
    finally:
        path.unlink()
        stack.start_httpd()


def bounded(directive):
    """A fixture: the portal's URL on a virtual host of its own with the
    bound `directive`."""
    @pytest.fixture
    def portal(stack):
        with vhost(stack, directive) as url:
            yield url
    return portal


costly = bounded("CreditCostlyQueries 1 0")
one_export = bounded("CreditExports 1 0")
one_list = bounded("CreditListPages 1 0")
list_queue = bounded("CreditListPages 1 8000")


def wait_for_metadata_lock(stack):
    """Returns once a statement waits for the test's table lock."""
    deadline = time.monotonic() + 20
    while True:
        rows = stack.sql("SELECT COUNT(*) FROM information_schema.processlist"
                         " WHERE state LIKE '%%metadata lock%%'")
        if rows[0][0] >= 1:
            return
        assert time.monotonic() < deadline, "nothing reached the database"
        time.sleep(0.05)


def while_one_is_held(stack, tables, url, params, others, head=False):
    """Locks `tables`, sends GET url in a thread and, once it waits inside
    the database (holding its place), sends the requests (url, params) of
    `others` at once, then (head) a HEAD of url; unlocks. Returns the held
    response, the others' and the HEAD's (or None)."""
    lock = stack._connect()
    pool = concurrent.futures.ThreadPoolExecutor(len(others) + 1)
    try:
        with lock.cursor() as cur:
            cur.execute("LOCK TABLES " + tables)
        held = pool.submit(requests.get, url, params=params, timeout=60)
        wait_for_metadata_lock(stack)
        sent = [pool.submit(requests.get, u, params=p, timeout=30) for u, p in others]
        answers = [f.result() for f in sent]
        head = requests.head(url, params=params, timeout=30) if head else None
        assert not held.done(), "the held request should still wait for the lock"
    finally:
        with lock.cursor() as cur:
            cur.execute("UNLOCK TABLES")
        lock.close()
    first = held.result()
    pool.shutdown()
    return first, answers, head


def test_one_place_for_the_whole_server_others_refused_at_once(stack, costly):
    # Warm what is not costly (the version, the tallies) with a plain list.
    assert requests.get(costly + "/records", timeout=10).status_code == 200
    first, answers, _ = while_one_is_held(
        stack, "records WRITE, subjects WRITE, record_text WRITE", costly + "/api/v1/search",
        {"q": WORDS[0]},
        [(costly + path, {"q": w}) for w in WORDS[1:] for path in ("/api/v1/search", "/records")])
    assert first.status_code == 200, first.status_code
    assert first.json()["items"], "the held search found nothing"
    for r in answers:
        assert r.status_code == 503, (r.url, r.status_code)
        assert r.headers.get("Retry-After", "").isdigit(), r.headers
        if "/api/" in r.url:
            assert r.headers["Content-Type"].startswith("application/json")
            assert r.json()["error"]["code"] == "busy", r.text
        else:
            assert r.headers["Content-Type"].startswith("text/html")
    # The place is free again: every search answers.
    for w in WORDS[1:]:
        r = requests.get(costly + "/api/v1/search", params={"q": w}, timeout=30)
        assert r.status_code == 200, (w, r.status_code)


def test_one_export_at_a_time_others_refused_and_heads_answered(stack, world, one_export):
    """With one place for exports: while a CSV export is held inside the
    database (its table locked by the test), every other CSV or workbook
    export of the server, whichever child takes it, is refused at once with
    503 and Retry-After, before any row, as an error page and not as a file
    to save; a HEAD, which reads no rows, still answers. When the lock
    goes, the held export is whole and the place serves the next."""
    # (Without a district: a district's export reads its lines, not the
    # tables, once made.)
    params = {"kind": "gov", "category": "penalty"}
    expected = requests.get(one_export + "/records.csv", params=params, timeout=30)
    assert expected.status_code == 200 and expected.content.count(b"\r\n") > 2
    first, answers, head = while_one_is_held(
        stack, "records WRITE, subjects WRITE, departments WRITE", one_export + "/records.csv",
        params, [(one_export + path, p) for path in ("/records.csv", "/records.xlsx")
                 for p in ({"district": "hexi"}, {"severity": "minor"}, {})], head=True)
    assert first.status_code == 200, first.status_code
    assert first.content == expected.content
    for r in answers:
        assert r.status_code == 503, (r.url, r.status_code)
        assert r.headers.get("Retry-After", "").isdigit(), r.headers
        assert r.headers["Content-Type"].startswith("text/html"), r.headers
        assert "Content-Disposition" not in r.headers, r.headers
    assert head.status_code == 200, head.status_code
    assert head.headers["Content-Type"] == "text/csv; charset=utf-8"
    # The place is free again, one export after another.
    for p in ({"district": "hexi"}, {"severity": "minor"}):
        for path in ("/records.csv", "/records.xlsx"):
            r = requests.get(one_export + path, params=p, timeout=30)
            assert r.status_code == 200, (path, p, r.status_code)


# The pages CreditListPages bounds: lists and searches (HTML and API) and
# the feed, each with a filter of its own (no page cache answers them).
LIST_PAGES = [("/records", {"district": "hexi"}), ("/records", {"q": "工程"}),
              ("/api/v1/records", {"severity": "minor"}), ("/api/v1/search", {"q": "合同"}),
              ("/feed.atom", {"category": "penalty"})]


def test_one_list_page_at_a_time_others_refused_and_other_pages_answered(stack, one_list):
    """With one place for list pages and no wait: while a list is held
    inside the database (the records locked by the test), every other list,
    search or feed of the server is refused at once with 503 and
    Retry-After (JSON under /api/, plain text for a feed reader), whichever
    child takes it; a page that is not a list (the ratings) still answers.
    When the lock goes, the held list is whole and every list answers."""
    assert requests.get(one_list + "/ratings", timeout=10).status_code == 200
    first, answers, _ = while_one_is_held(
        stack, "records WRITE, record_text WRITE", one_list + "/records", {"category": "judgment"},
        [(one_list + path, params) for path, params in LIST_PAGES] + [(one_list + "/ratings", {})])
    assert first.status_code == 200, first.status_code
    assert "TJZW-" in first.text
    *lists, ratings = answers
    assert ratings.status_code == 200, ratings.status_code
    for r in lists:
        assert r.status_code == 503, (r.url, r.status_code)
        assert r.headers.get("Retry-After", "").isdigit(), r.headers
        ctype = r.headers["Content-Type"]
        if "/api/" in r.url:
            assert ctype.startswith("application/json") and r.json()["error"]["code"] == "busy"
        elif "feed.atom" in r.url:
            assert ctype.startswith("text/plain") and r.text.startswith("503 busy"), r.text
        else:
            assert ctype.startswith("text/html"), ctype
    for path, params in LIST_PAGES:
        r = requests.get(one_list + path, params=params, timeout=30)
        assert r.status_code == 200, (path, params, r.status_code)


def test_list_pages_beyond_the_bound_wait_their_turn(stack, list_queue):
    """With one place and a wait: a list that finds the place taken waits
    for it, not refused, and answers once the one before it is done."""
    lock = stack._connect()
    pool = concurrent.futures.ThreadPoolExecutor(2)
    try:
        with lock.cursor() as cur:
            cur.execute("LOCK TABLES records WRITE, record_text WRITE")
        held = pool.submit(requests.get, list_queue + "/records", params={"domain": "debt"},
                           timeout=60)
        wait_for_metadata_lock(stack)
        waiting = pool.submit(requests.get, list_queue + "/api/v1/records",
                              params={"domain": "ppp"}, timeout=60)
        time.sleep(1)
        # Only the held list reached the database; the other waits for its place.
        rows = stack.sql("SELECT COUNT(*) FROM information_schema.processlist"
                         " WHERE state LIKE '%%metadata lock%%'")
        assert rows[0][0] == 1, rows
        assert not waiting.done(), waiting.result().status_code
    finally:
        with lock.cursor() as cur:
            cur.execute("UNLOCK TABLES")
        lock.close()
    assert held.result().status_code == 200
    second = waiting.result()
    assert second.status_code == 200, second.status_code
    assert second.json()["items"], second.text
    pool.shutdown()
