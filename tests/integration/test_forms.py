"""Issue 4 points 1 and 3: the complaint form, field by field, and the
abuse resistance of every citizens' form.

Every field is validated (lengths in characters, valid UTF-8, phone, e-mail,
dates, district and domain from their lists); on any error the form comes
back (400) with a specific Chinese message at each bad field and everything
typed still filled in. Bodies are limited to 128 KB and 32 fields (413 page).
Tokens (HMAC over issue time), the honeypot, the minimum fill time and the
per-client rate limit refuse what they should and keep the text.

Each submission comes from a loopback address of its own (citizen.py), so
the rate limit of one test never meets another's.
"""
import datetime
import html
import re
import time
from urllib.parse import quote, urlencode

import pytest

import portal
from conftest import ClockedHttpd
from citizen import (COMPLAINT_FORM, COMPLAINT_POST, Citizen, complaint, fill_many,
                     fresh_pools, hidden_token, objection_path, receipt, send_many,  # noqa: F401
                     ready_tokens, unique, wait_fill)
from portal import field_errors, injected_markup, read_form, text_by_id

HTML = "text/html; charset=utf-8"

# name -> (label, max characters, min characters) of credit_form.c
COMPLAINT_TEXT = {"target": ("投诉对象", 100, 0), "title": ("投诉标题", 100, 5),
                  "content": ("投诉内容", 5000, 20), "evidence": ("证据材料", 2000, 0),
                  "name": ("姓名", 50, 0)}
COMPLAINT_ORDER = ["target", "subject_id", "district", "domain", "title", "content", "conduct_on",
                   "evidence", "name", "phone", "email"]
MISSING = {"target": "请填写投诉对象", "district": "请选择所属地区", "domain": "请选择所属领域",
           "title": "请填写投诉标题", "content": "请填写投诉内容"}
PHONE_MSG = "请填写正确的手机号码或固定电话(如 13812345678 或 022-23456789)"
PHONE_FULLWIDTH_MSG = ("电话号码请使用半角数字填写(如 13812345678 或 022-23456789)，"
                       "不要使用全角数字")
EMAIL_MSG = "请填写正确的电子邮箱"
DATE_MSG = "请按 年-月-日 格式填写正确的违规行为发生日期(如 2025-03-01)"
BAD_UTF8 = "%s含有无法识别的字符(不是有效的UTF-8编码)"
BANNER = {
    "fix_fields": "请根据下方提示修改后重新提交。您填写的内容已保留。",
    "too_fast": "提交过快,请确认填写内容后再次提交。您填写的内容已保留。",
    "bad_token": "表单校验未通过,请确认内容后重新提交。您填写的内容已保留。",
    "submit_rejected": "提交未通过校验,请确认内容后重新提交。",
    "rate_limited": "您在短时间内提交次数过多,请稍后再提交。您填写的内容已保留,本次提交尚未保存。",
    "cross_site": "此表单是从其他网站提交过来的,未予保存。如需提交,请在本页填写后在此提交。",
}
TRIM = " \t\n\r\v\f\u3000"


def kept(name, value):
    """What the form shows again for a typed value (credit_form.c: trimmed
    of ASCII white space and U+3000; line breaks of long text as LF)."""
    v = value.strip(TRIM)
    if name in ("content", "evidence", "reason", "rectification", "commitment"):
        v = v.replace("\r\n", "\n").replace("\r", "\n")
    return v


def expect_form(r, status, typed, errors=None, banner=None):
    """r is the form again: status, the banner, exactly `errors` (name ->
    message, or a compiled regex), every typed value of `typed` still in
    its control (except fields listed in errors whose value cannot be kept),
    and no markup that a typed value could have injected."""
    assert r.status_code == status, (r.status_code, text_by_id(r.text, "form-banner"),
                                     field_errors(r.text))
    assert r.headers["Content-Type"] == HTML
    assert r.headers.get("Cache-Control") == "no-store"
    assert text_by_id(r.text, "receipt-no") is None
    if banner:
        assert text_by_id(r.text, "form-banner") == BANNER[banner]
    got = field_errors(r.text)
    if errors is not None:
        assert set(got) == set(errors), got
        for name, msg in errors.items():
            if hasattr(msg, "search"):
                assert msg.search(got[name]), (name, got[name])
            else:
                assert got[name] == msg, (name, got[name])
    _, values, types, _ = read_form(r.text)
    for name, value in typed.items():
        if name in ("token", "website"):
            continue
        if types.get(name) == "select":
            if name not in got:
                assert values[name] == value, (name, values[name])
            continue
        if name in got and got[name].endswith("(不是有效的UTF-8编码)"):
            assert values[name] == "", name  # invalid UTF-8 is not redisplayed
            continue
        assert values.get(name) == kept(name, value), (name, values.get(name), value)
    assert injected_markup(r.text) == []
    return values


def rows_with(stack, table, column, marker):
    return stack.sql("SELECT COUNT(*) FROM %s WHERE %s LIKE %%s" % (table, column),
                     ("%" + marker + "%",))[0][0]


# ---- the form page --------------------------------------------------------------

