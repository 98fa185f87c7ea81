"""The delta feed /api/v1/changes (issue 3, point 2; issue 14, point 4):
ADD/MOD/DEL in seq order for inserts, edits and withdrawals, resumable with
next_since, since= a date, 400 for a bad since, and the daily expiry
bookkeeping; each entry's reason (after the staff action that caused it), a
DEL's tombstone without personal data, the public set's number and checksum
at every entry (a mirror's reference computation in mirror.py), and the
cheap answer when nothing changed (304 with the last ETag; at the end, an
empty answer with the set's checksum)."""
import datetime
import json
import re

import pytest
import requests

import mirror
import portal
import oracle
import world as world_mod

DAY = datetime.timedelta(days=1)
AT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?")
_serial = iter(range(501, 600))


def next_no():
    return "TJZW-2097-%06d" % next(_serial)


def changes(stack, since=None, limit=None):
    params = {}
    if since is not None:
        params["since"] = since
    if limit is not None:
        params["limit"] = limit
    r = stack.get("/api/v1/changes", params=params)
    assert r.status_code == 200, (params, r.status_code, r.text[:300])
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    j = r.json()
    assert set(j) == {"changes", "next_since", "more", "version", "records", "checksum"}
    return j


def walk(stack, since, limit=1000):
    """Every change after since, following next_since; (changes, last next_since)."""
    out = []
    while True:
        j = changes(stack, since, limit)
        out += j["changes"]
        assert isinstance(j["next_since"], str)
        since = j["next_since"]
        if not j["more"]:
            return out, since
        assert j["changes"], "more without changes"
        assert len(out) < 100000


def tail(stack):
    """next_since of the end of the feed, as the API says it."""
    last = stack.sql("SELECT COALESCE(MAX(seq), 0) FROM record_changes")[0][0]
    j = changes(stack, str(last))
    assert j["changes"] == [] and j["more"] is False
    assert j["next_since"] == str(last)
    return j["next_since"]


def mine(items, *nos):
    return [(c["op"], c["no"]) for c in items if c["no"] in nos]


@pytest.fixture(scope="module")
def subject(stack, world):
    return world_mod.add_gov(stack, "变更测试局", "ninghe")


def test_whole_feed_walk_matches_the_table(stack, world):
    items, last = walk(stack, "0")
    rows = stack.sql("SELECT seq, op, record_no FROM record_changes ORDER BY seq")
    assert [(c["seq"], c["op"], c["no"]) for c in items] == [tuple(r) for r in rows]
    assert last == str(rows[-1][0])
    # the same from no since at all, and from since=""
    first = changes(stack)["changes"]
    assert first == items[:100]
    assert changes(stack, "")["changes"] == items[:100]
    for c in items[:50] + items[-50:]:
        common = {"seq", "op", "reason", "no", "url", "at", "records", "checksum"}
        assert set(c) == common | ({"record"} if c["op"] == "DEL" else {"digest"}), c
        assert c["url"] == stack.base_url + "/api/v1/records/" + c["no"]
        assert AT.fullmatch(c["at"]), c["at"]


