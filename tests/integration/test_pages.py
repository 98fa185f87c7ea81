"""Every page answers with the expected content (SPEC section 4, issue 2 point 6)."""
import datetime
import html
import re

import pytest

import oracle
import portal
from portal import error_detail, record_numbers, text_by_id, total
from world import PAGE_TOKEN, STATUS_LABEL, XSS_FACTS, XSS_SUBJECT, XSS_TITLE

HTML = "text/html; charset=utf-8"


def public_count(stack, today, extra="", params=()):
    return oracle.count(stack, today, extra, params)


def public_order(stack, today, limit, extra="", params=()):
    return oracle.public_nos(stack, today, extra, params)[:limit]


# ---- home --------------------------------------------------------------------

def test_home_counts_and_latest(stack, world):
    t = portal.today()
    r = stack.get("/")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == HTML
    body = r.text
    assert int(text_by_id(body, "count-total")) == public_count(stack, t)
    subjects = len(oracle.count_by(stack, "subject_id", t))
    assert int(text_by_id(body, "count-subjects")) == subjects
    assert record_numbers(body) == public_order(stack, t, 10)
    # the search box posts to the list
    assert 'action="/credit/records"' in body and 'name="q"' in body
    # one count per severity, linking to the filtered list
    for sev in ("minor", "general", "serious"):
        n = public_count(stack, t, " AND r.severity = %s", (sev,))
        assert re.search(r'href="/credit/records\?severity=%s"><strong>%d</strong>' % (sev, n),
                         body), sev


def test_home_never_lists_withdrawn_or_future(stack, world):
    body = stack.get("/").text
    for key in ("repaired", "revoked", "expires_today", "future", "expired_status",
                "expired_long_ago"):
        assert world.no(key) not in body


# ---- list --------------------------------------------------------------------

def test_records_list_default(stack, world):
    t = portal.today()
    r = stack.get("/records")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == HTML
    assert total(r.text) == public_count(stack, t)
    assert record_numbers(r.text) == public_order(stack, t, 20)
    assert 'rel="prev"' not in r.text


def test_records_list_trailing_slash(stack, world):
    r = stack.get("/records/")
    assert r.status_code == 200
    assert total(r.text) == total(stack.get("/records").text)


def test_list_shows_flags_of_contested_and_corrected(stack, world):
    body = stack.get("/records", params={"q": PAGE_TOKEN, "limit": 100}).text
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    seen = set()
    for row in rows:
        m = re.search(r"(TJZW-2098-\d{6})", row)
        if not m:
            continue
        rec = next(b for b in world.bulk if b.no == m.group(1))
        seen.add(rec.status)
        if rec.status == "contested":
            assert '<span class="flag contested">异议处理中</span>' in row
        elif rec.status == "corrected":
            assert '<span class="flag corrected">已更正</span>' in row
        else:
            assert 'class="flag' not in row
    assert seen == {"published", "contested", "corrected"}


def test_list_never_shows_withdrawn_or_future(stack, world):
    pages = portal.follow(stack.get, "/records", {"q": PAGE_TOKEN, "limit": 100})
    shown = {no for _, nos in pages for no in nos}
    t = world.today
    for b in world.bulk:
        public = b.status in portal.PUBLIC_STATUSES and b.disclosed <= t < b.withdraw_on
        assert (b.no in shown) == public, b.no


# ---- record page -------------------------------------------------------------

def check_clock(body, rec):
    assert text_by_id(body, "disclosed-on") == rec.disclosed.isoformat()
    if rec.repair_from:
        assert text_by_id(body, "repair-from") == rec.repair_from.isoformat()
    else:
        assert text_by_id(body, "repair-from") == "轻微失信不设修复程序,期满自动撤下"
    assert text_by_id(body, "withdraw-on") == rec.withdraw_on.isoformat()


