"""Issue 14, points 1 and 2: reads from the replica, writes to the primary,
a withdrawal gone from every host's pages, API, feeds and exports within
CreditDBReplicaLag (1 s), a replica that falls behind skipped and read
again once it has caught up; two hosts that share form keys, rate limits
(redis) and validators, and a health page that names the copy that
answered."""
import os
import time
from urllib.parse import quote

import pytest
import requests

import citizen
from conftest import LAG_MS, SUBMIT_LIMIT


def test_both_hosts_read_from_the_fresh_replica_and_say_so(topo):
    """With the replica applying as it should, both hosts answer public
    reads from it; /api/v1/health names the copy that answered and its
    lag, and lists the primary and the replica as the host knows them."""
    topo.sync()
    for h in topo.hosts:
        db = h.health()
        assert db["answered_by"] == "replica 1", (h.name, db)
        assert 0 <= db["lag_ms"] <= LAG_MS, db
        copies = {c["name"]: c for c in db["copies"]}
        assert copies["primary"]["role"] == "primary"
        assert copies["primary"]["state"] == "current" and copies["primary"]["lag_ms"] == 0
        assert copies["replica 1"]["role"] == "replica"
        assert copies["replica 1"]["state"] == "current", db
    topo.report("health: both hosts answered by 'replica 1', lag_ms %s"
                % [h.health()["lag_ms"] for h in topo.hosts])


def test_the_replica_keeps_its_own_search_index_of_the_same_rows(topo):
    """Mroonga's search table is not transactional and Galera would not
    carry it; row-based replication does: the replica's record_search holds
    the primary's rows, its own full-text index finds what the primary's
    finds, and both hosts answer a search alike."""
    topo.sync()
    q = ("SELECT COUNT(*), SUM(listed), SUM(CRC32(CONCAT(record_id, status, body)))"
         " FROM record_search")
    assert topo.replica.sql(q) == topo.primary.sql(q)
    word = topo.public_records(1, offset=3)[0][2][:2]
    match = "SELECT COUNT(*) FROM record_search WHERE MATCH(body) AGAINST(%s IN BOOLEAN MODE)"
    n = topo.primary.sql(match, ("+" + word,))[0][0]
    assert n > 0
    assert topo.replica.sql(match, ("+" + word,))[0][0] == n
    answers = [requests.get(h.url("/api/v1/search?q=" + quote(word)), timeout=15) for h in
               topo.hosts]
    assert [r.status_code for r in answers] == [200, 200]
    assert answers[0].json()["items"] == answers[1].json()["items"]
    assert answers[0].json()["items"]


def outputs(rec):
    """What a withdrawn record must be gone from: (name, path, gone(response))."""
    no, decision = rec[0], rec[1]
    q = quote(decision)
    return [
        ("page", "/records/" + no, lambda r: r.status_code == 410),
        ("api", "/api/v1/records/" + no, lambda r: r.status_code == 410),
        ("list", "/records?q=" + q, lambda r: r.status_code == 200 and no not in r.text),
        ("api-list", "/api/v1/records?q=" + q,
         lambda r: r.status_code == 200 and no not in r.text),
        ("csv", "/records.csv?q=" + q, lambda r: r.status_code == 200 and no not in r.text),
        ("feed", "/feed.atom?q=" + q, lambda r: r.status_code == 200 and no not in r.text),
    ]


def watch_withdrawal(topo, rec, stall_replica):
    """Withdraws rec on host a and reads it back from both hosts as fast as
    they answer. Returns (ms after the withdrawal was acknowledged (the
    primary had committed it) of the last answer that still showed it, ms
    after it was sent until every output of both hosts had shown it gone,
    the answers asked 1 s or more after the acknowledgement that still
    showed it). An output that showed it gone must never show it again."""
    outs = outputs(rec)
    topo.settle()
    session = requests.Session()
    for h in topo.hosts:  # shown everywhere before
        for name, path, gone in outs:
            r = session.get(h.url(path), timeout=15)
            assert r.status_code == 200 and not gone(r), (h.name, name, r.status_code)
            assert rec[0] in r.text, (h.name, name)
    if stall_replica:
        topo.replica.sql("STOP SLAVE SQL_THREAD")
    try:
        sent = time.monotonic()
        topo.revoke(topo.a, rec[0])
        acked = time.monotonic()
        first_gone, last_shown = {}, -1.0
        late, back = [], []
        while time.monotonic() - sent < LAG_MS / 1000 + 1.5:
            for h in topo.hosts:
                for name, path, gone in outs:
                    asked = time.monotonic() - acked
                    r = session.get(h.url(path), timeout=15)
                    if gone(r):
                        first_gone.setdefault((h.name, name), time.monotonic() - sent)
                        continue
                    last_shown = max(last_shown, asked)
                    if (h.name, name) in first_gone:
                        back.append((h.name, name, round(asked, 3)))
                    if asked >= LAG_MS / 1000:
                        late.append((h.name, name, round(asked, 3), r.status_code))
        missing = [(h.name, n) for h in topo.hosts for n, _p, _g in outs
                   if (h.name, n) not in first_gone]
        assert not missing, "never gone: %s" % missing
        assert not back, "shown again after it was gone: %s" % back
        return round(last_shown * 1000), round(max(first_gone.values()) * 1000), late
    finally:
        if stall_replica:
            topo.replica.sql("START SLAVE SQL_THREAD")
            topo.sync()