def test_add_mod_del_in_seq_order(stack, world, subject):
    start = tail(stack)
    rec = world_mod.add_record(stack, world, next_no(), subject, title="变更测试新增",
                               disclosed=world.today - DAY)
    j = changes(stack, start)
    assert mine(j["changes"], rec.no) == [("ADD", rec.no)]
    stack.sql("UPDATE records SET title = %s WHERE id = %s", ("变更测试修改", rec.id))
    stack.sql("UPDATE records SET status = 'revoked', withdrawn_on = %s WHERE id = %s",
              (world.today, rec.id))
    j = changes(stack, start)
    assert [(c["op"], c["no"]) for c in j["changes"]] == [
        ("ADD", rec.no), ("MOD", rec.no), ("DEL", rec.no)]
    seqs = [c["seq"] for c in j["changes"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    assert j["next_since"] == str(seqs[-1]) and j["more"] is False
    today = world.today.isoformat()
    assert all(c["at"].startswith(today) for c in j["changes"])
    # the url of a DEL leads to the tombstone
    r = stack.get(j["changes"][-1]["url"][len(stack.base_url):])
    assert r.status_code == 410


def test_status_changes_between_public_states_are_mod(stack, world, subject):
    start = tail(stack)
    rec = world_mod.add_record(stack, world, next_no(), subject, title="变更测试异议")
    stack.sql("UPDATE records SET status = 'contested' WHERE id = %s", (rec.id,))
    stack.sql("UPDATE records SET status = 'corrected', correction_note = %s WHERE id = %s",
              ("更正", rec.id))
    stack.sql("UPDATE records SET status = 'repaired', withdrawn_on = %s WHERE id = %s",
              (world.today, rec.id))
    # a withdrawn record edited again is not news
    stack.sql("UPDATE records SET title = %s WHERE id = %s", ("撤下后修改", rec.id))
    assert mine(changes(stack, start)["changes"], rec.no) == [
        ("ADD", rec.no), ("MOD", rec.no), ("MOD", rec.no), ("DEL", rec.no)]


def test_resume_with_next_since(stack, world, subject):
    start = tail(stack)
    recs = [world_mod.add_record(stack, world, next_no(), subject, title="变更测试续传%d" % i)
            for i in range(4)]
    whole = changes(stack, start)["changes"]
    assert [c["no"] for c in whole] == [r.no for r in recs]
    got, since = [], start
    for i in range(4):
        j = changes(stack, since, 1)
        assert len(j["changes"]) == 1
        assert j["more"] is (i < 3)
        got += j["changes"]
        assert j["next_since"] == str(j["changes"][0]["seq"])
        since = j["next_since"]
    assert got == whole
    # at the end: nothing, and the same position again, with the set there
    j = changes(stack, since, 1)
    assert j == {"changes": [], "next_since": since, "more": False, "version": since,
                 "records": got[-1]["records"], "checksum": got[-1]["checksum"]}
    # a position beyond the end is kept as it is; the set there is not known
    far = str(int(since) + 1000)
    assert changes(stack, far) == {"changes": [], "next_since": far, "more": False,
                                   "version": since, "records": None, "checksum": None}
    # resuming after a new change gives exactly that change
    stack.sql("UPDATE records SET title = %s WHERE id = %s", ("续传后修改", recs[0].id))
    assert mine(changes(stack, since)["changes"], *[r.no for r in recs]) == [("MOD", recs[0].no)]


def test_since_a_date_time(stack, world, subject):
    start = tail(stack)
    rec = world_mod.add_record(stack, world, next_no(), subject, title="变更测试时刻")
    add = changes(stack, start)["changes"][0]
    at = add["at"][:19]
    for since in (at.replace(" ", "T"), at):
        items, _ = walk(stack, since)
        assert items and items[0]["seq"] <= add["seq"]
        assert add in items
        assert all(c["at"][:19] >= at for c in items), since
    tomorrow = (world.today + DAY).isoformat()
    assert changes(stack, tomorrow)["changes"] == []
    assert rec.no


@pytest.mark.parametrize("days_back", [0, 30, 400])
def test_since_a_date_gives_every_change_from_that_day(stack, world, days_back):
    """since=<date> resumes at the first change made on that day or later:
    no change dated on or after it may be missing."""
    day = world.today - days_back * DAY
    items, _ = walk(stack, day.isoformat())
    got = {c["seq"] for c in items}
    rows = stack.sql("SELECT seq, op, record_no, changed_at FROM record_changes"
                     " WHERE changed_at >= %s ORDER BY seq", (day,))
    missing = [(r[0], r[1], r[2], str(r[3])) for r in rows if r[0] not in got]
    assert missing == [], "since=%s misses %d changes dated on or after it, e.g. %s" % (
        day, len(missing), missing[:3])
    assert all(c["at"][:10] >= day.isoformat() for c in items)


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "+5", " 5", "01", "1e3", "2026-13-01",
                                   "2026-02-30", "2026-1-1", "2026-01-01T25:00:00",
                                   "2026-01-01T10:00", "2026-01-01T10:00:00Z",
                                   "2026-01-01T10:00:00+08:00", "2026-01-01X",
                                   "99999999999999999999999"])
def test_bad_since_is_400(stack, world, since):
    r = stack.get("/api/v1/changes", params={"since": since})
    assert r.status_code == 400, since
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    e = r.json()["error"]
    assert e["code"] and e["message"].split(":")[0] == "since", e
    assert "ETag" not in r.headers


@pytest.mark.parametrize("limit", ["0", "1001", "-1", "abc", "1.0"])
def test_bad_limit_is_400(stack, world, limit):
    r = stack.get("/api/v1/changes", params={"limit": limit})
    assert r.status_code == 400
    assert r.json()["error"]["message"].split(":")[0] == "limit"


