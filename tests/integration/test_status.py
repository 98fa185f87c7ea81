"""Issue 4 point 4: the status look-up. Receipt + code (in a POST body,
never in a URL) give the status, the dated timeline, the official reply
and the due date; an unknown receipt and a wrong code give the same
answer; guessing is rate limited; personal data is never shown here, never
put in a URL, never logged.

Staff work is simulated with SQL (the admin interface is another issue):
status, due date and reply in the case row, dated notes in case_events.
"""
import datetime
import html
import re
import time

import portal
from citizen import (COMPLAINT_FORM, COMPLAINT_POST, Citizen, assert_not_logged, complaint,
                     receipt, send_many, unique)
from portal import injected_markup, read_form, text_by_id

HTML = "text/html; charset=utf-8"
NOT_FOUND = "未找到对应的办理记录:请核对受理编号和查询码。"
TIMELINE_ITEM = re.compile(r'<li><time>([^<]*)</time> <strong>([^<]*)</strong>'
                           r'(?:<br><span class="note">(.*?)</span>)?</li>', re.S)


def timeline(body):
    """[(time, label, note or None)] of #case-timeline, in page order."""
    m = re.search(r'<ol class="timeline" id="case-timeline">(.*?)</ol>', body, re.S)
    assert m, "no #case-timeline"
    return [(t, html.unescape(label), html.unescape(note) if note else None)
            for t, label, note in TIMELINE_ITEM.findall(m.group(1))]


def submitted(stack, *forms):
    """Submits complaints (one client each); returns [(receipt, code)]."""
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, list(forms))
    out = []
    for r in rs:
        assert r.status_code == 201, r.status_code
        out.append(receipt(r)[:2])
    return out


def case_id(stack, no):
    return stack.sql("SELECT id FROM complaints WHERE receipt_no = %s", (no,))[0][0]


def working_day(stack, after, n):
    """The n-th working day after `after` (calendar_days of 002_calendar.sql;
    Monday to Friday after its end, as the module counts)."""
    rows = dict(stack.sql("SELECT day, is_workday FROM calendar_days WHERE day > %s",
                          (after,)))
    d = after
    while n > 0:
        d += datetime.timedelta(days=1)
        if rows[d] if d in rows else d.weekday() < 5:
            n -= 1
    return d


def test_status_page_asks_for_receipt_and_code_by_post(stack, world):
    with Citizen(stack) as c:
        r = c.get("/complaints/status")
        assert r.status_code == 200
        assert r.headers["Content-Type"] == HTML
        assert r.headers.get("Cache-Control") == "no-store"
        action, values, types, _ = read_form(r.text)
        assert action == "/credit/complaints/status"
        assert values == {"receipt": "", "code": ""}
        assert 'autocomplete="off"' in r.text
        # a receipt and code in a URL are not looked up
        no, code = submitted(stack, complaint(unique("网址")))[0]
        r = c.get("/complaints/status", params={"receipt": no, "code": code})
        assert r.status_code == 200
        assert text_by_id(r.text, "case") is None and no not in r.text


def test_lookup_shows_status_timeline_reply_due_and_nothing_personal(stack, world):
    mark = unique("查询")
    typed = complaint(mark, name="隐私测试人" + mark[-4:], phone="13700002222",
                      email="privacy.%s@example.net" % mark[-6:],
                      evidence="私密证据" + mark, target="某街道办事处" + mark)
    (no, code), = submitted(stack, typed)
    with Citizen(stack) as c:
        r = c.lookup(no, code)
    assert r.status_code == 200
    assert r.headers.get("Cache-Control") == "no-store"
    assert text_by_id(r.text, "case-no") == no
    assert text_by_id(r.text, "case-status") == "已接收"
    assert text_by_id(r.text, "case-reply") == "尚未答复。"
    assert text_by_id(r.text, "case-due") == "受理后计算(工作日)"
    created = stack.sql("SELECT created_at FROM complaints WHERE receipt_no = %s", (no,))[0][0]
    items = timeline(r.text)
    assert items == [(created.strftime("%Y-%m-%d %H:%M:%S"), "已接收", None)]
    assert created.date() == portal.today()
    assert typed["title"] in r.text  # its own title, to recognise the case
    page = html.unescape(r.text)
    for personal in (typed["name"], typed["phone"], typed["email"], typed["evidence"],
                     typed["content"], typed["target"]):
        assert personal not in page
    plain = code.replace("-", "")
    assert code not in r.text and plain not in r.text  # the code is not echoed back
    assert injected_markup(r.text) == []
    assert_not_logged(stack, typed["name"], typed["phone"], typed["email"], code, plain)


