"""Issue 5 point 2: bulk import of records as JSON Lines.

  POST /credit-admin/api/v1/records/import   Content-Type: application/x-ndjson
       ?mode=each (default)  every good line stored, bad lines reported (200)
       ?mode=all             one transaction: any bad line -> nothing stored, 422

One record object a line, validated as a single create (POST /records);
the answer lists every non-blank line: its number and the record number
created, or its error (code, field, message). Blank lines are skipped but
counted. A repeated import (the same file posted twice) stores nothing the
second time: a line whose subject already has a record of that decision
number is reported as a duplicate (as is a line repeating an earlier line
of the same file).

mode=all reads and checks every line first without a lock; only when all
are good does one short transaction lock the record counters of their
years, write them and commit, so a record created meanwhile is not held up
by the checking (and one that waits too long for a counter is told so: 503
"busy" with Retry-After, not "database unavailable").

Rows of this module: subjects with credit codes 11<division>T71NNNNNN;
records disclosed in 2022 (the counter row of 2022 is held by the
concurrency tests).
"""
import concurrent.futures
import datetime
import itertools
import json
import time

import pymysql
import pytest
import requests

import portal
import world as world_mod
from staff import error

JSON = "application/json; charset=utf-8"
NDJSON = "application/x-ndjson"
DAY = datetime.timedelta(days=1)
_serial = itertools.count(1)


def subject():
    n = next(_serial)
    return {"kind": "gov", "name": "天津市导入测试单位%d" % n,
            "credit_code": portal.credit_code(71_000_000 + n, world_mod.DIVISIONS["hexi"]),
            "district": "hexi", "level": "district"}


def record(adm, **over):
    n = next(_serial)
    r = {"subject": subject(), "category": "breach", "domain": "ppp", "severity": "serious",
         "title": "导入测试记录 %d" % n, "facts": "未按合同约定支付工程款。",
         "legal_basis": "《政府投资条例》第二十五条", "decision_no": "津导测〔2026〕%d号" % n,
         "authority": "天津市河西区发展和改革委员会", "decided_on": str(adm.today - 20 * DAY),
         "disclosed_on": str(adm.today - 2 * DAY), "department_id": adm.heping}
    for k, v in over.items():
        if v is None:
            r.pop(k, None)
        else:
            r[k] = v
    return r


def number_year(adm):
    """The year of the numbers record() gets: its disclosure year (two days
    back: the year before on January 1 and 2)."""
    return datetime.date.fromisoformat(record(adm)["disclosed_on"]).year


def ndjson(*items):
    """Lines of the body: dicts as JSON, strings as they are."""
    return "\n".join(i if isinstance(i, str) else json.dumps(i, ensure_ascii=False)
                     for i in items) + "\n"


def post(adm, text, mode=None, user="staff", ctype=NDJSON):
    params = {"mode": mode} if mode else None
    data = text.encode("utf-8") if isinstance(text, str) else text
    return requests.post(adm.url("/records/import"), data=data, params=params,
                         auth=adm.auth(user), headers={"Content-Type": ctype}, timeout=60)


def report(r, status=200):
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["Content-Type"] == JSON
    j = r.json()
    return j if status == 200 else j["error"]["report"]


def by_line(rep):
    return {it["line"]: it for it in rep["results"]}


def counts(adm):
    c = adm.snapshot()
    for t in ("records", "subjects", "record_changes"):
        c[t] = adm.stack.sql("SELECT COUNT(*) FROM %s" % t)[0][0]
    c["orphan_search"] = adm.stack.sql(
        "SELECT COUNT(*) FROM record_search s LEFT JOIN records r ON r.id = s.record_id"
        " WHERE r.id IS NULL")[0][0]
    c["numbers"] = adm.stack.sql("SELECT COALESCE(SUM(last_no), 0) FROM record_numbers")[0][0]
    return c


def stored(adm, no):
    rows = adm.stack.sql("SELECT id, title, department_id FROM records WHERE record_no = %s", (no,))
    return rows[0] if rows else None


# ---- mode=each ---------------------------------------------------------------------------