def test_limit_bounds(stack, world):
    assert len(changes(stack, "0", 1)["changes"]) == 1
    assert len(changes(stack, "0", 1000)["changes"]) == 1000
    assert len(changes(stack, "0")["changes"]) == 100


def test_no_add_for_a_record_that_is_not_public(stack, world, subject):
    """ADD means "a record became public" (sql/004_changes.sql): a record
    inserted with a disclosure date in the future, or whose window has
    already ended, is not public, and the feed must not announce it (its url
    answers 404 or 410)."""
    start = tail(stack)
    future = world_mod.add_record(stack, world, next_no(), subject, title="变更测试未来",
                                  disclosed=world.today + 2 * DAY)
    sev, d = world_mod._disclosed_for_withdrawal(world.today - 10 * DAY)
    ended = world_mod.add_record(stack, world, next_no(), subject, title="变更测试已期满",
                                 severity=sev, disclosed=d)
    items = changes(stack, start)["changes"]
    announced = []
    for c in items:
        status = stack.get(c["url"][len(stack.base_url):]).status_code
        if c["op"] in ("ADD", "MOD") and status != 200:
            announced.append((c["op"], c["no"], status))
    assert announced == [], "the feed announces records that are not public: %s" % announced
    assert future.no and ended.no


def test_subject_rename_is_a_mod_of_its_public_records(stack, world):
    """A record as served includes its subject's name: renaming the subject
    changes the public record, so the platform must hear of it."""
    g = world_mod.add_gov(stack, "改名前变更测试局", "ninghe")
    rec = world_mod.add_record(stack, world, next_no(), g, title="变更测试改名")
    start = tail(stack)
    stack.sql("UPDATE subjects SET name = %s WHERE id = %s", ("改名后变更测试局", g.id))
    r = stack.get("/api/v1/records/" + rec.no).json()["record"]
    assert r["subject"]["name"] == "改名后变更测试局"
    assert mine(changes(stack, start)["changes"], rec.no) == [("MOD", rec.no)], (
        "renaming a subject changes its public records but the feed says nothing")


def test_record_expiries_records_expired_and_del(stack, world, subject):
    """CALL record_expiries(): an 'expired' event and a DEL for a published
    record whose window ended, and nothing visible changes (it was already
    withdrawn by the clock)."""
    t = world.today
    sev, d = world_mod._disclosed_for_withdrawal(t)
    ended = world_mod.add_record(stack, world, next_no(), subject, title="变更测试今日期满",
                                 severity=sev, disclosed=d)
    assert ended.withdraw_on == t
    sev, d = world_mod._disclosed_for_withdrawal(t + DAY)
    running = world_mod.add_record(stack, world, next_no(), subject, title="变更测试明日期满",
                                   severity=sev, disclosed=d)
    expired = {rid for (rid,) in stack.sql(
        "SELECT record_id FROM record_events WHERE event = 'expired'")}
    due = {r.record_no for r in oracle.rows(stack) if r.status not in oracle.WITHDRAWN
           and oracle.closes(r) <= t and r.id not in expired}
    assert ended.no in due and running.no not in due

    def visible():
        return (stack.get("/api/v1/records/" + ended.no).json(),
                stack.get("/records/" + ended.no).status_code,
                stack.get("/api/v1/records", params={"limit": 100}).json()["items"],
                stack.get("/api/v1/records/" + running.no).status_code,
                stack.get("/api/v1/stats").json())

    before = visible()
    assert before[0]["record"] == {"no": ended.no, "state": "expired", "on": t.isoformat()}
    assert before[1] == 410 and before[3] == 200
    start = tail(stack)
    stack.sql("CALL record_expiries()")
    events = stack.sql("SELECT event, occurred_on FROM record_events WHERE record_id = %s"
                       " ORDER BY id", (ended.id,))
    assert [tuple(e) for e in events] == [("listed", ended.disclosed), ("expired", t)]
    assert stack.sql("SELECT COUNT(*) FROM record_events WHERE record_id = %s AND event ="
                     " 'expired'", (running.id,))[0][0] == 0
    items = changes(stack, start)["changes"]
    assert {c["no"] for c in items} == due
    assert all(c["op"] == "DEL" for c in items)
    seqs = [c["seq"] for c in items]
    assert seqs == sorted(seqs)
    assert visible() == before
    # once only: a second run adds nothing
    again = tail(stack)
    stack.sql("CALL record_expiries()")
    assert changes(stack, again)["changes"] == []