def test_a_withdrawal_is_gone_from_every_host_within_a_second(topo):
    """A record revoked through one host's staff API: its page and API
    answer 410 and the list, the API list, the CSV export and the Atom feed
    of its decision number no longer hold it, on both hosts, within
    CreditDBReplicaLag (1000 ms) of the revocation, however far behind the
    replica is. Measured twice: with the replica applying as usual, and with
    its applier stopped before the revocation (the worst case: the replica
    never gets it, so only the module's choice of copy takes it away)."""
    recs = topo.public_records(2, offset=10)
    live = watch_withdrawal(topo, recs[0], stall_replica=False)
    stalled = watch_withdrawal(topo, recs[1], stall_replica=True)
    topo.report("withdrawal, both hosts' page, API, list, API list, CSV and feed (bound %d ms): "
                "with the replica applying, the last answer that still showed it was asked %d "
                "ms after the revocation was acknowledged, all showed it gone %d ms after it "
                "was sent; with the replica's applier stopped, %d ms and %d ms (-1: no answer "
                "showed it once it was acknowledged)"
                % (LAG_MS, live[0], live[1], stalled[0], stalled[1]))
    assert live[2] == [] and stalled[2] == [], (live[2], stalled[2])
    assert live[0] < LAG_MS and stalled[0] < LAG_MS


def test_a_lagging_replica_is_skipped_and_read_again_once_caught_up(topo):
    """The replica's applier stops while the primary goes on committing:
    within the bound both hosts answer from the primary (never a 503), the
    health page shows the replica 'behind' with its lag; the applier starts
    again: the replica catches up and is read again, no restart."""
    topo.settle()
    topo.replica.sql("STOP SLAVE SQL_THREAD")
    try:
        # Anything the primary commits moves its position (a staff login here).
        topo.primary.sql("INSERT INTO staff (username, name) VALUES (%s, 'topology')",
                         (citizen.unique("lag-"),))
        start = time.monotonic()
        seen = {}
        while time.monotonic() - start < 10 and len(seen) < 2:
            for h in topo.hosts:
                db = h.health()
                copies = {c["name"]: c for c in db["copies"]}
                if db["answered_by"] == "primary" and copies["replica 1"]["state"] == "behind":
                    seen.setdefault(h.name, (time.monotonic() - start, copies["replica 1"]))
            time.sleep(0.05)
        assert set(seen) == {"a", "b"}, seen
        for h, (after, rep) in seen.items():
            assert rep["lag_ms"] > LAG_MS, rep
        r = requests.get(topo.a.url("/records"), timeout=15)
        assert r.status_code == 200
    finally:
        topo.replica.sql("START SLAVE SQL_THREAD")
    topo.sync()
    start = time.monotonic()
    back = set()
    while time.monotonic() - start < 10 and len(back) < 2:
        for h in topo.hosts:
            if h.health()["answered_by"] == "replica 1":
                back.add(h.name)
        time.sleep(0.05)
    assert back == {"a", "b"}
    topo.report("lagging replica: both hosts answered from the primary %.2f s after the "
                "replica's applier stopped, from the replica again %.2f s after it caught up"
                % (max(v[0] for v in seen.values()), time.monotonic() - start))


