"""Issue 11 point 3: staff cannot unmask an official's ID-card number.

The public pages show an official's number masked (120101********6022); a
few thousand candidates cover every birth date behind a mask. Whether a
number is registered decides one answer of the staff API: an inline
official whose number is registered is 409 official_exists. So:

- a mode=all import that is refused anyway (a bad line) looks no number up:
  its lines of inline officials are reported valid but not_checked, the
  same whatever the number;
- a look-up that finds a registered official names it by subject_id (never
  the number), is an audit row (actor, at, action official_exists, entity
  subject, the official's id) and a warning (CR0930), and counts in the
  login's budget: CreditOfficialLookupLimit, 5 an hour by default;
- with the budget used up nothing is looked up: 429 lookup_limit with
  Retry-After for a create or a mode=all import, a line error lookup_limit
  in a mode=each import, the same answer whatever the number (CR0931).

The count is the audit log's, so it holds across httpd children, restarts
and concurrent requests. Each test uses a login of its own (a budget of
its own). Rows of this module: officials with area 120104 born 1940-1948, bodies
with credit codes 11<division>T73NNNNNN, staff logins lookup-*.
"""
import concurrent.futures
import datetime
import itertools
import json
import re

import requests

import portal
import world as world_mod
from staff import error

JSON = "application/json; charset=utf-8"
NDJSON = "application/x-ndjson"
DAY = datetime.timedelta(days=1)
LIMIT, WINDOW = 5, 3600  # the defaults (the test server does not set them)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_serial = itertools.count(1)


def idno(born, seq):
    first17 = "120104" + born.strftime("%Y%m%d") + "%03d" % seq
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def behind_mask(known, years):
    """Every valid number with known's masked form (its first 6 and last 4
    characters) born in `years`: what an attacker would try."""
    out = []
    day = datetime.date(years[0], 1, 1)
    while day.year <= years[-1]:
        n = idno(day, int(known[14:17]))
        if n[-4:] == known[-4:]:
            out.append(n)
        day += DAY
    return out


def official(adm, idn, name="查验测试公务员"):
    return {"kind": "official", "name": name, "district": "heping", "level": "district",
            "employer_id": adm.subject.id, "position": "科长", "id_number": idn}


def gov():
    n = next(_serial)
    return {"kind": "gov", "name": "天津市查验测试局%d" % n,
            "credit_code": portal.credit_code(73_000_000 + n, world_mod.DIVISIONS["hexi"]),
            "district": "hexi", "level": "district"}


def record(adm, subject, **over):
    n = next(_serial)
    r = {"subject": subject, "category": "penalty", "domain": "procurement",
         "severity": "general", "title": "查验测试记录 %d" % n, "facts": "经查,违规发放补贴。",
         "legal_basis": "《测试条例》第八条", "decision_no": "津查测罚〔2026〕%d号" % n,
         "authority": "天津市和平区财政局", "decided_on": str(adm.today - 10 * DAY),
         "disclosed_on": str(adm.today - 3 * DAY), "department_id": adm.heping}
    r.update(over)
    return r


def create(adm, subject, login, **over):
    return adm.post("/records", record(adm, subject, **over), user=login)


def register(adm, login, idn):
    """Registers the official of idn (a look-up that found nothing: no cost)."""
    r = create(adm, official(adm, idn), login)
    assert r.status_code == 201, r.text[:300]
    return r.json()["record"]["subject"]["id"]


def post_import(adm, items, mode, login):
    text = "\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n"
    return requests.post(adm.url("/records/import"), data=text.encode("utf-8"),
                         params={"mode": mode}, auth=adm.auth(login), timeout=120,
                         headers={"Content-Type": NDJSON})


def counts(adm):
    c = adm.snapshot()
    for t in ("records", "subjects"):
        c[t] = adm.stack.sql("SELECT COUNT(*) FROM %s" % t)[0][0]
    return c


def lookups(adm, login):
    """The audit rows of the login's look-ups that found a registered official."""
    return adm.stack.sql("SELECT entity, entity_id, before_json, after_json FROM audit_log"
                         " WHERE actor = %s AND action = 'official_exists' ORDER BY id", (login,))