def test_complaint_form_page(stack, world):
    with Citizen(stack) as c:
        r = c.get(COMPLAINT_FORM)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == HTML
    assert r.headers.get("Cache-Control") == "no-store"
    action, values, types, maxlength = read_form(r.text)
    assert action == "/credit/complaints"  # no query string: nothing personal in a URL
    assert re.search(r'<form method="post" action="/credit/complaints"', r.text)
    assert list(values) == ["token", "website"] + COMPLAINT_ORDER
    assert types["token"] == "hidden"
    assert re.fullmatch(r"v1\.\d+\.[0-9a-f]{32}\.[0-9a-f]{64}", values["token"])
    assert values["website"] == ""  # the honeypot, hidden from people
    assert re.search(r'<div class="hp" aria-hidden="true">', r.text)
    assert types["district"] == "select" and types["domain"] == "select"
    assert types["content"] == "textarea" and types["evidence"] == "textarea"
    assert types["conduct_on"] == "date" and types["phone"] == "tel"
    assert types["email"] == "email"
    for name, (_label, limit, _min) in COMPLAINT_TEXT.items():
        assert maxlength[name] == limit, name
    # every district of SPEC 3 and every domain is offered
    options = re.findall(r'<option value="(\w+)">', r.text)
    assert [o for o in options if o in world_districts()] == world_districts()
    for d in ("procurement", "ppp", "bidding", "investment", "debt", "grassroots", "other"):
        assert d in options
    assert "滨海新区" in r.text and "蓟州区" in r.text and "政府和社会资本合作" in r.text
    assert injected_markup(r.text) == []
    # two visits, two tokens
    with Citizen(stack) as c:
        assert c.token(COMPLAINT_FORM) != values["token"]


def world_districts():
    from world import DISTRICTS
    return DISTRICTS


# ---- valid complaints -------------------------------------------------------------

def test_valid_complaint_is_stored_as_typed(stack, world):
    mark = unique("存储")
    subject = world.subjects["gov"]
    full = complaint(mark, subject_id=str(subject.id), name="  张三\u3000", phone="13812345678",
                     email="zhang.san+tj@example.com.cn",
                     content="\u3000第一行:" + mark + "拖欠款项情况如下。\r\n第二行\r第三行\t制表符 ",
                     conduct_on=portal.today().isoformat())
    anonymous = {k: complaint(mark + "匿名")[k]
                 for k in ("target", "district", "domain", "title", "content")}
    nobody = complaint(mark + "无主体", subject_id="9007199254740992")
    r_full, r_anon, r_nobody = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST,
                                         [full, anonymous, nobody])
    for r in (r_full, r_anon, r_nobody):
        assert r.status_code == 201, field_errors(r.text)
    no = receipt(r_full)[0]
    row = stack.sql("SELECT target, subject_id, district, domain, title, content, conduct_on,"
                    " evidence, name, phone, email, status FROM complaints WHERE receipt_no = %s",
                    (no,))
    assert len(row) == 1
    target, subject_id, district, domain, title, content, conduct_on, evidence, name, phone, \
        email, status = row[0]
    assert (target, subject_id, district, domain, title) == (
        full["target"], subject.id, "heping", "procurement", full["title"])
    assert content == "第一行:" + mark + "拖欠款项情况如下。\n第二行\n第三行\t制表符"
    assert conduct_on == portal.today()
    assert (evidence, name, phone, email) == (full["evidence"], "张三", "13812345678",
                                              "zhang.san+tj@example.com.cn")
    assert status == "received"

    row = stack.sql("SELECT subject_id, conduct_on, evidence, name, phone, email FROM complaints"
                    " WHERE receipt_no = %s", (receipt(r_anon)[0],))
    assert row == [(None, None, None, None, None, None)]  # anonymous is allowed
    # a subject id that names nobody: kept as free text only (the target)
    row = stack.sql("SELECT subject_id, target FROM complaints WHERE receipt_no = %s",
                    (receipt(r_nobody)[0],))
    assert row == [(None, nobody["target"])]


# ---- missing fields ------------------------------------------------------------------

def test_required_fields_missing(stack, world):
    mark = unique("缺项")
    good = complaint(mark)
    cases = [{}]                                          # nothing at all
    cases.append({k: " \u3000\t" for k in COMPLAINT_ORDER})  # only white space
    for name in MISSING:                                  # one missing, the rest kept
        cases.append({k: v for k, v in good.items() if k != name})
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, cases)
    expect_form(rs[0], 400, {}, MISSING, "fix_fields")
    expect_form(rs[1], 400, {}, MISSING, "fix_fields")
    for name, r in zip(MISSING, rs[2:]):
        expect_form(r, 400, cases[2 + list(MISSING).index(name)], {name: MISSING[name]},
                    "fix_fields")
    assert rows_with(stack, "complaints", "content", mark) == 0


# ---- lengths ---------------------------------------------------------------------------