def test_a_form_served_by_one_host_is_received_by_the_other(topo):
    """The form keys are the same on both hosts: a form served by a and
    sent to b is stored (and the reverse), once each."""
    marks = []
    for src, dst in ((topo.a, topo.b), (topo.b, topo.a)):
        tok = citizen.hidden_token(requests.get(src.url(citizen.COMPLAINT_FORM), timeout=10).text)
        time.sleep(1.1)
        mark = citizen.unique("跨主机")
        data = dict(citizen.complaint(mark), token=tok, website="")
        r = requests.post(dst.url(citizen.COMPLAINT_POST), data=data, timeout=15,
                          headers={"X-Forwarded-For": "198.51.100.%d" % (10 + len(marks))})
        assert r.status_code == 201, (src.name, dst.name, r.status_code)
        no = citizen.receipt(r)[0]
        # Sent again to the first host: the first receipt, no second row.
        r2 = requests.post(src.url(citizen.COMPLAINT_POST), data=data, timeout=15,
                           headers={"X-Forwarded-For": "198.51.100.%d" % (10 + len(marks))})
        assert r2.status_code == 201 and citizen.receipt(r2)[0] == no
        marks.append((mark, no))
    for mark, no in marks:
        assert topo.primary.sql("SELECT receipt_no FROM complaints WHERE title LIKE %s",
                                ("%" + mark,)) == [(no,)]


def test_the_rate_limit_is_counted_across_both_hosts(topo):
    """One client (its address from the balancer's X-Forwarded-For) sends
    forms to a and b in turn: the limit counts them together in redis, so
    the one after SUBMIT_LIMIT is refused whichever host gets it."""
    toks = [citizen.hidden_token(requests.get(topo.a.url(citizen.COMPLAINT_FORM),
                                              timeout=10).text)
            for _ in range(SUBMIT_LIMIT + 2)]
    citizen.wait_fill(_Fill, *toks)
    left = 600 - time.time() % 600  # the limiter's window, whole
    if left < 20:
        time.sleep(left + 0.2)
    mark = citizen.unique("共限")
    codes = []
    for i, tok in enumerate(toks):
        h = topo.hosts[i % 2]
        data = dict(citizen.complaint("%s-%d" % (mark, i)), token=tok, website="")
        codes.append(requests.post(h.url(citizen.COMPLAINT_POST), data=data, timeout=15,
                                   headers={"X-Forwarded-For": "192.0.2.77"}).status_code)
    assert codes == [201] * SUBMIT_LIMIT + [429, 429], codes
    assert len(topo.primary.sql("SELECT id FROM complaints WHERE title LIKE %s",
                                ("%" + mark + "-%",))) == SUBMIT_LIMIT


@pytest.mark.parametrize("path", ["/records", "/records?district=heping&sort=oldest",
                                  "/api/v1/records?limit=5", "/feed.atom", "/ratings",
                                  "/api/v1/stats"])
def test_both_hosts_give_the_same_validators(topo, path):
    """The same data gives the same ETag and Last-Modified on both hosts,
    so a copy validated by one is current for the other (304)."""
    topo.sync()
    ra = requests.get(topo.a.url(path), timeout=15)
    rb = requests.get(topo.b.url(path), timeout=15)
    assert ra.status_code == rb.status_code == 200
    assert ra.headers["ETag"] == rb.headers["ETag"]
    assert ra.headers.get("Last-Modified") == rb.headers.get("Last-Modified")
    again = requests.get(topo.b.url(path), headers={"If-None-Match": ra.headers["ETag"]},
                         timeout=15)
    assert again.status_code == 304


class _Fill:
    env = {"CREDIT_FORM_MIN_SECONDS": "1"}


def test_the_hosts_children_allocate_with_jemalloc(topo):
    """scripts/apache2.sh gives httpd Debian's jemalloc (deps.sh's run
    group), as make run and make bench run it: every child of both hosts
    has it mapped (docs/DEPLOYMENT.md; the integration stack cannot, as
    its clock, libfaketime, deadlocks with it)."""
    for h in topo.hosts:
        parent = (h.var / "run" / "httpd.pid").read_text().strip()
        children = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                stat = open("/proc/%s/stat" % pid).read()
            except OSError:
                continue
            if stat[stat.rindex(")") + 2:].split()[1] == parent:
                children.append(pid)
        assert children, (h.name, "no children of httpd", parent)
        for pid in children + [parent]:
            maps = open("/proc/%s/maps" % pid).read()
            assert "libjemalloc.so" in maps, (h.name, pid)