def warnings(adm, log_id, login):
    log = adm.stack.error_log.read_text(errors="replace")
    return [l for l in log.splitlines()
            if re.search(r"\[[\w.-]*:warn\]", l) and "%s: staff login %s " % (log_id, login) in l]


def retry_after(r):
    value = r.headers.get("Retry-After", "")
    assert value.isdigit(), r.headers
    return int(value)


def test_a_refused_all_mode_import_looks_no_number_up(adm):
    """The issue's attack: a mode=all import with a bad first line and
    every candidate behind a public mask as an inline official. No line
    tells the registered number from the others: none was looked up, each
    says so (not_checked), nothing is audited or counted. The same lines
    without the bad one are looked up: the registered number's line names
    the official by subject_id, one audited look-up."""
    login = adm.city_login("lookup-attack")
    known = idno(datetime.date(1946, 6, 15), 101)
    sid = register(adm, login, known)
    candidates = behind_mask(known, range(1940, 1949))
    assert known in candidates and len(candidates) > 200
    lines = [record(adm, official(adm, c, "候选人")) for c in candidates]
    bad = record(adm, official(adm, candidates[0], "候选人"), severity="grave")
    before = counts(adm)

    r = post_import(adm, [bad] + lines, "all", login)
    assert r.status_code == 422 and r.headers["Content-Type"] == JSON, r.text[:300]
    err = r.json()["error"]
    assert err["code"] == "import_rejected" and "not_checked" in err["message"]
    results = err["report"]["results"]
    assert results[0]["error"]["field"] == "severity"
    others = [{k: v for k, v in it.items() if k != "line"} for it in results[1:]]
    assert len(others) == len(candidates)
    assert others[0]["status"] == "valid"
    assert others[0]["not_checked"]["field"] == "subject.id_number"
    assert all(o == others[0] for o in others)
    assert "official_exists" not in r.text and "subject_id" not in r.text
    assert counts(adm) == before
    assert lookups(adm, login) == [] and warnings(adm, "CR0930", login) == []

    # without the bad line the numbers are looked up: one is registered
    r = post_import(adm, lines, "all", login)
    assert r.status_code == 422, r.text[:300]
    results = r.json()["error"]["report"]["results"]
    failed = [it for it in results if it["status"] == "error"]
    assert len(failed) == 1 and failed[0]["line"] == candidates.index(known) + 1
    e = failed[0]["error"]
    assert (e["code"], e["field"], e["subject_id"]) == ("official_exists", "subject.id_number", sid)
    assert all(it["status"] == "valid" and "not_checked" not in it
               for it in results if it is not failed[0])
    assert known not in r.text
    assert counts(adm) == dict(before, audit_log=before["audit_log"] + 1)
    (entity, eid, bef, aft), = lookups(adm, login)
    assert (entity, eid, bef) == ("subject", sid, None)
    assert json.loads(aft)["import_line"] == failed[0]["line"] and known not in aft
    assert len(warnings(adm, "CR0930", login)) == 1


