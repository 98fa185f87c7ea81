"""Virtual hosts take each setting from the main server unless they set it
themselves (issue 11, point 11): a vhost that sets CreditDB keeps the main
server's CreditSecretFile, CreditDBWrite and rate-limit cache (its forms
work); one that sets only CreditSubmitLimit keeps the main server's database
and its own limit."""
import re

import pytest
import requests

import citizen
from conftest import free_ports, wait_port

VHOSTS = """\
Listen 127.0.0.1:%(p1)d
Listen 127.0.0.1:%(p2)d
<VirtualHost 127.0.0.1:%(p1)d>
    ServerName own-db.example
    %(creditdb)s
    <Location /credit>
        SetHandler credit
        Require all granted
        CreditTemplateDir "%(top)s/templates"
    </Location>
</VirtualHost>
<VirtualHost 127.0.0.1:%(p2)d>
    ServerName own-limit.example
    CreditSubmitLimit 1 600
    <Location /credit>
        SetHandler credit
        Require all granted
        CreditTemplateDir "%(top)s/templates"
    </Location>
</VirtualHost>
"""


@pytest.fixture
def vhosts(stack):
    from conftest import ROOT
    conf = (stack.var / "httpd" / "httpd.conf").read_text()
    creditdb = re.search(r"^CreditDB .*$", conf, re.M).group(0)
    p1, p2 = free_ports(2)
    path = stack.var / "httpd" / "conf.d" / "vhosts.conf"
    path.write_text(VHOSTS % {"p1": p1, "p2": p2, "creditdb": creditdb, "top": ROOT})
    stack.start_httpd()  # graceful: the new listeners come up a moment later
    for p in (p1, p2):
        wait_port(p)
    try:
        yield p1, p2
    finally:
        path.unlink()
        stack.start_httpd()


def test_a_vhost_with_its_own_database_keeps_the_forms(stack, world, vhosts):
    p1, _ = vhosts
    r = requests.get("http://127.0.0.1:%d/credit/complaints/new" % p1, timeout=10)
    assert r.status_code == 200, r.status_code  # 503: it had lost the key file
    assert citizen.hidden_token(r.text)
    assert requests.get("http://127.0.0.1:%d/credit/records" % p1, timeout=10).status_code == 200


def test_a_vhost_with_its_own_limit_keeps_the_database_and_its_limit(stack, world, vhosts):
    _, p2 = vhosts
    url = "http://127.0.0.1:%d/credit" % p2
    assert requests.get(url + "/records", timeout=10).status_code == 200
    session = requests.Session()
    session.mount("http://", citizen.SourceAddressAdapter(citizen.fresh_address()))
    tokens = []
    for _ in range(2):
        r = session.get(url + "/complaints/new", timeout=10)
        assert r.status_code == 200
        tokens.append(citizen.hidden_token(r.text))
    citizen.wait_fill(stack, *tokens)
    answers = []
    for t in tokens:
        data = dict(citizen.complaint(citizen.unique("虚拟主机")), token=t, website="")
        answers.append(session.post(url + "/complaints", data=data, timeout=15,
                                    allow_redirects=False).status_code)
    # Its own CreditSubmitLimit 1: the second from the same client is refused.
    assert answers == [201, 429], answers