def test_lengths_are_counted_in_characters(stack, world):
    """At the limit (in code points, whatever their UTF-8 length) a field is
    accepted; one character more and its message names the limit and the
    count. The shortest title and content are accepted, shorter ones not."""
    mark = unique("长度")
    at_limit = complaint(mark, target="汉" * 100, title=("标题" + mark + "汉" * 100)[:100],
                         content=(mark + "汉" * 5000)[:5000], evidence="e" * 2000,
                         name="𠮷" * 50,  # four UTF-8 bytes, one character each
                         email="a" * 64 + "@" + ("b" * 63 + ".") * 2 + "c" * 58 + ".cn")
    assert len(at_limit["email"]) == 254
    at_min = complaint(mark + "短", title="五个字标题", content="二十个字的投诉内容" + "足" * 11)
    assert len(at_min["content"]) == 20
    over = complaint(mark + "超", target="汉" * 101, title="汉" * 101, content="汉" * 5001,
                     evidence="e" * 2001, name="𠮷" * 51)
    under = complaint(mark + "少", title="四个字题", content="十九个字" + "少" * 15)
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, [at_limit, at_min, over, under])

    assert rs[0].status_code == 201, field_errors(rs[0].text)
    row = stack.sql("SELECT CHAR_LENGTH(target), CHAR_LENGTH(title), CHAR_LENGTH(content),"
                    " CHAR_LENGTH(evidence), name, email FROM complaints WHERE receipt_no = %s",
                    (receipt(rs[0])[0],))
    assert row == [(100, 100, 5000, 2000, "𠮷" * 50, at_limit["email"])]
    assert rs[1].status_code == 201, field_errors(rs[1].text)

    expect_form(rs[2], 400, over, {
        "target": "投诉对象不能超过100字(现为101字)",
        "title": "投诉标题不能超过100字(现为101字)",
        "content": "投诉内容不能超过5000字(现为5001字)",
        "evidence": "证据材料不能超过2000字(现为2001字)",
        "name": "姓名不能超过50字(现为51字)",
    }, "fix_fields")
    expect_form(rs[3], 400, under, {"title": "投诉标题至少需要5字",
                                    "content": "投诉内容至少需要20字"}, "fix_fields")
    assert rows_with(stack, "complaints", "title", mark + "超") == 0


def test_every_field_at_its_maximum_fits_the_body_limit(stack, world):
    """A person may fill every field to the length the form allows (its
    maxlength attributes) in Chinese: the browser sends each character as
    9 bytes (%E6%B1%89). Such a form must be within the body limit rather
    than be refused with a 413 (about 65,800 bytes against 65,536)."""
    digits = "〇一二三四五六七八九"
    mark = "".join(digits[int(ch)] for ch in unique("") if ch.isdigit())  # CJK only
    full = complaint(mark, target="汉" * 100, title=(mark + "汉" * 100)[:100],
                     content="汉" * 5000, evidence="证" * 2000, name="张" * 50,
                     subject_id=str(world.subjects["gov"].id), phone="0316-12345678",
                     email="a" * 64 + "@" + ("b" * 63 + ".") * 2 + "c" * 58 + ".cn")
    assert len(full["email"]) == 254 and len(full["title"]) == 100
    with Citizen(stack) as c:
        t, = ready_tokens(stack, COMPLAINT_FORM, 1)
        body = urlencode(dict(full, token=t, website=""))
        r = c.post(COMPLAINT_POST, body)
    assert r.status_code == 201, (
        "the form filled to its own limits (%d bytes url-encoded) answered %d: the body limit "
        "of 128 KB (CREDIT_FORM_MAX_BYTES) is below what the fields allow" % (len(body),
                                                                             r.status_code))


# ---- characters ---------------------------------------------------------------------------

def test_invalid_utf8_is_refused_per_field(stack, world):
    """Raw bytes that are not UTF-8 (a lone %FF, an overlong '/', a UTF-16
    surrogate, a code point above U+10FFFF, a truncated sequence, a NUL)
    are an error on their own field; the value is not shown again, the
    other fields are."""
    mark = unique("编码")
    good = complaint(mark, name="李四")
    bad = {"target": "abc%FFdef", "title": "%C0%AF%E6%A0%87%E9%A2%98", "content": None,
           "evidence": "%ED%A0%80" + quote("证据"), "name": "%F4%90%80%80"}
    content_bad = quote(good["content"]) + "%E6%B1"  # cut in the middle of a character

    def body(values):
        def make(token):
            pairs = []
            for k, v in dict(good, token=token, website="").items():
                if k in values:
                    pairs.append("%s=%s" % (k, values[k]))
                else:
                    pairs.append(urlencode({k: v}))
            return "&".join(pairs)
        return make

    all_bad = dict(bad, content=content_bad)
    nul = {"title": quote("标题") + "%00" + quote("后面")}
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, [body(all_bad), body(nul)])
    typed = {k: v for k, v in good.items() if k not in all_bad}
    values = expect_form(rs[0], 400, typed, {k: BAD_UTF8 % COMPLAINT_TEXT[k][0] for k in all_bad},
                         "fix_fields")
    for k in all_bad:
        assert values[k] == "", k
    values = expect_form(rs[1], 400, {k: v for k, v in good.items() if k != "title"},
                         {"title": BAD_UTF8 % "投诉标题"}, "fix_fields")
    assert values["title"] == ""
    assert rows_with(stack, "complaints", "content", mark) == 0


