"""Issue 5 points 1, 2, 3 and 8: the staff handler credit-admin.

/credit-admin is protected by Apache alone (Basic auth from
<var>/httpd/staff.htpasswd); the handler wants a staff row for the login and
scopes a department's staff to that department's records and cases (a
city-level account sees all). Record events and case transitions follow the
state machines of SPEC 3 (an illegal one is 409 naming the states); every
write and its before/after goes into audit_log in the same transaction, with
the login as actor, and a failed write leaves nothing behind. A revoke makes
the record vanish from every public output at once.

Rows of this module (made by staff.Admin): records TJZW-2097-01NNNN (department "heping" of
the staff-heping login, or the suite's own city department as "another
department"), cases with receipts dated 2099-05-05 (no citizen's receipt has
that date), inserted directly; one objection and one repair come in through
the public forms.
"""
import concurrent.futures
import datetime
import json
import re
import subprocess

import pytest
import requests

import portal
import world as world_mod
from portal import text_by_id

JSON = "application/json; charset=utf-8"
DAY = datetime.timedelta(days=1)

# ---- the state machines as the specification draws them ---------------------------------

RECORD_STATUSES = ["published", "contested", "corrected", "repaired", "revoked", "expired"]
RECORD_EVENTS = ["contest", "uncontest", "correct", "revoke", "repair"]
# (event, from) -> (to, timeline event)
RECORD_LEGAL = {
    ("contest", "published"): ("contested", "contested"),
    ("contest", "corrected"): ("contested", "contested"),
    ("uncontest", "contested"): ("published", "uncontested"),
    ("correct", "published"): ("corrected", "corrected"),
    ("correct", "contested"): ("corrected", "corrected"),
    ("correct", "corrected"): ("corrected", "corrected"),
    ("revoke", "published"): ("revoked", "revoked"),
    ("revoke", "contested"): ("revoked", "revoked"),
    ("revoke", "corrected"): ("revoked", "revoked"),
    ("repair", "published"): ("repaired", "repaired"),
    ("repair", "corrected"): ("repaired", "repaired"),
}

CASE_STATES = {
    "complaint": ["received", "accepted", "rejected", "processing", "concluded"],
    "objection": ["received", "accepted", "rejected", "upheld", "corrected", "revoked"],
    "repair": ["received", "accepted", "rejected", "approved", "denied"],
}
CASE_LEGAL = {
    ("complaint", "received", "accepted"), ("complaint", "received", "rejected"),
    ("complaint", "accepted", "processing"), ("complaint", "accepted", "concluded"),
    ("complaint", "processing", "concluded"),
    ("objection", "received", "accepted"), ("objection", "received", "rejected"),
    ("objection", "accepted", "upheld"), ("objection", "accepted", "corrected"),
    ("objection", "accepted", "revoked"),
    ("repair", "received", "accepted"), ("repair", "received", "rejected"),
    ("repair", "accepted", "approved"), ("repair", "accepted", "denied"),
}
# what a decision does to the case's record: (kind, to) -> (record status, timeline event)
CASE_EFFECT = {
    ("objection", "accepted"): ("contested", "contested"),
    ("objection", "upheld"): ("published", "uncontested"),
    ("objection", "corrected"): ("corrected", "corrected"),
    ("objection", "revoked"): ("revoked", "revoked"),
    ("repair", "approved"): ("repaired", "repaired"),
}
from staff import DUE_DAYS, REPAIR_REPLY_DAYS, PREFIX, TABLE, error, ok, public_presence  # noqa: F401


# ---- authentication and authorisation ----------------------------------------------------

def test_without_credentials_apache_answers_401(adm):
    no, rid = adm.record()
    for r in (adm.get("/me", user=None), adm.event(no, "revoke", user=None),
              adm.get("/audit/records/" + no, user=None),
              requests.get(adm.root + "/anything", timeout=10)):
        assert r.status_code == 401, r.status_code
        assert r.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert adm.rec(rid)[0] == "published"
    assert adm.audit("record", rid) == []


@pytest.mark.allow_log(r"AH01617", r"AH01618")
def test_wrong_password_or_unknown_login_is_401(adm):
    no, rid = adm.record()
    for auth in (("staff", adm.password + "x"), ("staff-heping", ""), ("no-such-login", "pw")):
        r = requests.post(adm.url("/records/%s/events" % no), auth=auth, timeout=10,
                          json={"event": "revoke", "decision_no": "x", "reason": "y"})
        assert r.status_code == 401, (auth, r.status_code)
    assert adm.rec(rid)[0] == "published"
    assert adm.audit("record", rid) == []