def test_record_page_published(stack, world):
    rec = world.records["published"]
    r = stack.get("/records/" + rec.no)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == HTML
    body = r.text
    assert text_by_id(body, "record-no") == rec.no
    assert text_by_id(body, "record-status") == "公示中"
    assert text_by_id(body, "decision-no") == rec.decision_no
    # serious: repair after 1 year, withdrawn after 3 years
    assert rec.repair_from == portal.add_months(rec.disclosed, 12)
    assert rec.withdraw_on == portal.add_months(rec.disclosed, 36)
    check_clock(body, rec)
    assert html.escape(rec.title, quote=False) in body
    assert rec.facts in body
    assert rec.subject.name in body
    assert rec.subject.credit_code in body
    assert 'href="/credit/subjects/%d"' % rec.subject.id in body
    assert "测试公共信用信息中心" in body  # source department
    assert "行政处罚" in body and "政府采购" in body and "严重" in body
    # repair not yet possible: the page says from when
    assert rec.repair_from.isoformat() in text_by_id(body, "repair-wait")
    # timeline: listed at disclosure; an event dated in the future is not shown
    assert '<li class="ev-listed"><time>%s</time>' % rec.disclosed.isoformat() in body
    assert "FUTURE-EVENT-NOTE" not in body
    assert "/credit/records/" + rec.no in body  # permanent link


def test_record_page_contested_shows_flag(stack, world):
    rec = world.records["contested"]
    r = stack.get("/records/" + rec.no)
    assert r.status_code == 200
    assert text_by_id(r.text, "record-status") == "异议处理中"
    assert '<p class="notice contested" role="note">' in r.text
    assert '<li class="ev-contested"><time>%s</time>' % (world.today - datetime.timedelta(5)) \
        in r.text
    check_clock(r.text, rec)


def test_record_page_corrected_shows_note(stack, world):
    rec = world.records["corrected"]
    r = stack.get("/records/" + rec.no)
    assert r.status_code == 200
    assert text_by_id(r.text, "record-status") == "已更正"
    m = re.search(r'<p class="notice corrected" role="note">(.*?)</p>', r.text, re.S)
    assert m and rec.correction_note in m.group(1)
    assert "ev-corrected" in r.text


def test_record_page_minor_has_no_repair(stack, world):
    rec = world.records["official"]
    assert rec.severity == "minor"
    body = stack.get("/records/" + rec.no).text
    assert rec.withdraw_on == portal.add_months(rec.disclosed, 3)
    check_clock(body, rec)
    assert 'id="repair-wait"' not in body


def test_record_page_general_clock_clamps_month_end(stack, world):
    rec = world.records["clamped"]
    assert rec.disclosed.day == 31 and rec.repair_from.day < 31
    r = stack.get("/records/" + rec.no)
    assert r.status_code == 200
    check_clock(r.text, rec)


def test_record_withdrawn_tomorrow_is_still_public(stack, world):
    rec = world.records["expires_tomorrow"]
    r = stack.get("/records/" + rec.no)
    assert r.status_code == 200
    assert rec.withdraw_on == world.today + datetime.timedelta(days=1)
    check_clock(r.text, rec)
    assert rec.no in stack.get("/records", params={"from": rec.disclosed.isoformat(),
                                                   "to": rec.disclosed.isoformat(),
                                                   "limit": 100}).text


def test_record_disclosed_in_future_is_404(stack, world):
    for key in ("future", "future_far"):
        rec = world.records[key]
        r = stack.get("/records/" + rec.no)
        assert r.status_code == 404, key
        assert rec.title not in r.text and rec.subject.name not in r.text
        assert rec.decision_no not in r.text


@pytest.mark.parametrize("key,state,on", [
    ("repaired", "repaired", "withdrawn_on"),
    ("revoked", "revoked", "withdrawn_on"),
    ("expires_today", "expired", "withdraw_on"),
    ("expired_status", "expired", "withdrawn_on"),
    ("expired_long_ago", "expired", "withdraw_on"),
    ("empty_subject", "revoked", "withdrawn_on"),
])
def test_withdrawn_record_is_410_tombstone(stack, world, key, state, on):
    rec = world.records[key]
    r = stack.get("/records/" + rec.no)
    assert r.status_code == 410
    assert r.headers["Content-Type"] == HTML
    body = r.text
    assert text_by_id(body, "gone-no") == rec.no
    assert text_by_id(body, "gone-state") == STATUS_LABEL[state]
    assert text_by_id(body, "gone-on") == getattr(rec, on).isoformat()
    # no personal data and nothing of the record but its number
    for secret in (rec.title, rec.facts, rec.decision_no, rec.subject.name,
                   rec.subject.credit_code, "/subjects/%d" % rec.subject.id, "12000",
                   "《测试条例》", "天津市测试局"):
        assert secret not in body, secret
    assert 'id="record-no"' not in body and 'id="id-masked"' not in body
    if key == "expires_today":
        assert rec.withdraw_on == world.today


