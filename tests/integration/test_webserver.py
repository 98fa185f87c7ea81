"""The portal behind the httpd modules a Debian webmaster has on (issue 12,
points 3 and 4), on a second httpd of the test database:

- mod_deflate as `a2enmod deflate` sets it up (Debian's own deflate.conf,
  DeflateAlterETag AddSuffix): a browser holding a compressed page sends
  back W/"...-gzip" and must get a 304, not the whole page again; the
  other DeflateAlterETag forms (NoChange, Remove) on ports of their own;
- mod_cache with mod_cache_disk in front of a second <Location>, as
  README.md documents it: lists (with query strings), records, feeds and
  API answers are stored, every later request is answered from the store
  after a 304 of the module (X-Cache: REVALIDATE), and a withdrawal made
  through the staff API shows on the very next request.

The client is python-requests, which asks for gzip as browsers do."""
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET

import pytest
import requests

from conftest import ROOT, PROBLEM, free_ports, read_from, wait_port

WEB = """\
# Debian's mod_deflate as `a2enmod deflate` sets it up, and the portal's
# JSON, feeds and exports besides (README.md).
LoadModule filter_module /usr/lib/apache2/modules/mod_filter.so
LoadModule deflate_module /usr/lib/apache2/modules/mod_deflate.so
Include /etc/apache2/mods-available/deflate.conf
AddOutputFilterByType DEFLATE application/json application/atom+xml text/csv

# mod_cache with the disk store in front of a second <Location> (README.md).
LoadModule cache_module /usr/lib/apache2/modules/mod_cache.so
LoadModule cache_disk_module /usr/lib/apache2/modules/mod_cache_disk.so
CacheRoot "%(cache)s"
CacheEnable disk /cached/
# An answer is filed whole before its last byte leaves, so the very next
# request finds it (by default mod_cache_disk passes each piece on first).
CacheReadSize 262144
CacheHeader on
CacheDetailHeader on
CreditTemplateDir "%(top)s/templates"
<Location /cached>
    SetHandler credit
    Require all granted
</Location>

# DeflateAlterETag's other forms, each on a port of its own.
Listen 127.0.0.1:%(nochange)d
Listen 127.0.0.1:%(remove)d
<VirtualHost 127.0.0.1:%(nochange)d>
    DeflateAlterETag NoChange
</VirtualHost>
<VirtualHost 127.0.0.1:%(remove)d>
    DeflateAlterETag Remove
</VirtualHost>
"""


class Web:
    def __init__(self, port, nochange, remove, var):
        self.root = "http://127.0.0.1:%d" % port
        self.base = self.root + "/credit"
        self.cached = self.root + "/cached"
        self.nochange = "http://127.0.0.1:%d/credit" % nochange
        self.remove = "http://127.0.0.1:%d/credit" % remove
        self.error_log = var / "log" / "httpd-error.log"


@pytest.fixture(scope="module")
def web(stack):
    port, nochange, remove = free_ports(3)
    var = stack.var / "web"
    shutil.rmtree(var, ignore_errors=True)
    shutil.copytree(stack.var / "secrets", var / "secrets")
    shutil.copy2(stack.var / "staff-password", var / "staff-password")
    (var / "httpd" / "conf.d").mkdir(parents=True)
    (var / "log").mkdir(exist_ok=True)
    # The children (www-data when root) write the cache: a directory they may enter.
    cache = tempfile.mkdtemp(prefix="credit-cache-")
    if os.getuid() == 0:
        shutil.chown(cache, "www-data", "www-data")
    (var / "httpd" / "conf.d" / "web.conf").write_text(WEB % {
        "cache": cache, "top": ROOT, "nochange": nochange, "remove": remove})
    env = dict(stack.env, CREDIT_VAR=str(var), PORT=str(port))
    script = str(ROOT / "scripts" / "httpd.sh")
    try:
        r = subprocess.run([script, "start"], env=env, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        for p in (nochange, remove):
            wait_port(p)
        w = Web(port, nochange, remove, var)
        yield w
        bad = [l for l in read_from(w.error_log, 0).splitlines() if PROBLEM.search(l)]
        assert not bad, "the web httpd logged problems:\n" + "\n".join(bad)
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=60)
        shutil.rmtree(cache, ignore_errors=True)


def get(url, **kw):
    kw.setdefault("timeout", 10)
    kw.setdefault("allow_redirects", False)
    return requests.get(url, **kw)


def paths(world):
    no = world.no("published")
    return ["/records?severity=serious", "/records/" + no, "/feed.atom?severity=general",
            "/api/v1/records?district=heping&limit=5", "/api/v1/records/" + no,
            "/records.csv?severity=serious&district=hexi", "/stats", "/"]


