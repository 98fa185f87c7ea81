"""Issue 12 points 9-11: what a reader sees of a page before reading it, and
the messages of a request, in both languages.

- Every page family names what it shows in its <title> (record number and
  title, search words, filters, the form and its record, the error) and has
  a meta description; no two pages of the tour share a title, and no
  placeholder is left unfilled.
- The record page's description carries the subject and the decision,
  clipped on a character boundary.
- Amounts are formatted for people on the page (2,164,541.27 元 / yuan);
  the JSON and the CSV keep the raw number.
- Every message about a bad request is in the page's language: the
  parameter as it is written in the address, then the message; a filter
  with an unknown value lists the accepted values with their labels, in
  the page and in the JSON API.

Rows of this module: records TJZW-2097-0012NN.
"""
import csv
import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import world as world_mod
from citizen import COMPLAINT_FORM, COMPLAINT_POST, Citizen, complaint, objection_path
from citizen import hidden_token, repair_path, wait_fill
from portal import error_detail, text_by_id

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
LANGS = ("zh-CN", "en")
SUFFIX = {"zh-CN": " — 信用天津", "en": " — Credit Tianjin"}
AMOUNT = "2164541.27"
LONG_FACTS = ("该单位未按合同约定支付工程款项," * 30) + "结尾标记"