def test_conflicts_beyond_the_budget_are_refused_without_a_look_up(adm):
    """Within the budget a registered number is 409 official_exists naming
    the official; after LIMIT such answers in the window every inline
    official of the login is refused before any look-up: the registered
    number and one nobody has get the same 429 (Retry-After), a mode=all
    import too, a mode=each import's line too (the other lines stored).
    Each answer given is audited and warned of; the refusals are warned
    of; the number is never logged. Other logins and subject_id are not
    held up."""
    login = adm.city_login("lookup-budget")
    known = idno(datetime.date(1947, 3, 3), 102)
    unknown = next(c for c in behind_mask(known, range(1940, 1949)) if c != known)
    sid = register(adm, login, known)
    before = counts(adm)
    for i in range(LIMIT):
        r = create(adm, official(adm, known, "姓名%d" % i), login)
        assert "subject_id %d" % sid in error(r, 409, "official_exists")
        assert r.json()["error"]["subject_id"] == sid and known not in r.text
    assert counts(adm) == dict(before, audit_log=before["audit_log"] + LIMIT)

    refused = [create(adm, official(adm, known), login), create(adm, official(adm, unknown), login),
               post_import(adm, [record(adm, official(adm, unknown))], "all", login)]
    for r in refused:
        msg = error(r, 429, "lookup_limit")
        assert "subject_id" in msg and 0 < retry_after(r) <= WINDOW
        assert known not in r.text and unknown not in r.text
    assert refused[0].json() == refused[1].json() == refused[2].json()
    assert counts(adm) == dict(before, audit_log=before["audit_log"] + LIMIT)

    # mode=each: the line with an inline official is refused, the other stored
    r = post_import(adm, [record(adm, gov()), record(adm, official(adm, unknown))], "each", login)
    assert r.status_code == 200 and 0 < retry_after(r) <= WINDOW, r.text[:300]
    first, second = r.json()["results"]
    assert first["status"] == "created"
    assert second["status"] == "error" and second["error"]["code"] == "lookup_limit"
    assert second["error"]["field"] == "subject.id_number" and "subject_id" not in second["error"]

    assert [(e, i) for e, i, _, _ in lookups(adm, login)] == [("subject", sid)] * LIMIT
    assert len(warnings(adm, "CR0930", login)) == LIMIT
    assert len(warnings(adm, "CR0931", login)) == 4
    log = adm.stack.error_log.read_text(errors="replace")
    assert known not in log and unknown not in log

    # the official by subject_id, and another login's answers, are not held up
    by_id = record(adm, None, subject_id=sid)
    del by_id["subject"]
    r = adm.post("/records", by_id, user=login)
    assert r.status_code == 201 and r.json()["record"]["subject"]["id"] == sid, r.text[:300]
    r = create(adm, official(adm, known), adm.city_login("lookup-budget-other"))
    assert error(r, 409, "official_exists") and r.json()["error"]["subject_id"] == sid


def test_the_budget_is_counted_from_the_audit_log(adm):
    """The count is the database's: answers given by an earlier server
    (audit rows 50 minutes old) count after a restart and in every child,
    and Retry-After says when the oldest leaves the window; answers older
    than the window do not count."""
    login = adm.city_login("lookup-kept")
    for _ in range(LIMIT):
        adm.stack.sql("INSERT INTO audit_log (actor, at, action, entity, entity_id)"
                      " VALUES (%s, NOW(3) - INTERVAL 50 MINUTE, 'official_exists', 'subject', 1)",
                      (login,))
    before = counts(adm)
    r = create(adm, official(adm, idno(datetime.date(1948, 2, 2), 103)), login)
    error(r, 429, "lookup_limit")
    assert 10 * 60 - 30 <= retry_after(r) <= 10 * 60
    assert counts(adm) == before

    old = adm.city_login("lookup-old")
    for _ in range(LIMIT):
        adm.stack.sql("INSERT INTO audit_log (actor, at, action, entity, entity_id)"
                      " VALUES (%s, NOW(3) - INTERVAL 61 MINUTE, 'official_exists', 'subject', 1)",
                      (old,))
    r = create(adm, official(adm, idno(datetime.date(1948, 2, 3), 103)), old)
    assert r.status_code == 201, r.text[:300]


def test_concurrent_probes_cannot_overrun_the_budget(adm):
    """Twelve conflicting creates of one login at once, spread over the
    children: the look-ups of a login queue on its staff row, so exactly
    LIMIT are answered (and audited), the rest refused."""
    login = adm.city_login("lookup-race")
    known = idno(datetime.date(1945, 9, 9), 104)
    sid = register(adm, login, known)
    with concurrent.futures.ThreadPoolExecutor(12) as ex:
        answers = list(ex.map(lambda i: create(adm, official(adm, known, "并发%d" % i), login),
                              range(12)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [409] * LIMIT + [429] * (12 - LIMIT), [r.text[:200] for r in answers]
    assert all(r.json()["error"]["subject_id"] == sid for r in answers if r.status_code == 409)
    assert len(lookups(adm, login)) == LIMIT