def test_code_and_receipt_typed_loosely(stack, world):
    """The code is typed back in any case and grouping (Crockford base32:
    O for 0, I and L for 1); spaces inside the receipt do not matter."""
    (no, code), = submitted(stack, complaint(unique("宽松")))
    plain = code.replace("-", "")
    variants = [plain, plain.lower(), " ".join(plain), code.lower().replace("-", " "),
                plain.replace("0", "O").replace("1", "I"), plain.replace("1", "l").lower(),
                "  %s  " % code]
    receipts = [no, " %s " % no, no.replace("-", " - ")]
    with Citizen(stack) as c:
        for v in variants:
            r = c.lookup(no, v)
            assert r.status_code == 200, v
            assert text_by_id(r.text, "case-no") == no
        for n in receipts[:2]:
            r = c.lookup(n, code)
            assert r.status_code == 200, n


def test_timeline_after_staff_updates(stack, world):
    mark = unique("进度")
    (no, code), = submitted(stack, complaint(mark))
    cid = case_id(stack, no)
    today = portal.today()
    accepted_on = today - datetime.timedelta(days=2)
    due = working_day(stack, accepted_on, 15)
    reply = "经核查,反映情况属实。已责令该局于30日内支付全部欠款。<script>alert('r')</script>"
    now = stack.sql("SELECT NOW()")[0][0].replace(microsecond=0)
    t_received = now - datetime.timedelta(days=3)
    t_accepted = now - datetime.timedelta(days=2)
    t_processing = now - datetime.timedelta(days=1, hours=3)
    t_concluded = now - datetime.timedelta(minutes=5)
    stack.sql("UPDATE case_events SET occurred_at = %s WHERE case_type = 'complaint'"
              " AND case_id = %s", (t_received, cid))
    stack.sql("UPDATE complaints SET status = 'accepted', accepted_on = %s, due_on = %s,"
              " department_id = %s WHERE id = %s", (accepted_on, due, world.dept_id, cid))
    stack.sql_many("INSERT INTO case_events (case_type, case_id, status, note, occurred_at)"
                   " VALUES ('complaint', %s, %s, %s, %s)",
                   [(cid, "concluded", "办结:已答复投诉人<b>。", t_concluded),  # out of order
                    (cid, "accepted", "已受理,转天津市测试局办理", t_accepted),
                    (cid, "processing", "正在调查核实 \"合同\" & 付款记录", t_processing)])
    with Citizen(stack) as c:
        r = c.lookup(no, code)
        assert r.status_code == 200
        assert text_by_id(r.text, "case-status") == "已受理"
        assert text_by_id(r.text, "case-due") == due.isoformat()
        assert text_by_id(r.text, "case-reply") == "尚未答复。"

        stack.sql("UPDATE complaints SET status = 'concluded', reply = %s WHERE id = %s",
                  (reply, cid))
        r = c.lookup(no, code)
    assert r.status_code == 200
    assert text_by_id(r.text, "case-status") == "已办结"
    assert text_by_id(r.text, "case-reply") == " ".join(reply.split())
    assert text_by_id(r.text, "case-due") == due.isoformat()
    fmt = "%Y-%m-%d %H:%M:%S"
    assert timeline(r.text) == [
        (t_received.strftime(fmt), "已接收", None),
        (t_accepted.strftime(fmt), "已受理", "已受理,转天津市测试局办理"),
        (t_processing.strftime(fmt), "办理中", "正在调查核实 \"合同\" & 付款记录"),
        (t_concluded.strftime(fmt), "已办结", "办结:已答复投诉人<b>。"),
    ]
    assert injected_markup(r.text) == []
    assert "<script>alert('r')" not in r.text and "<b>。" not in r.text


