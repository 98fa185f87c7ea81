"""Issue 5 point 2: staff create and update records through the JSON API.

  POST /credit-admin/api/v1/records          201, Location, the record as JSON
  GET  /credit-admin/api/v1/records/{no}     any status, the staff's department only
  PUT  /credit-admin/api/v1/records/{no}     the editable fields

Every field is validated (400 naming it); the disclosure clock is computed
from severity and disclosure date by NDRC Order 36's rule, never typed; the
number TJZW-<disclosure year>-NNNNNN is the server's, above every number of
that year and never given twice; the record gets its `listed` timeline
entry and its audit row in the same transaction, and shows on every public
output at once. Updates audit before/after of what changed; a withdrawn
record is 409, another department's 404.

Rows of this module: subjects with credit codes 11<division>T70NNNNNN and
officials born 1955-01-01; records disclosed in 2021 for the numbering
tests (no other module uses that year's numbers above 400000).
"""
import concurrent.futures
import datetime
import hashlib
import itertools
import json
import re

import pytest
import requests

import portal
from staff import error, public_presence

JSON = "application/json; charset=utf-8"
DAY = datetime.timedelta(days=1)
_serial = itertools.count(1)
WITHDRAWN = ("revoked", "repaired", "expired")


# ---- helpers ---------------------------------------------------------------------------

def gov_subject(name=None, district="heping"):
    n = next(_serial)
    return {"kind": "gov", "name": name or "天津市和平区建档测试局%d" % n,
            "credit_code": portal.credit_code(70_000_000 + n, portal_division(district)),
            "district": district, "level": "district"}


def portal_division(district):
    import world
    return world.DIVISIONS[district]


def id_number(serial):
    """A valid ID number born 1955-01-01 (no other module uses that date)."""
    first17 = "120101" + "19550101" + "%03d" % (serial % 1000)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def body(adm, **over):
    """A valid create body (city-level staff: the department is named)."""
    n = next(_serial)
    today = adm.today
    b = {"subject": gov_subject(),
         "category": "penalty", "domain": "procurement", "severity": "general",
         "title": "建档测试记录 %d" % n, "facts": "经查,该单位拖欠中小企业货款。",
         "legal_basis": "《保障中小企业款项支付条例》第八条",
         "decision_no": "津建测罚〔2026〕%d号" % n, "authority": "天津市和平区财政局",
         "decided_on": str(today - 10 * DAY), "disclosed_on": str(today - 3 * DAY),
         "department_id": adm.heping, "amount": "15000.5",
         "rectification": {"text": "已提交整改报告", "due": str(today + 30 * DAY),
                           "done": False}}
    for k, v in over.items():
        if v is None:
            b.pop(k, None)
        else:
            b[k] = v
    return b


def create(adm, b, user="staff"):
    return adm.post("/records", b, user=user)


def created(r):
    assert r.status_code == 201, (r.status_code, r.text[:400])
    assert r.headers["Content-Type"] == JSON
    assert r.headers.get("Cache-Control") == "no-store"
    return r.json()["record"]


def put(adm, no, b, user="staff"):
    return requests.put(adm.url("/records/" + no), json=b, auth=adm.auth(user), timeout=10,
                        allow_redirects=False)


def field_error(r, status, code, field):
    """The message of an error answer naming `field`."""
    msg = error(r, status, code)
    assert r.json()["error"].get("field") == field, r.json()
    assert msg.startswith(field + ":"), msg
    return msg


def row(adm, no):
    rows = adm.stack.sql(
        "SELECT id, subject_id, department_id, category, domain, severity, status, title, facts,"
        " legal_basis, decision_no, authority, decided_on, disclosed_on, repair_from,"
        " withdraw_on, amount, rectification, rectify_due, rectified FROM records"
        " WHERE record_no = %s", (no,))
    if not rows:
        return None
    cols = ("id subject_id department_id category domain severity status title facts legal_basis"
            " decision_no authority decided_on disclosed_on repair_from withdraw_on amount"
            " rectification rectify_due rectified").split()
    return dict(zip(cols, rows[0]))


def counts(adm):
    """Rows of every table a record write touches, and search rows without a record."""
    c = adm.snapshot()
    for t in ("records", "subjects", "record_changes"):
        c[t] = adm.stack.sql("SELECT COUNT(*) FROM %s" % t)[0][0]
    c["orphan_search"] = adm.stack.sql(
        "SELECT COUNT(*) FROM record_search s LEFT JOIN records r ON r.id = s.record_id"
        " WHERE r.id IS NULL")[0][0]
    c["numbers"] = adm.stack.sql("SELECT COALESCE(SUM(last_no), 0) FROM record_numbers")[0][0]
    return c


# ---- create ----------------------------------------------------------------------------