def test_withdrawn_official_tombstone_has_no_id(stack, world):
    """A withdrawn record of an official shows neither the name nor any form of the ID."""
    rec = world.records["official"]
    stack.sql("UPDATE records SET status = 'repaired', withdrawn_on = %s WHERE id = %s",
              (world.today, rec.id))
    try:
        r = stack.get("/records/" + rec.no)
        assert r.status_code == 410
        for secret in (rec.subject.name, rec.subject.id_full, rec.subject.id_stored,
                       rec.subject.id_full[:6], rec.subject.id_full[-4:], "科长"):
            assert secret not in r.text, secret
    finally:
        stack.sql("UPDATE records SET status = 'published', withdrawn_on = NULL WHERE id = %s",
                  (rec.id,))
    assert stack.get("/records/" + rec.no).status_code == 200


# ---- masking -------------------------------------------------------------------

def test_official_record_shows_masked_id(stack, world):
    rec = world.records["official"]
    s = rec.subject
    body = stack.get("/records/" + rec.no).text
    masked = portal.mask_id(s.id_full)
    assert re.fullmatch(r"\d{6}\*{8}[\dX]{4}", masked)
    assert text_by_id(body, "id-masked") == masked
    assert s.id_full not in body
    assert "科长" in body
    employer = world.subjects["gov"]
    assert 'href="/credit/subjects/%d">%s</a>' % (employer.id, employer.name) in body


def test_full_id_in_database_is_still_masked(stack, world):
    """Defence in depth: an ID stored unmasked by mistake is masked on output."""
    rec = world.records["official_full"]
    s = rec.subject
    assert s.id_stored == s.id_full
    for path in ("/records/" + rec.no, "/subjects/%d" % s.id):
        body = stack.get(path).text
        assert text_by_id(body, "id-masked") == portal.mask_id(s.id_full), path
        assert s.id_full not in body, path


# ---- subjects ------------------------------------------------------------------

def test_subject_page_gov(stack, world):
    s = world.subjects["gov"]
    t = portal.today()
    r = stack.get("/subjects/%d" % s.id)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == HTML
    body = r.text
    assert s.name in body
    assert text_by_id(body, "credit-code") == s.credit_code
    expected = public_order(stack, t, 100, " AND r.subject_id = %s", (s.id,))
    assert int(text_by_id(body, "subject-total")) == len(expected)
    assert record_numbers(body) == expected
    for key in ("repaired", "revoked", "expires_today", "future", "expired_status"):
        assert world.no(key) not in body


def test_subject_page_official(stack, world):
    s = world.subjects["official"]
    body = stack.get("/subjects/%d" % s.id).text
    assert text_by_id(body, "id-masked") == portal.mask_id(s.id_full)
    assert s.id_full not in body
    assert 'href="/credit/subjects/%d"' % s.employer_id in body
    assert int(text_by_id(body, "subject-total")) == 1
    assert record_numbers(body) == [world.no("official")]


def test_subject_without_public_records(stack, world):
    s = world.subjects["empty"]
    r = stack.get("/subjects/%d" % s.id)
    assert r.status_code == 200
    assert int(text_by_id(r.text, "subject-total")) == 0
    assert world.no("empty_subject") not in r.text
    assert "该主体目前没有公示中的失信记录。" in r.text


# ---- not found -----------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/records/TJZW-2099-999999",
    "/records/TJZW-2099-000000",
    "/records/tjzw-2099-000001",
    "/records/TJZW-99-1",
    "/records/TJZW-2099-000001/extra",
    "/subjects/999999999999",
    "/subjects/0",
    "/subjects/abc",
    "/subjects/-1",
    "/subjects/1.5",
    "/subjects/99999999999999999999999",
    "/nope",
    "/records.html",
    "/static-not-here/x.css",
])
def test_unknown_paths_are_404(stack, world, path):
    r = stack.get(path)
    assert r.status_code == 404, path
    assert r.headers["Content-Type"] == HTML
    assert "页面不存在" in r.text


@pytest.mark.parametrize("path", ["/records/TJZW-2099-999999", "/subjects/999999999999"])
def test_error_responses_carry_no_validators(stack, world, path):
    """credit_page_error() drops the ETag of an error page: a 404 must not
    carry the validators of the page it is not."""
    r = stack.get(path)
    assert r.status_code == 404
    assert "ETag" not in r.headers
    assert "Last-Modified" not in r.headers