# ---- issue 14: reasons, tombstones, the public set's checksum ---------------------------

_reason_serial = iter(range(1, 100))


def staff_create(adm, title):
    """A record created through the staff API (heping's department)."""
    n = next(_reason_serial)
    t = adm.today
    r = adm.post("/records", {
        "subject_id": adm.subject.id, "category": "penalty", "domain": "procurement",
        "severity": "general", "title": title, "facts": "经查,该单位拖欠中小企业货款。",
        "legal_basis": "《保障中小企业款项支付条例》第八条",
        "decision_no": "津变更罚〔2026〕%d号" % n, "authority": "天津市和平区财政局",
        "decided_on": str(t - 130 * DAY), "disclosed_on": str(t - 120 * DAY),
        "department_id": adm.heping, "amount": "1000",
        "rectification": {"text": "已整改", "due": str(t - 100 * DAY), "done": True}})
    assert r.status_code == 201, r.text[:300]
    return r.json()["record"]["no"]


def entries_of(stack, start, no):
    return [c for c in walk(stack, start)[0] if c["no"] == no]


def tombstone_matches(stack, c):
    """A DEL: the tombstone of the record's 410 answer, and nothing else."""
    assert set(c) == {"seq", "op", "reason", "no", "url", "at", "record", "records", "checksum"}
    gone = stack.get("/api/v1/records/" + c["no"])
    assert gone.status_code == 410
    assert c["record"] == gone.json()["record"]
    assert set(c["record"]) == {"no", "state", "on"}


def test_each_reason_after_its_staff_action(stack, world, adm):
    """listed (a record created), contested, uncontested, corrected (an
    objection's correction; an edit), repaired, revoked through the staff
    API; expired through the daily bookkeeping once the window ended."""
    start = tail(stack)
    no = staff_create(adm, "变更原因测试:新建")
    for ev in ("contest", "uncontest", "correct"):
        r = adm.event(no, ev)
        assert r.status_code == 200, (ev, r.text[:300])
    r = requests.put(adm.url("/records/" + no), json={"title": "变更原因测试:编辑"},
                     auth=adm.auth("staff"), timeout=10)
    assert r.status_code == 200, r.text[:300]
    assert adm.event(no, "repair").status_code == 200
    got = entries_of(stack, start, no)
    assert [(c["op"], c["reason"]) for c in got] == [
        ("ADD", "listed"), ("MOD", "contested"), ("MOD", "uncontested"), ("MOD", "corrected"),
        ("MOD", "corrected"), ("DEL", "repaired")]
    tombstone_matches(stack, got[-1])
    assert got[-1]["record"] == {"no": no, "state": "repaired", "on": world.today.isoformat()}

    no2, _ = adm.record()
    start = tail(stack)
    assert adm.event(no2, "revoke").status_code == 200
    got = entries_of(stack, start, no2)
    assert [(c["op"], c["reason"]) for c in got] == [("DEL", "revoked")]
    tombstone_matches(stack, got[0])
    assert got[0]["record"]["state"] == "revoked"


def test_expired_is_reported_by_the_daily_bookkeeping(stack, world, adm):
    """Leaving the window is no write: the portal stops showing the record at
    midnight, and record_expiries() (00:05, and every dump) reports it as a
    DEL with reason expired and its tombstone. Time passing is simulated by
    moving the record's disclosure back without a feed entry (as a bulk load
    does), the totals and the search table moved as their triggers would."""
    no, rid = adm.record(severity="minor", disclosed=world.today - 60 * DAY)
    assert stack.get("/api/v1/records/" + no).status_code == 200
    start = tail(stack)
    cols = ("SELECT status, disclosed_on, withdraw_on, district, subject_kind, category, domain,"
            " severity FROM records WHERE id = %s")
    old = stack.sql(cols, (rid,))[0]
    sev, d = world_mod._disclosed_for_withdrawal(world.today)
    stack.sql("SET @credit_bulk_load = 1")
    try:
        stack.sql("UPDATE records SET severity = %s, disclosed_on = %s WHERE id = %s",
                  (sev, d, rid))
    finally:
        stack.sql("SET @credit_bulk_load = NULL")
    # the search table follows by an edit of what neither it nor the feed holds
    stack.sql("UPDATE records SET legal_basis = CONCAT(legal_basis, ' ') WHERE id = %s", (rid,))
    new = stack.sql(cols, (rid,))[0]
    assert new[2] == world.today
    for r, sign in ((old, -1), (new, 1)):
        stack.sql("CALL record_count_apply(%s, %s, %s, %s, %s, %s, %s, %s, %s)", tuple(r) + (sign,))
    assert stack.get("/api/v1/records/" + no).status_code == 410
    assert entries_of(stack, start, no) == []  # the clock wrote nothing
    stack.sql("CALL record_expiries()")
    got = entries_of(stack, start, no)
    assert [(c["op"], c["reason"]) for c in got] == [("DEL", "expired")]
    tombstone_matches(stack, got[0])
    assert got[0]["record"] == {"no": no, "state": "expired", "on": world.today.isoformat()}


