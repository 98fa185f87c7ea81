"""Validators (ETag) tell nothing a page does not show (issue 11, point 2),
and stay the same across restarts for the same templates and data
(issue 12, point 5)."""
import datetime

import portal
import world as world_mod

DAY = datetime.timedelta(days=1)


def etag(stack, path):
    r = stack.get(path)
    assert r.status_code == 200, (path, r.status_code)
    return r.headers["ETag"]


def test_unpublished_ratings_do_not_move_the_ratings_etag(stack, world):
    """A rating published tomorrow (and its indicators, and edits of its
    score) leaves /ratings' ETag alone: the ETag is made of published rows
    only. Publishing it moves it."""
    today = portal.today()
    year = 2013  # a year of this test's own, with one rating published long ago
    shown = world_mod.add_gov(stack, "天津市测试区已公布评价局", "hexi")
    stack.sql("INSERT INTO ratings (subject_id, year, score, grade, published_on)"
              " VALUES (%s, %s, 80.00, 'B', '2014-03-01')", (shown.id, year))
    subject = world_mod.add_gov(stack, "天津市测试区未公布评价局", "hexi")
    before = etag(stack, "/ratings?year=%d" % year), etag(stack, "/ratings")
    stack.sql("INSERT INTO ratings (subject_id, year, score, grade, published_on)"
              " VALUES (%s, %s, 85.85, 'B', %s)", (subject.id, year, today + DAY))
    rid = stack.sql("SELECT LAST_INSERT_ID()")[0][0]
    stack.sql("INSERT INTO rating_indicators (rating_id, code, name, weight, raw_value, score)"
              " VALUES (%s, 'complaint_timely', '投诉办理及时率', 100, 85.85, 85.85)", (rid,))
    assert (etag(stack, "/ratings?year=%d" % year), etag(stack, "/ratings")) == before
    stack.sql("UPDATE ratings SET score = 91.25, grade = 'A' WHERE id = %s", (rid,))
    assert (etag(stack, "/ratings?year=%d" % year), etag(stack, "/ratings")) == before
    stack.sql("UPDATE ratings SET published_on = %s WHERE id = %s", (today, rid))
    assert etag(stack, "/ratings?year=%d" % year) != before[0]


def test_case_activity_the_statistics_do_not_show_leaves_their_etag(adm):
    """A timeline note on a complaint (no change of any number /stats shows)
    leaves /stats' ETag alone; a complaint that changes its counts moves it."""
    stack = adm.stack
    receipt, cid = adm.case("complaint", status="accepted")
    before = etag(stack, "/stats")
    stack.sql("INSERT INTO case_events (case_type, case_id, status, note)"
              " VALUES ('complaint', %s, 'accepted', '补充材料已收到')", (cid,))
    assert etag(stack, "/stats") == before
    stack.sql("UPDATE complaints SET status = 'processing' WHERE id = %s", (cid,))
    assert etag(stack, "/stats") != before


def test_etags_survive_a_graceful_restart(stack, world):
    """The ETag is made of the data, the day, the language and a digest of
    the templates, not of the time the configuration was read: a restart
    (or another host with the same templates) gives the same validators,
    and a client's copy stays current."""
    no = next(iter(world.records.values())).no
    paths = ["/records", "/records/" + no, "/api/v1/records", "/ratings", "/stats", "/feed.atom"]
    before = {p: etag(stack, p) for p in paths}
    stack.start_httpd()  # graceful: the configuration is read again
    after = {p: etag(stack, p) for p in paths}
    assert after == before
    r = stack.get("/records/" + no, headers={"If-None-Match": before["/records/" + no]})
    assert r.status_code == 304
