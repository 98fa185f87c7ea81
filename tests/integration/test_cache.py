"""ETag / If-None-Match, and that a write to the records is seen at once:
no stale page, total or validator after a withdrawal."""
import datetime

import pytest

import portal
import oracle
from portal import text_by_id, total


def paths(world):
    return ["/", "/records", "/records?severity=serious&limit=5",
            "/records/" + world.no("published"), "/subjects/%d" % world.subjects["gov"].id]


@pytest.mark.parametrize("i", range(5))
def test_etag_and_304(stack, world, i):
    path = paths(world)[i]
    r = stack.get(path)
    assert r.status_code == 200
    etag = r.headers.get("ETag")
    assert etag, "no ETag on " + path
    assert r.headers.get("Cache-Control") == "max-age=0, must-revalidate"
    again = stack.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers.get("ETag") == etag
    other = stack.get(path, headers={"If-None-Match": 'W/"0-19700101-zh-CN-0"'})
    assert other.status_code == 200
    assert other.content == r.content
    star = stack.get(path, headers={"If-None-Match": "*"})
    assert star.status_code == 304
    if "Last-Modified" in r.headers:
        since = stack.get(path, headers={"If-Modified-Since": r.headers["Last-Modified"]})
        assert since.status_code == 304


def test_health_is_never_cached(stack, world):
    r = stack.get("/api/v1/health")
    assert r.headers.get("Cache-Control") == "no-store"
    assert "ETag" not in r.headers


def test_withdrawal_is_seen_at_once(stack, world):
    """UPDATE records SET status='revoked': the record page is 410 at once, and
    the list total, the home counts, the subject's total and every ETag change."""
    rec = world.records["mutable"]
    subject = "/subjects/%d" % rec.subject.id
    record = "/records/" + rec.no
    t = portal.today()

    before = {p: stack.get(p) for p in ("/", "/records", record, subject,
                                        "/records?severity=serious")}
    for p, r in before.items():
        assert r.status_code == 200, p
    assert rec.no in before[subject].text
    list_total = total(before["/records"].text)
    serious_total = total(before["/records?severity=serious"].text)
    home_total = int(text_by_id(before["/"].text, "count-total"))
    subject_total = int(text_by_id(before[subject].text, "subject-total"))
    assert list_total == home_total

    stack.sql("UPDATE records SET status = 'revoked' WHERE id = %s", (rec.id,))
    try:
        r = stack.get(record)
        assert r.status_code == 410
        assert text_by_id(r.text, "gone-no") == rec.no
        assert text_by_id(r.text, "gone-state") == "已撤销"
        assert rec.title not in r.text and rec.subject.name not in r.text
        # a cached copy of the record page is not revalidated as fresh
        cond = stack.get(record, headers={"If-None-Match": before[record].headers["ETag"]})
        assert cond.status_code == 410

        after = {p: stack.get(p, headers={"If-None-Match": before[p].headers["ETag"]})
                 for p in ("/", "/records", subject, "/records?severity=serious")}
        for p, a in after.items():
            assert a.status_code == 200, "%s answered %d: stale" % (p, a.status_code)
            assert a.headers["ETag"] != before[p].headers["ETag"], p
        assert total(after["/records"].text) == list_total - 1
        assert total(after["/records?severity=serious"].text) == serious_total - 1
        assert int(text_by_id(after["/"].text, "count-total")) == home_total - 1
        assert int(text_by_id(after[subject].text, "subject-total")) == subject_total - 1
        assert rec.no not in after[subject].text
        assert total(after["/records"].text) == oracle.count(stack, t)
    finally:
        stack.sql("UPDATE records SET status = 'published' WHERE id = %s", (rec.id,))

    # and back: public again at once
    r = stack.get(record)
    assert r.status_code == 200
    assert total(stack.get("/records").text) == list_total


def test_disclosure_date_edit_is_seen_at_once(stack, world):
    """Moving a record's disclosure into the future hides it (404) at once."""
    rec = world.records["mutable"]
    record = "/records/" + rec.no
    assert stack.get(record).status_code == 200
    stack.sql("UPDATE records SET disclosed_on = %s WHERE id = %s",
              (world.today + datetime.timedelta(days=400), rec.id))
    try:
        assert stack.get(record).status_code == 404
    finally:
        stack.sql("UPDATE records SET disclosed_on = %s WHERE id = %s", (rec.disclosed, rec.id))
    assert stack.get(record).status_code == 200
