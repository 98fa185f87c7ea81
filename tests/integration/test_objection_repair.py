"""Issue 4 point 5: objections (/credit/records/{no}/objection) and repair
applications (/credit/records/{no}/repair) with the same receipts, codes and
look-up as complaints. Only public records take them (404 for unknown or
not yet disclosed records, 410 for withdrawn ones); a repair only from the
record's earliest repair date (before that the page says from which date
and why; minor records never) and with rectification done.

Records TJZW-2097-0007NN belong to this module.
"""
import datetime
import html
import re

import pytest

import world as world_mod
from citizen import (RECEIPT, CODE, Citizen, objection, objection_path, receipt, repair,
                     ready_tokens, repair_path, send_many, unique, warm_tokens)
from portal import clock, field_errors, injected_markup, read_form, text_by_id
from test_forms import XSS, expect_form

CONTACT_MSG = "请填写正确的手机号码、固定电话(如 13812345678 或 022-23456789)或电子邮箱"
WHY = "国家发展改革委令第36号"
DAY = datetime.timedelta(days=1)


def with_repair_on(day):
    """(severity, disclosed_on) of a record whose earliest repair date is
    `day`: general (3 months) where a date 3 months back reaches it, else
    serious (1 year; month-end dates such as 05-31 have no date 3 months
    back, and 02-29 none a year back, but never both)."""
    for severity in ("general", "serious"):
        for back in range(80, 400):
            d = day - back * DAY
            if clock(severity, d)[0] == day:
                return severity, d
    raise AssertionError("no disclosure date has its repair date on %s" % day)


@pytest.fixture(scope="module")
def records(stack, world):
    """Records of this module: repair possible from today / from tomorrow,
    rectification not done, two that get withdrawn during a test, and two
    whose disclosure date or rectification changes after their repair form
    was served."""
    t = world.today
    gov = world.subjects["gov"]
    out = {}
    severity, d = with_repair_on(t)
    out["repair_today"] = world_mod.add_record(stack, world, "TJZW-2097-000701", gov,
                                               title="今日起可修复的记录", severity=severity,
                                               disclosed=d)
    severity, d = with_repair_on(t + DAY)
    out["repair_tomorrow"] = world_mod.add_record(stack, world, "TJZW-2097-000702", gov,
                                                  title="明日起可修复的记录", severity=severity,
                                                  disclosed=d)
    out["not_rectified"] = world_mod.add_record(stack, world, "TJZW-2097-000703", gov,
                                                title="尚未完成整改的记录", severity="serious",
                                                disclosed=t - 400 * DAY)
    stack.sql("UPDATE records SET rectified = 0 WHERE id = %s", (out["not_rectified"].id,))
    out["to_withdraw_obj"] = world_mod.add_record(stack, world, "TJZW-2097-000704", gov,
                                                  title="表单打开后撤销的记录", severity="serious",
                                                  disclosed=t - 400 * DAY)
    out["to_withdraw_rep"] = world_mod.add_record(stack, world, "TJZW-2097-000705", gov,
                                                  title="修复表单打开后撤销的记录",
                                                  severity="serious", disclosed=t - 400 * DAY)
    out["date_moves"] = world_mod.add_record(stack, world, "TJZW-2097-000706", gov,
                                             title="修复表单打开后更正公示日期的记录",
                                             severity="serious", disclosed=t - 400 * DAY)
    out["rectification_undone"] = world_mod.add_record(stack, world, "TJZW-2097-000707", gov,
                                                       title="修复表单打开后整改被撤回的记录",
                                                       severity="serious",
                                                       disclosed=t - 400 * DAY)
    return out


@pytest.fixture(scope="module", autouse=True)
def tokens_ahead(stack, world, records):
    """Tokens of the forms this module sends, served ahead (see
    citizen.ready_tokens): they age while the first tests run."""
    for key, n in (("published", 16), ("corrected", 2), ("xss", 22)):
        warm_tokens(stack, objection_path(world.no(key)), n)
    warm_tokens(stack, repair_path(world.no("repair_open")), 20)
    warm_tokens(stack, repair_path(records["repair_today"].no), 1)
    for key in ("date_moves", "rectification_undone"):
        warm_tokens(stack, repair_path(records[key].no), 1)
    warm_tokens(stack, objection_path(records["to_withdraw_obj"].no), 1)
    warm_tokens(stack, repair_path(records["to_withdraw_rep"].no), 1)


def count(stack, table, column, mark):
    return stack.sql("SELECT COUNT(*) FROM %s WHERE %s LIKE %%s" % (table, column),
                     ("%" + mark + "%",))[0][0]


