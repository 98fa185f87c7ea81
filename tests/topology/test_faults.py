"""Issue 14, point 3: faults one at a time, under load. Readers and
citizens go on through a balancer in front of the two hosts (load.py)
while the replica, the primary, redis or one httpd host is stopped and
brought back, nothing restarted but the part that failed. For each fault:
every read is answered (from a current copy), every complaint gets its
receipt (after a 503 that kept its text, or a broken connection, the same
form is sent again), and the database holds each complaint exactly once.
The figures go to the topology report (var/test/topology-report.txt)."""
import time
from urllib.parse import quote

import pytest
import requests

import citizen
from conftest import SUBMIT_LIMIT, file_size, read_from
from load import Balancer, Load

DB_AWAY = (r"CR0201: cannot connect to MariaDB",
           r"CR0204: MariaDB error (2002|2003|2006|2013|2055|1053|1927|4031)\b")


def reader_paths(topo):
    recs = topo.public_records(3, offset=40)
    word = recs[0][2][:2]
    return ["/", "/records", "/records?district=heping&severity=general",
            "/records/" + recs[0][0], "/api/v1/records?limit=5",
            "/api/v1/records/" + recs[1][0], "/subjects/%d" % recs[2][3],
            "/records.csv?district=hexi&severity=serious&category=penalty",
            "/feed.atom?district=nankai", "/records?q=" + quote(word),
            "/api/v1/search?q=" + quote(word), "/stats", "/ratings", "/commitments"]


def run_fault(topo, name, fault, recover, during=3.0):
    """Load before (1.5 s), during (`during` s) and after the fault (1.5 s
    once recover() returned: it waits until the part is back in use)."""
    logs = {h.error_log: file_size(h.error_log) for h in topo.hosts}
    load = Load(Balancer(topo.hosts), reader_paths(topo)).start()
    time.sleep(1.5)
    load.phase = "fault"
    started = time.monotonic()
    seen = fault()
    time.sleep(max(0.0, during - (time.monotonic() - started)))
    back = recover()
    load.phase = "after"
    time.sleep(1.5)
    load.stop()
    lines = [l for path, at in logs.items() for l in read_from(path, at).splitlines()]
    topo.report("%s: %s; %s; %s; pages made again on another copy (CR1037) %d"
                % (name, seen, back, load.summary(), sum("CR1037" in l for l in lines)))
    return load


def check_submissions(topo, load, may_503):
    subs = load.submissions
    assert any(s["phase"] == "fault" for s in subs), "no complaint sent during the fault"
    assert any(s["phase"] == "after" for s in subs), "no complaint sent after the recovery"
    # Once recovered, no 503 for anyone.
    assert [s for s in subs if s["phase"] == "after" and 503 in s["answers"]] == []
    lost = [s for s in subs if not s["receipt"]]
    assert lost == [], lost[:5]
    assert all(s["kept"] for s in subs), [s for s in subs if not s["kept"]][:5]
    statuses = {a for s in subs for a in s["answers"]}
    if not may_503:
        assert 503 not in statuses, statuses
    assert statuses <= {201, 503, "ConnectionError"}, statuses
    rows = topo.primary.sql("SELECT title, receipt_no FROM complaints WHERE title LIKE %s",
                            ("%" + load.prefix + "-%",))
    got = {}
    for title, receipt in rows:
        got.setdefault(title.split("款项", 1)[1], []).append(receipt)
    for s in subs:
        assert got.get(s["marker"]) == [s["receipt"]], (s, got.get(s["marker"]))
    assert len(rows) == len(subs)