def test_create_answers_201_with_location_and_the_stored_record(adm):
    b = body(adm)
    before = adm.audit_total()
    rec = created(r := create(adm, b))
    no = rec["no"]
    # the number's year is the disclosure's (the year before on January 1-3)
    year = datetime.date.fromisoformat(b["disclosed_on"]).year
    assert re.fullmatch(r"TJZW-%d-\d{6}" % year, no), no
    assert r.headers["Location"].endswith("/credit-admin/api/v1/records/" + no)
    again = adm.get("/records/" + no)
    assert again.status_code == 200 and again.json()["record"] == rec
    db = row(adm, no)
    assert db["department_id"] == adm.heping and db["status"] == "published"
    assert (db["title"], db["facts"], db["decision_no"]) == (b["title"], b["facts"],
                                                             b["decision_no"])
    assert str(db["amount"]) == "15000.50" and rec["amount"] == "15000.50"
    assert db["rectified"] == 0 and str(db["rectify_due"]) == b["rectification"]["due"]
    assert rec["rectification"] == {"text": "已提交整改报告", "due": b["rectification"]["due"],
                                    "done": False}
    assert rec["subject"]["name"] == b["subject"]["name"]
    assert rec["subject"]["credit_code"] == b["subject"]["credit_code"]
    assert rec["department_id"] == adm.heping and rec["public"] is True
    # the timeline starts with `listed` on the disclosure date
    assert adm.events(db["id"]) == [("listed", datetime.date.fromisoformat(b["disclosed_on"]),
                                     b["decision_no"], None)]
    # audit: the subject's and the record's creation, by the login, after = stored fields
    audit = adm.audit("record", db["id"])
    assert len(audit) == 1
    actor, action, bef, aft = audit[0]
    assert (actor, action, bef) == ("staff", "create", None)
    assert aft["record_no"] == no and aft["title"] == b["title"]
    assert aft["subject_id"] == db["subject_id"] and aft["department_id"] == adm.heping
    assert aft["repair_from"] == str(db["repair_from"])
    assert aft["withdraw_on"] == str(db["withdraw_on"])
    sub = adm.audit("subject", db["subject_id"])
    assert [(a, act) for a, act, _, _ in sub] == [("staff", "create")]
    assert sub[0][3]["credit_code"] == b["subject"]["credit_code"]
    assert adm.audit_total() == before + 2
    # the staff's read of the audit trail shows it too
    trail = adm.get("/audit/records/" + no).json()["audit"]
    assert [t["action"] for t in trail] == ["create"]


def test_created_record_appears_on_every_public_output(adm):
    token = "QZXCREATEPUB%d" % next(_serial)
    rec = created(create(adm, body(adm, title="新建记录公示测试 %s" % token)))
    assert public_presence(adm.stack, rec["no"], token) == {
        "page": 200, "api": 200, "api_list": True, "html_list": True, "csv": True, "feed": True}
    api = adm.stack.get("/api/v1/records/" + rec["no"]).json()["record"]
    assert api["title"] == rec["title"]
    assert (api["repair_from"], api["withdraw_on"]) == (rec["repair_from"], rec["withdraw_on"])
    # Chinese full-text search finds it by a two-character word of its facts
    found = adm.stack.get("/api/v1/records", params={"q": "货款 " + token, "limit": 100})
    assert rec["no"] in [it["no"] for it in found.json()["items"]]


@pytest.mark.parametrize("severity", ["minor", "general", "serious"])
def test_clock_is_computed_from_severity_and_disclosure_date(adm, severity):
    # a month-end disclosure date, where the months' lengths matter
    disclosed = adm.today - DAY
    while disclosed.day != 31:
        disclosed -= DAY
    b = body(adm, severity=severity, disclosed_on=str(disclosed),
             decided_on=str(disclosed - 5 * DAY))
    rec = created(create(adm, b))
    repair, withdraw = portal.clock(severity, disclosed)
    assert rec["repair_from"] == (str(repair) if repair else None)
    assert rec["withdraw_on"] == str(withdraw)
    db = row(adm, rec["no"])
    assert db["repair_from"] == repair and db["withdraw_on"] == withdraw
    # the public record page shows the same clock
    api = adm.stack.get("/api/v1/records/" + rec["no"])
    if withdraw > adm.today:
        assert api.json()["record"]["withdraw_on"] == str(withdraw)
    else:
        assert api.status_code == 410


@pytest.mark.parametrize("field,value", [("repair_from", "2030-01-01"),
                                         ("withdraw_on", "2030-01-01")])
def test_typed_clock_is_refused_as_computed(adm, field, value):
    before = counts(adm)
    r = create(adm, body(adm, **{field: value}))
    msg = field_error(r, 400, "computed_field", field)
    assert "computed" in msg
    assert counts(adm) == before