# ---- which records take them ------------------------------------------------------------

def test_objection_only_for_public_records(stack, world):
    with Citizen(stack) as c:
        for key in ("published", "contested", "corrected", "official", "expires_tomorrow",
                    "repair_open"):
            rec = world.records[key]
            r = c.get(objection_path(rec.no))
            assert r.status_code == 200, key
            assert r.headers.get("Cache-Control") == "no-store"
            action, values, types, maxlength = read_form(r.text)
            assert action == "/credit/records/%s/objection" % rec.no
            assert list(values) == ["token", "website", "applicant", "contact", "relation",
                                    "reason", "evidence"]
            assert maxlength["reason"] == 5000 and maxlength["applicant"] == 100
            assert rec.no in r.text and html.escape(rec.title) in r.text
            assert re.search(r'<option value="self">本人</option><option value="unit">本单位'
                             r'</option><option value="agent">代理</option>', r.text)
        for key, status in (("repaired", 410), ("revoked", 410), ("expired_status", 410),
                            ("expires_today", 410), ("expired_long_ago", 410),
                            ("future", 404), ("future_far", 404)):
            r = c.get(objection_path(world.no(key)))
            assert r.status_code == status, key
            assert 'name="token"' not in r.text, key
        r = c.get(objection_path("TJZW-2099-999999"))
        assert r.status_code == 404
        r = c.get(objection_path("NOT-A-NUMBER"))
        assert r.status_code == 404
        # the tombstone says nothing about the withdrawn record
        r = c.get(objection_path(world.no("revoked")))
        assert world.records["revoked"].title not in r.text


def test_record_page_links_to_objection_and_repair(stack, world):
    r = stack.get("/records/" + world.no("repair_open"))
    assert 'id="objection-link" href="/credit/records/%s/objection"' % world.no("repair_open") \
        in r.text
    assert 'id="repair-link" href="/credit/records/%s/repair"' % world.no("repair_open") in r.text
    rec = world.records["published"]
    r = stack.get("/records/" + rec.no)
    assert 'id="objection-link"' in r.text and 'id="repair-link"' not in r.text
    assert rec.repair_from.isoformat() in text_by_id(r.text, "repair-wait")


def test_repair_page_before_the_earliest_date_says_when_and_why(stack, world, records):
    cases = [world.records["published"], world.records["contested"], world.records["clamped"],
             records["repair_tomorrow"]]
    with Citizen(stack) as c:
        for rec in cases:
            if rec.repair_from <= world.today:
                continue  # (clamped: only when its date is still ahead)
            r = c.get(repair_path(rec.no))
            assert r.status_code == 200, rec.no
            assert text_by_id(r.text, "repair-date") == rec.repair_from.isoformat(), rec.no
            assert "起可以申请信用修复" in text_by_id(r.text, "repair-not-yet")
            assert WHY in r.text and "满1年" in r.text and "满3个月" in r.text
            assert 'name="token"' not in r.text and "<form" not in r.text.split('<main')[1]
        # minor records: no repair at all, withdrawn when their period ends
        rec = world.records["official"]
        r = c.get(repair_path(rec.no))
        assert r.status_code == 200
        assert "轻微失信信息不设信用修复程序" in text_by_id(r.text, "repair-not-yet")
        assert rec.withdraw_on.isoformat() in text_by_id(r.text, "repair-not-yet")
        assert 'name="token"' not in r.text
        for key, status in (("repaired", 410), ("revoked", 410), ("future", 404)):
            assert c.get(repair_path(world.no(key))).status_code == status, key
        assert c.get(repair_path("TJZW-2099-999998")).status_code == 404


def test_repair_possible_from_its_date_on(stack, world, records):
    rec = records["repair_today"]
    assert rec.repair_from == world.today
    mark = unique("当日修复")
    r, = send_many(stack, repair_path(rec.no), repair_path(rec.no), [repair(mark)])
    assert r.status_code == 201, field_errors(r.text)
    assert RECEIPT["repair"].match(receipt(r)[0])


