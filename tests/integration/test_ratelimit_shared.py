"""Rate limits as a production site runs them (issue 11, point 7): behind a
proxy (mod_remoteip gives each client its own address), through a shared
cache (memcached, as several hosts would share), IPv6 clients by /64. A
second httpd on the test database, with memcached started here."""
import concurrent.futures
import shutil
import subprocess
import time

import pytest
import requests

import citizen
import portal
from conftest import ROOT, free_ports

EXTRA = """\
LoadModule socache_memcache_module /usr/lib/apache2/modules/mod_socache_memcache.so
LoadModule remoteip_module /usr/lib/apache2/modules/mod_remoteip.so
CreditRateLimitCache memcache:127.0.0.1:%(mc)d
# The proxy in front (here: the test itself on 127.0.0.1) says who the client is.
RemoteIPHeader X-Forwarded-For
RemoteIPInternalProxy 127.0.0.1
"""


@pytest.fixture(scope="module")
def proxied(stack):
    mc_port, port = free_ports(2)
    var = stack.var / "proxied"
    shutil.rmtree(var, ignore_errors=True)
    shutil.copytree(stack.var / "secrets", var / "secrets")
    (var / "httpd" / "conf.d").mkdir(parents=True)
    (var / "httpd" / "conf.d" / "proxied.conf").write_text(EXTRA % {"mc": mc_port})
    (var / "log").mkdir(exist_ok=True)
    mc = subprocess.Popen(["memcached", "-l", "127.0.0.1", "-p", str(mc_port), "-U", "0",
                           "-u", "nobody", "-m", "16"],
                          stdout=open(var / "log" / "memcached.log", "wb"),
                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    env = dict(stack.env, CREDIT_VAR=str(var), PORT=str(port))
    script = str(ROOT / "scripts" / "httpd.sh")
    try:
        subprocess.run([script, "start"], env=env, check=True, capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=120)
        yield "http://127.0.0.1:%d/credit" % port
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=60)
        mc.terminate()
        mc.wait(timeout=10)


def tokens(base, n):
    s = requests.Session()
    out = []
    for _ in range(n):
        r = s.get(base + "/complaints/new", timeout=10)
        assert r.status_code == 200
        out.append(citizen.hidden_token(r.text))
    return out


def submit(base, token, client, mark):
    data = dict(citizen.complaint(mark), token=token, website="")
    r = requests.post(base + "/complaints", data=data, headers={"X-Forwarded-For": client},
                      timeout=30, allow_redirects=False)
    return r.status_code


def fill_wait(stack, toks):
    citizen.wait_fill(stack, *toks)
    left = 600 - portal.timestamp() % 600  # one window of the limiter whole
    if left < 15:
        time.sleep(left + 0.2)


def test_concurrent_hits_through_a_shared_cache_are_all_counted(stack, world, proxied):
    """Forty forms of one client at the same moment through memcached: the
    read and write-back of the count are done under a lock, so exactly ten
    are received (with a plain read-then-write more got through)."""
    mark = citizen.unique("共享限流")
    toks = tokens(proxied, 40)
    fill_wait(stack, toks)
    with concurrent.futures.ThreadPoolExecutor(20) as ex:
        codes = list(ex.map(lambda t: submit(proxied, t, "203.0.113.7", mark), toks))
    assert sorted(codes) == [201] * 10 + [429] * 30, codes


def test_clients_behind_a_proxy_and_ipv6_networks(stack, world, proxied):
    """Behind the proxy each client has its own limit (mod_remoteip); an
    IPv6 client is counted by its /64, so rotating its address within it
    does not reset the limit, and another network is another client."""
    mark = citizen.unique("前缀限流")
    toks = tokens(proxied, 13)
    fill_wait(stack, toks)
    codes = [submit(proxied, toks[i], "2001:db8:7:1::%x" % (0x10 + i), mark) for i in range(11)]
    assert codes == [201] * 10 + [429], codes
    assert submit(proxied, toks[11], "2001:db8:7:2::1", mark) == 201
    assert submit(proxied, toks[12], "198.51.100.20", mark) == 201