BAD_FIELDS = [
    # (change, field, code)
    ({"category": "fine"}, "category", "bad_field"),
    ({"category": None}, "category", "missing_field"),
    ({"domain": "roads"}, "domain", "bad_field"),
    ({"severity": "grave"}, "severity", "bad_field"),
    ({"severity": None}, "severity", "missing_field"),
    ({"title": None}, "title", "missing_field"),
    ({"title": "  "}, "title", "missing_field"),
    ({"title": "题" * 201}, "title", "bad_field"),
    ({"title": 42}, "title", "bad_field"),
    ({"facts": None}, "facts", "missing_field"),
    ({"facts": "实" * 10001}, "facts", "bad_field"),
    ({"legal_basis": None}, "legal_basis", "missing_field"),
    ({"legal_basis": "法" * 1001}, "legal_basis", "bad_field"),
    ({"decision_no": None}, "decision_no", "missing_field"),
    ({"decision_no": "号" * 101}, "decision_no", "bad_field"),
    ({"authority": None}, "authority", "missing_field"),
    ({"authority": "机" * 101}, "authority", "bad_field"),
    ({"decided_on": None}, "decided_on", "missing_field"),
    ({"decided_on": "2026-02-30"}, "decided_on", "bad_field"),
    ({"decided_on": "tomorrow"}, "decided_on", "bad_field"),
    ({"disclosed_on": None}, "disclosed_on", "missing_field"),
    ({"disclosed_on": "2025-13-01"}, "disclosed_on", "bad_field"),
    ({"amount": -1}, "amount", "bad_field"),
    ({"amount": "12.345"}, "amount", "bad_field"),
    ({"amount": "一万"}, "amount", "bad_field"),
    ({"rectification": {"due": "2026-02-30"}}, "rectification.due", "bad_field"),
    ({"rectification": {"done": "yes"}}, "rectification.done", "bad_field"),
    ({"rectification": {"text": "改" * 5001}}, "rectification.text", "bad_field"),
    ({"subject": None}, "subject_id", "missing_field"),
    ({"subject_id": "abc", "subject": None}, "subject_id", "bad_field"),
    ({"department_id": "x"}, "department_id", "bad_field"),
    ({"no": "TJZW-2026-000001"}, "no", "read_only"),
    ({"status": "revoked"}, "status", "read_only"),
    ({"colour": "red"}, "colour", "unknown_field"),
]


@pytest.mark.parametrize("change,field,code", BAD_FIELDS,
                         ids=["%s-%s" % (f, c) for _, f, c in BAD_FIELDS])
def test_each_bad_field_is_400_naming_it_and_nothing_is_stored(adm, change, field, code):
    before = counts(adm)
    r = create(adm, body(adm, **change))
    field_error(r, 400, code, field)
    assert counts(adm) == before


SUBJECT_BAD = [
    ({"kind": "company"}, "subject.kind", "bad_field"),
    ({"name": None}, "subject.name", "missing_field"),
    ({"name": "名" * 101}, "subject.name", "bad_field"),
    ({"district": "和平区"}, "subject.district", "bad_field"),
    ({"district": "shanghai"}, "subject.district", "bad_field"),
    ({"level": "province"}, "subject.level", "bad_field"),
    ({"credit_code": None}, "subject.credit_code", "missing_field"),
    ({"credit_code": "WRONG-CHECK"}, "subject.credit_code", "bad_field"),
    ({"credit_code": "11120101T00000001"}, "subject.credit_code", "bad_field"),
    ({"position": "科长"}, "subject.position", "bad_field"),
    ({"extra": 1}, "subject.extra", "unknown_field"),
]


@pytest.mark.parametrize("change,field,code", SUBJECT_BAD,
                         ids=["%s-%s" % (f, c) for _, f, c in SUBJECT_BAD])
def test_inline_subject_fields_are_validated(adm, change, field, code):
    s = gov_subject()
    if change.get("credit_code") == "WRONG-CHECK":
        # the real code with another check character
        good = s["credit_code"]
        change = {"credit_code": good[:17] + ("0" if good[17] != "0" else "1")}
    for k, v in change.items():
        if v is None:
            s.pop(k)
        else:
            s[k] = v
    before = counts(adm)
    field_error(create(adm, body(adm, subject=s)), 400, code, field)
    assert counts(adm) == before


def test_future_decision_and_disclosure_before_decision_are_refused(adm):
    t = adm.today
    before = counts(adm)
    field_error(create(adm, body(adm, decided_on=str(t + DAY), disclosed_on=str(t + 2 * DAY))),
                400, "bad_field", "decided_on")
    field_error(create(adm, body(adm, decided_on=str(t - DAY), disclosed_on=str(t - 2 * DAY))),
                400, "bad_field", "disclosed_on")
    assert counts(adm) == before
    # a disclosure date ahead is allowed (the record is public from that day)
    rec = created(create(adm, body(adm, disclosed_on=str(t + 5 * DAY))))
    assert rec["public"] is False
    assert adm.stack.get("/api/v1/records/" + rec["no"]).status_code == 404


def test_existing_subject_by_id(adm):
    rec = created(create(adm, body(adm, subject=None, subject_id=adm.subject.id)))
    assert rec["subject"]["id"] == adm.subject.id
    assert row(adm, rec["no"])["subject_id"] == adm.subject.id
    field_error(create(adm, body(adm, subject=None, subject_id=999999999)), 400,
                "unknown_subject", "subject_id")