def test_del_entries_carry_no_personal_data(stack, world):
    """Whatever withdrew them, DEL entries hold the number, the state and the
    date: no subject, no title, no official's name, position or ID."""
    items, _ = walk(stack, "0")
    dels = [c for c in items if c["op"] == "DEL"]
    assert {c["reason"] for c in dels} >= {"repaired", "revoked", "expired"}
    for c in dels:
        assert set(c["record"]) == {"no", "state", "on"}, c
        assert c["record"]["no"] == c["no"] and c["record"]["state"] in portal.WITHDRAWN_STATUSES
    rows = stack.sql(
        "SELECT r.record_no, r.title, s.name, s.position, s.id_masked FROM records r"
        " JOIN subjects s ON s.id = r.subject_id WHERE s.kind = 'official' AND r.id IN"
        " (SELECT record_id FROM record_changes WHERE op = 'DEL')")
    assert len(rows) > 10, "the demo data withdraws officials' records"
    by_no = {c["no"]: json.dumps(c, ensure_ascii=False) for c in dels}
    for no, title, name, position, id_masked in rows:
        text = by_no[no]
        for secret in (title, name, position, id_masked):
            assert not secret or secret not in text, (no, secret)


def test_checksum_at_every_entry_follows_from_the_digests(stack, world):
    """Replaying the whole feed with the entries' own digests gives each
    entry's number and checksum; at the end, the set is the public records
    of the API, whose digests a mirror computes from their JSON."""
    items, last = walk(stack, "0")
    members, x = {}, 0
    for c in items:
        old = members.pop(c["no"], None)
        if old is not None:
            x ^= old
        if c["op"] != "DEL":
            d = int(c["digest"], 16)
            members[c["no"]] = d
            x ^= d
        assert (c["records"], c["checksum"]) == (len(members), mirror.hex64(x)), c
    public, url = [], stack.url("/api/v1/records?limit=100")
    while url:
        j = requests.get(url, timeout=30).json()
        public += j["items"]
        url = j["next"]
    assert {r["no"] for r in public} == set(members)
    assert all(mirror.digest(r) == members[r["no"]] for r in public)
    end = changes(stack, last)
    assert (end["records"], end["checksum"]) == (len(public), mirror.checksum(public))


def test_nothing_changed_is_a_304_then_an_empty_answer(stack, world, subject):
    """A poll with the last answer's ETag is a 304 while the feed has not
    moved, even when other data changed (a withdrawn record edited); at the
    end of the feed the answer is empty and gives the set's checksum."""
    end = tail(stack)
    r = stack.get("/api/v1/changes", params={"since": end})
    assert r.status_code == 200
    j = r.json()
    assert j["changes"] == [] and j["next_since"] == end == j["version"]
    etag = r.headers["ETag"]
    gone = world.records["revoked"]
    stack.sql("UPDATE records SET title = %s WHERE id = %s", ("撤销后修改(变更测试)", gone.id))
    again = stack.get("/api/v1/changes", params={"since": end}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    rec = world_mod.add_record(stack, world, next_no(), subject, title="变更测试轮询")
    moved = stack.get("/api/v1/changes", params={"since": end}, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["ETag"] != etag
    j = moved.json()
    assert [(c["op"], c["no"]) for c in j["changes"]] == [("ADD", rec.no)]
    assert (j["records"], j["checksum"]) == (j["changes"][0]["records"],
                                             j["changes"][0]["checksum"])
