"""CreditPublicOrigin (issue 11, point 10): every absolute URL the portal
writes (Atom ids and links, JSON links, CSV permanent links, redirects) uses
the configured origin, whatever Host a client sends; without it they follow
the request, as before. /credit-origin in the test stack sets it."""
import csv
import io
import subprocess
import xml.etree.ElementTree as ET

import requests

from conftest import APACHE2

ATOM = "{http://www.w3.org/2005/Atom}"
ORIGIN = "https://credit.tianjin.example"
HOSTS = ["127.0.0.1", "evil.example", "credit.tianjin.example.evil.example"]


def get(stack, path, host, **kw):
    return requests.get("http://127.0.0.1:%d%s" % (stack.http_port, path),
                        headers={"Host": host}, timeout=10, allow_redirects=False, **kw)


def test_every_absolute_url_uses_the_public_origin(stack, world):
    no = next(iter(world.records.values())).no
    base = ORIGIN + "/credit-origin"
    for host in HOSTS:
        feed = ET.fromstring(get(stack, "/credit-origin/feed.atom", host).content)
        urls = [feed.findtext(ATOM + "id")] + [l.get("href") for l in feed.iter(ATOM + "link")]
        urls += [e.findtext(ATOM + "id") for e in feed.iter(ATOM + "entry")]
        assert urls and all(u.startswith(base) or u.startswith("tag:") for u in urls), urls
        j = get(stack, "/credit-origin/api/v1/records", host, params={"limit": 2}).json()
        assert j["next"].startswith(base + "/api/v1/records?"), j["next"]
        assert all(i["url"] == base + "/records/" + i["no"] for i in j["items"])
        rec = get(stack, "/credit-origin/api/v1/records/" + no, host).json()
        assert rec["record"]["url"] == base + "/records/" + no
        rows = list(csv.reader(io.StringIO(get(stack, "/credit-origin/records.csv", host,
                                               params={"q": no}).content.decode("utf-8-sig"))))
        assert rows[1][1] == base + "/records/" + no, rows[:2]
        r = get(stack, "/credit-origin", host)
        assert r.status_code == 301 and r.headers["Location"] == base + "/"


def test_without_it_urls_follow_the_request(stack, world):
    j = get(stack, "/credit/api/v1/records", "portal.example:8080", params={"limit": 1}).json()
    assert j["next"].startswith("http://portal.example:8080/credit/api/v1/records?")


def test_a_bad_public_origin_fails_the_configtest(stack, tmp_path):
    conf = (stack.var / "httpd" / "httpd.conf").read_text()
    for bad in ("credit.tianjin.example", "https://credit.tianjin.example/portal",
                "ftp://credit.tianjin.example"):
        p = tmp_path / "httpd.conf"
        p.write_text(conf + '\nCreditPublicOrigin "%s"\n' % bad)
        r = subprocess.run([APACHE2, "-t", "-f", str(p)], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode != 0 and "CreditPublicOrigin" in r.stderr, (bad, r.stderr)