def test_rejected_case(stack, world):
    (no, code), = submitted(stack, complaint(unique("不予受理")))
    cid = case_id(stack, no)
    stack.sql("UPDATE complaints SET status = 'rejected', reply = '不属于本平台受理范围。'"
              " WHERE id = %s", (cid,))
    stack.sql("INSERT INTO case_events (case_type, case_id, status, note, occurred_at)"
              " VALUES ('complaint', %s, 'rejected', '不属于受理范围', NOW() + INTERVAL 1 SECOND)",
              (cid,))
    with Citizen(stack) as c:
        r = c.lookup(no, code)
    assert text_by_id(r.text, "case-status") == "不予受理"
    assert [label for _, label, _ in timeline(r.text)] == ["已接收", "不予受理"]
    assert text_by_id(r.text, "case-reply") == "不属于本平台受理范围。"


def normalise_404(body):
    """The not-found page with the echoed receipt taken out."""
    return re.sub(r'(<input id="in-receipt" name="receipt" value=")[^"]*(")', r"\1\2", body)


def test_unknown_receipt_and_wrong_code_answer_alike(stack, world):
    (no_a, code_a), (no_b, code_b) = submitted(stack, complaint(unique("甲")),
                                               complaint(unique("乙")))
    day = no_a.split("-")[1]
    unknown = "TS-%s-999998" % day
    wrong = code_a[:-1] + ("X" if code_a[-1] != "X" else "Y")
    asks = [
        (no_a, wrong),                      # right receipt, wrong code
        (unknown, code_a),                  # unknown receipt, a real code
        (unknown, wrong),
        (no_a, code_b),                     # another case's code
        (no_b, code_a),
        ("YY-%s-000001" % day, code_a),     # another kind
        ("XF-%s-000001" % day, code_a),
        ("TS-%s-000000" % day, code_a),
        (no_a, ""),                         # no code
        (no_a, "ABCD-EFGH-JKMNP-QRST"),     # too long
        (no_a, "!!!!"),
        ("TS-2026", code_a),                # malformed receipts
        ("", code_a),
        ("TS-%s-00000１" % day, code_a),
        ("<script>alert(1)</script>", code_a),
    ]
    bodies = []
    with Citizen(stack) as c:
        for receipt_no, code in asks:
            r = c.lookup(receipt_no, code)
            assert r.status_code == 404, (receipt_no, code)
            assert r.headers["Content-Type"] == HTML
            assert r.headers.get("Cache-Control") == "no-store"
            assert text_by_id(r.text, "lookup-message") == NOT_FOUND
            assert text_by_id(r.text, "case") is None
            assert injected_markup(r.text) == []
            bodies.append(normalise_404(r.text))
        # a well-formed receipt is given back to correct it; the code never
        r = c.lookup(no_a, wrong)
        assert read_form(r.text)[1] == {"receipt": no_a, "code": ""}
    assert len(set(bodies)) == 1, "the not-found answers differ beyond the echoed receipt"


def avoid_window_edge(window=600, margin=8):
    left = window - portal.timestamp() % window
    if left < margin:
        time.sleep(left + 0.2)


def test_lookup_guessing_is_rate_limited(stack, world):
    """20 look-ups per client and 600 s (the default): the 21st answers 429
    whatever it asks, also with the right code; other clients go on."""
    (no, code), = submitted(stack, complaint(unique("猜测")))
    avoid_window_edge()
    guesser = Citizen(stack)
    statuses = []
    for i in range(20):
        r = guesser.lookup(no, "%04d-AAAA-BBBBB" % i)
        statuses.append(r.status_code)
    assert statuses == [404] * 20
    r = guesser.lookup(no, "ZZZZ-AAAA-BBBBB")
    assert r.status_code == 429
    assert r.headers["Content-Type"] == HTML
    assert text_by_id(r.text, "lookup-message") == "查询次数过多,请稍后再试。"
    r = guesser.lookup(no, code)  # even the right code: no answer while over the limit
    assert r.status_code == 429
    assert text_by_id(r.text, "case") is None and "case-status" not in r.text
    guesser.close()
    with Citizen(stack) as other:
        r = other.lookup(no, code)
    assert r.status_code == 200 and text_by_id(r.text, "case-status") == "已接收"
