"""The portal under another <Location> (issue 12, point 2): a webmaster puts
`<Location /integrity> SetHandler credit </Location>` beside the first one
(conftest.py SECOND_LOCATION), with no Credit directive in it. Every link,
stylesheet, feed link, error page and the API's servers URL follow that
path, and its stylesheet is served below it without an Alias. The base is
the <Location> that sets the handler, known from the configuration, never
guessed from the URL."""
import http.client
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
import requests

from conftest import APACHE2, ROOT

ATTR = re.compile(r'\b(?:href|src|action)="([^"]*)"')
CSS = (ROOT / "static" / "css" / "credit.css").read_bytes()


def at(stack, path, **kw):
    kw.setdefault("timeout", 10)
    kw.setdefault("allow_redirects", False)
    return requests.get("http://127.0.0.1:%d%s" % (stack.http_port, path), **kw)


def raw(stack, path):
    """A request whose path goes out byte for byte (no client-side
    normalisation). Returns (status, body bytes)."""
    c = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def local_links(html):
    """Every href, src and action of a page that points into this site."""
    return [u for u in ATTR.findall(html) if u.startswith("/")]


def assert_links_below(html, base, page):
    links = local_links(html)
    assert links, page
    outside = [u for u in links if not (u == base + "/" or u.startswith(base + "/"))]
    assert not outside, "%s links outside %s: %s" % (page, base, outside[:10])
    assert base + "/static/css/credit.css" in links, page
    assert any(u.startswith(base + "/feed.atom") for u in links), page


@pytest.mark.parametrize("path", ["/", "/records", "/records?severity=serious", "/stats",
                                  "/ratings", "/complaints/new"])
def test_pages_link_below_their_location(stack, world, path):
    r = at(stack, "/integrity" + path)
    assert r.status_code == 200, (path, r.status_code)
    assert_links_below(r.text, "/integrity", path)
    # the same page of the first <Location> keeps its own
    first = at(stack, "/credit" + path)
    assert_links_below(first.text, "/credit", path)


def test_a_record_page_and_its_permanent_link(stack, world):
    no = world.no("published")
    r = at(stack, "/integrity/records/" + no)
    assert r.status_code == 200
    assert_links_below(r.text, "/integrity", "record")
    assert 'href="/integrity/records/%s"' % no in r.text
    assert 'href="/integrity/records/%s/objection"' % no in r.text


@pytest.mark.parametrize("path,status", [("/no-such-page", 404), ("/records/TJZW-2000-999999", 404),
                                         ("/records?severity=awful", 400)])
def test_error_pages_link_below_their_location(stack, world, path, status):
    """An error page of a path that is no route still knows where the
    portal is: its stylesheet, home and feed links are the <Location>'s."""
    r = at(stack, "/integrity" + path)
    assert r.status_code == status, (path, r.status_code)
    assert r.headers["Content-Type"].startswith("text/html")
    assert_links_below(r.text, "/integrity", path)
    assert 'href="/integrity/"' in r.text


@pytest.mark.allow_log(r"AH01630: client denied", r"AH10244: invalid URI path")
def test_the_stylesheet_is_served_below_the_location(stack, world):
    """No Alias was written for /integrity: the module maps <base>/static/
    to CreditStaticDir and Apache serves the file (type, validators, 304)."""
    for base in ("/integrity", "/credit", "/xinyong"):
        r = at(stack, base + "/static/css/credit.css")
        assert r.status_code == 200, (base, r.status_code)
        assert r.headers["Content-Type"].startswith("text/css"), r.headers["Content-Type"]
        assert r.content == CSS
        again = at(stack, base + "/static/css/credit.css",
                   headers={"If-None-Match": r.headers["ETag"]})
        assert again.status_code == 304
    assert at(stack, "/integrity/static/css/nothing.css").status_code == 404
    # dot segments are taken out by httpd before the mapping: they never
    # reach above the static directory
    assert raw(stack, "/integrity/static/../static/css/credit.css") == (200, CSS)
    for path in ("/integrity/static/../../etc/passwd",
                 "/integrity/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/integrity/static/..%2f..%2f..%2f..%2fetc/passwd"):
        status, body = raw(stack, path)
        assert status in (400, 403, 404), (path, status)
        assert b"root:" not in body
    # the staff pages' stylesheet is below their <Location>, behind their login
    assert at(stack, "/credit-admin/static/css/credit.css").status_code == 401
    password = (stack.var / "staff-password").read_text().strip()
    r = at(stack, "/credit-admin/static/css/credit.css", auth=("staff", password))
    assert r.status_code == 200 and r.content == CSS