def test_control_characters_are_named(stack, world):
    mark = unique("控制")
    typed = complaint(mark, title="标题\x07响铃" + mark, target="对象\u2028分隔",
                      content=complaint(mark)["content"] + "\x1b[31m", name="王\u0085五",
                      evidence="证据\ufffe材料")
    ok = complaint(mark + "制表", content=complaint(mark)["content"] + "\n第二行\t缩进")
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, [typed, ok])
    expect_form(rs[0], 400, typed, {
        "title": "投诉标题含有不允许的字符(U+0007)，请删除后重新提交",
        "target": "投诉对象含有不允许的字符(U+2028)，请删除后重新提交",
        "content": "投诉内容含有不允许的字符(U+001B)，请删除后重新提交",
        "name": "姓名含有不允许的字符(U+0085)，请删除后重新提交",
        "evidence": "证据材料含有不允许的字符(U+FFFE)，请删除后重新提交",
    }, "fix_fields")
    assert rs[1].status_code == 201, field_errors(rs[1].text)


# ---- typed checks ----------------------------------------------------------------------------

def test_phone_email_date_and_list_checks(stack, world):
    today = portal.today()
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    mark = unique("格式")
    ID_MSG = "失信主体编号应为正整数(如 123)"
    # (field, value, expected message or None for valid)
    cases = [
        ("phone", "13812345678", None), ("phone", "19912345678", None),
        ("phone", "022-23456789", None), ("phone", "02223456789", None),
        ("phone", "0316-1234567", None),
        ("phone", "123", PHONE_MSG), ("phone", "1381234567", PHONE_MSG),
        ("phone", "12812345678", PHONE_MSG), ("phone", "138123456789", PHONE_MSG),
        ("phone", "1381234567a", PHONE_MSG), ("phone", "+8613812345678", PHONE_MSG),
        ("phone", "022-234567", PHONE_MSG), ("phone", "22-23456789", PHONE_MSG),
        ("phone", "１３８１２３４５６７８", PHONE_FULLWIDTH_MSG),
        ("email", "zhang.san+tj@example.com.cn", None), ("email", "x@example.xn--fiqs8s", None),
        ("email", "o'brien@mail.example.org", None),
        ("email", "a@b", EMAIL_MSG), ("email", "a@b.c", EMAIL_MSG),
        ("email", "a..b@example.com", EMAIL_MSG), ("email", ".a@example.com", EMAIL_MSG),
        ("email", "@example.com", EMAIL_MSG), ("email", "a@example.com.", EMAIL_MSG),
        ("email", "a b@example.com", EMAIL_MSG), ("email", "张三@example.cn", EMAIL_MSG),
        ("email", "a@-example.com", EMAIL_MSG), ("email", "a@exa_mple.com", EMAIL_MSG),
        ("email", "a@example.c0m", EMAIL_MSG), ("email", "a@b@example.com", EMAIL_MSG),
        ("email", "a" * 65 + "@example.com", EMAIL_MSG),
        ("conduct_on", today.isoformat(), None), ("conduct_on", "2000-01-01", None),
        ("conduct_on", "2024-02-29", None),
        ("conduct_on", "2025-13-01", DATE_MSG), ("conduct_on", "2025-02-29", DATE_MSG),
        ("conduct_on", "2025/01/01", DATE_MSG), ("conduct_on", "20250101", DATE_MSG),
        ("conduct_on", "2025-1-1", DATE_MSG), ("conduct_on", "昨天", DATE_MSG),
        ("conduct_on", "1999-12-31", "违规行为发生日期不能早于2000年1月1日"),
        ("conduct_on", tomorrow, "违规行为发生日期不能晚于今天"),
        ("district", "tianjin", "所属地区的选项无效，请从列表中选择"),
        ("district", "HEPING", "所属地区的选项无效，请从列表中选择"),
        ("domain", "weather", "所属领域的选项无效，请从列表中选择"),
        ("subject_id", "abc", ID_MSG), ("subject_id", "0", ID_MSG), ("subject_id", "-3", ID_MSG),
        ("subject_id", "1.5", ID_MSG), ("subject_id", "9007199254740993", ID_MSG),
        ("subject_id", "0012", ID_MSG),
    ]
    # every district and domain of the lists is accepted
    for d in world_districts():
        cases.append(("district", d, None))
    for d in ("procurement", "ppp", "bidding", "investment", "debt", "grassroots", "other"):
        cases.append(("domain", d, None))
    forms = [complaint("%s-%d" % (mark, i), **{field: value})
             for i, (field, value, _) in enumerate(cases)]
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, forms)
    for (field, value, msg), form, r in zip(cases, forms, rs):
        if msg is None:
            assert r.status_code == 201, (field, value, field_errors(r.text))
        else:
            try:
                expect_form(r, 400, form, {field: msg}, "fix_fields")
            except AssertionError as e:
                raise AssertionError("%s=%r: %s" % (field, value, e)) from e
    accepted = stack.sql("SELECT COUNT(*) FROM complaints WHERE title LIKE %s", ("%" + mark + "%",))
    assert accepted[0][0] == sum(1 for c in cases if c[2] is None)


def test_a_field_sent_twice_is_an_error(stack, world):
    mark = unique("重复")
    good = complaint(mark)

    def twice(token):
        return urlencode(dict(good, token=token, website="")) + "&" + urlencode(
            {"title": "第二个标题" + mark})
    r, = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, [twice])
    expect_form(r, 400, good, {"title": "投诉标题字段重复提交"}, "fix_fields")


# ---- XSS and SQL ---------------------------------------------------------------------------------