def refused_then_received(stack, rec, change, undo, page_says):
    """The repair form of rec is served while it may be repaired; then
    `change` (SQL on rec.id) makes it not repairable, and the form sent with
    its own, good token is refused by that rule alone: the page says why
    (page_says(text) is true), no form, nothing stored. After `undo` the
    same form is received: the token was never the reason."""
    t, = ready_tokens(stack, repair_path(rec.no), 1)
    mark = unique("修复规则")
    stack.sql(change, (rec.id,))
    try:
        with Citizen(stack) as c:
            r = c.submit(repair_path(rec.no), repair(mark), t)
        assert r.status_code == 200, r.status_code
        assert receipt(r)[0] is None
        assert page_says(text_by_id(r.text, "repair-not-yet")), text_by_id(r.text, "repair-not-yet")
        assert 'name="token"' not in r.text
        assert count(stack, "repair_applications", "rectification", mark) == 0
    finally:
        stack.sql(undo, (rec.id,))
    with Citizen(stack) as c:
        r = c.submit(repair_path(rec.no), repair(mark), t)
    assert r.status_code == 201, field_errors(r.text)
    assert count(stack, "repair_applications", "rectification", mark) == 1


def test_repair_post_before_the_date_is_refused(stack, world, records):
    """The disclosure date is corrected after the form was served, so the
    earliest repair date is ahead again: the post is refused, the page names
    the new date."""
    rec = records["date_moves"]
    moved = world.today - 30 * DAY
    repair_from = clock("serious", moved)[0]
    refused_then_received(
        stack, rec, "UPDATE records SET disclosed_on = '%s' WHERE id = %%s" % moved.isoformat(),
        "UPDATE records SET disclosed_on = '%s' WHERE id = %%s" % rec.disclosed.isoformat(),
        lambda text: repair_from.isoformat() in text and "起可以申请信用修复" in text)


def test_repair_post_without_rectification_is_refused(stack, world, records):
    """The rectification is marked not done after the form was served: the
    post is refused, the page says the rectification is missing."""
    rec = records["rectification_undone"]
    refused_then_received(
        stack, rec, "UPDATE records SET rectified = 0 WHERE id = %s",
        "UPDATE records SET rectified = 1 WHERE id = %s",
        lambda text: "整改尚未完成" in text)


def test_repair_needs_rectification_done(stack, world, records):
    """SPEC 3: a repair is possible only after the minimum period *and with
    rectification done* (the record's done flag). A record past its date
    whose rectification is not done must not take a repair application."""
    rec = records["not_rectified"]
    assert rec.repair_from <= world.today
    with Citizen(stack) as c:
        r = c.get(repair_path(rec.no))
    assert 'name="token"' not in r.text, (
        "the repair form is offered for %s although records.rectified = 0" % rec.no)


# ---- objections ------------------------------------------------------------------------------

def test_objection_stored_with_receipt_and_lookup(stack, world):
    rec = world.records["corrected"]
    mark = unique("异议")
    typed = objection(mark, contact="  objection.%s@example.com " % mark[-5:], relation="self",
                      applicant="王异议\u3000")
    r, = send_many(stack, objection_path(rec.no), objection_path(rec.no), [typed])
    assert r.status_code == 201, field_errors(r.text)
    assert r.headers.get("Cache-Control") == "no-store"
    no, code, replayed = receipt(r)
    assert RECEIPT["objection"].match(no) and CODE.match(code) and not replayed
    assert rec.no in text_by_id(r.text, "receipt")
    row = stack.sql("SELECT o.applicant, o.contact, o.relation, o.reason, o.evidence, o.status,"
                    " r.record_no, LENGTH(o.code_hash), LENGTH(o.client_hash) FROM objections o"
                    " JOIN records r ON r.id = o.record_id WHERE o.receipt_no = %s", (no,))
    assert row == [("王异议", typed["contact"].strip(), "self", typed["reason"], typed["evidence"],
                    "received", rec.no, 32, 32)]
    # the record itself is not changed by a citizen's objection (staff accept it)
    assert stack.sql("SELECT status FROM records WHERE id = %s", (rec.id,)) == [("corrected",)]
    with Citizen(stack) as c:
        s = c.lookup(no, code)
    assert s.status_code == 200
    assert text_by_id(s.text, "case-no") == no
    assert text_by_id(s.text, "case-status") == "已接收"
    assert '<a href="/credit/records/%s">%s</a>' % (rec.no, rec.no) in s.text
    assert "王异议" not in s.text and typed["contact"].strip() not in s.text
    assert typed["reason"] not in s.text


def test_objection_decision_in_status(stack, world):
    rec = world.records["published"]
    mark = unique("异议决定")
    r, = send_many(stack, objection_path(rec.no), objection_path(rec.no), [objection(mark)])
    no, code, _ = receipt(r)
    oid = stack.sql("SELECT id FROM objections WHERE receipt_no = %s", (no,))[0][0]
    due = (world.today + 28 * DAY)
    stack.sql("UPDATE objections SET status = 'upheld', accepted_on = %s, due_on = %s,"
              " reply = '经复核,原记录无误,予以维持。' WHERE id = %s", (world.today, due, oid))
    stack.sql("INSERT INTO case_events (case_type, case_id, status, note, occurred_at)"
              " VALUES ('objection', %s, 'upheld', '维持原记录', NOW() + INTERVAL 1 SECOND)", (oid,))
    with Citizen(stack) as c:
        s = c.lookup(no, code)
    assert text_by_id(s.text, "case-status") == "维持"
    assert text_by_id(s.text, "case-due") == due.isoformat()
    assert text_by_id(s.text, "case-reply") == "经复核,原记录无误,予以维持。"