def test_each_mode_stores_good_lines_and_reports_bad_ones(adm):
    good1, good2 = record(adm), record(adm, severity="minor")
    bad_sev = record(adm, severity="grave")
    bad_clock = record(adm, withdraw_on="2030-01-01")
    bad_code = record(adm, subject=dict(subject(), credit_code="11120103T71000000X"))
    before = counts(adm)
    text = ndjson(good1, "", bad_sev, "   ", "{not json", bad_clock, "[1, 2]", bad_code, good2)
    rep = report(post(adm, text))  # mode=each is the default
    assert rep["mode"] == "each"
    assert (rep["lines"], rep["blank"], rep["records"]) == (9, 2, 7)
    assert (rep["created"], rep["failed"]) == (2, 5)
    lines = by_line(rep)
    assert sorted(lines) == [1, 3, 5, 6, 7, 8, 9]  # blank lines 2 and 4 are not listed
    assert lines[1]["status"] == "created" and lines[9]["status"] == "created"
    assert lines[3]["error"]["field"] == "severity" and lines[3]["error"]["code"] == "bad_field"
    assert lines[5]["error"]["code"] == "bad_json"
    assert lines[6]["error"] == {"code": "computed_field", "field": "withdraw_on",
                                 "message": lines[6]["error"]["message"]}
    assert "computed" in lines[6]["error"]["message"]
    assert lines[7]["error"]["code"] == "bad_json"
    assert lines[8]["error"]["field"] == "subject.credit_code"
    for ln in (3, 6, 8):
        assert lines[ln]["error"]["message"].startswith(lines[ln]["error"]["field"] + ":")
    # the good lines are stored, each with its timeline entry and audit row
    for ln, src in ((1, good1), (9, good2)):
        no = lines[ln]["no"]
        rid, title, dept = stored(adm, no)
        assert title == src["title"] and dept == adm.heping
        assert [e[0] for e in adm.events(rid)] == ["listed"]
        assert [(a, act) for a, act, _, _ in adm.audit("record", rid)] == [("staff", "create")]
        assert adm.stack.get("/api/v1/records/" + no).status_code == 200
    after = counts(adm)
    assert after["records"] == before["records"] + 2
    assert after["audit_log"] == before["audit_log"] + 4  # two subjects, two records
    assert after["orphan_search"] == before["orphan_search"]


def test_each_mode_lines_of_other_departments_fail_for_department_staff(adm):
    mine, other = record(adm, department_id=None), record(adm, department_id=adm.other)
    rep = report(post(adm, ndjson(mine, other), user="staff-heping"))
    lines = by_line(rep)
    assert lines[1]["status"] == "created"
    assert stored(adm, lines[1]["no"])[2] == adm.heping
    assert lines[2]["error"]["field"] == "department_id"
    assert (rep["created"], rep["failed"]) == (1, 1)


def test_repeated_import_reports_duplicates_and_stores_nothing_twice(adm):
    text = ndjson(record(adm), record(adm), record(adm))
    first = report(post(adm, text))
    assert first["created"] == 3
    before = counts(adm)
    again = report(post(adm, text))
    assert (again["created"], again["failed"]) == (0, 3)
    for it, orig in zip(again["results"], first["results"]):
        assert it["status"] == "error"
        assert it["error"]["code"] == "duplicate" and it["error"]["field"] == "decision_no"
        assert orig["no"] in it["error"]["message"]  # names the record already there
    assert counts(adm) == before
    # and in mode=all the repeated file is refused whole
    rep = report(post(adm, text, mode="all"), 422)
    assert [it["error"]["code"] for it in rep["results"]] == ["duplicate"] * 3
    assert counts(adm) == before


def test_a_line_repeating_an_earlier_line_is_a_duplicate(adm):
    a = record(adm)
    b = dict(a, title="同一决定的第二行")
    c = record(adm, subject=dict(a["subject"]), decision_no="津导测〔2026〕另一号%d" % next(_serial))
    rep = report(post(adm, ndjson(a, b, c)))
    lines = by_line(rep)
    assert lines[1]["status"] == "created"
    assert lines[2]["error"]["code"] == "duplicate" and "line 1" in lines[2]["error"]["message"]
    # the same subject with another decision is a new record of the same subject
    assert lines[3]["status"] == "created"
    sid = adm.stack.sql("SELECT subject_id FROM records WHERE record_no IN (%s, %s)",
                        (lines[1]["no"], lines[3]["no"]))
    assert len({s for (s,) in sid}) == 1


# ---- mode=all ----------------------------------------------------------------------------