XSS = ['<script>alert("x1")</script>', '"><img src=x onerror=alert(2)>',
       "'><svg/onload=alert(3)>", "</textarea><script>alert(4)</script>",
       '<a href="javascript:alert(5)">点我</a>', "&lt;b&gt;&amp;&#x3c;",
       "<?cs var:Page.Base ?>{{7*7}}",
       "<iframe srcdoc='<script>alert(6)</script>'>", "<style>*{display:none}</style>",
       "--></p><p id=\"case-status\">已办结</p>"]


def test_xss_payloads_are_escaped_in_the_form_again(stack, world):
    """Every field carries a payload; the form comes back (errors on the
    fields that cannot hold markup) with every payload in its control as
    typed, and no element or attribute created by one."""
    cases = []
    for i, p in enumerate(XSS):
        cases.append({"target": p, "subject_id": p, "district": p, "domain": p, "title": p,
                      "content": p, "conduct_on": p, "evidence": p, "name": p[:50], "phone": p,
                      "email": p})
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, cases)
    for p, form, r in zip(XSS, cases, rs):
        assert r.status_code == 400, p
        errors = field_errors(r.text)
        for f in ("subject_id", "district", "domain", "conduct_on", "phone", "email"):
            assert f in errors, (p, f)
        typed = {k: v for k, v in form.items() if k not in ("district", "domain")}
        expect_form(r, 400, typed, None, "fix_fields")
        assert p not in r.text, p


def test_xss_payloads_stored_verbatim_and_escaped_on_receipt_and_status(stack, world):
    forms = []
    for i, p in enumerate(XSS):
        forms.append(complaint(target=p, title=("标题%d " % i + p)[:100],
                               content=p + " 内容足够长足够长足够长足够长足够长足够长", evidence=p,
                               name=p[:50]))
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, forms)
    with Citizen(stack) as c:
        for p, form, r in zip(XSS, forms, rs):
            assert r.status_code == 201, (p, field_errors(r.text))
            assert injected_markup(r.text) == [], p
            no, code, _ = receipt(r)
            row = stack.sql("SELECT target, title, content, evidence, name FROM complaints"
                            " WHERE receipt_no = %s", (no,))
            assert row == [(form["target"], form["title"], form["content"], form["evidence"],
                            form["name"])], p
            s = c.lookup(no, code)
            assert s.status_code == 200
            assert injected_markup(s.text) == [], p
            assert text_by_id(s.text, "case-status") == "已接收", p
            # the title is the only typed text the status page shows: as text
            assert form["title"] in html.unescape(s.text), p
            assert p not in s.text, p


SQL = ["'; DROP TABLE complaints; -- ", "\" OR \"1\"=\"1", "' OR '1'='1' /*", "\\'; SELECT 1; #",
       "100% _完成_ \\n \\0 \\\\", "`records`; DELETE FROM records WHERE 1=1;",
       "Robert'); DROP TABLE subjects;--", "0x27 CHAR(39) ' UNION SELECT code_hash FROM complaints"]


def test_sql_metacharacters_are_stored_verbatim(stack, world):
    forms = [complaint(target=s[:100], title=("SQL%d %s" % (i, s))[:100],
                       content="内容:" + s + " 足够长足够长足够长足够长足够长", evidence=s,
                       name=s[:50])
             for i, s in enumerate(SQL)]
    records_before = stack.sql("SELECT COUNT(*) FROM records")[0][0]
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, forms)
    for s, form, r in zip(SQL, forms, rs):
        assert r.status_code == 201, (s, field_errors(r.text))
        row = stack.sql("SELECT target, title, content, evidence, name FROM complaints"
                        " WHERE receipt_no = %s", (receipt(r)[0],))
        assert row == [tuple(kept(k, form[k])
                             for k in ("target", "title", "content", "evidence", "name"))], s
    assert stack.sql("SELECT COUNT(*) FROM records")[0][0] == records_before
    assert stack.sql("SELECT COUNT(*) FROM subjects")[0][0] > 0


# ---- body limits -------------------------------------------------------------------------------

def padded(good, token, size):
    """The url-encoded form of good whose last field, evidence, is padded
    so that the body is exactly size bytes."""
    base = urlencode({k: v for k, v in dict(good, token=token, website="").items()
                      if k != "evidence"}) + "&evidence="
    assert len(base) < size
    return base + "x" * (size - len(base))


def expect_413(r):
    assert r.status_code == 413
    assert r.headers["Content-Type"] == HTML
    assert "提交的内容过长" in r.text
    assert "提交的内容超过 128KB 或字段过多" in r.text
    assert '<html lang="zh-CN">' in r.text


def test_body_over_64_kb_is_413(stack, world):
    mark = unique("超长")
    good = complaint(mark)
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, [
        lambda t: padded(good, t, 128 * 1024),       # at the limit: read, then validated
        lambda t: padded(good, t, 128 * 1024 + 1),   # one byte more: refused unread
        lambda t: padded(good, t, 200 * 1024),
    ])
    expect_form(rs[0], 400, {k: v for k, v in good.items() if k != "evidence"},
                {"evidence": re.compile(r"^证据材料不能超过2000字\(现为\d+字\)$")}, "fix_fields")
    expect_413(rs[1])
    expect_413(rs[2])
    assert rows_with(stack, "complaints", "content", mark) == 0