def test_inline_subject_with_a_known_credit_code_is_reused(adm):
    s = gov_subject()
    first = created(create(adm, body(adm, subject=s)))
    subjects = counts(adm)["subjects"]
    second = created(create(adm, body(adm, subject=dict(s))))
    assert second["subject"]["id"] == first["subject"]["id"]
    assert counts(adm)["subjects"] == subjects
    # the same code under another name is refused: a typo in the code is likely
    other = dict(s, name="天津市另一个单位")
    msg = field_error(create(adm, body(adm, subject=other)), 400, "subject_mismatch",
                      "subject.name")
    assert s["name"] in msg


def same_mask(idn):
    """Another valid number with the same first 6 and last 4 characters (the
    masked form) and a birth date in February 1955 (no official of this
    module is born then): a candidate an attacker would try."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    for day in range(1, 29):
        first17 = idn[:6] + "195502%02d" % day + idn[14:17]
        if "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11] == idn[17]:
            return first17 + idn[17]
    raise AssertionError("no other birth date in February gives check character " + idn[17])


def official(adm, idn, name):
    return {"kind": "official", "name": name, "district": "heping", "level": "district",
            "employer_id": adm.subject.id, "position": "科长", "id_number": idn}


def test_official_id_number_is_never_stored_in_clear(adm):
    n = next(_serial)
    idn = id_number(n)
    off = official(adm, idn, "建档测试公务员%d" % n)
    rec = created(create(adm, body(adm, subject=off)))
    masked = portal.mask_id(idn)
    assert rec["subject"]["id_masked"] == masked
    assert rec["subject"]["employer"]["id"] == adm.subject.id
    sid = rec["subject"]["id"]
    stored = adm.stack.sql("SELECT id_masked, HEX(id_hash) FROM subjects WHERE id = %s", (sid,))[0]
    assert stored[0] == masked
    # a keyed hash, not a plain digest of the number
    assert stored[1] and stored[1].lower() not in (hashlib.sha256(idn.encode()).hexdigest(),
                                                   hashlib.sha256(("demo-idcard:" + idn).encode())
                                                   .hexdigest())
    # the number is nowhere: not in the subject, the record, the audit log, the logs
    dump = json.dumps(adm.stack.sql("SELECT * FROM subjects WHERE id = %s", (sid,)),
                      default=str, ensure_ascii=False)
    assert idn not in dump
    audit = adm.stack.sql("SELECT before_json, after_json FROM audit_log"
                          " WHERE (entity = 'subject' AND entity_id = %s)"
                          " OR (entity = 'record' AND entity_id = %s)",
                          (sid, row(adm, rec["no"])["id"]))
    assert audit and idn not in json.dumps(audit, default=str)
    assert idn not in adm.stack.error_log.read_text(errors="replace")
    # a second record of the same person names the official by subject_id
    rec2 = created(create(adm, body(adm, subject=None, subject_id=sid)))
    assert rec2["subject"]["id"] == sid
    # an invalid number or a missing employer is refused
    field_error(create(adm, body(adm, subject=dict(off, id_number=idn[:17] + (
        "0" if idn[17] != "0" else "1")))), 400, "bad_field", "subject.id_number")
    field_error(create(adm, body(adm, subject=dict(off, employer_id=999999999))), 400,
                "unknown_subject", "subject.employer_id")


def test_inline_official_with_a_registered_number_names_the_official_by_subject_id(adm):
    """City-level staff register new officials inline; the number of one
    already registered (in upper or lower case, under any name) is a 409
    official_exists that names the official by subject_id (issue 11 point
    3), never its number or name. Nothing is stored but each look-up's
    audit row (who, when, which official); a warning names the login and
    the official, never the number. The official is then given by
    subject_id."""
    login = adm.city_login("lookup-records")  # its own budget of such answers
    n = next(_serial)
    idn = id_number(n)
    name = "建档测试公务员%d" % n
    while not idn.endswith("X"):  # a number with the check character X, to send it as x
        n = next(_serial)
        idn, name = id_number(n), "建档测试公务员%d" % n
    sid = created(create(adm, body(adm, subject=official(adm, idn, name)), user=login)
                  )["subject"]["id"]
    before = counts(adm)
    answers = set()
    for variant in (official(adm, idn, name), official(adm, idn.lower(), name),
                    official(adm, idn, "另一个名字")):
        r = create(adm, body(adm, subject=variant), user=login)
        msg = field_error(r, 409, "official_exists", "subject.id_number")
        assert r.json()["error"]["subject_id"] == sid
        assert "subject_id %d" % sid in msg
        assert name not in r.text and idn not in r.text.upper()
        answers.add((r.status_code, msg))
    assert len(answers) == 1
    assert counts(adm) == dict(before, audit_log=before["audit_log"] + 3)
    audit = adm.stack.sql("SELECT entity, entity_id, before_json, after_json FROM audit_log"
                          " WHERE actor = %s AND action = 'official_exists'", (login,))
    assert [(e, i) for e, i, _, _ in audit] == [("subject", sid)] * 3
    assert idn not in json.dumps(audit, default=str).upper()
    log = adm.stack.error_log.read_text(errors="replace")
    warned = re.findall(r"\[[\w.-]*:warn\].*CR0930: staff login lookup-records gave the ID-card"
                        r" number of registered official %d as a new official" % sid, log)
    assert len(warned) == 3, log[-2000:]
    assert idn not in log.upper()
    # the official is named by subject_id, by city level and by the department
    assert created(create(adm, body(adm, subject=None, subject_id=sid)))["subject"]["id"] == sid
    r = create(adm, body(adm, subject=None, subject_id=sid, department_id=None),
               user="staff-heping")
    assert created(r)["subject"]["id"] == sid


def test_department_staff_cannot_tell_a_registered_id_number_from_another(adm):
    """Review finding 1, as the attack. The public pages show an official's
    number masked (120101********1234); a department's staff member sends
    candidate numbers as inline officials, with the right and a wrong name,
    as POST /records, in a mode=all import whose first line is bad (the
    other lines only checked) and in a mode=each import. Every answer for
    the registered number is the same as for a number nobody has (apart
    from the line number), and nothing is stored."""
    n = next(_serial)
    known, name = id_number(n), "建档测试公务员%d" % n
    created(create(adm, body(adm, subject=official(adm, known, name))))  # city level registers
    unknown = same_mask(known)  # another candidate behind the same mask, nobody's
    assert unknown != known and portal.mask_id(unknown) == portal.mask_id(known)
    probes = [(known, name), (known, "张三"), (unknown, name), (unknown, "张三")]
    base = body(adm, department_id=None)
    before = counts(adm)

    def probe_bodies():
        n = next(_serial)
        return [dict(base, decision_no="津建测罚〔2026〕探测%d-%d号" % (n, i),
                     subject=official(adm, idn, nm)) for i, (idn, nm) in enumerate(probes)]

    # POST /records
    answers = [create(adm, b, user="staff-heping") for b in probe_bodies()]
    first = answers[0]
    field_error(first, 400, "not_allowed", "subject")
    for r in answers[1:]:
        assert (r.status_code, r.json()) == (first.status_code, first.json())
    # a mode=all import: a bad first line, then the probes (only checked)
    bad = dict(base, severity="grave")
    text = "\n".join(json.dumps(x, ensure_ascii=False) for x in [bad] + probe_bodies()) + "\n"
    for mode in ("all", "each"):
        r = requests.post(adm.url("/records/import"), data=text.encode(), params={"mode": mode},
                          auth=adm.auth("staff-heping"), timeout=60,
                          headers={"Content-Type": "application/x-ndjson"})
        assert r.status_code == (422 if mode == "all" else 200), r.text[:300]
        rep = r.json()["error"]["report"] if mode == "all" else r.json()
        results = [{k: v for k, v in it.items() if k != "line"} for it in rep["results"][1:]]
        assert len(results) == 4 and rep["created"] == 0
        assert results[0]["status"] == "error"
        assert results[0]["error"]["code"] == "not_allowed", results[0]
        assert all(x == results[0] for x in results[1:]), results
    for r in answers:
        assert known not in r.text and name not in r.text
    assert counts(adm) == before


def test_department_staff_create_for_their_own_department(adm):
    rec = created(create(adm, body(adm, department_id=None), user="staff-heping"))
    assert row(adm, rec["no"])["department_id"] == adm.heping
    before = counts(adm)
    field_error(create(adm, body(adm, department_id=adm.other), user="staff-heping"), 400,
                "bad_field", "department_id")
    # city level must name the department, and an existing one
    field_error(create(adm, body(adm, department_id=None)), 400, "missing_field",
                "department_id")
    field_error(create(adm, body(adm, department_id=99999999)), 400, "unknown_department",
                "department_id")
    assert counts(adm) == before
    # city level may name any department
    rec = created(create(adm, body(adm, department_id=adm.other)))
    assert row(adm, rec["no"])["department_id"] == adm.other


def test_duplicate_decision_of_one_subject_is_409(adm):
    b = body(adm)
    first = created(create(adm, b))
    before = counts(adm)
    b2 = dict(b, title="重复提交")
    msg = field_error(create(adm, b2), 409, "duplicate", "decision_no")
    assert first["no"] in msg
    assert counts(adm) == before


def _max_no(adm, year):
    r = adm.stack.sql("SELECT MAX(record_no) FROM records WHERE record_no LIKE %s",
                      ("TJZW-%d-%%" % year,))[0][0]
    a = adm.stack.sql("SELECT MAX(old_no) FROM record_aliases WHERE old_no LIKE %s",
                      ("TJZW-%d-%%" % year,))[0][0]
    return max(int(x[-6:]) for x in (r, a, "TJZW-0000-000000") if x)


def test_numbers_are_assigned_in_order_above_every_existing_number(adm):
    year = datetime.date.fromisoformat(body(adm)["disclosed_on"]).year  # the numbers' year
    top = _max_no(adm, year)  # the demo's and every other module's rows of that year
    a = created(create(adm, body(adm)))["no"]
    b = created(create(adm, body(adm)))["no"]
    assert a.startswith("TJZW-%d-" % year) and int(a[-6:]) > top
    assert int(b[-6:]) == int(a[-6:]) + 1


def test_numbers_start_above_records_and_aliases_of_the_disclosure_year(adm):
    """2021: a record loaded by other means at 400000 and an old number at
    500000 (a renumbered record): the next number is 500001, then 500002;
    a refused request takes none; a row loaded later at 600000 moves it on."""
    s = adm.subject
    adm.stack.sql(
        "INSERT INTO records (record_no, subject_id, subject_kind, district, category, domain,"
        " severity, title, facts, legal_basis, decision_no, authority, decided_on, department_id,"
        " disclosed_on) VALUES ('TJZW-2021-400000', %s, 'gov', %s, 'penalty', 'other', 'serious',"
        " '旧记录', '旧', '旧', '津旧〔2021〕1号', '旧', '2021-01-01', %s, '2021-01-05')",
        (s.id, s.district, adm.heping))
    rid = adm.stack.sql("SELECT id FROM records WHERE record_no = 'TJZW-2021-400000'")[0][0]
    adm.stack.sql("INSERT INTO record_aliases (old_no, record_id) VALUES ('TJZW-2021-500000', %s)",
                  (rid,))
    old = dict(decided_on="2021-05-01", disclosed_on="2021-06-01", severity="serious")
    first = created(create(adm, body(adm, **old)))
    assert first["no"] == "TJZW-2021-500001"
    assert first["public"] is False  # its three years are over
    field_error(create(adm, body(adm, **dict(old, title=None))), 400, "missing_field", "title")
    second = created(create(adm, body(adm, **old)))
    assert second["no"] == "TJZW-2021-500002"
    adm.stack.sql("UPDATE records SET record_no = 'TJZW-2021-600000' WHERE id = %s", (rid,))
    third = created(create(adm, body(adm, **old)))
    assert third["no"] == "TJZW-2021-600001"
    # numbers are never given twice
    nos = [n for (n,) in adm.stack.sql("SELECT record_no FROM records WHERE record_no LIKE"
                                       " 'TJZW-2021-%'")]
    assert len(nos) == len(set(nos))


@pytest.mark.allow_log(r"CR0204: MariaDB error 1644")
def test_failed_write_leaves_no_record_subject_number_or_audit_row(adm):
    """The database refuses the timeline entry after the subject and the
    record were inserted: all of it is undone, the audit row, the number and
    the search row too."""
    b = body(adm)
    adm.stack.sql(
        "CREATE TRIGGER test_records_fail BEFORE INSERT ON record_events FOR EACH ROW"
        " BEGIN IF NEW.decision_no = %s THEN"
        " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test failure'; END IF; END",
        (b["decision_no"],))
    try:
        before = counts(adm)
        numbers = adm.stack.sql("SELECT year, last_no FROM record_numbers ORDER BY year")
        r = create(adm, b)
        error(r, 500, "internal_error")
        assert counts(adm) == before
        assert adm.stack.sql("SELECT year, last_no FROM record_numbers ORDER BY year") == numbers
        assert adm.stack.sql("SELECT COUNT(*) FROM subjects WHERE credit_code = %s",
                             (b["subject"]["credit_code"],))[0][0] == 0
    finally:
        adm.stack.sql("DROP TRIGGER IF EXISTS test_records_fail")
    # the connection works again, and the same body now goes through
    rec = created(create(adm, b))
    assert len(adm.audit("record", row(adm, rec["no"])["id"])) == 1


def test_create_needs_json_and_a_staff_login(adm):
    r = requests.post(adm.url("/records"), data="title=x", auth=adm.auth("staff"), timeout=10,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    error(r, 415)
    r = requests.post(adm.url("/records"), json=body(adm), timeout=10)
    assert r.status_code == 401
    error(adm.post("/records", [body(adm)]), 400, "bad_body")


# ---- read --------------------------------------------------------------------------------

def test_get_shows_any_status_within_the_department(adm):
    no, rid = adm.record(status="revoked")
    r = adm.get("/records/" + no, user="staff-heping")
    assert r.status_code == 200
    assert r.json()["record"]["status"] == "revoked" and r.json()["record"]["public"] is False
    other, _ = adm.record(dept=adm.other)
    error(adm.get("/records/" + other, user="staff-heping"), 404, "not_found")
    assert adm.get("/records/" + other).status_code == 200
    error(adm.get("/records/TJZW-2097-999999"), 404, "not_found")
    error(adm.get("/records/nonsense"), 404, "not_found")


# ---- update ------------------------------------------------------------------------------

def test_update_changes_fields_and_audits_before_and_after(adm):
    token = "QZXUPDATE%d" % next(_serial)
    rec = created(create(adm, body(adm)))
    no = rec["no"]
    rid = row(adm, no)["id"]
    r = put(adm, no, {"title": "更正后的标题 %s" % token, "amount": 20000,
                      "rectification": {"done": True}}, user="staff-heping")
    assert r.status_code == 200, r.text
    j = r.json()
    assert sorted(j["changed"]) == ["amount", "rectified", "title"]
    assert j["record"]["title"] == "更正后的标题 %s" % token
    assert j["record"]["amount"] == "20000.00"
    assert j["record"]["rectification"]["done"] is True
    db = row(adm, no)
    assert db["title"] == "更正后的标题 %s" % token and str(db["amount"]) == "20000.00"
    assert db["rectified"] == 1 and db["rectification"] == "已提交整改报告"
    audit = adm.audit("record", rid)
    assert [(a, act) for a, act, _, _ in audit] == [("staff", "create"), ("staff-heping", "update")]
    _, _, bef, aft = audit[1]
    assert bef == {"title": rec["title"], "amount": "15000.50", "rectified": False}
    assert aft == {"title": "更正后的标题 %s" % token, "amount": "20000.00", "rectified": True}
    # the public outputs and the search show the new title at once
    assert public_presence(adm.stack, no, token) == {
        "page": 200, "api": 200, "api_list": True, "html_list": True, "csv": True, "feed": True}
    # the number and status did not change
    assert db["status"] == "published" and j["record"]["no"] == no


def found_by_search(adm, word):
    """The record numbers a search of `word` answers (the engine answers a
    word of Latin letters)."""
    j = adm.stack.get("/api/v1/records", params={"q": word, "limit": 100}).json()
    return [i["no"] for i in j["items"]], j["total"]


@pytest.mark.allow_log(r"CR0204: MariaDB error 1644")
def test_an_update_rolled_back_leaves_the_search_as_the_record_is(adm):
    """The database refuses the audit row after the record was updated: the
    whole write is rolled back, and the search engine's copy (a Mroonga
    table, outside the transaction) is put back too (sql/022): the word of
    the title rolled back finds nothing, the word of the title kept finds
    the record."""
    old_token = "QZXKEEP%d" % next(_serial)
    new_token = "QZXGONE%d" % next(_serial)
    rec = created(create(adm, body(adm, title="原标题 %s" % old_token)))
    no = rec["no"]
    rid = row(adm, no)["id"]
    assert found_by_search(adm, old_token) == ([no], 1)
    adm.stack.sql(
        "CREATE TRIGGER test_audit_fail BEFORE INSERT ON audit_log FOR EACH ROW"
        " BEGIN IF NEW.entity_id = %s AND NEW.action = 'update' THEN"
        " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test failure'; END IF; END", (rid,))
    try:
        r = put(adm, no, {"title": "新标题 %s" % new_token})
        error(r, 500, "internal_error")
    finally:
        adm.stack.sql("DROP TRIGGER IF EXISTS test_audit_fail")
    assert row(adm, no)["title"] == "原标题 %s" % old_token
    assert found_by_search(adm, new_token) == ([], 0)
    assert found_by_search(adm, old_token) == ([no], 1)
    engine = adm.stack.sql(
        "SELECT s.body, s.listed, CONVERT(t.body USING utf8mb4) FROM record_search s"
        " JOIN record_text t ON t.id = s.record_id WHERE s.record_id = %s", (rid,))
    assert len(engine) == 1 and engine[0][0] == engine[0][2] and engine[0][1] == 1, engine
    assert old_token in engine[0][0] and new_token not in engine[0][0]
    # and the same request, let through, is found at once
    assert put(adm, no, {"title": "新标题 %s" % new_token}).status_code == 200
    assert found_by_search(adm, new_token) == ([no], 1)
    assert found_by_search(adm, old_token) == ([], 0)


@pytest.mark.parametrize("severity", ["minor", "serious"])
def test_update_of_severity_recomputes_the_clock(adm, severity):
    rec = created(create(adm, body(adm)))  # general
    no = rec["no"]
    disclosed = datetime.date.fromisoformat(rec["disclosed_on"])
    j = put(adm, no, {"severity": severity}).json()
    repair, withdraw = portal.clock(severity, disclosed)
    assert j["record"]["repair_from"] == (str(repair) if repair else None)
    assert j["record"]["withdraw_on"] == str(withdraw)
    assert set(j["changed"]) == {"severity", "repair_from", "withdraw_on"}
    db = row(adm, no)
    assert (db["repair_from"], db["withdraw_on"]) == (repair, withdraw)
    _, _, bef, aft = adm.audit("record", db["id"])[-1]
    assert bef["withdraw_on"] == rec["withdraw_on"] and aft["withdraw_on"] == str(withdraw)
    assert bef["severity"] == "general" and aft["severity"] == severity


def test_update_of_the_disclosure_date_recomputes_the_clock(adm):
    rec = created(create(adm, body(adm)))
    newdate = datetime.date.fromisoformat(rec["disclosed_on"]) - 20 * DAY
    j = put(adm, rec["no"], {"disclosed_on": str(newdate), "decided_on": str(newdate - DAY)}).json()
    repair, withdraw = portal.clock("general", newdate)
    assert (j["record"]["repair_from"], j["record"]["withdraw_on"]) == (str(repair), str(withdraw))
    assert set(j["changed"]) == {"disclosed_on", "decided_on", "repair_from", "withdraw_on"}
    # the dates are checked against each other as stored
    field_error(put(adm, rec["no"], {"disclosed_on": str(newdate - 10 * DAY)}), 400,
                "bad_field", "disclosed_on")


def test_update_refuses_computed_and_fixed_fields(adm):
    rec = created(create(adm, body(adm)))
    rid = row(adm, rec["no"])["id"]
    stored = row(adm, rec["no"])
    for b, field, code in [({"withdraw_on": "2030-01-01"}, "withdraw_on", "computed_field"),
                           ({"repair_from": "2030-01-01"}, "repair_from", "computed_field"),
                           ({"status": "revoked"}, "status", "read_only"),
                           ({"no": "TJZW-2026-000001"}, "no", "read_only"),
                           ({"subject_id": adm.subject.id}, "subject_id", "read_only"),
                           ({"department_id": adm.other}, "department_id", "read_only"),
                           ({"title": ""}, "title", "missing_field"),
                           ({"severity": "grave"}, "severity", "bad_field")]:
        field_error(put(adm, rec["no"], b), 400, code, field)
    assert row(adm, rec["no"]) == stored and len(adm.audit("record", rid)) == 1


def test_update_without_a_change_writes_nothing(adm):
    rec = created(create(adm, body(adm)))
    rid = row(adm, rec["no"])["id"]
    r = put(adm, rec["no"], {"title": rec["title"], "amount": "15000.50"})
    assert r.status_code == 200 and r.json()["changed"] == []
    assert len(adm.audit("record", rid)) == 1


@pytest.mark.parametrize("status", WITHDRAWN)
def test_withdrawn_record_cannot_be_edited(adm, status):
    no, rid = adm.record(status=status)
    before = row(adm, no)
    msg = error(put(adm, no, {"title": "不应修改"}), 409, "withdrawn")
    assert status in msg
    assert row(adm, no) == before and adm.audit("record", rid) == []


def test_record_whose_window_ended_cannot_be_edited(adm):
    no, rid = adm.record(severity="minor", disclosed=adm.today - 200 * DAY)
    error(put(adm, no, {"title": "不应修改"}), 409, "withdrawn")
    assert adm.audit("record", rid) == []


def test_update_outside_the_department_or_unknown_is_404(adm):
    no, rid = adm.record(dept=adm.other)
    before = row(adm, no)
    error(put(adm, no, {"title": "不应修改"}, user="staff-heping"), 404, "not_found")
    assert row(adm, no) == before and adm.audit("record", rid) == []
    error(put(adm, "TJZW-2097-999999", {"title": "x"}), 404, "not_found")
    error(put(adm, "TJZW-1", {"title": "x"}), 404, "not_found")
    # city level may
    assert put(adm, no, {"title": "市级修改"}).status_code == 200


def test_update_to_a_duplicate_decision_is_409(adm):
    b = body(adm)
    first = created(create(adm, b))
    second = created(create(adm, dict(body(adm), subject=None,
                                      subject_id=first["subject"]["id"])))
    msg = field_error(put(adm, second["no"], {"decision_no": b["decision_no"]}), 409,
                      "duplicate", "decision_no")
    assert first["no"] in msg


def test_contested_record_can_be_edited(adm):
    no, rid = adm.record(status="contested")
    r = put(adm, no, {"facts": "补充后的失信事实。"}, user="staff-heping")
    assert r.status_code == 200 and r.json()["record"]["status"] == "contested"


# ---- concurrency ---------------------------------------------------------------------------

def test_concurrent_creates_get_distinct_consecutive_numbers(adm):
    bodies = [body(adm) for _ in range(8)]
    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        results = list(ex.map(lambda b: create(adm, b), bodies))
    nos = [created(r)["no"] for r in results]
    assert len(set(nos)) == 8
    seq = sorted(int(n[-6:]) for n in nos)
    assert seq == list(range(seq[0], seq[0] + 8))


def test_the_same_record_sent_concurrently_is_stored_once(adm):
    b = body(adm)
    with concurrent.futures.ThreadPoolExecutor(6) as ex:
        results = list(ex.map(lambda _: create(adm, b), range(6)))
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [409] * 5, [r.text[:200] for r in results]
    assert adm.stack.sql("SELECT COUNT(*) FROM records r JOIN subjects s ON s.id = r.subject_id"
                         " WHERE s.credit_code = %s", (b["subject"]["credit_code"],))[0][0] == 1


@pytest.mark.parametrize("field,value", [
    ("title", "建档测试\ufffe记录"), ("title", "建档测试\uffff记录"), ("facts", "事实\ufdd0说明"),
    ("authority", "天津市\U0001fffe财政局"),
], ids=["fffe", "ffff", "fdd0", "plane1-noncharacter"])
def test_non_characters_are_refused_naming_the_field(adm, field, value):
    """Non-characters are never text, and U+FFFE/U+FFFF are not XML: a title
    holding one once made the site-wide Atom feed ill-formed for everyone
    (issue 11, point 5). Refused with 400 naming the field; nothing stored."""
    before = adm.snapshot()
    field_error(create(adm, body(adm, **{field: value})), 400, "bad_field", field)
    assert adm.snapshot() == before