def test_objection_validation(stack, world):
    rec = world.records["published"]
    path = objection_path(rec.no)
    mark = unique("异议校验")
    good = objection(mark)
    cases = [
        ({}, {"applicant": "请填写申请人", "contact": "请填写联系方式",
              "relation": "请选择与该记录的关系", "reason": "请填写异议理由"}),
        (dict(good, relation="friend"), {"relation": "与该记录的关系的选项无效，请从列表中选择"}),
        (dict(good, contact="abc"), {"contact": CONTACT_MSG}),
        (dict(good, contact="a@b"), {"contact": "请填写正确的电子邮箱"}),
        (dict(good, contact="１３８１２３４５６７８"),
         {"contact": "电话号码请使用半角数字填写(如 13812345678 或 022-23456789)，不要使用全角数字"}),
        (dict(good, reason="十九个字" + "少" * 15), {"reason": "异议理由至少需要20字"}),
        (dict(good, reason="汉" * 5001), {"reason": "异议理由不能超过5000字(现为5001字)"}),
        (dict(good, applicant="申" * 101), {"applicant": "申请人不能超过100字(现为101字)"}),
        (dict(good, evidence="证" * 2001), {"evidence": "证据材料不能超过2000字(现为2001字)"}),
        (dict(good, contact="13812345678", reason=mark + "理由" * 10), None),
        (dict(good, contact="li.si@example.com", relation="agent",
              reason=mark + "代理" * 10), None),
        (dict(good, contact="022-23456789", relation="self", evidence="",
              reason=mark + "本人" * 10), None),
    ]
    rs = send_many(stack, path, path, [c for c, _ in cases])
    for (typed, errors), r in zip(cases, rs):
        if errors is None:
            assert r.status_code == 201, (typed, field_errors(r.text))
        else:
            expect_form(r, 400, typed, errors, "fix_fields")
    assert count(stack, "objections", "reason", mark) == 3


def test_objection_xss_and_sql_everywhere(stack, world):
    rec = world.records["xss"]  # its title is a payload too
    path = objection_path(rec.no)
    forms = []
    for p in XSS:
        forms.append({"applicant": p, "contact": p, "relation": p, "reason": p, "evidence": p})
    good = [objection(applicant=p, reason=p + " 理由足够长足够长足够长足够长足够长足够长",
                      evidence=p) for p in XSS]
    rs = send_many(stack, path, path, forms + good)
    for p, form, r in zip(XSS, forms, rs):
        values = expect_form(r, 400, {k: v for k, v in form.items() if k != "relation"},
                             None, "fix_fields")
        assert values["applicant"] == p
        assert p not in r.text and rec.title not in r.text
        assert rec.title in html.unescape(r.text)  # the record's title, as text
    with Citizen(stack) as c:
        for p, form, r in zip(XSS, good, rs[len(XSS):]):
            assert r.status_code == 201, (p, field_errors(r.text))
            assert injected_markup(r.text) == []
            no, code, _ = receipt(r)
            row = stack.sql("SELECT applicant, reason, evidence FROM objections"
                            " WHERE receipt_no = %s", (no,))
            assert row == [(form["applicant"].strip(), form["reason"].strip(),
                            form["evidence"].strip())]
            s = c.lookup(no, code)
            assert s.status_code == 200 and injected_markup(s.text) == []


def test_objection_on_a_record_withdrawn_after_the_form_was_served(stack, world, records):
    rec = records["to_withdraw_obj"]
    mark = unique("撤销后异议")
    with Citizen(stack) as c:
        t, = ready_tokens(stack, objection_path(rec.no), 1)  # served before the withdrawal
        stack.sql("UPDATE records SET status = 'revoked', withdrawn_on = %s WHERE id = %s",
                  (world.today, rec.id))
        r = c.submit(objection_path(rec.no), objection(mark), t)
    assert r.status_code == 410
    assert count(stack, "objections", "reason", mark) == 0


# ---- repairs --------------------------------------------------------------------------------