def test_more_than_32_fields_is_413(stack, world):
    mark = unique("字段")
    good = complaint(mark)
    base = len(good) + 2  # + token + website
    assert base == 13

    def fields(n):
        def make(token):
            extra = {"extra%d" % i: "1" for i in range(n - base)}
            return urlencode(dict(good, token=token, website="", **extra))
        return make
    ok, too_many = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, [fields(32), fields(33)])
    assert ok.status_code == 201, field_errors(ok.text)  # unknown fields are ignored
    expect_413(too_many)
    assert rows_with(stack, "complaints", "content", mark) == 1


def test_not_a_form_body(stack, world):
    mark = unique("格式错")
    good = complaint(mark)
    with Citizen(stack) as c:
        t, = ready_tokens(stack, COMPLAINT_FORM, 1)
        data = dict(good, token=t, website="")
        r = c.post(COMPLAINT_POST, urlencode(data), headers={"Content-Type": "text/plain"})
        assert r.status_code == 415 and "不支持的提交格式" in r.text
        r = c.session.post(stack.url(COMPLAINT_POST), json=data, timeout=10)
        assert r.status_code == 415
        r = c.session.post(stack.url(COMPLAINT_POST), files={"title": ("a.txt", b"x")},
                           data=data, timeout=10)
        assert r.status_code == 415
        assert r.headers["Content-Type"] == HTML
        # chunked, no length
        r = c.post(COMPLAINT_POST, iter([urlencode(data).encode()]))
        assert r.status_code == 411 and "请求缺少长度" in r.text
    assert rows_with(stack, "complaints", "content", mark) == 0


def test_methods(stack, world):
    with Citizen(stack) as c:
        r = c.get(COMPLAINT_POST)
        assert r.status_code in (404, 405)
        r = c.session.put(stack.url(COMPLAINT_POST), data="a=1", timeout=10)
        assert r.status_code == 405
        assert "POST" in r.headers.get("Allow", "")
        r = c.session.delete(stack.url("/complaints/new"), timeout=10)
        assert r.status_code == 405


# ---- tokens and the honeypot ------------------------------------------------------------------

def test_missing_and_tampered_tokens_are_refused_with_a_fresh_token(stack, world):
    mark = unique("令牌")
    good = complaint(mark)
    cases = []

    def without_token(t):
        return urlencode(dict(good, website=""))

    def token_as(fn):
        def make(t):
            return urlencode(dict(good, token=fn(t), website=""))
        return make

    def other_hex(ch):
        return "0" if ch != "0" else "1"

    def parts(t):
        return t.split(".")

    cases = [
        without_token,
        token_as(lambda t: ""),
        token_as(lambda t: "garbage"),
        token_as(lambda t: t[:-1] + other_hex(t[-1])),                      # MAC changed
        token_as(lambda t: ".".join([parts(t)[0], str(int(parts(t)[1]) - 60)] + parts(t)[2:])),
        token_as(lambda t: ".".join(parts(t)[:2] + [other_hex(parts(t)[2][0]) + parts(t)[2][1:],
                                                    parts(t)[3]])),        # nonce changed
        token_as(lambda t: "v2" + t[2:]),
        token_as(lambda t: t + "00"),
        token_as(lambda t: t.upper()),
    ]
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST, cases)
    fresh = []
    for r in rs:
        values = expect_form(r, 400, good, {}, "bad_token")
        fresh.append(values["token"])
        assert re.fullmatch(r"v1\.\d+\.[0-9a-f]{32}\.[0-9a-f]{64}", values["token"])
    assert len(set(fresh)) == len(fresh)
    assert rows_with(stack, "complaints", "content", mark) == 0

    # The refused form is sent again as the page now holds it (new token): stored once.
    wait_fill(stack, *fresh[:1])
    with Citizen(stack) as c:
        action, values, _, _ = read_form(rs[0].text)
        assert action == "/credit/complaints"
        r = c.post(COMPLAINT_POST, values)
        assert r.status_code == 201, field_errors(r.text)
    assert rows_with(stack, "complaints", "content", mark) == 1


def test_a_form_sent_too_fast_keeps_its_token(stack, world):
    """A form sent back before the minimum fill time is refused with its
    text and its token; sent again once the time has passed, it is received.
    On a second httpd whose clock stands still while the form is served and
    sent, so no time passes between them however slow the machine."""
    mark = unique("过快")
    good = complaint(mark)
    now = portal.now()
    with ClockedHttpd(stack, "too-fast", now) as h, Citizen(h) as c:
        h.clock.freeze(now)
        t = c.token(COMPLAINT_FORM)
        r = c.submit(COMPLAINT_POST, good, t)
        if r.status_code == 201:
            pytest.fail("a form sent at once was accepted (minimum fill time %s s)"
                        % stack.env.get("CREDIT_FORM_MIN_SECONDS"))
        values = expect_form(r, 400, good, {}, "too_fast")
        assert values["token"] == t
        assert rows_with(stack, "complaints", "content", mark) == 0
        h.clock.set(now + datetime.timedelta(seconds=30))  # a person's half a minute
        r = c.post(COMPLAINT_POST, values)
        assert r.status_code == 201, field_errors(r.text)
    assert rows_with(stack, "complaints", "content", mark) == 1