@pytest.mark.parametrize("i", range(8))
def test_a_compressed_copy_revalidates_with_its_gzip_etag(web, world, i):
    url = web.base + paths(world)[i]
    r = get(url)  # Accept-Encoding: gzip, deflate
    assert r.status_code == 200, (url, r.status_code)
    assert r.headers.get("Content-Encoding") == "gzip", url
    etag = r.headers["ETag"]
    assert etag.endswith('-gzip"'), etag
    again = get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304, (url, again.status_code)
    assert again.content == b"" and again.headers["ETag"] == etag
    # the copy of another version is not current, compressed or not
    other = get(url, headers={"If-None-Match": 'W/"1' + etag[3:]})
    assert other.status_code == 200 and other.content == r.content
    # a client that takes no gzip holds the plain tag, and revalidates it
    plain = get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["ETag"] == etag[:-len('-gzip"')] + '"'
    cond = get(url, headers={"Accept-Encoding": "identity", "If-None-Match": plain.headers["ETag"]})
    assert cond.status_code == 304


def test_the_other_deflate_etag_forms(web, world):
    url = paths(world)[0]
    # NoChange: the same tag for both codings
    r = get(web.nochange + url)
    assert r.headers.get("Content-Encoding") == "gzip"
    assert not r.headers["ETag"].endswith('-gzip"')
    assert get(web.nochange + url, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    # Remove: no tag at all; the date still revalidates
    r = get(web.remove + url)
    assert r.headers.get("Content-Encoding") == "gzip"
    assert "ETag" not in r.headers
    since = get(web.remove + url, headers={"If-Modified-Since": r.headers["Last-Modified"]})
    assert since.status_code == 304


def vary(r):
    return sorted(v.strip().lower() for v in r.headers.get("Vary", "").split(",") if v.strip())


def xcache(r):
    return "%s | %s" % (r.headers.get("X-Cache"), r.headers.get("X-Cache-Detail"))


@pytest.mark.parametrize("path", [
    "/records?district=hedong&severity=general", "/feed.atom?district=nankai",
    "/api/v1/records?district=hexi&limit=5", "/records/{no}", "/api/v1/records/{no}",
    "/stats", "/"])
@pytest.mark.parametrize("coding", ["gzip, deflate", "identity"])
def test_mod_cache_stores_and_revalidates_each_answer(web, world, path, coding):
    """The first request is stored (a query string too: the answers carry
    max-age=0); the same request again is answered from the store after
    the module's 304 (REVALIDATE), with the same bytes, and so is the next
    one (the refreshed entry keeps its body: the 304 has the Vary and
    ETag its 200 had); a client holding the page gets a 304. For browsers
    (gzip) and for clients that take no compression alike."""
    url = web.cached + path.format(no=world.no("published"))
    h = {"Accept-Encoding": coding}
    first = get(url, headers=h)
    assert first.status_code == 200
    assert first.headers["X-Cache"].startswith("MISS"), xcache(first)
    assert "attempting entity save" in first.headers["X-Cache-Detail"], xcache(first)
    assert ("Content-Encoding" in first.headers) == (coding != "identity")
    for _ in range(3):
        again = get(url, headers=h)
        assert again.status_code == 200
        assert again.headers["X-Cache"].startswith("REVALIDATE"), xcache(again)
        assert "entity refreshed" in again.headers["X-Cache-Detail"], xcache(again)
        assert again.content == first.content
        assert again.headers["ETag"] == first.headers["ETag"]
        assert vary(again) == vary(first)
    held = get(url, headers=dict(h, **{"If-None-Match": first.headers["ETag"]}))
    assert held.status_code == 304, xcache(held)


def test_mod_cache_serves_the_stylesheet_without_asking(web, world):
    url = web.cached + "/static/css/credit.css"
    first = get(url)
    assert first.status_code == 200 and first.headers["X-Cache"].startswith("MISS"), xcache(first)
    second = get(url)
    assert second.headers["X-Cache"].startswith("HIT"), xcache(second)
    assert second.content == (ROOT / "static" / "css" / "credit.css").read_bytes()


def test_a_withdrawal_shows_on_the_next_request_through_mod_cache(web, world, adm):
    no, _ = adm.record(severity="serious")
    decision = "津测罚〔2097〕%s号" % no[-6:]
    atom = "{http://www.w3.org/2005/Atom}"

    def seen():
        page = get(web.cached + "/records/" + no)
        api = get(web.cached + "/api/v1/records/" + no)
        lst = get(web.cached + "/records", params={"q": decision})
        api_list = get(web.cached + "/api/v1/records", params={"q": decision})
        feed = get(web.cached + "/feed.atom", params={"q": decision})
        for r in (lst, api_list, feed):
            assert r.status_code == 200, (r.url, r.status_code)
        entries = ET.fromstring(feed.content).findall(atom + "entry")
        return ({"page": page.status_code, "api": api.status_code,
                 "list": no in lst.text, "api_list": [it["no"] for it in api_list.json()["items"]],
                 "feed": [e.find(atom + "id").text.rsplit("/", 1)[1] for e in entries]},
                [page, api, lst, api_list, feed])

    before, _ = seen()
    assert before == {"page": 200, "api": 200, "list": True, "api_list": [no], "feed": [no]}
    again, answers = seen()
    assert again == before
    for r in answers:  # all of them from the store now
        assert r.headers["X-Cache"].startswith("REVALIDATE"), (r.url, xcache(r))

    r = adm.event(no, "revoke")
    assert r.status_code == 200, r.text

    after, answers = seen()
    assert after == {"page": 410, "api": 410, "list": False, "api_list": [], "feed": []}, after