def test_repair_form_stored_with_receipt_and_lookup(stack, world):
    rec = world.records["repair_open"]
    assert rec.repair_from <= world.today
    mark = unique("修复")
    with Citizen(stack) as c:
        r = c.get(repair_path(rec.no))
    assert r.status_code == 200
    action, values, types, _ = read_form(r.text)
    assert action == "/credit/records/%s/repair" % rec.no
    assert list(values) == ["token", "website", "applicant", "contact", "rectification",
                            "commitment", "confirm_rectified"]
    assert types["confirm_rectified"] == "checkbox" and values["confirm_rectified"] is None
    typed = repair(mark)
    r, = send_many(stack, repair_path(rec.no), repair_path(rec.no), [typed])
    assert r.status_code == 201, field_errors(r.text)
    no, code, _ = receipt(r)
    assert RECEIPT["repair"].match(no) and CODE.match(code)
    row = stack.sql("SELECT a.applicant, a.contact, a.rectification, a.commitment, a.status,"
                    " r.record_no FROM repair_applications a JOIN records r ON r.id = a.record_id"
                    " WHERE a.receipt_no = %s", (no,))
    assert row == [(typed["applicant"], typed["contact"], typed["rectification"],
                    typed["commitment"], "received", rec.no)]
    aid = stack.sql("SELECT id FROM repair_applications WHERE receipt_no = %s", (no,))[0][0]
    with Citizen(stack) as c:
        s = c.lookup(no, code)
        assert s.status_code == 200
        assert text_by_id(s.text, "case-status") == "已接收"
        assert rec.no in s.text and typed["contact"] not in s.text
        # the deciding authority receives it: 3 working days to decide, 10 to answer
        stack.sql("UPDATE repair_applications SET status = 'approved', received_on = %s,"
                  " decide_due_on = %s, reply_due_on = %s, reply = '准予信用修复。' WHERE id = %s",
                  (world.today, world.today + 5 * DAY, world.today + 14 * DAY, aid))
        s = c.lookup(no, code)
    assert text_by_id(s.text, "case-status") == "准予修复"
    assert text_by_id(s.text, "case-due") == (world.today + 5 * DAY).isoformat()
    assert (world.today + 14 * DAY).isoformat() in s.text
    assert text_by_id(s.text, "case-reply") == "准予信用修复。"


def test_repair_validation_and_xss(stack, world):
    rec = world.records["repair_open"]
    path = repair_path(rec.no)
    mark = unique("修复校验")
    good = repair(mark)
    no_box = {k: v for k, v in good.items() if k != "confirm_rectified"}
    cases = [
        ({}, {"applicant": "请填写申请人", "contact": "请填写联系方式",
              "rectification": "请填写整改情况", "commitment": "请填写信用承诺",
              "confirm_rectified": "请确认已完成整改"}),
        (no_box, {"confirm_rectified": "请确认已完成整改"}),
        (dict(good, confirm_rectified="2"), {"confirm_rectified": "已完成整改的取值无效"}),
        (dict(good, rectification="已整改"), {"rectification": "整改情况至少需要20字"}),
        (dict(good, commitment="承诺"), {"commitment": "信用承诺至少需要20字"}),
        (dict(good, commitment="诺" * 2001), {"commitment": "信用承诺不能超过2000字(现为2001字)"}),
        (dict(good, contact="no-contact"), {"contact": CONTACT_MSG}),
    ]
    for p in XSS:
        cases.append(({"applicant": p, "contact": p, "rectification": p, "commitment": p,
                       "confirm_rectified": p}, None))
    rs = send_many(stack, path, path, [c for c, _ in cases])
    for (typed, errors), r in zip(cases, rs):
        values = expect_form(r, 400, {k: v for k, v in typed.items() if k != "confirm_rectified"},
                             errors, "fix_fields")
        if errors is None:
            assert "confirm_rectified" in field_errors(r.text)
        if typed.get("confirm_rectified") == "1":
            assert values["confirm_rectified"] == "1"  # the box stays ticked
    assert count(stack, "repair_applications", "rectification", mark) == 0


def test_repair_on_a_record_withdrawn_after_the_form_was_served(stack, world, records):
    rec = records["to_withdraw_rep"]
    mark = unique("撤销后修复")
    with Citizen(stack) as c:
        t, = ready_tokens(stack, repair_path(rec.no), 1)  # served before the withdrawal
        stack.sql("UPDATE records SET status = 'repaired', withdrawn_on = %s WHERE id = %s",
                  (world.today, rec.id))
        r = c.submit(repair_path(rec.no), repair(mark), t)
    assert r.status_code == 410
    assert count(stack, "repair_applications", "rectification", mark) == 0