def test_the_api_describes_its_own_location(stack, world):
    mine = at(stack, "/integrity/api/v1/openapi.json")
    first = at(stack, "/credit/api/v1/openapi.json")
    assert mine.status_code == first.status_code == 200
    assert mine.json()["servers"] == [{"url": "/integrity/api/v1"}]
    assert first.json()["servers"] == [{"url": "/credit/api/v1"}]
    a, b = mine.json(), first.json()
    del a["servers"], b["servers"]
    assert a == b  # nothing else differs


def test_api_and_feed_links_follow_the_location(stack, world):
    """The nested <Location /integrity/api> sets CreditPageSize and keeps
    the base: its links are /integrity/..., never /integrity/api/..."""
    r = at(stack, "/integrity/api/v1/records")
    assert r.status_code == 200
    j = r.json()
    assert j["limit"] == 7 and len(j["items"]) == 7
    for it in j["items"]:
        assert re.fullmatch(r"http://127\.0\.0\.1:%d/integrity/records/TJZW-\d{4}-\d{6}"
                            % stack.http_port, it["url"]), it["url"]
    feed = at(stack, "/integrity/feed.atom?severity=serious")
    assert feed.status_code == 200
    root = ET.fromstring(feed.content)
    hrefs = [l.get("href") for l in root.iter("{http://www.w3.org/2005/Atom}link")]
    assert hrefs and all("/integrity/" in h and "/credit/" not in h for h in hrefs), hrefs


def test_a_location_match_names_its_base(stack, world):
    r = at(stack, "/xinyong/records")
    assert r.status_code == 200
    assert_links_below(r.text, "/xinyong", "/records")
    assert at(stack, "/xinyong/api/v1/openapi.json").json()["servers"] == [
        {"url": "/xinyong/api/v1"}]


@pytest.mark.allow_log(r"CR0950")
def test_without_a_known_base_the_handler_refuses(stack, world, error_log_guard):
    """A <LocationMatch> has no one path: without CreditBase the module does
    not guess one from the URL; it answers 500 and says what to write."""
    r = at(stack, "/nobase/records")
    assert r.status_code == 500
    lines = [l for l in error_log_guard.new_lines() if "CR0950" in l]
    assert lines and "CreditBase" in lines[0], lines


def configtest(path):
    # through scripts/apache2.sh, as every httpd of the suite: a sanitizer
    # build of the module needs its runtime preloaded (make test ASAN=1)
    return subprocess.run([APACHE2, "-t", "-f", str(path)], capture_output=True,
                          text=True, timeout=60)


def test_configtest_passes_with_the_second_location(stack, tmp_path):
    conf = (stack.var / "httpd" / "httpd.conf").read_text()
    assert 'second-location.conf' not in conf  # it comes in through conf.d
    assert (stack.var / "httpd" / "conf.d" / "second-location.conf").exists()
    out = tmp_path / "httpd.conf"
    out.write_text(conf)
    r = configtest(out)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("line,says", [
    ("CreditBase integrity", "starting with '/'"),
    ('CreditBase "/in tegrity"', "printable ASCII"),
    ("CreditStaticDir /nonexistent/static", "is not a directory"),
])
def test_bad_base_or_static_dir_fails_the_configtest(stack, tmp_path, line, says):
    conf = (stack.var / "httpd" / "httpd.conf").read_text()
    out = tmp_path / "httpd.conf"
    out.write_text(conf + "\n<Location /bad>\n    SetHandler credit\n    %s\n</Location>\n" % line)
    r = configtest(out)
    assert r.returncode != 0, r.stderr
    assert line.split()[0] in r.stderr and says in r.stderr, r.stderr
