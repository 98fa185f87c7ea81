"""HTTP behaviour: security headers, HEAD, methods, the base redirect."""
import pytest

CSP_MUST = ("default-src 'self'", "script-src 'self'", "object-src 'none'",
            "frame-ancestors 'none'", "base-uri 'none'")


def check_security_headers(headers, what):
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    csp = headers.get("Content-Security-Policy")
    assert csp, "%s: no Content-Security-Policy" % what
    for d in CSP_MUST:
        assert d in csp, (what, d)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, what
    assert headers.get("X-Frame-Options") == "DENY", what
    assert headers.get("Referrer-Policy"), what


def pages(world):
    return {
        "home": ("/", 200),
        "list": ("/records", 200),
        "record": ("/records/" + world.no("published"), 200),
        "subject": ("/subjects/%d" % world.subjects["gov"].id, 200),
        "health": ("/api/v1/health", 200),
        "gone": ("/records/" + world.no("revoked"), 410),
        "not_found": ("/records/TJZW-2099-999998", 404),
        "no_route": ("/no/such/page", 404),
        "bad_filter": ("/records?severity=extreme", 400),
        "duplicate": ("/records?severity=minor&severity=minor", 400),
    }


@pytest.mark.parametrize("name", ["home", "list", "record", "subject", "health", "gone",
                                  "not_found", "no_route", "bad_filter", "duplicate"])
def test_security_headers_on_every_response(stack, world, name):
    path, status = pages(world)[name]
    r = stack.get(path)
    assert r.status_code == status, name
    check_security_headers(r.headers, name)


def test_security_headers_on_304_and_405(stack, world):
    r = stack.get("/records")
    r304 = stack.get("/records", headers={"If-None-Match": r.headers["ETag"]})
    assert r304.status_code == 304
    assert r304.headers.get("X-Content-Type-Options") == "nosniff"
    r405 = stack.request("POST", "/records", data={"q": "x"})
    assert r405.status_code == 405
    check_security_headers(r405.headers, "405")


def test_redirect_carries_security_headers(stack, world):
    """mod_credit_handler.c promises the headers on every response of the
    portal; the redirect of the bare base path is one."""
    r = stack.get("")
    assert r.status_code == 301
    check_security_headers(r.headers, "301")


def test_base_without_slash_redirects(stack, world):
    r = stack.get("")
    assert r.status_code == 301
    assert r.headers["Location"] == "http://127.0.0.1:%d/credit/" % stack.http_port
    r = stack.get("", allow_redirects=True)
    assert r.status_code == 200 and r.url.endswith("/credit/")


@pytest.mark.parametrize("name", ["home", "list", "record", "subject", "gone", "not_found",
                                  "bad_filter", "health"])
def test_head_answers_like_get_without_a_body(stack, world, name):
    path, status = pages(world)[name]
    g = stack.get(path)
    h = stack.request("HEAD", path)
    assert h.status_code == g.status_code == status
    assert h.content == b""
    assert h.headers["Content-Type"] == g.headers["Content-Type"]
    if "Content-Length" in h.headers:
        assert int(h.headers["Content-Length"]) == len(g.content)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/records", "/", "/records/TJZW-2099-000001",
                                  "/api/v1/health"])
def test_other_methods_are_405(stack, world, method, path):
    r = stack.request(method, path, data="x=1",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 405, (method, path)
    assert "Allow" in r.headers


def test_405_allow_header_lists_get(stack, world):
    """RFC 9110 15.5.6: a 405 lists the methods the resource supports. The
    portal's pages support GET (and HEAD), nothing else."""
    r = stack.request("POST", "/records", data="x=1",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 405
    allow = [m.strip() for m in r.headers.get("Allow", "").split(",")]
    assert "GET" in allow, r.headers.get("Allow")
    assert "POST" not in allow


def test_content_types(stack, world):
    for path in ("/", "/records", "/records/" + world.no("published"),
                 "/subjects/%d" % world.subjects["gov"].id, "/nope"):
        assert stack.get(path).headers["Content-Type"] == "text/html; charset=utf-8", path
    assert stack.get("/api/v1/health").headers["Content-Type"] == \
        "application/json; charset=utf-8"


def test_pages_are_html5_in_chinese(stack, world):
    body = stack.get("/").text
    assert body.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in body
    assert '<meta charset="utf-8">' in body
    assert 'href="/credit/static/css/credit.css"' in body


def test_static_assets_are_served_by_apache(stack, world):
    r = stack.get("/static/css/credit.css")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/css")
    assert len(r.content) > 100