def wait_for(what, test, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if test():
                return
        except (requests.RequestException, AssertionError):
            pass
        time.sleep(0.1)
    raise AssertionError("%s: not within %d s" % (what, seconds))


def answered_by(topo, copy):
    return all(h.health()["answered_by"] == copy for h in topo.hosts)


@pytest.mark.allow_log(*DB_AWAY)
def test_replica_stopped_under_load(topo):
    """The replica stops: reads go to the primary at once (a request that
    was reading from it is made again there), submissions never notice; a
    record withdrawn meanwhile is gone at once; the replica starts again,
    catches up by itself (the withdrawal and its search row too) and is
    read again, no httpd restarted."""
    topo.settle()
    rec = topo.public_records(1, offset=60)[0]

    def fault():
        topo.replica.stop()
        wait_for("reads from the primary", lambda: answered_by(topo, "primary"), 5)
        topo.revoke(topo.b, rec[0])
        gone = [requests.get(h.url("/records/" + rec[0]), timeout=15).status_code
                for h in topo.hosts]
        assert gone == [410, 410]
        return "reads from the primary, a withdrawal gone at once (410 on both hosts)"

    def recover():
        t = time.monotonic()
        topo.replica.start()
        wait_for("reads from the replica again", lambda: answered_by(topo, "replica 1"))
        return ("replica started again and read %.1f s after its start began"
                % (time.monotonic() - t))

    load = run_fault(topo, "replica stopped", fault, recover)
    assert load.bad_reads() == [], load.bad_reads()[:10]
    check_submissions(topo, load, may_503=False)
    topo.sync()
    assert topo.replica.sql("SELECT status FROM records WHERE record_no = %s",
                            (rec[0],)) == [("revoked",)]
    q = ("SELECT COUNT(*), SUM(listed), SUM(CRC32(CONCAT(record_id, status, body)))"
         " FROM record_search")
    assert topo.replica.sql(q) == topo.primary.sql(q)


@pytest.mark.allow_log(*DB_AWAY, r"CR0704: \w+ not stored: database unavailable")
def test_primary_stopped_under_load(topo):
    """The primary stops: every read is still answered, from the replica
    (it holds all the primary committed); a complaint gets 503 with the
    form and everything typed in it while no primary can take it, and its
    receipt once the primary is back, stored once; the replica reconnects
    by itself."""
    topo.settle()

    def fault():
        topo.primary.stop()
        wait_for("the primary seen away",
                 lambda: all({c["name"]: c for c in h.health()["copies"]}["primary"]["state"]
                             == "down" for h in topo.hosts), 5)
        assert answered_by(topo, "replica 1")
        return "reads from the replica, complaints answered 503 with their text"

    def recover():
        t = time.monotonic()
        topo.primary.start()
        wait_for("the primary back", lambda: all(
            {c["name"]: c for c in h.health()["copies"]}["primary"]["state"] == "current"
            for h in topo.hosts))
        topo.sync()
        wait_for("reads from the replica", lambda: answered_by(topo, "replica 1"))
        return ("primary started again and in use %.1f s after its start began, the replica "
                "caught up" % (time.monotonic() - t))

    load = run_fault(topo, "primary stopped", fault, recover)
    assert load.bad_reads() == [], load.bad_reads()[:10]
    answers = [a for s in load.submissions for a in s["answers"]]
    assert 503 in answers, "no complaint met the primary away"
    check_submissions(topo, load, may_503=True)


def test_one_httpd_host_killed_under_load(topo):
    """Host b is killed (httpd and its children, SIGKILL): the balancer
    sends reads to a (one that b dropped is sent there again); a citizen
    whose connection broke sends the form again and gets the receipt once
    (the first one, when b had stored it); b starts again and serves."""

    def fault():
        topo.b.kill()
        return "host b killed"

    def recover():
        t = time.monotonic()
        topo.b.start()
        return "host b serving again after %.1f s" % (time.monotonic() - t)

    load = run_fault(topo, "httpd host b killed", fault, recover)
    assert load.bad_reads() == [], load.bad_reads()[:10]
    check_submissions(topo, load, may_503=False)
    assert topo.b.health()["answered_by"] in ("replica 1", "primary")


@pytest.mark.allow_log(r"\[socache_redis:(crit|error)\]")
def test_redis_stopped_under_load(topo):
    """redis stops: the limits cannot be counted, and the forms stay open
    (a lost count lets a few more forms through; refusing every citizen
    would lose submissions); reads never use it. redis starts again: the
    limits are counted across both hosts again, no httpd restarted. (Each
    child's redis client tries a server it found dead again 5 s after its
    last try, and a connection the outage broke costs one more try: the
    error log may name redis for some seconds more. This test runs last.)"""

    def fault():
        topo.redis.stop()
        return "complaints received without their count"

    def limits_counted():
        toks = [citizen.hidden_token(requests.get(topo.a.url(citizen.COMPLAINT_FORM),
                                                  timeout=10).text)
                for _ in range(SUBMIT_LIMIT + 1)]
        time.sleep(1.1)
        left = 600 - time.time() % 600
        if left < 20:
            time.sleep(left + 0.2)
        client = citizen.fresh_address()  # a client of its own for each try
        mark = citizen.unique("复限")
        codes = []
        for i, tok in enumerate(toks):
            data = dict(citizen.complaint("%s-%d" % (mark, i)), token=tok, website="")
            codes.append(requests.post(topo.hosts[i % 2].url(citizen.COMPLAINT_POST), data=data,
                                       headers={"X-Forwarded-For": client},
                                       timeout=15).status_code)
        return codes == [201] * SUBMIT_LIMIT + [429]

    def recover():
        t = time.monotonic()
        topo.redis.start()
        wait_for("limits counted across the hosts again", limits_counted, 60)
        return ("redis started again, limits counted across the hosts again %.1f s after its "
                "start began" % (time.monotonic() - t))

    load = run_fault(topo, "redis stopped", fault, recover)
    assert load.bad_reads() == [], load.bad_reads()[:10]
    check_submissions(topo, load, may_503=False)
    assert topo.redis.keys() > 0