def test_unknown_api_path_is_json_404(stack, world):
    r = stack.get("/api/v1/nope")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json()["error"]["code"] == "not_found"


# ---- escaping ------------------------------------------------------------------

def test_title_is_escaped_on_record_page(stack, world):
    rec = world.records["xss"]
    body = stack.get("/records/" + rec.no).text
    assert "<script>alert(1)</script>" not in body
    assert "<script>alert(3)</script>" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(2)&gt;" in body
    # the quotes come out escaped or harmless, and the text reads back intact
    assert html.unescape(re.search(r"<h1>(.*?)</h1>", body, re.S).group(1)) == XSS_TITLE
    assert html.unescape(re.search(r'<p class="facts">(.*?)</p>', body, re.S).group(1)) \
        == XSS_FACTS
    assert "<script" not in body.lower()


@pytest.mark.parametrize("path", ["/records?q=alert(1)", "/records?district=hexi&limit=100",
                                  "/subjects/{subject}"])
def test_title_is_escaped_in_lists(stack, world, path):
    rec = world.records["xss"]
    body = stack.get(path.format(subject=rec.subject.id)).text
    assert rec.no in body
    assert "<script" not in body.lower()
    assert "<img src=x" not in body
    # Search results wrap the match in <mark>: compare the text without tags.
    text = re.sub(r"</?mark>", "", body)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert XSS_SUBJECT not in body


def test_search_words_are_escaped_in_the_form(stack, world):
    q = '"><script>alert(4)</script>'
    r = stack.get("/records", params={"q": q})
    assert r.status_code == 200
    assert "<script>alert(4)" not in r.text
    m = re.search(r'<input name="q" type="search" maxlength="100" value="([^"]*)">', r.text)
    assert m, "the q input is missing or its value broke out of the attribute"
    assert html.unescape(m.group(1)) == q


def test_error_detail_does_not_reflect_markup(stack, world):
    r = stack.get("/records", params={"district": "<script>alert(5)</script>"})
    assert r.status_code == 400
    assert "<script>alert(5)" not in r.text
    assert error_detail(r.text).startswith("district")


def test_record_page_repair_open(stack, world):
    rec = world.records["repair_open"]
    r = stack.get("/records/" + rec.no)
    assert r.status_code == 200
    assert rec.repair_from <= world.today < rec.withdraw_on
    check_clock(r.text, rec)
    assert "已可申请信用修复" in r.text
    assert 'id="repair-wait"' not in r.text


@pytest.mark.parametrize("key", ["official_gone", "official_future"])
def test_official_without_public_records_is_not_published(stack, world, key):
    """An official whose only record is withdrawn (repaired) or not yet
    disclosed has nothing public: the profile must not publish the person
    (name, position, masked ID) under /subjects/{id}, whose ids are
    sequential and easily enumerated."""
    s = world.subjects[key]
    assert stack.get("/records/" + world.no(key)).status_code in (404, 410)
    r = stack.get("/subjects/%d" % s.id)
    assert r.status_code in (404, 410), r.status_code
    for secret in (s.name, portal.mask_id(s.id_full), s.id_full):
        assert secret not in r.text, secret


def test_tombstone_date_is_never_in_the_future(stack, world):
    """A record revoked without a withdrawal date written must not claim on
    its tombstone that it will be withdrawn on its (future) scheduled date."""
    rec = world.records["mutable"]
    stack.sql("UPDATE records SET status = 'revoked', withdrawn_on = NULL WHERE id = %s",
              (rec.id,))
    try:
        r = stack.get("/records/" + rec.no)
        assert r.status_code == 410
        on = datetime.date.fromisoformat(text_by_id(r.text, "gone-on"))
        assert on <= world.today, "tombstone says withdrawn on %s, today is %s" % (
            on, world.today)
    finally:
        stack.sql("UPDATE records SET status = 'published' WHERE id = %s", (rec.id,))
    assert stack.get("/records/" + rec.no).status_code == 200


def test_search_words_of_100_characters(stack, world):
    r = stack.get("/records", params={"q": "测" * 49 + " " + "测" * 50})
    assert r.status_code == 200
    assert total(r.text) == 0