def test_tokens_are_bound_to_their_form(stack, world):
    """A complaint token does not open an objection, an objection token of
    one record does not serve another record or a repair."""
    a, b = world.no("published"), world.no("corrected")
    mark = unique("绑定")
    from citizen import objection as objection_form, repair_path
    with Citizen(stack) as c1, Citizen(stack) as c2, Citizen(stack) as c3:
        t_complaint, = ready_tokens(stack, COMPLAINT_FORM, 1)
        t_obj_a, = ready_tokens(stack, objection_path(a), 1)
        t_repair, = ready_tokens(stack, repair_path(world.no("repair_open")), 1)
        r = c1.submit(objection_path(b), objection_form(mark + "A"), t_complaint)
        expect_form(r, 400, objection_form(mark + "A"), {}, "bad_token")
        r = c2.submit(objection_path(b), objection_form(mark + "B"), t_obj_a)
        expect_form(r, 400, objection_form(mark + "B"), {}, "bad_token")
        assert hidden_token(r.text) != t_obj_a
        r = c2.submit(COMPLAINT_POST, complaint(mark + "C"), t_obj_a)
        expect_form(r, 400, complaint(mark + "C"), {}, "bad_token")
        r = c3.submit(objection_path(world.no("repair_open")), objection_form(mark + "D"),
                      t_repair)
        expect_form(r, 400, objection_form(mark + "D"), {}, "bad_token")
        # and where it belongs it works
        r = c2.submit(objection_path(a), objection_form(mark + "E"), t_obj_a)
        assert r.status_code == 201, field_errors(r.text)
    assert rows_with(stack, "objections", "reason", mark) == 1
    assert stack.sql("SELECT r.record_no FROM objections o JOIN records r ON r.id = o.record_id"
                     " WHERE o.reason LIKE %s", ("%" + mark + "%",)) == [(a,)]
    assert rows_with(stack, "complaints", "content", mark) == 0


def test_honeypot_filled_is_refused(stack, world):
    mark = unique("蜜罐")
    good = complaint(mark)
    with Citizen(stack) as c:
        t, = ready_tokens(stack, COMPLAINT_FORM, 1)
        r = c.submit(COMPLAINT_POST, good, t, website="http://spam.example.com/")
        values = expect_form(r, 400, good, {}, "submit_rejected")
        assert values["website"] == ""
    assert rows_with(stack, "complaints", "content", mark) == 0


# ---- rate limit --------------------------------------------------------------------------------

def avoid_window_edge(window=600, margin=8):
    """The limiter counts in fixed windows of `window` seconds: a test that
    needs one window whole waits out the last seconds of the current one."""
    left = window - portal.timestamp() % window
    if left < margin:
        time.sleep(left + 0.2)


@pytest.mark.usefixtures("fresh_pools")
def test_submissions_are_rate_limited_per_client(stack, world):
    """10 submissions per client and 600 s (the default). The eleventh form
    answers 429 and keeps its text and token; a resent form that was already
    received is not a new submission; other clients are not affected; and
    sending the refused form again is still over the limit."""
    mark = unique("限流")
    avoid_window_edge()
    me, other = Citizen(stack), Citizen(stack)
    pairs = fill_many(stack, COMPLAINT_FORM, 13, citizens=[me] * 12 + [other])
    tokens = [t for _, t in pairs]
    forms = [complaint("%s-%02d" % (mark, i)) for i in range(12)]
    first = []
    for i in range(10):
        r = me.submit(COMPLAINT_POST, forms[i], tokens[i])
        assert r.status_code == 201, (i, field_errors(r.text))
        first.append(receipt(r)[0])
    r = me.submit(COMPLAINT_POST, forms[10], tokens[10])
    values = expect_form(r, 429, forms[10], {}, "rate_limited")
    assert values["token"] == tokens[10]
    assert rows_with(stack, "complaints", "title", "%s-10" % mark) == 0

    # another client is not limited by this one
    r = other.submit(COMPLAINT_POST, complaint(mark + "-other"), tokens[12])
    other.close()
    assert r.status_code == 201

    # the twelfth form, and the eleventh sent again, are still over the limit
    r = me.submit(COMPLAINT_POST, forms[11], tokens[11])
    expect_form(r, 429, forms[11], {}, "rate_limited")
    again = me.post(COMPLAINT_POST, values)
    assert again.status_code == 429, (
        "the form refused with 429 was not refused when sent once more (%d, receipt %s): "
        "resending a refused form bypasses the rate limit" % (again.status_code,
                                                              receipt(again)[0]))

    # a double click on an earlier form is not counted: its receipt again
    r = me.submit(COMPLAINT_POST, forms[3], tokens[3])
    me.close()
    assert r.status_code == 201
    assert receipt(r)[0] == first[3] and receipt(r)[2]
    assert rows_with(stack, "complaints", "title", mark) == 11


# ---- key rotation ------------------------------------------------------------------------------

