"""Issue 2 point 7: with MariaDB stopped every page answers 503 (a friendly
page, JSON for the API) without waiting for the database, httpd keeps
serving, and pages come back by themselves when MariaDB returns, without an
httpd restart. No request may hang: each has a 10 s timeout (the database
timeout of the configuration), far above what any of them takes, so only a
hang fails; how fast they are is for `make bench`, not for a test.

These tests run last (see conftest.py): they leave dead connections in the
children's pools, which the clean-up drains with a graceful restart so no
later test meets them.
"""
import concurrent.futures
import time

import pytest
import requests

pytestmark = [
    pytest.mark.database_loss,
    # expected while the database is away: cannot connect, lost connection, 503
    pytest.mark.allow_log(r"CR0201: cannot connect to MariaDB",
                          r"CR0204: MariaDB error (2002|2003|2006|2013|2055|1053|1927|4031)\b",
                          r"CR0402: database unavailable"),
]

INTERNALS = ("credit_ro", "Can't connect", "MariaDB error", "mysqld", "CR02", "127.0.0.1:%d")


def page_paths(world):
    return ["/", "/records", "/records?severity=serious&district=heping",
            "/records/" + world.no("published"), "/subjects/%d" % world.subjects["gov"].id]


def api_paths(world):
    """JSON routes besides health that need the database (when they exist)."""
    return ["/api/v1/records", "/api/v1/records/" + world.no("published"),
            "/api/v1/subjects/%d" % world.subjects["gov"].id]


def fresh_get(stack, path, **kw):
    """A request on a new connection (so successive requests reach any child)."""
    with requests.Session() as s:
        return s.get(stack.url(path), timeout=10, allow_redirects=False,
                     headers={"Connection": "close"}, **kw)


def warm_pools(stack, world):
    """Many concurrent requests, so that every child keeps idle connections."""
    paths = page_paths(world) * 30
    with concurrent.futures.ThreadPoolExecutor(20) as ex:
        codes = list(ex.map(lambda p: fresh_get(stack, p).status_code, paths))
    assert set(codes) == {200}, codes


def wait_until(predicate, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while True:
        ok = predicate()
        if ok or time.monotonic() > deadline:
            return ok
        time.sleep(step)


@pytest.fixture
def database_down(stack, world):
    """Stops MariaDB for the test; starts it again whatever happens, then
    renews httpd's children (graceful restart) so no dead pooled connection
    is left to later tests."""
    warm_pools(stack, world)
    api = {p: fresh_get(stack, p).status_code for p in api_paths(world)}
    stack.stop_db()
    try:
        yield api
    finally:
        try:
            stack.start_db()
        finally:
            stack.start_httpd()  # running: a graceful restart with fresh children
            assert wait_until(lambda: fresh_get(stack, "/api/v1/health").status_code == 200,
                              60), "httpd did not come back after the graceful restart"


def test_pages_answer_503_and_come_back(stack, world, database_down):
    pid = stack.httpd_pid()
    for path in page_paths(world):
        r = fresh_get(stack, path)
        assert r.status_code == 503, path
        assert r.headers["Content-Type"] == "text/html; charset=utf-8", path
        assert "服务暂时不可用" in r.text, path
        assert '<html lang="zh-CN">' in r.text  # the portal's own friendly page
        assert 'href="/credit/"' in r.text
        assert r.headers.get("Retry-After"), path
        assert r.headers.get("Cache-Control") == "no-store", path
        assert "ETag" not in r.headers, path
        assert r.headers.get("X-Content-Type-Options") == "nosniff", path
        for leak in INTERNALS:
            leak = leak % stack.db_port if "%d" in leak else leak
            assert leak not in r.text, (path, leak)

    r = fresh_get(stack, "/api/v1/health")
    assert r.status_code == 503
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    body = r.json()
    assert body["status"] != "ok"
    assert body["database"]["reachable"] is False
    assert body["database"].get("schema_version") is None
    # no copy answered; the primary is known to be away
    assert body["database"]["answered_by"] is None
    assert body["database"]["copies"] == [{"name": "primary", "role": "primary",
                                           "state": "down", "lag_ms": None}]

    # the other JSON routes (each answered 200 before the stop) answer a JSON error
    assert database_down == {p: 200 for p in api_paths(world)}
    for path in api_paths(world):
        r = fresh_get(stack, path)
        assert r.status_code == 503, path
        assert r.headers["Content-Type"] == "application/json; charset=utf-8", path
        err = r.json()["error"]
        assert err["code"] and err["message"], path

    # httpd itself keeps serving what needs no database
    assert fresh_get(stack, "/static/css/credit.css").status_code == 200
    assert fresh_get(stack, "/no/such/page").status_code == 404
    r = fresh_get(stack, "/records?severity=bogus")
    assert r.status_code == 400  # bad input is still named, not a 503

    # many requests at once while the database is away: all 503, none hangs
    with concurrent.futures.ThreadPoolExecutor(20) as ex:
        codes = list(ex.map(lambda p: fresh_get(stack, p).status_code, page_paths(world) * 20))
    assert set(codes) == {503}

    # MariaDB returns: pages come back by themselves, no httpd restart
    stack.start_db()
    for path in page_paths(world) + ["/api/v1/health"]:
        assert wait_until(lambda: fresh_get(stack, path).status_code == 200, 60), \
            "%s did not come back" % path
    assert stack.httpd_pid() == pid, "httpd was restarted"
    health = fresh_get(stack, "/api/v1/health").json()
    assert health["status"] == "ok" and health["database"]["reachable"] is True
    r = fresh_get(stack, "/records/" + world.no("published"))
    assert r.status_code == 200 and world.no("published") in r.text


def test_no_503_once_database_is_back(stack, world, database_down):
    """Once MariaDB answers again, no page may still answer 503: connections
    that died with the old server (a restart, a failover) must not be handed
    to requests. The pools were filled before the stop (see database_down)
    and nothing asked for a page while the database was away, so every idle
    connection is now dead."""
    stack.start_db()  # returns when the server answers
    assert stack.sql("SELECT 1") == [(1,)]
    codes = [fresh_get(stack, p).status_code for p in page_paths(world) * 12]
    assert codes.count(503) == 0, \
        "%d of %d requests answered 503 after MariaDB was back: %s" % (
            codes.count(503), len(codes), codes)