def test_all_mode_with_a_bad_line_stores_nothing_and_reports_every_line(adm):
    token = "QZXIMPORTALL%d" % next(_serial)
    goods = [record(adm, title="全部导入测试 %s" % token) for _ in range(3)]
    bad1 = record(adm, decided_on="2026-02-30")
    bad2 = record(adm, amount=-5)
    before = counts(adm)
    numbers = adm.stack.sql("SELECT year, last_no FROM record_numbers ORDER BY year")
    r = post(adm, ndjson(goods[0], bad1, goods[1], "", bad2, goods[2]), mode="all")
    assert r.status_code == 422 and r.json()["error"]["code"] == "import_rejected"
    msg = r.json()["error"]["message"]
    assert "nothing was stored" in msg
    rep = report(r, 422)
    assert (rep["mode"], rep["lines"], rep["blank"], rep["records"]) == ("all", 6, 1, 5)
    assert (rep["created"], rep["failed"]) == (0, 2)
    lines = by_line(rep)
    assert lines[2]["error"]["field"] == "decided_on"
    assert lines[5]["error"]["field"] == "amount"
    assert [lines[n]["status"] for n in (1, 3, 6)] == ["valid"] * 3
    assert all("no" not in it for it in rep["results"])
    # nothing in the database: records, subjects, events, audit, numbers, search
    assert counts(adm) == before
    assert adm.stack.sql("SELECT year, last_no FROM record_numbers ORDER BY year") == numbers
    found = adm.stack.get("/api/v1/records", params={"q": token}).json()
    assert found["items"] == []


def test_all_mode_rejected_after_database_checks_leaves_nothing(adm):
    """The bad line is found only against the database (an unknown
    subject) after good lines were already inserted in the transaction:
    the rollback takes them back, their search rows too."""
    token = "QZXIMPORTROLL%d" % next(_serial)
    goods = [record(adm, title="回滚测试 %s" % token) for _ in range(2)]
    bad = record(adm, subject=None, subject_id=999999999)
    before = counts(adm)
    rep = report(post(adm, ndjson(goods[0], goods[1], bad), mode="all"), 422)
    lines = by_line(rep)
    assert lines[3]["error"]["code"] == "unknown_subject"
    assert lines[1]["status"] == lines[2]["status"] == "valid"
    assert counts(adm) == before
    assert adm.stack.get("/api/v1/records", params={"q": token}).json()["items"] == []


def test_all_mode_with_good_lines_stores_them_all(adm):
    recs = [record(adm) for _ in range(4)]
    before = counts(adm)
    rep = report(post(adm, ndjson(*recs), mode="all"))
    assert (rep["mode"], rep["created"], rep["failed"]) == ("all", 4, 0)
    nos = [it["no"] for it in rep["results"]]
    assert len(set(nos)) == 4
    seq = sorted(int(n[-6:]) for n in nos)
    assert seq == list(range(seq[0], seq[0] + 4))  # consecutive numbers
    for no, src in zip(nos, recs):
        rid, title, _ = stored(adm, no)
        assert title == src["title"]
        assert len(adm.audit("record", rid)) == 1
    after = counts(adm)
    assert after["records"] == before["records"] + 4
    assert after["audit_log"] == before["audit_log"] + 8


# ---- limits and bodies -------------------------------------------------------------------

def test_too_many_lines_is_413_before_any_work(adm):
    before = counts(adm)
    r = post(adm, "\n" * 10_001)
    msg = error(r, 413, "too_many_lines")
    assert "10000" in msg
    assert counts(adm) == before
    # exactly at the limit is read (here: only blank lines, so no record)
    error(post(adm, "\n" * 10_000), 400, "bad_body")


def test_a_line_over_the_length_limit_is_that_lines_error(adm):
    long_line = json.dumps(record(adm, facts="实" * 30_000), ensure_ascii=False)
    assert len(long_line.encode()) > 64 * 1024
    ok_line = record(adm)
    rep = report(post(adm, ndjson(long_line, ok_line)))
    lines = by_line(rep)
    assert lines[1]["error"]["code"] == "line_too_long"
    assert lines[2]["status"] == "created"


def test_blank_lines_and_crlf(adm):
    a, b = record(adm), record(adm)
    text = "\r\n" + json.dumps(a, ensure_ascii=False) + "\r\n\r\n" + \
        json.dumps(b, ensure_ascii=False)  # no final line break
    rep = report(post(adm, text))
    assert (rep["lines"], rep["blank"], rep["created"]) == (4, 2, 2)
    assert sorted(by_line(rep)) == [2, 4]


def test_bad_mode_empty_body_and_wrong_media_type(adm):
    line = ndjson(record(adm))
    r = post(adm, line, mode="some")
    assert error(r, 400, "bad_field").startswith("mode:")
    error(post(adm, ""), 400, "bad_body")
    error(post(adm, "\n\n  \n"), 400, "bad_body")
    assert "x-ndjson" in error(post(adm, line, ctype="application/json"), 415, "bad_body")
    error(post(adm, line, ctype="text/plain"), 415)
    assert requests.post(adm.url("/records/import"), data=line.encode(), timeout=10,
                         headers={"Content-Type": NDJSON}).status_code == 401