def test_a_rotated_key_keeps_the_previous_one_valid(stack, world):
    """A new key on the first line of CreditSecretFile signs from the next
    (graceful) restart on; forms served before it are still accepted, a
    form received before it still finds its first receipt, and its code
    still opens the status page."""
    import secrets
    from citizen import renew_children
    keys = stack.var / "secrets" / "form-keys"
    original = keys.read_bytes()
    old_key = [line for line in original.decode().splitlines()
               if line and not line.startswith("#")][0]
    mark = unique("轮换")
    a, b, c = Citizen(stack), Citizen(stack), Citizen(stack)
    try:
        ta, tb = ready_tokens(stack, COMPLAINT_FORM, 2)  # signed with the old key
        first = b.submit(COMPLAINT_POST, complaint(mark + "B"), tb)
        assert first.status_code == 201
        no, code, _ = receipt(first)

        keys.write_text("# rotated by the test suite\n%s\n%s\n" % (secrets.token_hex(32), old_key))
        renew_children(stack)
        for x in (a, b, c):
            x.session.close()  # connections to the old children are gone

        tc = c.token(COMPLAINT_FORM)  # signed with the new key
        r = a.submit(COMPLAINT_POST, complaint(mark + "A"), ta)
        assert r.status_code == 201, (r.status_code, text_by_id(r.text, "form-banner"))
        s = c.lookup(no, code)
        assert s.status_code == 200 and text_by_id(s.text, "case-no") == no
        wait_fill(stack, tc)
        assert c.submit(COMPLAINT_POST, complaint(mark + "C"), tc).status_code == 201
        again = b.submit(COMPLAINT_POST, complaint(mark + "B"), tb)
        assert again.status_code == 201
        assert receipt(again) == (no, code, True)
    finally:
        for x in (a, b, c):
            x.close()
        keys.write_bytes(original)
        renew_children(stack)
    assert rows_with(stack, "complaints", "title", mark) == 3


# ---- replays and other sites (issue 11, point 6) ----------------------------------------------

def test_a_resent_form_shows_the_code_again_only_to_its_own_client(stack, world):
    """The same form sent again returns the first receipt; the query code
    only to the client that sent it, minutes after (a double click, a
    retry). Whoever else holds the token (a shared computer's history, a
    leaked request) gets the receipt number without the code."""
    mark = unique("重放")
    token, = ready_tokens(stack, COMPLAINT_FORM, 1)
    with Citizen(stack) as owner, Citizen(stack) as other:
        first = owner.submit(COMPLAINT_POST, complaint(mark), token)
        assert first.status_code == 201
        no, code, replayed = receipt(first)
        assert code and not replayed
        again = owner.submit(COMPLAINT_POST, complaint(mark), token)
        assert receipt(again) == (no, code, True)
        stolen = other.submit(COMPLAINT_POST, complaint(mark), token)
        assert stolen.status_code == 201
        assert receipt(stolen) == (no, None, True)
        assert text_by_id(stolen.text, "receipt-code-withheld")
        assert code.replace("-", "") not in stolen.text.replace("-", "")
    assert rows_with(stack, "complaints", "title", mark) == 1


@pytest.mark.parametrize("headers,refused", [
    ({"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, True),
    ({"Sec-Fetch-Site": "same-site", "Origin": "https://other.tianjin.example"}, True),
    ({"Origin": "https://evil.example"}, True),  # an older browser: Origin only
    ({"Origin": "null"}, True),
    ({"Sec-Fetch-Site": "same-origin"}, False),
    ({"Origin": "SELF"}, False),
    ({}, False),  # not a browser
], ids=["cross-site", "same-site", "foreign-origin", "null-origin", "same-origin",
        "own-origin", "no-headers"])
def test_forms_refuse_posts_from_other_sites(stack, world, headers, refused):
    """A hostile page cannot file complaints from a visitor's browser: a
    post another site's page made is refused (403) with a clear page and the
    empty form; nothing is stored and its text is not shown."""
    mark = unique("跨站")
    headers = {k: (stack.base_url.rsplit("/credit", 1)[0] if v == "SELF" else v)
               for k, v in headers.items()}
    token, = ready_tokens(stack, COMPLAINT_FORM, 1)
    with Citizen(stack) as c:
        data = dict(complaint(mark), token=token, website="")
        r = c.post(COMPLAINT_POST, data, headers=headers)
    if refused:
        assert r.status_code == 403, r.status_code
        assert text_by_id(r.text, "form-banner") == BANNER["cross_site"]
        assert mark not in r.text
        assert rows_with(stack, "complaints", "title", mark) == 0
    else:
        assert r.status_code == 201, (r.status_code, text_by_id(r.text, "form-banner"))
        assert rows_with(stack, "complaints", "title", mark) == 1


@pytest.mark.usefixtures("fresh_pools")
def test_concurrent_submissions_of_one_client_are_counted_exactly(stack, world):
    """Forty forms of one client sent at the same moment: exactly ten are
    received (the limit), every other one is told 429. The count is read
    and written back under a lock: no hit is lost between children."""
    import concurrent.futures
    mark = unique("并发限流")
    avoid_window_edge()
    me = Citizen(stack)
    pairs = fill_many(stack, COMPLAINT_FORM, 40, citizens=[me] * 40)
    forms = [complaint("%s-%02d" % (mark, i)) for i in range(40)]

    def send(i):
        c = Citizen(stack, address=me.address)  # the same client, its own connection
        try:
            return c.submit(COMPLAINT_POST, forms[i], pairs[i][1]).status_code
        finally:
            c.close()

    with concurrent.futures.ThreadPoolExecutor(20) as ex:
        codes = list(ex.map(send, range(40)))
    me.close()
    assert sorted(codes) == [201] * 10 + [429] * 30, codes
    assert rows_with(stack, "complaints", "title", mark) == 10
