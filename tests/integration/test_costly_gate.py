"""Bounded expensive work (issue 10, point 4): CreditCostlyQueries N bounds
the searches, counted totals and statistics of a whole server, all its
children together (a host-wide semaphore), not of each child: one more
waits at most WAIT_MS for a place and then answers 503 "busy" with
Retry-After (JSON under /api/), and nothing queues without bound.

A vhost with CreditCostlyQueries 1 0 (one place, no wait): while one search
is held inside the database (its table locked by the test), every other
search of that server is refused at once, whichever child takes it; when
the lock goes, the held search answers and the others work again."""
import concurrent.futures
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
    CreditCostlyQueries 1 0
    <Location /credit>
        SetHandler credit
        Require all granted
        CreditTemplateDir "%(top)s/templates"
    </Location>
</VirtualHost>
"""

# Words of the demo's titles (2 CJK characters: walked in InnoDB first).
WORDS = ["工程", "拖欠", "合同", "采购", "行政", "处罚", "违约", "项目"]


@pytest.fixture
def costly(stack):
    from conftest import ROOT
    conf = (stack.var / "httpd" / "httpd.conf").read_text()
    creditdb = re.search(r"^CreditDB .*$", conf, re.M).group(0)
    (port,) = free_ports(1)
    path = stack.var / "httpd" / "conf.d" / "costly.conf"
    path.write_text(VHOST % {"port": port, "creditdb": creditdb, "top": ROOT})
    stack.start_httpd()
    wait_port(port)
    try:
        yield "http://127.0.0.1:%d/credit" % port
    finally:
        path.unlink()
        stack.start_httpd()


def test_one_place_for_the_whole_server_others_refused_at_once(stack, costly):
    # Warm what is not costly (the version, the tallies) with a plain list.
    assert requests.get(costly + "/records", timeout=10).status_code == 200
    lock = stack._connect()
    pool = concurrent.futures.ThreadPoolExecutor(len(WORDS))
    try:
        with lock.cursor() as cur:
            cur.execute("LOCK TABLES records WRITE, subjects WRITE, record_text WRITE")
        held = pool.submit(requests.get, costly + "/api/v1/search",
                           params={"q": WORDS[0]}, timeout=60)
        # The first search is inside the database, holding the place.
        deadline = time.monotonic() + 20
        while True:
            rows = stack.sql("SELECT COUNT(*) FROM information_schema.processlist"
                             " WHERE state LIKE '%%metadata lock%%'")
            if rows[0][0] >= 1:
                break
            assert time.monotonic() < deadline, "the first search never reached the database"
            time.sleep(0.05)
        others = [pool.submit(requests.get, costly + path, params={"q": w}, timeout=30)
                  for w in WORDS[1:] for path in ("/api/v1/search", "/records")]
        answers = [f.result() for f in others]
        assert not held.done(), "the held search should still wait for the lock"
    finally:
        with lock.cursor() as cur:
            cur.execute("UNLOCK TABLES")
        lock.close()
    first = held.result()
    pool.shutdown()
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