def test_invalid_utf8_line_is_reported(adm):
    good = json.dumps(record(adm), ensure_ascii=False).encode()
    bad = json.dumps(record(adm), ensure_ascii=False).encode().replace(
        "导入测试记录".encode(), b"\xff\xfe\xfd")
    rep = report(post(adm, bad + b"\n" + good + b"\n"))
    lines = by_line(rep)
    assert lines[1]["status"] == "error" and lines[2]["status"] == "created"


# ---- concurrency (review finding 6) ------------------------------------------------------

def hold_counter(adm, year):
    """A root transaction holding the record counter row of `year` (as a long
    import's final step holds it): the connection; commit() releases it."""
    adm.stack.sql("INSERT IGNORE INTO record_numbers (year, last_no) VALUES (%s, 0)", (year,))
    conn = pymysql.connect(unix_socket=str(adm.stack.socket), user="root", database="credit",
                           charset="utf8mb4", autocommit=False, connect_timeout=5)
    with conn.cursor() as cur:
        cur.execute("SELECT last_no FROM record_numbers WHERE year = %s FOR UPDATE", (year,))
    return conn


def lock_waits(adm):
    """Transactions waiting for a row lock. INNODB_TRX is a cache refreshed
    when read more than 0.1 s after the last read: poll it slower."""
    return adm.stack.sql("SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                         " WHERE trx_state = 'LOCK WAIT'")[0][0]


def single(adm, n):
    """A POST /records body of number_year() (a subject of this module)."""
    b = record(adm)
    b["title"] = "导入期间单条建档 %d" % n
    return b


def test_a_record_created_during_an_all_mode_import_is_not_held_up(adm):
    """An import of this year's records (and one of 2022) is held at its
    final step: the 2022 counter is locked by another transaction. A record
    of this year sent meanwhile is created at once: the import's checking
    locked nothing, and its final step had not taken this year's counter.
    When the 2022 counter is free the import completes, numbered after it."""
    year = number_year(adm)
    lines = [record(adm) for _ in range(3)] + [
        record(adm, decided_on="2022-03-01", disclosed_on="2022-03-05")]
    holder = hold_counter(adm, 2022)
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as ex:
            imp = ex.submit(post, adm, ndjson(*lines), "all")
            deadline = time.monotonic() + 60
            while lock_waits(adm) == 0 and time.monotonic() < deadline and not imp.done():
                time.sleep(0.2)
            assert lock_waits(adm) == 1, "the import did not come to wait for the 2022 counter"
            # Held up by the import, it would wait for the lock and answer
            # 503 busy: created while the import still waits, it was not.
            r = adm.post("/records", single(adm, next(_serial)), timeout=60)
            assert not imp.done()  # the import is still waiting
            holder.commit()
            rep = report(imp.result(timeout=60))
    finally:
        holder.close()
    assert r.status_code == 201, (r.status_code, r.text[:300])
    no = r.json()["record"]["no"]
    assert (rep["created"], rep["failed"]) == (4, 0)
    nos = [it["no"] for it in rep["results"]]
    assert nos[3].startswith("TJZW-2022-")
    this_year = [int(x[-6:]) for x in nos[:3]]
    assert all(x.startswith("TJZW-%d-" % year) for x in nos[:3])
    assert min(this_year) > int(no[-6:])  # the import numbered after the single record
    assert this_year == list(range(this_year[0], this_year[0] + 3))


def test_a_record_that_waits_too_long_for_its_counter_is_told_so(adm):
    """This year's counter is held (as by an import's final step) longer
    than the lock wait the module sets, which ends before the connection's
    read timeout: the answer is 503 "busy" with Retry-After saying another
    write holds it and nothing was stored, not "database unavailable";
    sent again when the counter is free, the record is created."""
    year = number_year(adm)
    b = single(adm, next(_serial))
    before = counts(adm)
    holder = hold_counter(adm, year)
    try:
        # busy before the connection's read timeout (10 s) would have cut it
        r = adm.post("/records", b, timeout=60)
    finally:
        holder.rollback()
        holder.close()
    msg = error(r, 503, "busy")
    assert r.headers.get("Retry-After") == "30"
    assert "import" in msg and "nothing was stored" in msg, msg
    assert counts(adm) == before
    assert adm.post("/records", b).status_code == 201


def test_import_line_with_a_non_character_is_reported(adm):
    bad = record(adm, title="导入\ufffe测试")
    good = record(adm)
    rep = report(post(adm, ndjson(good, bad), mode="each"))
    lines = by_line(rep)
    assert lines[1]["status"] == "created"
    assert lines[2]["error"]["field"] == "title" and lines[2]["error"]["code"] == "bad_field"
    assert stored(adm, lines[1]["no"]) is not None