def test_authenticated_login_without_staff_row_is_403(adm):
    subprocess.run(["htpasswd", "-bB", str(adm.htpasswd), "nobody", "pw-nobody"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    adm.htpasswd.chmod(0o644)
    assert not adm.stack.sql("SELECT 1 FROM staff WHERE username = 'nobody'")
    no, rid = adm.record()
    receipt, cid = adm.case("complaint", dept=None)
    before = adm.snapshot()
    for r in (requests.get(adm.url("/me"), auth=("nobody", "pw-nobody"), timeout=10),
              requests.get(adm.url("/audit/records/" + no), auth=("nobody", "pw-nobody"),
                           timeout=10),
              requests.post(adm.url("/records/%s/events" % no), auth=("nobody", "pw-nobody"),
                            timeout=10, json={"event": "revoke", "decision_no": "x",
                                              "reason": "y"}),
              requests.post(adm.url("/cases/%s/transitions" % receipt),
                            auth=("nobody", "pw-nobody"), timeout=10,
                            json={"to": "accepted", "note": "n"})):
        assert "staff" in error(r, 403, "not_staff")
    assert adm.rec(rid)[0] == "published"
    assert adm.case_status("complaint", cid) == "received"
    assert adm.snapshot() == before


@pytest.mark.parametrize("login", ["STAFF", "ståff", "Staff-Heping", "staff "],
                         ids=["upper-case", "a-ring", "mixed-case", "trailing-space"])
def test_login_is_matched_byte_for_byte(adm, login):
    """Finding 4: another Apache login that a case- and accent-insensitive
    collation takes for `staff` (or `staff-heping`) has no staff row: Apache
    lets it in (its own htpasswd line), the handler answers 403 not_staff and
    nothing is written; the real logins keep working, recorded as typed."""
    subprocess.run(["htpasswd", "-bB", str(adm.htpasswd), login, adm.password], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    adm.htpasswd.chmod(0o644)
    auth = (login.encode("utf-8"), adm.password.encode("utf-8"))
    no, rid = adm.record()
    receipt, cid = adm.case("complaint")
    before = adm.snapshot()
    for r in (requests.get(adm.url("/me"), auth=auth, timeout=10),
              requests.post(adm.url("/records/%s/events" % no), auth=auth, timeout=10,
                            json={"event": "revoke", "decision_no": "x", "reason": "y"}),
              requests.post(adm.url("/cases/%s/transitions" % receipt), auth=auth, timeout=10,
                            json={"to": "accepted", "note": "n"})):
        assert "staff" in error(r, 403, "not_staff")
    r = requests.get(adm.root + "/queues", auth=auth, timeout=10)
    assert r.status_code == 403 and r.headers["Content-Type"].startswith("text/html")
    assert adm.rec(rid)[0] == "published"
    assert adm.case_status("complaint", cid) == "received"
    assert adm.snapshot() == before
    # the real accounts are unchanged
    assert ok(adm.get("/me"))["user"] == "staff"
    assert ok(adm.get("/me", user="staff-heping"))["user"] == "staff-heping"
    ok(adm.event(no, "contest", user="staff-heping"))
    assert [a[0] for a in adm.audit("record", rid)] == ["staff-heping"]


def test_staff_answers_are_not_shared_with_other_sites(adm):
    """The public API allows any origin (CORS); the staff handler never does,
    neither for JSON nor for its pages, and nothing of it is cached."""
    for path in ("/me", "/records/TJZW-2099-000001/events"):
        r = adm.get(path, headers={"Origin": "https://example.org"})
        assert "Access-Control-Allow-Origin" not in r.headers, (path, r.headers)
        assert r.headers.get("Cache-Control") == "no-store", path
    r = requests.get(adm.root + "/queues", auth=adm.auth("staff"), timeout=10,
                     headers={"Origin": "https://example.org"})
    assert r.status_code == 200 and "Access-Control-Allow-Origin" not in r.headers
    r = adm.stack.get("/api/v1/health")
    assert r.headers.get("Access-Control-Allow-Origin") == "*"


def test_me_names_the_department(adm):
    j = ok(adm.get("/me"))
    assert j == {"user": "staff", "name": "市级管理员", "department_id": None, "city_level": True}
    j = ok(adm.get("/me", user="staff-heping"))
    assert j == {"user": "staff-heping", "name": "和平区管理员", "department_id": adm.heping,
                 "city_level": False}


def test_other_methods_and_unknown_paths(adm):
    r = requests.put(adm.url("/me"), auth=adm.auth("staff"), timeout=10)
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET"
    r = adm.post("/me", {})
    assert r.headers["Allow"] == "GET"
    error(adm.get("/nothing"), 404, "not_found")
    error(adm.get("/records/TJZW-2099-000001/events"), 405, "method_not_allowed")
    error(adm.post("/me", {}), 405, "method_not_allowed")
    error(adm.post("/records/TJZW-2099-000001/nothing", {"event": "contest"}), 404, "not_found")
    error(adm.get("/audit/bogus/TS-20990101-000001"), 404, "not_found")


# ---- department scoping ------------------------------------------------------------------

def test_department_staff_cannot_touch_another_departments_record(adm):
    no, rid = adm.record(dept=adm.other)
    before = adm.snapshot()
    for ev in RECORD_EVENTS:
        assert "record" in error(adm.event(no, ev, user="staff-heping"), 404, "not_found")
    error(adm.get("/audit/records/" + no, user="staff-heping"), 404, "not_found")
    assert adm.rec(rid)[0] == "published"
    assert adm.snapshot() == before
    # the city level sees it
    assert ok(adm.get("/audit/records/" + no))["audit"] == []
    assert ok(adm.event(no, "contest"))["status"] == "contested"


def test_department_staff_acts_on_its_own_record(adm):
    no, rid = adm.record()
    assert ok(adm.event(no, "contest", user="staff-heping")) == {
        "no": no, "from": "published", "status": "contested"}
    audit = ok(adm.get("/audit/records/" + no, user="staff-heping"))["audit"]
    assert [a["actor"] for a in audit] == ["staff-heping"]
    assert [a["actor"] for a in ok(adm.get("/audit/records/" + no))["audit"]] == ["staff-heping"]


def test_unknown_record_or_case_is_404(adm):
    complaint, _ = adm.case("complaint")
    before = adm.snapshot()
    error(adm.event("TJZW-2097-999999", "contest"), 404, "not_found")
    error(adm.get("/audit/records/TJZW-2097-999999"), 404, "not_found")
    for kind, prefix in PREFIX.items():
        receipt = "%s-20991231-999999" % prefix
        error(adm.move(receipt, "accepted"), 404, "not_found")
        error(adm.get("/audit/%s/%s" % (kind, receipt)), 404, "not_found")
    error(adm.move("AB-20990101-000001", "accepted"), 404, "not_found")
    # a receipt of one kind under another kind's audit path
    error(adm.get("/audit/objection/" + complaint), 404, "not_found")
    error(adm.get("/audit/repair/" + complaint), 404, "not_found")
    assert adm.snapshot() == before


@pytest.mark.parametrize("kind", ["complaint", "objection", "repair"])
def test_department_scoping_of_cases(adm, kind):
    def make(dept):
        if kind == "complaint":
            return adm.case(kind, dept=dept)
        no, rid = adm.record(dept={"heping": adm.heping, "other": adm.other}[dept])
        return adm.case(kind, record_id=rid)

    theirs, tid = make("other")
    ours, oid = make("heping")
    before = adm.snapshot()
    error(adm.move(theirs, "rejected", user="staff-heping"), 404, "not_found")
    error(adm.get("/audit/%s/%s" % (kind, theirs), user="staff-heping"), 404, "not_found")
    assert adm.case_status(kind, tid) == "received"
    assert adm.snapshot() == before
    assert ok(adm.move(ours, "rejected", user="staff-heping"))["status"] == "rejected"
    assert ok(adm.get("/audit/%s/%s" % (kind, ours), user="staff-heping"))["audit"][0][
        "actor"] == "staff-heping"
    # the city level sees both
    assert ok(adm.move(theirs, "rejected"))["status"] == "rejected"
    assert len(ok(adm.get("/audit/%s/%s" % (kind, theirs)))["audit"]) == 1


def test_complaint_without_department_is_city_level_only(adm):
    receipt, cid = adm.case("complaint", dept=None)
    error(adm.move(receipt, "accepted", user="staff-heping"), 404, "not_found")
    assert ok(adm.move(receipt, "accepted"))["status"] == "accepted"


# ---- record events -----------------------------------------------------------------------

@pytest.mark.parametrize("status", RECORD_STATUSES)
@pytest.mark.parametrize("event", RECORD_EVENTS)
def test_record_event(adm, status, event):
    no, rid = adm.record(status=status)
    before_row = adm.rec(rid)
    before_events = adm.events(rid)
    before = adm.snapshot()
    r = adm.event(no, event, user="staff-heping")
    if (event, status) not in RECORD_LEGAL:
        msg = error(r, 409, "illegal_transition")
        assert event in msg and status in msg, msg
        assert adm.rec(rid) == before_row
        assert adm.events(rid) == before_events
        assert adm.snapshot() == before
        return
    to, timeline = RECORD_LEGAL[(event, status)]
    assert ok(r) == {"no": no, "from": status, "status": to}
    st, note, withdrawn = adm.rec(rid)
    assert st == to
    decision = "津测决〔2099〕%s号" % no[-3:]
    reason = "管理接口测试:%s %s" % (event, no)
    if event == "correct":
        assert note == "更正说明:%s" % no
    else:
        assert note == before_row[1]
    assert withdrawn == (adm.today if to in ("revoked", "repaired") else None)
    ev = adm.events(rid)
    assert ev[:-1] == before_events
    assert ev[-1][:3] == (timeline, adm.today, decision)
    assert ev[-1][3] == ("更正说明:%s" % no if event == "correct" else reason)
    (actor, action, b, a), = adm.audit("record", rid)
    assert actor == "staff-heping" and action == event
    assert b == {"status": status, "correction_note": before_row[1], "withdrawn_on": None}
    assert a["status"] == to and a["event"] == timeline and a["decision_no"] == decision
    assert a["correction_note"] == note
    assert a["withdrawn_on"] == (adm.today.isoformat() if withdrawn else None)
    snap = adm.snapshot()
    assert snap["audit_log"] == before["audit_log"] + 1
    assert snap["record_events"] == before["record_events"] + 1
    # the public page follows at once
    page = adm.stack.get("/records/" + no)
    if to in ("revoked", "repaired"):
        assert page.status_code == 410
        assert text_by_id(page.text, "gone-state") == world_mod.STATUS_LABEL[to]
        assert text_by_id(page.text, "gone-on") == adm.today.isoformat()
    else:
        assert page.status_code == 200
        assert text_by_id(page.text, "record-status") == world_mod.STATUS_LABEL[to]


def test_unknown_event_is_400(adm):
    no, rid = adm.record()
    before = adm.snapshot()
    for ev in ("delete", "Contest", "expire", "listed", "contested"):
        msg = error(adm.event(no, ev), 400, "bad_field")
        assert msg.startswith("event"), msg
    assert adm.rec(rid)[0] == "published"
    assert adm.snapshot() == before


def test_correct_records_the_reason_too(adm):
    """Each event carries a decision number and a reason (issue 5 point 2);
    a correction's note must not take the reason's place in the record."""
    no, rid = adm.record()
    reason = "更正理由:原决定金额有误 %s" % no
    ok(adm.event(no, "correct", reason=reason, note="更正后金额为 9000 元"))
    (_, _, _, after), = adm.audit("record", rid)
    stored = json.dumps(after, ensure_ascii=False) + repr(adm.events(rid))
    assert reason in stored, "the reason of a correction is stored nowhere: %s" % stored


def test_uncontest_returns_a_corrected_record_to_corrected(adm):
    """corrected -> contest -> uncontest: the correction still stands."""
    no, rid = adm.record(status="corrected")
    ok(adm.event(no, "contest"))
    ok(adm.event(no, "uncontest"))
    assert adm.rec(rid)[0] == "corrected"


# ---- repair: the earliest repair date and rectification ------------------------------------

def _disclosed_with_repair_on(severity, day, step=0):
    """A disclosure date whose repair date is `day`; with step -1 (+1) the
    nearest repair date a disclosure can have on or before (after) `day`:
    month-ends such as 05-31 are no general record's (no date 3 months
    back reaches them), 02-29 no serious record's."""
    while True:
        for back in range(80, 800):
            d = day - datetime.timedelta(days=back)
            if portal.clock(severity, d)[0] == day:
                return d
        assert step, "no disclosure date has repair_from %s" % day
        day += step * DAY


@pytest.mark.parametrize("severity,disclosed,why", [
    ("general", 10, "earliest repair date"),
    ("serious", 200, "earliest repair date"),
    ("minor", 10, "minor"),
])
def test_repair_before_the_earliest_repair_date_is_refused(adm, severity, disclosed, why):
    no, rid = adm.record(severity=severity, disclosed=adm.today - disclosed * DAY)
    before = adm.snapshot()
    msg = error(adm.event(no, "repair"), 400, "bad_field")
    assert msg.startswith("event") and why in msg, msg
    assert adm.rec(rid) == ("published", None, None)
    assert adm.snapshot() == before


@pytest.mark.parametrize("severity", ["general", "serious"])
def test_repair_from_the_earliest_repair_date_on(adm, severity):
    """Refused the day before the earliest repair date (tomorrow's, or the
    next a record can have), possible from it on (today's, or the last)."""
    d = _disclosed_with_repair_on(severity, adm.today + DAY, +1)
    no, rid = adm.record(severity=severity, disclosed=d)
    assert adm.stack.sql("SELECT repair_from FROM records WHERE id = %s", (rid,))[0][0] > \
        adm.today
    error(adm.event(no, "repair"), 400, "bad_field")
    d = _disclosed_with_repair_on(severity, adm.today, -1)
    no, rid = adm.record(severity=severity, disclosed=d)
    assert adm.stack.sql("SELECT repair_from FROM records WHERE id = %s", (rid,))[0][0] <= \
        adm.today
    assert ok(adm.event(no, "repair"))["status"] == "repaired"


def test_repair_needs_rectification_done(adm):
    """SPEC 3: repair is possible only after the minimum period *and* with
    rectification done."""
    no, rid = adm.record(rectified=0)
    before = adm.snapshot()
    r = adm.event(no, "repair")
    assert r.status_code in (400, 409), (r.status_code, r.text)
    assert adm.rec(rid)[0] == "published"
    assert adm.snapshot() == before


# ---- request validation ------------------------------------------------------------------

@pytest.mark.parametrize("body,field", [
    ({}, "event"),
    ({"decision_no": "d", "reason": "r"}, "event"),
    ({"event": "contest", "reason": "r"}, "decision_no"),
    ({"event": "contest", "decision_no": "d"}, "reason"),
    ({"event": "contest", "decision_no": "", "reason": "r"}, "decision_no"),
    ({"event": "contest", "decision_no": "d", "reason": None}, "reason"),
    ({"event": "correct", "decision_no": "d", "reason": "r"}, "note"),
    ({"event": "correct", "decision_no": "d", "reason": "r", "note": ""}, "note"),
])
def test_record_event_missing_field_is_400_naming_it(adm, body, field):
    no, rid = adm.record()
    before = adm.snapshot()
    msg = error(adm.post("/records/%s/events" % no, body), 400, "missing_field")
    assert msg.startswith(field + ":"), msg
    assert adm.rec(rid)[0] == "published"
    assert adm.snapshot() == before


@pytest.mark.parametrize("over,field", [
    ({"event": 5}, "event"),
    ({"decision_no": ["x"]}, "decision_no"),
    ({"reason": {"a": 1}}, "reason"),
    ({"note": True}, "note"),
    ({"reason": "长" * 2001}, "reason"),
    ({"note": "x" * 2001}, "note"),
    ({"decision_no": "号" * 101}, "decision_no"),
    ({"event": "c" * 33}, "event"),
])
def test_record_event_bad_field_is_400_naming_it(adm, over, field):
    no, rid = adm.record()
    body = {"event": "contest", "decision_no": "d", "reason": "r"}
    body.update(over)
    before = adm.snapshot()
    msg = error(adm.post("/records/%s/events" % no, body), 400, "bad_field")
    assert msg.startswith(field + ":"), msg
    assert adm.rec(rid)[0] == "published"
    assert adm.snapshot() == before


@pytest.mark.parametrize("body,field,code", [
    ({}, "to", "missing_field"),
    ({"note": "n"}, "to", "missing_field"),
    ({"to": "accepted"}, "note", "missing_field"),
    ({"to": "accepted", "note": ""}, "note", "missing_field"),
    ({"to": 1, "note": "n"}, "to", "bad_field"),
    ({"to": "accepted", "note": ["n"]}, "note", "bad_field"),
    ({"to": "accepted", "note": "n" * 2001}, "note", "bad_field"),
    ({"to": "accepted", "note": "n", "reply": 5}, "reply", "bad_field"),
    ({"to": "accepted", "note": "n", "reply": "复" * 5001}, "reply", "bad_field"),
])
def test_case_transition_bad_body_is_400_naming_the_field(adm, body, field, code):
    receipt, cid = adm.case("complaint")
    before = adm.snapshot()
    msg = error(adm.post("/cases/%s/transitions" % receipt, body), 400, code)
    assert msg.startswith(field + ":"), msg
    assert adm.case_status("complaint", cid) == "received"
    assert adm.snapshot() == before


@pytest.mark.parametrize("over,field", [
    ({"reason": "理由\u0000后面的文字"}, "reason"),
    ({"decision_no": "津测决\u0000〔2099〕1号"}, "decision_no"),
    ({"event": "contest\u0000revoke"}, "event"),
    ({"reason": "理由\u0007响铃"}, "reason"),
    ({"reason": "理由\u001b[31m红字"}, "reason"),
    ({"reason": "理由\u007f"}, "reason"),
    ({"decision_no": "津测决\n〔2099〕1号"}, "decision_no"),
    ({"decision_no": "津测决\t〔2099〕1号"}, "decision_no"),
    ({"event": "correct", "note": "更正\u0000说明"}, "note"),
], ids=["nul-reason", "nul-decision", "nul-event", "bel", "esc", "del", "lf-in-line-field",
        "tab-in-line-field", "nul-note"])
def test_record_event_field_with_nul_or_control_character_is_400(adm, over, field):
    """A text is taken whole or not at all: "a\\u0000b" is not stored as "a",
    and control characters other than line breaks and tabs in long texts are
    refused (finding 8)."""
    no, rid = adm.record()
    body = {"event": "contest", "decision_no": "d", "reason": "r"}
    body.update(over)
    before = adm.snapshot()
    msg = error(adm.post("/records/%s/events" % no, body), 400, "bad_field")
    assert msg.startswith(field + ":") and "control" in msg, msg
    assert adm.rec(rid) == ("published", None, None)
    assert adm.snapshot() == before


@pytest.mark.parametrize("over,field", [
    ({"note": "办理说明\u0000(隐藏部分)"}, "note"),
    ({"reply": "答复\u001b[2J"}, "reply"),
    ({"to": "accepted\u0000"}, "to"),
    ({"note": "说明\u0008"}, "note"),
], ids=["nul-note", "esc-reply", "nul-to", "backspace-note"])
def test_case_transition_field_with_nul_or_control_character_is_400(adm, over, field):
    receipt, cid = adm.case("complaint")
    body = {"to": "accepted", "note": "n"}
    body.update(over)
    before = adm.snapshot()
    msg = error(adm.post("/cases/%s/transitions" % receipt, body), 400, "bad_field")
    assert msg.startswith(field + ":"), msg
    assert adm.case_status("complaint", cid) == "received"
    assert adm.snapshot() == before


def test_long_texts_keep_line_breaks_and_tabs(adm):
    """Reasons, notes and replies are texts: LF, CR LF and TAB stay, whole."""
    no, rid = adm.record()
    reason = "第一行\n第二行\r\n\t缩进的第三行"
    ok(adm.event(no, "contest", reason=reason))
    assert adm.events(rid)[-1][3] == reason
    receipt, cid = adm.case("complaint")
    note, reply = "办理说明\n第二行", "答复:\n\t一、已核实。\n\t二、已整改。"
    ok(adm.move(receipt, "accepted", note=note, reply=reply))
    assert adm.case_events("complaint", cid)[-1] == ("accepted", note)
    assert adm.stack.sql("SELECT reply FROM complaints WHERE id = %s", (cid,))[0][0] == reply


@pytest.mark.parametrize("data", [b"{", b"", b"\xff\xfe", b"{\"event\": }",
                                  b"{\"event\": \"contest\", \"decision_no\": \"d\""])
def test_bad_json_is_400(adm, data):
    no, rid = adm.record()
    before = adm.snapshot()
    r = requests.post(adm.url("/records/%s/events" % no), data=data, auth=adm.auth("staff"),
                      headers={"Content-Type": "application/json"}, timeout=10)
    assert "JSON" in error(r, 400, "bad_body")
    assert adm.rec(rid)[0] == "published"
    assert adm.snapshot() == before


@pytest.mark.parametrize("data", [b"[]", b"\"contest\"", b"42", b"null"])
def test_json_that_is_not_an_object_is_400(adm, data):
    no, rid = adm.record()
    r = requests.post(adm.url("/records/%s/events" % no), data=data, auth=adm.auth("staff"),
                      headers={"Content-Type": "application/json"}, timeout=10)
    error(r, 400, "bad_body")
    assert adm.rec(rid)[0] == "published"


@pytest.mark.parametrize("data", [
    '{"event": "revoke", "decision_no": "d", "reason": "r"} trailing',
    '{"event": "revoke", "decision_no": "d", "reason": "r"}{}',
    '{"event": "revoke", "decision_no": "d", "reason": "r",}',
    "{'event': 'revoke', 'decision_no': 'd', 'reason': 'r'}",
    '{"event": "revoke", /* comment */ "decision_no": "d", "reason": "r"}',
], ids=["trailing-garbage", "two-objects", "trailing-comma", "single-quotes", "comment"])
def test_json_that_is_not_strict_json_is_400(adm, data):
    """RFC 8259 only: what json-c accepts beyond it is refused, not acted on."""
    no, rid = adm.record()
    r = requests.post(adm.url("/records/%s/events" % no), data=data.encode(),
                      auth=adm.auth("staff"), headers={"Content-Type": "application/json"},
                      timeout=10)
    assert adm.rec(rid)[0] == "published", "a non-JSON body revoked the record"
    error(r, 400, "bad_body")


@pytest.mark.parametrize("ctype", [None, "text/plain", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", "text/json"])
def test_wrong_content_type_is_415(adm, ctype):
    no, rid = adm.record()
    receipt, cid = adm.case("complaint")
    before = adm.snapshot()
    headers = {"Content-Type": ctype} if ctype else {}
    for path, body in (("/records/%s/events" % no,
                        {"event": "revoke", "decision_no": "d", "reason": "r"}),
                       ("/cases/%s/transitions" % receipt, {"to": "accepted", "note": "n"})):
        r = requests.post(adm.url(path), data=json.dumps(body).encode(), headers=headers,
                          auth=adm.auth("staff"), timeout=10)
        if ctype is None:
            # requests sends no Content-Type for bytes
            assert "Content-Type" not in r.request.headers
        assert "Content-Type" in error(r, 415, "bad_body")
    assert adm.rec(rid)[0] == "published"
    assert adm.case_status("complaint", cid) == "received"
    assert adm.snapshot() == before


def test_json_with_charset_parameter_is_accepted(adm):
    no, rid = adm.record()
    r = requests.post(adm.url("/records/%s/events" % no), auth=adm.auth("staff"), timeout=10,
                      headers={"Content-Type": "Application/JSON; charset=utf-8"},
                      data=json.dumps({"event": "contest", "decision_no": "d",
                                       "reason": "异议理由"}).encode("utf-8"))
    assert ok(r)["status"] == "contested"


# ---- case transitions --------------------------------------------------------------------

def _case_pairs():
    for kind, states in CASE_STATES.items():
        for frm in states:
            for to in states + ["bogus"]:
                yield kind, frm, to


def _prepare_case(adm, kind, frm):
    """A case of `kind` in state `frm`; objections and repairs with a record
    of their own in the status it has while the case is in that state."""
    rid = None
    if kind == "objection":
        rstatus = {"accepted": "contested", "corrected": "corrected",
                   "revoked": "revoked"}.get(frm, "published")
        no, rid = adm.record(status=rstatus)
    elif kind == "repair":
        no, rid = adm.record(status="repaired" if frm == "approved" else "published")
    receipt, cid = adm.case(kind, status=frm, record_id=rid)
    return receipt, cid, rid


@pytest.mark.parametrize("kind,frm,to", list(_case_pairs()))
def test_case_transition(adm, kind, frm, to):
    receipt, cid, rid = _prepare_case(adm, kind, frm)
    rec_before = adm.rec(rid) if rid else None
    rec_events_before = adm.events(rid) if rid else None
    ev_before = adm.case_events(kind, cid)
    row_before = adm.case_row(kind, cid)
    before = adm.snapshot()
    note = "办理说明:%s→%s" % (receipt, to)
    reply = "官方答复:%s" % receipt
    correction = "公开的更正说明:%s" % receipt if to == "corrected" else None
    r = adm.move(receipt, to, user="staff-heping", reply=reply, correction=correction)
    if (kind, frm, to) not in CASE_LEGAL:
        msg = error(r, 409, "illegal_transition")
        assert frm in msg and to in msg, msg
        assert adm.case_row(kind, cid) == row_before
        assert adm.case_events(kind, cid) == ev_before
        assert adm.snapshot() == before
        if rid:
            assert adm.rec(rid) == rec_before
        return
    assert ok(r) == {"receipt": receipt, "from": frm, "status": to}
    assert adm.case_status(kind, cid) == to
    assert adm.case_events(kind, cid) == ev_before + [(to, note)]
    row = adm.stack.sql("SELECT reply FROM %s WHERE id = %%s" % TABLE[kind], (cid,))[0]
    assert row[0] == reply
    audit = adm.audit(kind, cid)
    assert len(audit) == 1
    actor, action, b, a = audit[0]
    assert actor == "staff-heping" and action == "transition:" + to
    assert b == {"status": frm}
    assert a["status"] == to and a["note"] == note and a["reply"] == reply
    assert a["correction"] == correction
    effect = CASE_EFFECT.get((kind, to))
    expect_audits = 2 if effect else 1
    assert adm.snapshot()["audit_log"] == before["audit_log"] + expect_audits
    if not rid:
        return
    if not effect:
        assert adm.rec(rid) == rec_before
        assert adm.events(rid) == rec_events_before
        return
    status, timeline = effect
    st, cnote, withdrawn = adm.rec(rid)
    assert st == status
    assert withdrawn == (adm.today if status in ("revoked", "repaired") else None)
    # the record's correction note is the public text given for it, never the staff's note
    assert cnote == (correction if status == "corrected" else rec_before[1])
    ev = adm.events(rid)
    assert ev[:-1] == rec_events_before
    # the public timeline shows the decision itself: no receipt, no staff note (finding 2)
    assert ev[-1] == (timeline, adm.today, None, correction)
    (ractor, raction, rb, ra), = adm.audit("record", rid)
    assert ractor == "staff-heping" and raction == "%s:%s" % (kind, to)
    assert rb["status"] == rec_before[0] and ra["status"] == status
    # the audit log (staff only) keeps which case decided it and the note
    assert ra["case"] == receipt and ra["reason"] == note and ra["decision_no"] is None


@pytest.mark.parametrize("kind", ["complaint", "objection", "repair"])
def test_case_walks_through_its_states(adm, kind):
    """A whole path, with each step's audit row in order."""
    path = {"complaint": ["accepted", "processing", "concluded"],
            "objection": ["accepted", "corrected"],
            "repair": ["accepted", "approved"]}[kind]
    rid = None
    if kind != "complaint":
        no, rid = adm.record()
    receipt, cid = adm.case(kind, record_id=rid)
    frm = "received"
    for to in path:
        correction = "更正说明:%s" % receipt if to == "corrected" else None
        assert ok(adm.move(receipt, to, correction=correction)) == {
            "receipt": receipt, "from": frm, "status": to}
        frm = to
    assert [s for s, _ in adm.case_events(kind, cid)] == ["received"] + path
    audit = ok(adm.get("/audit/%s/%s" % (kind, receipt)))
    assert audit["entity"] == kind and audit["key"] == receipt
    assert [a["action"] for a in audit["audit"]] == ["transition:" + t for t in path]
    assert [a["before"]["status"] for a in audit["audit"]] == ["received"] + path[:-1]
    assert [a["after"]["status"] for a in audit["audit"]] == path
    assert all(a["actor"] == "staff" for a in audit["audit"])
    # final: nothing more
    for to in CASE_STATES[kind]:
        correction = "更正说明" if to == "corrected" else None
        error(adm.move(receipt, to, correction=correction), 409, "illegal_transition")


# ---- due dates in working days -------------------------------------------------------------

@pytest.mark.parametrize("kind", ["complaint", "objection", "repair"])
def test_accepting_sets_the_due_date_in_working_days(adm, kind):
    rid = None
    if kind != "complaint":
        _, rid = adm.record()
    receipt, cid = adm.case(kind, record_id=rid)
    ok(adm.move(receipt, "accepted"))
    cols = [c[0] for c in adm.stack.sql("SHOW COLUMNS FROM %s" % TABLE[kind])]
    row = dict(zip(cols, adm.case_row(kind, cid)))
    t = adm.today
    due = adm.workdays_after(t, DUE_DAYS[kind])
    if kind == "repair":
        assert row["received_on"] == t
        assert row["decide_due_on"] == due
        assert row["reply_due_on"] == adm.workdays_after(t, REPAIR_REPLY_DAYS)
    else:
        assert row["accepted_on"] == t
        assert row["due_on"] == due
    # (that holidays and adjusted working days count as the State Council's
    # notice says: test_calendar.py, on dates next to them)
    assert adm.audit(kind, cid)[0][3]["due_on"] == due.isoformat()


def test_working_day_walk_matches_the_calendar(adm):
    """The walk used above against the calendar's holidays and adjusted
    working days: National Day 2026 (10-01..10-07 off, Sat 10-10 worked) and
    Sun 2026-09-20 worked. (Whether the calendar still covers the weeks
    ahead is the health check's warning: test_calendar.py.)"""
    assert adm.workdays_after(datetime.date(2026, 9, 30), 1) == datetime.date(2026, 10, 8)
    assert adm.workdays_after(datetime.date(2026, 9, 30), 3) == datetime.date(2026, 10, 10)
    assert adm.workdays_after(datetime.date(2026, 9, 18), 1) == datetime.date(2026, 9, 20)


# ---- case decisions on records -------------------------------------------------------------

def test_objection_accepted_flags_the_record_contested(adm):
    no, rid = adm.record()
    receipt, cid = adm.case("objection", record_id=rid)
    ok(adm.move(receipt, "accepted", user="staff-heping"))
    assert adm.rec(rid)[0] == "contested"
    page = adm.stack.get("/records/" + no)
    assert page.status_code == 200
    assert text_by_id(page.text, "record-status") == "异议处理中"
    assert '<p class="notice contested" role="note">' in page.text
    assert '<li class="ev-contested"><time>%s</time>' % adm.today.isoformat() in page.text
    o = adm.stack.get("/api/v1/records/" + no).json()["record"]
    assert o["status"] == "contested" and o["status_label"] == "异议处理中"
    assert o["timeline"][-1] == {"event": "contested", "on": adm.today.isoformat(),
                                 "decision_no": None, "note": None}
    assert receipt not in page.text and receipt not in json.dumps(o)


def test_objection_revoked_makes_the_record_410(adm):
    no, rid = adm.record()
    receipt, cid = adm.case("objection", record_id=rid)
    ok(adm.move(receipt, "accepted"))
    ok(adm.move(receipt, "revoked"))
    page = adm.stack.get("/records/" + no)
    assert page.status_code == 410
    assert text_by_id(page.text, "gone-state") == "已撤销"
    assert text_by_id(page.text, "gone-on") == adm.today.isoformat()
    assert adm.stack.get("/api/v1/records/" + no).status_code == 410


def test_objection_upheld_returns_the_record_to_published(adm):
    no, rid = adm.record()
    receipt, cid = adm.case("objection", record_id=rid)
    ok(adm.move(receipt, "accepted"))
    ok(adm.move(receipt, "upheld"))
    assert adm.rec(rid)[0] == "published"
    page = adm.stack.get("/records/" + no)
    assert page.status_code == 200 and text_by_id(page.text, "record-status") == "公示中"


def test_objection_upheld_on_a_corrected_record_keeps_it_corrected(adm):
    """An objection against a corrected record that is not upheld leaves the
    record as it was: corrected, with its note shown."""
    no, rid = adm.record(status="corrected")
    receipt, cid = adm.case("objection", record_id=rid)
    ok(adm.move(receipt, "accepted"))
    assert adm.rec(rid)[0] == "contested"
    ok(adm.move(receipt, "upheld"))
    assert adm.rec(rid)[0] == "corrected"


def test_objection_corrected_sets_the_correction_note(adm):
    """The correction shown on the record is the text given for the public
    (`correction`), not the staff's note (finding 2)."""
    no, rid = adm.record()
    receipt, cid = adm.case("objection", record_id=rid)
    ok(adm.move(receipt, "accepted"))
    note = "经核实申请人所述属实,已电话告知申请人"
    ok(adm.move(receipt, "corrected", note=note, correction="涉及金额更正为 8000 元"))
    assert adm.rec(rid)[:2] == ("corrected", "涉及金额更正为 8000 元")
    page = adm.stack.get("/records/" + no)
    assert page.status_code == 200 and text_by_id(page.text, "record-status") == "已更正"
    m = re.search(r'<p class="notice corrected" role="note">(.*?)</p>', page.text, re.S)
    assert m and "涉及金额更正为 8000 元" in m.group(1), page.text[:2000]
    assert '<li class="ev-corrected"><time>%s</time>' % adm.today.isoformat() in page.text
    assert note not in page.text and receipt not in page.text
    o = adm.stack.get("/api/v1/records/" + no).json()["record"]
    assert o["correction_note"] == "涉及金额更正为 8000 元"
    assert o["timeline"][-1] == {"event": "corrected", "on": adm.today.isoformat(),
                                 "decision_no": None, "note": "涉及金额更正为 8000 元"}
    assert adm.case_events("objection", cid)[-1] == ("corrected", note)


@pytest.mark.parametrize("to,body,code", [
    ("corrected", {}, "missing_field"),
    ("corrected", {"correction": ""}, "missing_field"),
    ("corrected", {"correction": " \n\t "}, "missing_field"),
    ("corrected", {"correction": 5}, "bad_field"),
    ("corrected", {"correction": "更" * 1001}, "bad_field"),
    ("corrected", {"correction": "更正\u0000说明"}, "bad_field"),
    ("upheld", {"correction": "维持也有更正说明?"}, "bad_field"),
    ("revoked", {"correction": "撤销也有更正说明?"}, "bad_field"),
])
def test_objection_correction_field_is_checked(adm, to, body, code):
    """`correction` is required for `corrected` (400 naming it) and refused
    with any other decision; nothing changes."""
    no, rid = adm.record()
    receipt, cid = adm.case("objection", record_id=rid)
    ok(adm.move(receipt, "accepted"))
    rec, row = adm.rec(rid), adm.case_row("objection", cid)
    before = adm.snapshot()
    b = {"to": to, "note": "办理说明"}
    b.update(body)
    r = adm.post("/cases/%s/transitions" % receipt, b)
    msg = error(r, 400, code)
    assert msg.startswith("correction:"), msg
    assert adm.rec(rid) == rec and adm.case_row("objection", cid) == row
    assert adm.snapshot() == before


def _public_texts(stack, no, token):
    """Everything the public sees of a record: page, API record, and the
    CSV, Atom and JSON lists filtered by a word of its title."""
    out = {}
    for name, path, params in (("page", "/records/" + no, None),
                               ("api", "/api/v1/records/" + no, None),
                               ("api_list", "/api/v1/records", {"q": token, "limit": 100}),
                               ("html_list", "/records", {"q": token}),
                               ("csv", "/records.csv", {"q": token}),
                               ("feed", "/feed.atom", {"q": token})):
        r = stack.get(path, params=params)
        assert r.status_code in (200, 410), (path, r.status_code)
        out[name] = r.content.decode("utf-8-sig")
    return out


@pytest.mark.parametrize("kind,path", [
    ("objection", ["accepted"]),
    ("objection", ["accepted", "upheld"]),
    ("objection", ["accepted", "corrected"]),
    ("objection", ["accepted", "revoked"]),
    ("repair", ["accepted", "approved"]),
], ids=["accepted", "upheld", "corrected", "revoked", "repair-approved"])
def test_case_note_and_receipt_never_reach_the_public_record(adm, kind, path):
    """Finding 2: a staff note (here with a phone number) and the case's
    receipt number are not published by any decision that changes a record:
    not on the record page, in the API, CSV or Atom, nor in the record's
    timeline rows; they stay in the case's timeline and the audit log."""
    token = "QZXCASENOTE%s" % kind.upper()
    no, rid = adm.record(title="案件说明不公开测试 %s" % token, disclosed=adm.today - 120 * DAY)
    receipt, cid = adm.case(kind, record_id=rid)
    notes = []
    for to in path:
        note = "已电话联系申请人李四(13900001111),%s→%s" % (receipt, to)
        notes.append(note)
        extra = {"correction": "涉及金额更正为 8000 元"} if to == "corrected" else {}
        ok(adm.move(receipt, to, user="staff-heping", note=note, **extra))
    texts = _public_texts(adm.stack, no, token)
    for name, text in texts.items():
        for secret in [receipt, "13900001111", "李四"] + notes:
            assert secret not in text, (name, secret)
    if path[-1] == "corrected":
        assert "涉及金额更正为 8000 元" in texts["page"] and "涉及金额更正为 8000 元" in texts["api"]
    for event, on, decision_no, note in adm.events(rid):
        assert decision_no != receipt and note not in notes, (event, decision_no, note)
    # where the note belongs: the case's timeline (the applicant's, with receipt and code) and audit
    assert [n for s, n in adm.case_events(kind, cid)[1:]] == notes
    assert [a[3]["note"] for a in adm.audit(kind, cid)] == notes
    assert [(a[3]["case"], a[3]["reason"]) for a in adm.audit("record", rid)] == \
        [(receipt, n) for n, to in zip(notes, path) if (kind, to) in CASE_EFFECT]


def test_repair_approved_withdraws_the_record(adm):
    no, rid = adm.record()
    receipt, cid = adm.case("repair", record_id=rid)
    ok(adm.move(receipt, "accepted", user="staff-heping"))
    assert adm.rec(rid)[0] == "published"
    ok(adm.move(receipt, "approved", user="staff-heping"))
    assert adm.rec(rid) == ("repaired", None, adm.today)
    page = adm.stack.get("/records/" + no)
    assert page.status_code == 410
    assert text_by_id(page.text, "gone-state") == "已修复"
    assert text_by_id(page.text, "gone-on") == adm.today.isoformat()
    assert adm.stack.get("/api/v1/records/" + no).status_code == 410


@pytest.mark.parametrize("severity,disclosed,rectified,why", [
    ("serious", 200, 1, "earliest repair date"),
    ("serious", 10, 0, "earliest repair date"),
    ("general", 10, 1, "earliest repair date"),
    ("minor", 10, 1, "minor"),
    ("general", 120, 0, "rectification"),
], ids=["serious-too-early", "serious-too-early-not-rectified", "general-too-early", "minor",
        "not-rectified"])
def test_repair_approval_follows_the_repair_rules(adm, severity, disclosed, rectified, why):
    """Finding 3: approving a repair application withdraws the record only
    under the rules of a repair (earliest repair date reached, rectification
    done, never a minor record); otherwise 409 with the reason, and nothing
    changes: case, record, timelines, audit."""
    no, rid = adm.record(severity=severity, disclosed=adm.today - disclosed * DAY,
                         rectified=rectified)
    receipt, cid = adm.case("repair", record_id=rid)
    ok(adm.move(receipt, "accepted", user="staff-heping"))
    row, case_events = adm.case_row("repair", cid), adm.case_events("repair", cid)
    rec, events = adm.rec(rid), adm.events(rid)
    before = adm.snapshot()
    msg = error(adm.move(receipt, "approved", user="staff-heping"), 409, "illegal_transition")
    assert why in msg, msg
    if why == "earliest repair date":
        repair_from = adm.stack.sql("SELECT repair_from FROM records WHERE id = %s", (rid,))[0][0]
        assert repair_from.isoformat() in msg, msg
    assert adm.case_row("repair", cid) == row
    assert adm.case_events("repair", cid) == case_events
    assert adm.rec(rid) == rec == ("published", None, None)
    assert adm.events(rid) == events
    assert adm.snapshot() == before
    page = adm.stack.get("/records/" + no)
    assert page.status_code == 200 and text_by_id(page.text, "record-status") == "公示中"
    if why == "rectification":
        # once the rectification is done, the same application is approved
        adm.stack.sql("UPDATE records SET rectified = 1 WHERE id = %s", (rid,))
        ok(adm.move(receipt, "approved", user="staff-heping"))
        assert adm.rec(rid)[0] == "repaired"
    else:
        assert ok(adm.move(receipt, "denied", user="staff-heping"))["status"] == "denied"


def test_repair_approval_is_refused_while_the_record_is_contested(adm):
    """An objection accepted against the record is being decided: no repair
    approval meanwhile (409 naming it); after the objection is decided it is."""
    no, rid = adm.record()
    objection, _ = adm.case("objection", record_id=rid)
    repair, cid = adm.case("repair", record_id=rid)
    ok(adm.move(repair, "accepted"))
    ok(adm.move(objection, "accepted"))
    assert adm.rec(rid)[0] == "contested"
    before = adm.snapshot()
    msg = error(adm.move(repair, "approved"), 409, "illegal_transition")
    assert "contested" in msg, msg
    assert adm.case_status("repair", cid) == "accepted"
    assert adm.rec(rid)[0] == "contested"
    assert adm.snapshot() == before
    ok(adm.move(objection, "upheld"))
    ok(adm.move(repair, "approved"))
    assert adm.rec(rid)[0] == "repaired"


def test_repair_denied_leaves_the_record(adm):
    no, rid = adm.record()
    receipt, cid = adm.case("repair", record_id=rid)
    ok(adm.move(receipt, "accepted"))
    ok(adm.move(receipt, "denied"))
    assert adm.rec(rid) == ("published", None, None)
    assert adm.stack.get("/records/" + no).status_code == 200


def test_cases_from_the_public_forms(adm):
    """An objection and a repair application sent through the citizens'
    forms are moved by staff, and the record follows."""
    citizen = pytest.importorskip("citizen")
    no, rid = adm.record()
    receipts = {}
    for kind, path, fields in (("objection", citizen.objection_path(no), citizen.objection()),
                               ("repair", citizen.repair_path(no), citizen.repair())):
        with citizen.Citizen(adm.stack) as c:
            token = c.token(path)
            citizen.wait_fill(adm.stack, token)
            r = c.submit(path, fields, token)
            assert r.status_code == 201, (kind, r.status_code, r.text[:500])
            receipts[kind] = citizen.receipt(r)[0]
            assert receipts[kind].startswith(PREFIX[kind] + "-"), receipts[kind]
    ok(adm.move(receipts["objection"], "accepted", user="staff-heping"))
    assert adm.rec(rid)[0] == "contested"
    ok(adm.move(receipts["objection"], "upheld", user="staff-heping"))
    assert adm.rec(rid)[0] == "published"
    ok(adm.move(receipts["repair"], "accepted", user="staff-heping"))
    ok(adm.move(receipts["repair"], "approved", user="staff-heping",
                reply="经审核,准予信用修复。"))
    assert adm.rec(rid)[0] == "repaired"
    assert adm.stack.get("/records/" + no).status_code == 410
    actions = [a[1] for a in adm.audit("record", rid)]
    assert actions == ["objection:accepted", "objection:upheld", "repair:approved"]


# ---- audit ------------------------------------------------------------------------------------

def test_audit_trail_of_a_record(adm):
    no, rid = adm.record()
    ok(adm.event(no, "contest", user="staff-heping"))
    ok(adm.event(no, "correct", note="更正:金额 100 元"))
    ok(adm.event(no, "revoke", user="staff-heping"))
    j = ok(adm.get("/audit/records/" + no, user="staff-heping"))
    assert j["entity"] == "record" and j["key"] == no
    rows = j["audit"]
    assert [(a["actor"], a["action"]) for a in rows] == [
        ("staff-heping", "contest"), ("staff", "correct"), ("staff-heping", "revoke")]
    assert [a["before"]["status"] for a in rows] == ["published", "contested", "corrected"]
    assert [a["after"]["status"] for a in rows] == ["contested", "corrected", "revoked"]
    assert rows[1]["after"]["correction_note"] == "更正:金额 100 元"
    assert rows[2]["before"]["correction_note"] == "更正:金额 100 元"
    assert rows[2]["after"]["withdrawn_on"] == adm.today.isoformat()
    ats = [a["at"] for a in rows]
    assert ats == sorted(ats)
    for a in ats:
        datetime.datetime.strptime(a[:19], "%Y-%m-%d %H:%M:%S")
    # the trail of a withdrawn record stays readable by staff
    assert adm.stack.get("/records/" + no).status_code == 410


def test_audit_log_is_append_only_for_the_module(adm):
    """SPEC 3: no UPDATE or DELETE on the audit log from the module's user."""
    hosts = adm.stack.sql("SELECT host FROM mysql.user WHERE user = 'credit_rw'")
    assert hosts, "no credit_rw user"
    for (host,) in hosts:
        for (g,) in adm.stack.sql("SHOW GRANTS FOR 'credit_rw'@%s", (host,)):
            privs, _, obj = g[len("GRANT "):].partition(" ON ")
            obj = obj.split(" TO ")[0].replace("`", "")
            if obj in ("*.*", "credit.*", "credit.audit_log"):
                for bad in ("UPDATE", "DELETE", "ALL PRIVILEGES", "DROP"):
                    assert bad not in privs, g


def test_illegal_transition_leaves_no_audit_row(adm):
    no, rid = adm.record(status="revoked")
    receipt, cid = adm.case("complaint", status="concluded")
    before = adm.audit_total()
    error(adm.event(no, "contest"), 409, "illegal_transition")
    error(adm.move(receipt, "accepted"), 409, "illegal_transition")
    error(adm.move(receipt, "nonsense"), 409, "illegal_transition")
    assert adm.audit_total() == before
    assert ok(adm.get("/audit/records/" + no))["audit"] == []
    assert ok(adm.get("/audit/complaint/" + receipt))["audit"] == []


def test_decision_on_a_record_withdrawn_meanwhile_is_rolled_back_whole(adm):
    """The objection's UPDATE and timeline entry are written before the
    record is found withdrawn: the refusal must undo them, audit included."""
    no, rid = adm.record()
    receipt, cid = adm.case("objection", record_id=rid)
    ok(adm.move(receipt, "accepted"))
    ok(adm.event(no, "revoke"))
    row = adm.case_row("objection", cid)
    events = adm.case_events("objection", cid)
    rec = adm.rec(rid)
    before = adm.snapshot()
    for to in ("upheld", "corrected", "revoked"):
        correction = "更正说明" if to == "corrected" else None
        msg = error(adm.move(receipt, to, correction=correction), 409, "illegal_transition")
        assert "withdrawn" in msg, msg
    assert adm.case_row("objection", cid) == row
    assert adm.case_events("objection", cid) == events
    assert adm.rec(rid) == rec
    assert adm.snapshot() == before


@pytest.mark.allow_log(r"CR0204: MariaDB error 1406")
@pytest.mark.parametrize("what", ["reason", "correction-note", "objection-note",
                                  "objection-correction"])
def test_text_within_the_api_limit_is_not_a_500(adm, what):
    """The API takes reasons and notes up to 2000 characters; what it takes
    the database must hold (or the API must refuse it with 400 naming the
    field), never a 500 on a valid request."""
    no, rid = adm.record()
    text = "理" * 1500
    if what == "reason":
        r = adm.event(no, "contest", reason=text)
    elif what == "correction-note":
        r = adm.event(no, "correct", note=text)
    else:
        receipt, cid = adm.case("objection", record_id=rid)
        ok(adm.move(receipt, "accepted"))
        if what == "objection-note":
            r = adm.move(receipt, "corrected", note=text, correction="更正说明")
        else:
            r = adm.move(receipt, "corrected", correction=text)
    assert r.status_code in (200, 400), (r.status_code, r.text[:300])


@pytest.mark.allow_log(r"CR0204: MariaDB error 1406")
def test_failed_database_write_leaves_nothing(adm):
    """A write that the database refuses half-way (a text longer than the
    timeline's column, after the record's UPDATE ran) leaves the record, its
    timeline and the audit log as they were."""
    no, rid = adm.record()
    rec = adm.rec(rid)
    events = adm.events(rid)
    before = adm.snapshot()
    r = adm.event(no, "revoke", reason="理" * 1500)
    if r.status_code == 200:
        # the whole write went through: then all of it is there
        assert adm.rec(rid)[0] == "revoked"
        assert adm.snapshot()["audit_log"] == before["audit_log"] + 1
        return
    assert r.status_code in (400, 500), r.status_code
    assert adm.rec(rid) == rec
    assert adm.events(rid) == events
    assert adm.snapshot() == before
    assert adm.stack.get("/records/" + no).status_code == 200
    # the connection is usable again: the next write works
    assert ok(adm.event(no, "contest"))["status"] == "contested"


@pytest.mark.allow_log(r"CR0204: MariaDB error 1406")
def test_failed_case_decision_leaves_nothing(adm):
    """The objection's UPDATE and its timeline entry are written before the
    record's change fails (a note longer than the record's columns): all of
    it is undone, audit included."""
    no, rid = adm.record()
    receipt, cid = adm.case("objection", record_id=rid)
    ok(adm.move(receipt, "accepted"))
    row = adm.case_row("objection", cid)
    case_events = adm.case_events("objection", cid)
    rec = adm.rec(rid)
    events = adm.events(rid)
    before = adm.snapshot()
    r = adm.move(receipt, "revoked", note="理" * 1500)
    if r.status_code == 200:
        assert adm.rec(rid)[0] == "revoked"
        assert adm.snapshot()["audit_log"] == before["audit_log"] + 2
        return
    assert r.status_code in (400, 500), r.status_code
    assert adm.case_row("objection", cid) == row
    assert adm.case_events("objection", cid) == case_events
    assert adm.rec(rid) == rec and adm.events(rid) == events
    assert adm.snapshot() == before
    assert ok(adm.move(receipt, "revoked"))["status"] == "revoked"


def test_concurrent_events_on_one_record_serialise(adm):
    no, rid = adm.record()
    with concurrent.futures.ThreadPoolExecutor(6) as ex:
        rs = list(ex.map(lambda i: adm.event(no, "revoke" if i % 2 else "repair",
                                             user=("staff", "staff-heping")[i % 2]), range(6)))
    codes = sorted(r.status_code for r in rs)
    assert codes == [200] + [409] * 5, codes
    assert len(adm.audit("record", rid)) == 1
    assert len([e for e in adm.events(rid) if e[0] in ("revoked", "repaired")]) == 1


# ---- a revoke vanishes everywhere at once ----------------------------------------------------

def test_revoke_vanishes_from_every_public_output_at_once(adm):
    """The very next request of every output after the revoke's answer: no
    wait, no second try."""
    token = "QZXADMINREVOKE"
    no, rid = adm.record(title="管理撤销测试 %s" % token, disclosed=adm.today - 3 * DAY)
    assert public_presence(adm.stack, no, token) == {
        "page": 200, "api": 200, "api_list": True, "html_list": True, "csv": True, "feed": True}
    r = adm.event(no, "revoke", user="staff-heping")
    assert ok(r)["status"] == "revoked"
    after = public_presence(adm.stack, no, token)
    assert after == {"page": 410, "api": 410, "api_list": False, "html_list": False,
                     "csv": False, "feed": False}


def test_repair_approval_vanishes_from_every_public_output_at_once(adm):
    token = "QZXADMINREPAIR"
    no, rid = adm.record(title="管理修复测试 %s" % token)
    receipt, cid = adm.case("repair", record_id=rid)
    ok(adm.move(receipt, "accepted"))
    assert public_presence(adm.stack, no, token)["api_list"] is True
    ok(adm.move(receipt, "approved"))
    after = public_presence(adm.stack, no, token)  # the very next requests
    assert after == {"page": 410, "api": 410, "api_list": False, "html_list": False,
                     "csv": False, "feed": False}


# ---- bodies: the staff row before the body, limits (review finding 9) --------------------

LINES_MAX = 32 * 1024 * 1024  # CREDIT_ADMIN_LINES_MAX: a JSON Lines import
JSON_MAX = 1024 * 1024  # CREDIT_ADMIN_JSON_MAX: one JSON value
_body_serial = iter(range(1, 10**6))


def _body_record(adm):
    """One valid record to create (city-level staff), subjects 11<hexi>T73NNNNNN."""
    n = next(_body_serial)
    return {"subject": {"kind": "gov", "name": "天津市河西区请求体测试单位%d" % n,
                        "credit_code": portal.credit_code(73_000_000 + n,
                                                          world_mod.DIVISIONS["hexi"]),
                        "district": "hexi", "level": "district"},
            "category": "breach", "domain": "ppp", "severity": "serious",
            "title": "请求体测试记录 %d" % n, "facts": "未按合同约定支付工程款。",
            "legal_basis": "《政府投资条例》第二十五条", "decision_no": "津体测〔2026〕%d号" % n,
            "authority": "天津市河西区发展和改革委员会", "decided_on": str(adm.today - 20 * DAY),
            "disclosed_on": str(adm.today - 2 * DAY), "department_id": adm.heping}


def _stored(adm):
    """The rows a staff write leaves, and this section's records."""
    return dict(adm.snapshot(), records=adm.stack.sql(
        "SELECT COUNT(*) FROM records WHERE title LIKE '请求体测试记录%%'")[0][0])


def _padded(first, size):
    """`first` (bytes) and then blank lines of spaces up to exactly size bytes."""
    pad = size - len(first)
    assert pad >= 2
    return first + b"\n" + b" " * (pad - 2) + b"\n"


def _raw_post(adm, conn, path, data, ctype, user):
    """POST on an open http.client connection; (status, headers, body)."""
    auth = requests.auth._basic_auth_str(user, adm.password if user == "staff" else
                                         "pw-" + user)
    conn.request("POST", "/" + adm.url(path).split("/", 3)[3], body=data,
                 headers={"Content-Type": ctype, "Authorization": auth})
    r = conn.getresponse()
    return r.status, r, r.read()


def test_login_without_staff_row_gets_403_before_its_body_is_read(adm):
    """A login Apache lets in without a staff row is answered 403 whatever
    its body: not 413 for one over the limit, 415 for a wrong media type or
    400 for bad JSON (the body is not read for it); a body it sent within
    the limit is thrown away and the connection serves the next request."""
    subprocess.run(["htpasswd", "-bB", str(adm.htpasswd), "nobody-body", "pw-nobody-body"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    adm.htpasswd.chmod(0o644)
    assert not adm.stack.sql("SELECT 1 FROM staff WHERE username = 'nobody-body'")
    receipt, cid = adm.case("complaint", dept=None)
    before = _stored(adm)
    auth = ("nobody-body", "pw-nobody-body")
    for path, data, ctype in (
            ("/records/import", b"\n" * (LINES_MAX + 1), "application/x-ndjson"),
            ("/records", b" " * (JSON_MAX + 1), "application/json"),
            ("/records", b"{not json", "application/json"),
            ("/records", b"plain words", "text/plain")):
        r = requests.post(adm.url(path), data=data, auth=auth, timeout=30,
                          headers={"Content-Type": ctype})
        assert "staff" in error(r, 403, "not_staff"), (path, len(data), ctype)
    # the HTML form of a case page: the 403 page
    r = requests.post(adm.root + "/cases/" + receipt, auth=auth, timeout=10,
                      data={"action": "transition", "token": "x", "to": "accepted", "note": "n"})
    assert r.status_code == 403 and r.headers["Content-Type"] == "text/html; charset=utf-8"
    # a large import within the limit: 403 at once, and the same connection
    # goes on serving (its body was read away, not taken for a next request)
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", adm.stack.http_port, timeout=30)
    try:
        big = _padded(json.dumps(_body_record(adm), ensure_ascii=False).encode(),
                      LINES_MAX - 1024)
        status, resp, text = _raw_post(adm, conn, "/records/import", big,
                                       "application/x-ndjson", "nobody-body")
        assert status == 403, (status, text[:200])
        assert json.loads(text)["error"]["code"] == "not_staff"
        assert not resp.will_close
        sock = conn.sock
        status, resp, text = _raw_post(adm, conn, "/records", b"{}", "application/json",
                                       "nobody-body")
        assert (status, conn.sock) == (403, sock)
    finally:
        conn.close()
    assert adm.case_status("complaint", cid) == "received"
    assert _stored(adm) == before


def test_staff_bodies_up_to_the_limits_are_read_whole(adm):
    """The body buffer grows as the body arrives: an import of exactly the
    limit (here one record and blank lines) is read and stored, one byte
    more is 413 with nothing stored; likewise one JSON value of exactly
    1 MB, and a chunked import (no Content-Length)."""
    ndjson = {"Content-Type": "application/x-ndjson"}
    line = json.dumps(_body_record(adm), ensure_ascii=False).encode()
    r = requests.post(adm.url("/records/import"), data=_padded(line, LINES_MAX),
                      auth=adm.auth("staff"), headers=ndjson, timeout=60)
    rep = ok(r)
    assert (rep["created"], rep["blank"]) == (1, 1), rep
    before = _stored(adm)
    line = json.dumps(_body_record(adm), ensure_ascii=False).encode()
    r = requests.post(adm.url("/records/import"), data=_padded(line, LINES_MAX + 1),
                      auth=adm.auth("staff"), headers=ndjson, timeout=60)
    assert "import limit" in error(r, 413, "bad_body")
    assert _stored(adm) == before
    # one JSON value: exactly 1 MB is read, one byte more is 413
    rec = json.dumps(_body_record(adm), ensure_ascii=False).encode()
    r = adm.post("/records", data=rec + b" " * (JSON_MAX - len(rec)),
                 headers={"Content-Type": "application/json"})
    assert r.status_code == 201, (r.status_code, r.text[:300])
    rec = json.dumps(_body_record(adm), ensure_ascii=False).encode()
    before = _stored(adm)
    r = adm.post("/records", data=rec + b" " * (JSON_MAX + 1 - len(rec)),
                 headers={"Content-Type": "application/json"})
    assert "1 MB" in error(r, 413, "bad_body")
    assert _stored(adm) == before
    # chunked: the body's size is known only when it has arrived
    lines = [json.dumps(_body_record(adm), ensure_ascii=False).encode() + b"\n"
             for _ in range(2)]
    r = requests.post(adm.url("/records/import"), data=iter(lines), auth=adm.auth("staff"),
                      headers=ndjson, timeout=60)
    assert ok(r)["created"] == 2
    before = _stored(adm)
    r = requests.post(adm.url("/records/import"), auth=adm.auth("staff"), headers=ndjson,
                      data=iter([b"\n" * (1024 * 1024)] * 32 + [b"\n"]), timeout=60)
    error(r, 413, "bad_body")
    assert _stored(adm) == before


@pytest.mark.parametrize("what", ["event", "transition"])
def test_a_write_held_up_by_another_is_told_busy_not_unavailable(adm, what):
    """A record locked by another transaction (as a long staff write holds
    it) longer than the module's lock wait: the event or case decision is
    answered 503 "busy" with Retry-After and changes nothing, not "database
    unavailable"; sent again when the lock is gone, it goes through."""
    import pymysql
    no, rid = adm.record()
    receipt = None
    if what == "transition":
        receipt, _ = adm.case("objection", status="received", record_id=rid)
    before = adm.snapshot()
    holder = pymysql.connect(unix_socket=str(adm.stack.socket), user="root", database="credit",
                             charset="utf8mb4", autocommit=False, connect_timeout=5)
    # The module waits for the lock (the database timeout minus 2 s) and
    # answers busy before the connection's read timeout would cut it: a
    # lost connection would be "unavailable". The client waits as long as
    # a loaded machine may need.
    send = (lambda: adm.post("/records/%s/events" % no, {
        "event": "contest", "decision_no": "津测决〔2099〕%s号" % no[-3:],
        "reason": "管理接口测试:contest %s" % no}, timeout=60)) if what == "event" else \
        (lambda: adm.post("/cases/%s/transitions" % receipt, {
            "to": "accepted", "note": "办理说明:%s→accepted" % receipt}, timeout=60))
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT id FROM records WHERE id = %s FOR UPDATE", (rid,))
        r = send()
    finally:
        holder.rollback()
        holder.close()
    msg = error(r, 503, "busy")
    assert r.headers.get("Retry-After") == "30"
    assert "nothing was changed" in msg, msg
    assert adm.snapshot() == before
    assert adm.rec(rid)[0] == "published"
    assert send().status_code == 200
    assert adm.rec(rid)[0] == "contested"


def test_head_of_staff_get_routes_answers_like_get(adm):
    """HEAD is GET without a body (it answered 405, issue 11 point 11)."""
    for path in ("/api/v1/me", "/queues/complaints", "/"):
        url = adm.root + path
        g = requests.get(url, auth=adm.auth("staff"), timeout=10)
        h = requests.head(url, auth=adm.auth("staff"), timeout=10)
        assert g.status_code == 200 and h.status_code == 200, (path, h.status_code)
        assert h.content == b"" and h.headers["Content-Type"] == g.headers["Content-Type"]
