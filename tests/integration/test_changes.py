"""The delta feed /api/v1/changes (issue 3, point 2): ADD/MOD/DEL in seq
order for inserts, edits and withdrawals, resumable with next_since, since=
a date, 400 for a bad since, and the daily expiry bookkeeping."""
import datetime
import re

import pytest

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
    assert set(j) == {"changes", "next_since", "more"}
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
    for c in items[:50]:
        assert set(c) == {"seq", "op", "no", "url", "at"}
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
    # at the end: nothing, and the same position again
    j = changes(stack, since, 1)
    assert j == {"changes": [], "next_since": since, "more": False}
    # a position beyond the end is kept as it is
    far = str(int(since) + 1000)
    assert changes(stack, far) == {"changes": [], "next_since": far, "more": False}
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