def parse_hdf(path):
    """{dotted key: value} of a language file (the subset the files use)."""
    values, stack = {}, []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line == "}":
            stack.pop()
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.]+)\s*\{", line)
        if m:
            stack.append(m.group(1))
            continue
        name, _, value = line.partition("=")
        values[".".join(stack + [name.strip()])] = value.strip()
    return values


TEXT = {"zh-CN": parse_hdf(ROOT / "templates" / "lang" / "zh-CN.hdf"),
        "en": parse_hdf(ROOT / "templates" / "lang" / "en.hdf")}


def label(lang, kind, code):
    return TEXT[lang]["Lang.enum.%s.%s" % (kind, code)]


class Head(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.titles, self.descriptions, self._in_title = [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title":
            self._in_title = True
            self.titles.append("")
        elif tag == "meta" and a.get("name") == "description":
            self.descriptions.append(a.get("content") or "")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data


def head(body):
    """(title, description) of a page's <head>: exactly one of each."""
    h = Head()
    h.feed(body.split("</head>")[0])
    assert len(h.titles) == 1, h.titles
    assert len(h.descriptions) == 1, h.descriptions
    return " ".join(h.titles[0].split()), h.descriptions[0]


def get(stack, path, lang, **kw):
    params = dict(kw.pop("params", {}))
    params["lang"] = lang
    return stack.get(path, params=params, **kw)


@pytest.fixture(scope="module")
def rows(stack, world):
    subject = world.subjects["gov"]
    rec = world_mod.add_record(stack, world, "TJZW-2097-001201", subject,
                               title="读者测试记录金额", facts=LONG_FACTS,
                               decision_no="津读罚〔2097〕1201号")
    stack.sql("UPDATE records SET amount = %s WHERE id = %s", (AMOUNT, rec.id))
    return {"amount": rec}


# ---- titles and descriptions ------------------------------------------------------

def tour(stack, world, rows, lang):
    """[(name, response, expected title)] of every page family in lang."""
    rec = world.records["published"]
    gone = world.records["revoked"]
    subject = rec.subject
    open_rec = world.records["repair_open"]
    t = TEXT[lang]
    out = []

    def page(name, path, title, status=200, **kw):
        r = get(stack, path, lang, **kw)
        assert r.status_code == status, (name, path, r.status_code)
        out.append((name, r, title + SUFFIX[lang]))

    page("home", "/", t["Lang.portal"])
    page("list", "/records", t["Lang.list.title"])
    search = world_mod.PAGE_TOKEN
    page("search", "/records", ("搜索“%s”" if lang == "zh-CN" else "Search “%s”") % search
         + " — " + t["Lang.list.title"], params={"q": search})
    page("filter", "/records",
         "%s · %s — %s" % (label(lang, "district", "hexi"), label(lang, "severity", "serious"),
                           t["Lang.list.title"]),
         params={"district": "hexi", "severity": "serious"})
    page("filter-page-2", "/records",
         "%s · %s — %s" % (label(lang, "category", "penalty"),
                           "第 2 页" if lang == "zh-CN" else "page 2", t["Lang.list.title"]),
         params={"category": "penalty", "page": "2"})
    page("dates", "/records",
         "%s · %s — %s" % (label(lang, "status", "corrected"),
                           "2020-01-01 至 2099-12-31" if lang == "zh-CN"
                           else "2020-01-01 to 2099-12-31", t["Lang.list.title"]),
         params={"status": "corrected", "from": "2020-01-01", "to": "2099-12-31"})
    page("record", "/records/" + rec.no, "%s %s" % (rec.no, rec.title))
    page("gone", "/records/" + gone.no,
         "%s %s" % (gone.no, "记录已撤下" if lang == "zh-CN" else "withdrawn"), status=410)
    page("subject", "/subjects/%d" % subject.id,
         "%s — %s" % (subject.name, "失信主体" if lang == "zh-CN" else "Subject"))
    page("complaint", COMPLAINT_FORM, t["Lang.form.complaint.title"])
    page("objection", objection_path(rec.no), "%s · %s" % (t["Lang.form.objection.title"], rec.no))
    page("repair", repair_path(open_rec.no), "%s · %s" % (t["Lang.form.repair.title"], open_rec.no))
    page("status", "/complaints/status", t["Lang.status.title"])
    page("stats", "/stats", t["Lang.stats.title"])
    page("commitments", "/commitments",
         "%s — %s" % (label(lang, "district", "hexi"), t["Lang.commitments.title"]),
         params={"district": "hexi"})
    page("not-found", "/records/TJZW-2097-001299",
         "404 " + t["Lang.error.404"], status=404)
    page("bad-request", "/records", "400 " + t["Lang.error.400"], status=400,
         params={"page": "60"})
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_family_names_what_it_shows(stack, world, rows, lang):
    pages = tour(stack, world, rows, lang)
    titles = {}
    for name, r, want in pages:
        title, desc = head(r.text)
        assert title == want, (name, title, want)
        assert desc.strip(), (name, "empty description")
        assert len(desc) <= 200, (name, len(desc))
        for text in (title, desc):
            assert "{" not in text and "}" not in text, (name, text)
        titles.setdefault(title, []).append(name)
    assert all(len(v) == 1 for v in titles.values()), titles
    # The old title every page had is gone.
    assert "信用天津 政务诚信信息公示平台" not in titles


def test_descriptions_say_what_the_page_holds(stack, world, rows):
    rec = world.records["published"]
    for lang in LANGS:
        _, desc = head(get(stack, "/records/" + rec.no, lang).text)
        for part in (rec.subject.name, rec.decision_no, "天津市测试局",
                     label(lang, "severity", rec.severity), label(lang, "status", "published")):
            assert part in desc, (lang, part, desc)
        assert rec.facts.split(" ")[0] in desc, (lang, desc)

        # a list: its filter and its count, as the page shows it
        r = get(stack, "/records", lang, params={"district": "hexi", "severity": "serious"})
        _, desc = head(r.text)
        count = re.search(r'id="total"[^>]*>.*?<strong>(\d+)</strong>', r.text, re.S).group(1)
        assert label(lang, "district", "hexi") in desc and count in desc, (lang, desc)

        # a search: the words and the count
        r = get(stack, "/records", lang, params={"q": world_mod.PAGE_TOKEN})
        _, desc = head(r.text)
        count = re.search(r'id="total"[^>]*>.*?<strong>(\d+)</strong>', r.text, re.S).group(1)
        assert world_mod.PAGE_TOKEN in desc and count in desc, (lang, desc)

        # the subject: its name and the number of its records
        r = get(stack, "/subjects/%d" % rec.subject.id, lang)
        _, desc = head(r.text)
        assert rec.subject.name in desc and text_by_id(r.text, "subject-total") in desc, desc

        # a tombstone says nothing of the record but its number, state and date
        gone = world.records["revoked"]
        _, desc = head(get(stack, "/records/" + gone.no, lang).text)
        assert gone.no in desc and gone.withdrawn_on.isoformat() in desc, desc
        for secret in (gone.title, gone.subject.name, gone.decision_no):
            assert secret not in desc


def test_record_description_is_clipped_on_a_character(stack, world, rows):
    rec = rows["amount"]
    for lang in LANGS:
        r = get(stack, "/records/" + rec.no, lang)
        title, desc = head(r.text)
        assert title == "%s %s%s" % (rec.no, rec.title, SUFFIX[lang])
        assert "\ufffd" not in desc
        # the facts are cut (their end never shows) with an ellipsis, the
        # decision after them is kept
        assert "结尾标记" not in desc and "…" in desc, desc
        assert LONG_FACTS[:40] in desc, desc
        assert rec.decision_no in desc
        assert len(desc) <= 200


def test_search_words_are_escaped_in_the_title(stack, world):
    q = '<b>"引号"&'
    r = stack.get("/records", params={"q": q})
    assert r.status_code == 200
    assert "<title>搜索“&lt;b&gt;&quot;引号&quot;&amp;” — 失信记录 — 信用天津</title>" in r.text
    title, desc = head(r.text)
    assert title == "搜索“%s” — 失信记录 — 信用天津" % q
    assert "<b>" not in r.text.split("</head>")[0]


def test_form_titles_follow_the_form_and_its_outcome(stack, world):
    """A form sent back with mistakes says so in its title; a receipt names
    the form that was received."""
    for lang in LANGS:
        t = TEXT[lang]
        with Citizen(stack) as c:
            c.get(COMPLAINT_FORM, params={"lang": lang})  # the language cookie
            token = c.token(COMPLAINT_FORM)
            wait_fill(stack, token)
            r = c.submit(COMPLAINT_POST, complaint(title=""), token)
            assert r.status_code == 400
            title, _ = head(r.text)
            assert title == "%s · %s%s" % ("未提交" if lang == "zh-CN" else "Not sent",
                                           t["Lang.form.complaint.title"], SUFFIX[lang]), title
            token = hidden_token(r.text)
            wait_fill(stack, token)
            r = c.submit(COMPLAINT_POST, complaint(), token)
            assert r.status_code == 201, r.text[:300]
            title, desc = head(r.text)
            assert title == "%s · %s%s" % (t["Lang.form.complaint.title"],
                                           "提交成功" if lang == "zh-CN" else "Received",
                                           SUFFIX[lang]), title
            assert desc == t["Lang.form.complaint.received"]
            # the receipt number and the query code stay out of the head
            no = text_by_id(r.text, "receipt-no")
            headpart = r.text.split("</head>")[0]
            assert no and no not in headpart
            assert text_by_id(r.text, "receipt-code") not in headpart


def test_english_heads_carry_no_chinese_interface_text(stack, world, rows):
    """Chinese in an English title or description is data (titles, names,
    facts, decision numbers, the authority), never words of the interface."""
    data = {"天津市测试局"}
    for r in world.records.values():
        data |= {r.title, r.subject.name, r.facts, r.decision_no}
    for name, r, _ in tour(stack, world, rows, "en"):
        for text in head(r.text):
            for d in sorted(data, key=len, reverse=True):
                text = text.replace(d, "")
            assert not CJK.search(text), (name, text)


# ---- amounts ------------------------------------------------------------------------

def test_amounts_are_formatted_on_the_page_only(stack, world, rows):
    rec = rows["amount"]
    for lang, unit in (("zh-CN", "元"), ("en", "yuan")):
        r = get(stack, "/records/" + rec.no, lang)
        assert text_by_id(r.text, "amount") == "2,164,541.27 " + unit
    # the fixtures' 12000.00
    r = stack.get("/records/" + world.records["published"].no)
    assert text_by_id(r.text, "amount") == "12,000.00 元"
    # JSON and CSV keep the number as stored
    j = stack.get("/api/v1/records/" + rec.no).json()["record"]
    assert j["amount"] == AMOUNT, j
    r = stack.get("/records.csv", params={"q": rec.no})
    assert r.status_code == 200
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header, row = table[0], next(x for x in table[1:] if x[0] == rec.no)
    col = next(i for i, h in enumerate(header) if h.endswith("amount"))
    assert row[col] == AMOUNT


# ---- messages -----------------------------------------------------------------------

def detail(stack, path, lang, params=None, status=400):
    r = get(stack, path, lang, params=params or {})
    assert r.status_code == status, (path, params, r.status_code)
    d = error_detail(r.text)
    assert d, (path, params, "no #error-detail")
    return d


# (query, the parameter named)
BAD = [
    ({"district": "nowhere"}, "district"), ({"kind": "township"}, "kind"),
    ({"category": "x"}, "category"), ({"domain": "x"}, "domain"),
    ({"severity": "critical"}, "severity"), ({"status": "repaired"}, "status"),
    ({"status": "deleted"}, "status"), ({"sort": "best"}, "sort"), ({"sort": "relevance"}, "sort"),
    ({"from": "2026-02-30"}, "from"), ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ({"page": "0"}, "page"), ({"page": "60"}, "page"), ({"limit": "101"}, "limit"),
    ({"cursor": "garbage"}, "cursor"), ({"q": "a\x01b"}, "q"), ({"q": "测" * 101}, "q"),
    ({"q": "-甲 -乙"}, "q"), ({"q": "词 " * 11}, "q"), ({"q": "词" * 51}, "q"),
    ({"district": ["hexi", "heping"]}, "district"),
]


@pytest.mark.parametrize("params,param", BAD, ids=[p for _, p in BAD])
def test_filter_messages_are_in_the_page_language(stack, world, params, param):
    zh = detail(stack, "/records", "zh-CN", params)
    en = detail(stack, "/records", "en", params)
    for d in (zh, en):
        assert d.startswith(param + ": "), d
    zh_text, en_text = zh[len(param) + 2:], en[len(param) + 2:]
    # Chinese: no English word of the message (codes in parentheses and the
    # digits aside); English: no Chinese at all
    assert CJK.search(zh_text), zh
    words = re.sub(r"\([a-z]+\)|UTF-8|YYYY|\d+", "", zh_text)
    assert not re.search(r"[A-Za-z]{3,}", words), zh
    assert not CJK.search(en_text), en
    assert re.search(r"[a-z]{3,} [a-z]{3,}", en_text), en
    # the feed, the CSV and the JSON API name the same parameter
    assert detail(stack, "/records.csv", "zh-CN", params).startswith(param + ": ")
    # a feed reader gets plain text (issue 12, point 7), naming the parameter
    r = get(stack, "/feed.atom", "zh-CN", params=params)
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("text/plain"), r.headers
    assert any(line.startswith(param + ": ") for line in r.text.splitlines()), r.text
    r = stack.get("/api/v1/records", params=params)
    assert r.status_code == 400
    msg = r.json()["error"]["message"]
    assert msg == en, (msg, en)


@pytest.mark.parametrize("param,kind", [("district", "district"), ("kind", "kind"),
                                        ("category", "category"), ("domain", "domain"),
                                        ("severity", "severity")])
def test_unknown_codes_list_the_accepted_values(stack, world, param, kind):
    codes = [k.split(".")[-1] for k in TEXT["en"] if k.startswith("Lang.enum.%s." % kind)]
    assert codes
    zh = detail(stack, "/records", "zh-CN", {param: "nowhere"})
    en = detail(stack, "/records", "en", {param: "nowhere"})
    assert zh.startswith("%s: %s取值应为 " % (param, TEXT["zh-CN"]["Lang.msg.param." + param]))
    assert zh.endswith("、".join("%s(%s)" % (label("zh-CN", kind, c), c) for c in codes)), zh
    assert en.endswith(", ".join("%s (%s)" % (label("en", kind, c), c) for c in codes)), en
    msg = stack.get("/api/v1/records", params={param: "nowhere"}).json()["error"]["message"]
    for c in codes:
        assert "(%s)" % c in msg


def test_district_message_names_every_district(stack, world):
    zh = detail(stack, "/records", "zh-CN", {"district": "Heping"})
    for code in world_mod.DISTRICTS:
        assert "%s(%s)" % (label("zh-CN", "district", code), code) in zh, code
    assert "和平区(heping)、河东区(hedong)" in zh


def test_status_message_lists_only_what_a_list_shows(stack, world):
    for lang in LANGS:
        d = detail(stack, "/records", lang, {"status": "repaired"})
        for code in ("published", "contested", "corrected"):
            assert "(%s)" % code in d, d
        for code in ("repaired", "revoked", "expired"):
            assert "(%s)" % code not in d, d


def test_page_beyond_fifty_says_so_in_chinese(stack, world):
    """The Chinese page for ?page=60 said "page: at most 50 pages can be
    opened by number; follow the next links (cursor) further" in English."""
    zh = detail(stack, "/records", "zh-CN", {"page": "60"})
    assert zh == ("page: 按页码最多可以打开前 50 页;请使用“下一页”链接继续向后翻阅,"
                  "或用筛选条件缩小范围"), zh
    en = detail(stack, "/records", "en", {"page": "60"})
    assert en.startswith("page: at most 50 pages can be opened by number")
    assert "请求有误" in stack.get("/records", params={"page": "60"}).text


@pytest.mark.parametrize("path,params,param,status", [
    ("/commitments", {"district": "x"}, "district", 400),
    ("/commitments", {"area": "x"}, "area", 400),
    ("/commitments", {"status": "x"}, "status", 400),
    ("/commitments", {"subject": "abc"}, "subject", 400),
    ("/commitments", {"page": "51"}, "page", 400),
    ("/commitments", {"area": ["elderly", "parking"]}, "area", 400),
    ("/ratings", {"year": "abc"}, "year", 400),
    ("/ratings", {"year": "2016"}, "year", 404),
])
def test_public_page_messages_are_in_the_page_language(stack, world, path, params, param, status):
    zh = detail(stack, path, "zh-CN", params, status)
    en = detail(stack, path, "en", params, status)
    assert zh.startswith(param + ": ") and en.startswith(param + ": "), (zh, en)
    assert CJK.search(zh[len(param) + 2:]), zh
    assert not re.search(r"[A-Za-z]{3,}", re.sub(r"\([a-z]+\)", "", zh[len(param) + 2:])), zh
    assert not CJK.search(en), en


def test_commitment_codes_are_listed_with_their_labels(stack, world):
    zh = detail(stack, "/commitments", "zh-CN", {"area": "x"})
    en = detail(stack, "/commitments", "en", {"area": "x"})
    for code in ("employment", "parking", "services"):
        assert "%s(%s)" % (label("zh-CN", "area", code), code) in zh
        assert "%s (%s)" % (label("en", "area", code), code) in en
    zh = detail(stack, "/commitments", "zh-CN", {"status": "x"})
    assert zh.startswith("status: " + TEXT["zh-CN"]["Lang.commitments.status"])
    for code in ("pending", "kept", "broken"):
        assert "%s(%s)" % (label("zh-CN", "commitment_status", code), code) in zh


def test_malformed_query_string_is_explained_in_both_languages(stack, world):
    status, _, body = stack.raw_get("/records?q=%zz")
    assert status == 400
    zh = html.unescape(error_detail(body))
    assert CJK.search(zh) and "malformed" not in zh, zh
    status, _, body = stack.raw_get("/records?q=%zz", headers={"Accept-Language": "en"})
    assert status == 400
    en = error_detail(body)
    assert not CJK.search(en) and "malformed" in en, en
