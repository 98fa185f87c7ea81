"""Issue 5 point 7: the portal in English.

templates/lang/en.hdf has exactly the keys of zh-CN.hdf and no Chinese in
its values; ?lang=en and Accept-Language switch every page family to
English; ?lang= sets a cookie that keeps the choice on the following
requests (links carry no parameter); ?lang=zh-CN switches back; an unknown
value is ignored.

"No Chinese UI string" is checked against the values of zh-CN.hdf, parsed
here: the page's text (text nodes and the attributes people see) is cut
into runs at ASCII characters and blanks, and no run may be a run of a
zh-CN.hdf value. The data (titles, names, facts: Chinese in the database)
form runs of their own that are no UI string.
"""
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

import portal
from citizen import COMPLAINT_FORM, COMPLAINT_POST, Citizen, complaint, hidden_token, receipt
from citizen import unique, wait_fill
import oracle
from portal import text_by_id

ROOT = Path(__file__).resolve().parents[2]
LANG_DIR = ROOT / "templates" / "lang"
HTML = "text/html; charset=utf-8"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Runs are cut at ASCII, blanks (also the no-break space) and the middle dot.
IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CUT = re.compile(r"[\x00-\x7f\u00a0\u00b7\s]+")
COOKIE = "credit_lang"
EN_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


# ---- HDF -------------------------------------------------------------------

def parse_hdf(path):
    """{dotted key: value} of a ClearSilver HDF file as the module reads it:
    `name = value` (value trimmed of ASCII blanks), `name {` ... `}`, names
    may be dotted, # starts a comment line. Anything else fails the test."""
    values = {}
    stack = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip(" \t\r\n")
        if not line or line.startswith("#"):
            continue
        where = "%s:%d: %r" % (path.name, n, raw)
        if line == "}":
            assert stack, "unbalanced } at " + where
            stack.pop()
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.]+)\s*\{", line)
        if m:
            stack.append(m.group(1))
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.]+)\s*=(.*)", line)
        assert m, "not a `name = value` line at " + where
        key = ".".join(stack + [m.group(1)])
        assert key not in values, "%s set twice at %s" % (key, where)
        values[key] = m.group(2).strip(" \t\r\n")
    assert not stack, "%s: unclosed node %s" % (path.name, ".".join(stack))
    return values


ZH = parse_hdf(LANG_DIR / "zh-CN.hdf")
EN = parse_hdf(LANG_DIR / "en.hdf")


def runs(text):
    return [r for r in CUT.split(text) if CJK.search(r)]


def ideographs(text):
    return len(IDEOGRAPH.findall(text))


# What must not show on an English page: every run of two or more Chinese
# characters of a UI string (one character alone, as the 号 of a document
# number, is no evidence: the data have such runs); a one-character string
# (共, 页) only as a text node of its own.
UI_RUNS, UI_SHORT = {}, {}
for _key, _value in ZH.items():
    for _run in runs(_value):
        if ideographs(_run) >= 2:
            UI_RUNS.setdefault(_run, _key)
    if ideographs(_value) == 1 and len(runs(_value)) == 1:
        UI_SHORT.setdefault(runs(_value)[0], _key)


def test_en_has_exactly_the_keys_of_zh():
    missing = sorted(set(ZH) - set(EN))
    extra = sorted(set(EN) - set(ZH))
    assert not missing, "keys of zh-CN.hdf missing from en.hdf: %s" % missing
    assert not extra, "keys of en.hdf not in zh-CN.hdf: %s" % extra
    assert EN["Lang.code"] == "en" and ZH["Lang.code"] == "zh-CN"


def test_en_values_are_english():
    chinese = {k: v for k, v in EN.items() if CJK.search(v)}
    assert not chinese, "Chinese left in en.hdf: %s" % chinese
    # Empty only where the sentence needs no word there (page_post: "Page 1 of 7").
    empty = sorted(k for k, v in EN.items() if not v and ZH[k])
    assert empty == ["Lang.list.page_post"], empty
    # The district names of sql/001_schema.sql (name_en).
    schema = (ROOT / "sql" / "001_schema.sql").read_text(encoding="utf-8")
    for code, name_en in re.findall(r"\('(\w+)',\s*'[^']*',\s*'([^']*)',\s*'\d{6}'", schema):
        assert EN["Lang.enum.district." + code] == name_en, code


# ---- pages -----------------------------------------------------------------

SEEN_ATTRS = ("placeholder", "aria-label", "title", "alt")


# Links to a record or a subject: their text is a title or a name (data).
DATA_LINK = re.compile(r"/credit/(?:records/[^/?#]+|subjects/\d+)$")


class _Text(HTMLParser):
    """The text nodes and the attributes people see, outside <style>/<script>
    and outside the links whose text is data."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style") or (tag == "a" and DATA_LINK.search(a.get("href") or "")):
            self.skip += 1
        for name, value in attrs:
            if name in SEEN_ATTRS and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "a") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append(data)


def page_text(body):
    p = _Text()
    p.feed(body)
    p.close()
    return p.parts


def switch_link(body):
    m = re.search(r'<a class="lang-switch" id="lang-switch" href="([^"]*)"[^>]*>([^<]*)</a>',
                  body)
    assert m, "no language switch on the page"
    return html.unescape(m.group(1)), m.group(2)


# The citizens' forms: the field labels and their error messages are
# written by mod_credit/model/credit_form.c (Chinese, not from the language files);
# test_form_field_labels_are_english marks that gap.
FIELD_LABEL = re.compile(r'(<div class="field[^"]*" id="field-[^"]*">\s*'
                         r'(?:<label for="in-[^"]*">|<label class="check"><input[^>]*>))[^<]*')
FIELD_ERROR = re.compile(r'<p class="error" id="err-[^"]*">[^<]*</p>')


def without_field_texts(body):
    return FIELD_ERROR.sub("", FIELD_LABEL.sub(r"\1", body))


def field_labels(body):
    return [html.unescape(m.group(0)[len(m.group(1)):]).strip()
            for m in FIELD_LABEL.finditer(body)]


def assert_english(r, *expected):
    """r is an English page: html lang, the expected strings, and no run of
    a Chinese UI string anywhere in its text."""
    assert r.headers["Content-Type"] == HTML
    assert '<html lang="en">' in r.text
    text = page_text(without_field_texts(r.text))
    joined = "\n".join(text)
    for key in ("Lang.site", "Lang.nav.records", "Lang.footer.basis") + expected:
        assert EN[key] in joined, "%s (%r) not on %s" % (key, EN[key], r.url)
    leaks = {(run, UI_RUNS[run]) for part in text for run in runs(part)
             if run in UI_RUNS and run != "中文"}
    leaks |= {(part.strip(), UI_SHORT[part.strip()]) for part in text
              if part.strip() in UI_SHORT}
    leaks = sorted(leaks)
    assert not leaks, "Chinese UI strings on %s: %s" % (r.url, leaks)
    href, label = switch_link(r.text)
    assert label == "中文" and href.endswith("lang=zh-CN")
    if r.request.method == "GET":
        # what a cache may keep varies with these, unless the URL names the language
        vary = r.headers.get("Vary", "")
        if re.search(r"(^|&)lang=", urlsplit(r.url).query):
            assert "Accept-Language" not in vary and "Cookie" not in vary, vary
        else:
            assert "Accept-Language" in vary and "Cookie" in vary, vary


def assert_chinese(r):
    assert r.headers["Content-Type"] == HTML
    assert '<html lang="zh-CN">' in r.text
    assert ZH["Lang.nav.records"] in r.text and ZH["Lang.footer.masking"] in r.text
    assert EN["Lang.footer.masking"] not in r.text
    assert switch_link(r.text)[1] == "English"


@pytest.fixture(scope="module")
def sample(stack):
    """A public record (an active one with a timeline if any), its subject,
    a withdrawn record, a rated subject."""
    demo = " AND r.record_no NOT LIKE 'TJZW-209%%'"  # not the suite's own rows (world.py)
    public = sorted(oracle.public(stack, None, demo), key=lambda r: r.id)
    rows = [(r.record_no, r.subject_id) for r in public
            if r.status in ("contested", "corrected")][:1] or \
        [(r.record_no, r.subject_id) for r in public][:1]
    assert rows, "no public record in the demo data"
    gone = stack.sql("SELECT record_no FROM records AS r WHERE status IN ('revoked','repaired')" +
                     demo + " ORDER BY id LIMIT 1")
    rated = stack.sql(
        "SELECT s.id FROM subjects AS s JOIN ratings AS g ON g.subject_id = s.id"
        " WHERE s.kind = 'gov' ORDER BY g.id LIMIT 1")
    return {"no": rows[0][0], "subject": rows[0][1], "gone": gone[0][0] if gone else None,
            "rated": rated[0][0] if rated else None}


def family_paths(sample):
    """(path, status, en.hdf keys that must show) of every page family."""
    out = [
        ("/", 200, ("Lang.home.title", "Lang.home.latest", "Lang.enum.district.binhai")),
        ("/records", 200, ("Lang.list.title", "Lang.list.apply", "Lang.list.next")),
        ("/records?district=heping&severity=serious", 200,
         ("Lang.list.title", "Lang.enum.severity.serious")),
        ("/records/" + sample["no"], 200,
         ("Lang.record.clock", "Lang.record.facts", "Lang.record.timeline",
          "Lang.record.objection", "Lang.record.clock_note")),
        ("/subjects/%d" % sample["subject"], 200, ("Lang.subject.records", "Lang.record.kind")),
        (COMPLAINT_FORM, 200, ("Lang.form.complaint.title", "Lang.form.privacy",
                               "Lang.form.submit", "Lang.form.choose")),
        ("/records/%s/objection" % sample["no"], 200, ("Lang.form.objection.title",)),
        ("/complaints/status", 200, ("Lang.status.title", "Lang.status.help")),
        ("/ratings", 200, ("Lang.ratings.lead", "Lang.ratings.table", "Lang.ratings.indicators")),
        ("/commitments", 200, ("Lang.commitments.title", "Lang.commitments.by_subject",
                               "Lang.commitments.rate_note")),
        ("/stats", 200, ("Lang.stats.title", "Lang.stats.by_district", "Lang.stats.outcomes",
                         "Lang.stats.handling")),
        ("/no-such-page", 404, ("Lang.error.404", "Lang.error.404_text", "Lang.error.home")),
        ("/records?district=atlantis", 400, ("Lang.error.400", "Lang.error.400_text")),
    ]
    if sample["rated"]:
        out.append(("/subjects/%d" % sample["rated"], 200,
                    ("Lang.ratings.history", "Lang.ratings.history_year")))
    if sample["gone"]:
        out.append(("/records/" + sample["gone"], 410, ("Lang.gone.title", "Lang.gone.note")))
    return out


def test_every_page_family_in_english(stack, sample):
    for path, status, keys in family_paths(sample):
        sep = "&" if "?" in path else "?"
        r = stack.get(path + sep + "lang=en")
        assert r.status_code == status, (path, r.status_code)
        assert_english(r, *keys)


def test_every_page_family_by_accept_language(stack, sample):
    for path, status, keys in family_paths(sample):
        r = stack.get(path, headers=EN_BROWSER)
        assert r.status_code == status, (path, r.status_code)
        assert_english(r, *keys)
        assert "Set-Cookie" not in r.headers  # a header choice is not remembered


def test_record_page_labels_come_from_en(stack, sample):
    no = sample["no"]
    status, severity, category, domain = stack.sql(
        "SELECT status, severity, category, domain FROM records WHERE record_no = %s", (no,))[0]
    r = stack.get("/records/%s?lang=en" % no)
    assert text_by_id(r.text, "record-status") == EN["Lang.enum.status." + status]
    text = "\n".join(page_text(r.text))
    for key in ("severity." + severity, "category." + category, "domain." + domain):
        assert EN["Lang.enum." + key] in text, key
    # the switch keeps the page
    href, _ = switch_link(r.text)
    assert href == "/credit/records/%s?lang=zh-CN" % no
    zh = stack.get(href[len("/credit"):])
    assert_chinese(zh)
    assert text_by_id(zh.text, "record-no") == no


def test_chinese_is_the_default(stack, sample):
    r = stack.get("/records/" + sample["no"])
    assert r.status_code == 200
    assert_chinese(r)
    href, _ = switch_link(r.text)
    assert href == "/credit/records/%s?lang=en" % sample["no"]
    assert "Set-Cookie" not in r.headers
    assert "Accept-Language" in r.headers["Vary"] and "Cookie" in r.headers["Vary"]


@pytest.mark.parametrize("header,lang", [
    ("en-US,en;q=0.9", "en"),
    ("en", "en"),
    ("EN-gb", "en"),
    ("fr-FR, en;q=0.3", "en"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
    ("en;q=0.5, zh;q=0.8", "zh-CN"),
    ("zh-TW, en-US;q=0.9", "zh-CN"),
    ("en;q=0.8, zh-CN;q=0.8", "en"),
    ("en;q=0, fr", "zh-CN"),
    ("*", "zh-CN"),
    ("english, ja", "zh-CN"),
    ("", "zh-CN"),
])
def test_accept_language(stack, header, lang):
    r = stack.get("/stats", headers={"Accept-Language": header})
    assert r.status_code == 200
    assert '<html lang="%s">' % lang in r.text


def test_choice_persists_through_links_and_switches_back(stack, sample):
    s = requests.Session()
    get = lambda path, **kw: s.get(stack.url(path), timeout=10, allow_redirects=False, **kw)  # noqa: E731
    r = get("/?lang=en")
    assert r.status_code == 200 and '<html lang="en">' in r.text
    cookie = r.headers["Set-Cookie"]
    assert cookie == ("credit_lang=en; Path=/credit/; Max-Age=31536000; SameSite=Lax; HttpOnly")
    assert s.cookies.get(COOKIE) == "en"
    # links carry no parameter: the cookie keeps the language
    nav = re.findall(r'<a href="(/credit/[^"?]*)"', r.text)
    assert "/credit/records" in nav and "/credit/stats" in nav
    for path in ("/records", "/records/" + sample["no"], "/ratings", "/stats", COMPLAINT_FORM,
                 "/no-such-page"):
        r = get(path)
        assert '<html lang="en">' in r.text, path
        assert "Set-Cookie" not in r.headers, path
    # the list's canonical links drop lang=, the switch link keeps the filters
    r = get("/records?district=heping&lang=en")
    assert r.status_code == 200
    nxt = portal.link(r.text, "next")
    assert nxt and "lang=" not in nxt and "district=heping" in nxt
    href, _ = switch_link(r.text)
    assert href.startswith("/credit/records?") and "district=heping" in href
    assert href.endswith("lang=zh-CN")
    # the cookie beats Accept-Language, the parameter beats the cookie
    r = get("/ratings", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in r.text
    r = get("/ratings?lang=zh-CN", headers=EN_BROWSER)
    assert '<html lang="zh-CN">' in r.text
    assert r.headers["Set-Cookie"].startswith("credit_lang=zh-CN; Path=/credit/;")
    assert s.cookies.get(COOKIE) == "zh-CN"
    r = get("/ratings", headers=EN_BROWSER)
    assert '<html lang="zh-CN">' in r.text
    r = get("/")
    assert_chinese(r)


def test_unknown_lang_is_ignored(stack):
    for value in ("fr", "", "en-US", "zh", "x" * 300, "<script>"):
        r = stack.get("/records", params={"lang": value})
        assert r.status_code == 200, value
        assert '<html lang="zh-CN">' in r.text, value
        assert "Set-Cookie" not in r.headers, value
    # a bad cookie is ignored as well; an unknown parameter keeps the cookie's choice
    r = stack.get("/", headers={"Cookie": "credit_lang=fr; other=1"})
    assert '<html lang="zh-CN">' in r.text
    r = stack.get("/?lang=fr", headers={"Cookie": "other=1; credit_lang=en"})
    assert '<html lang="en">' in r.text and "Set-Cookie" not in r.headers


def test_etag_follows_the_language(stack):
    zh = stack.get("/stats")
    en = stack.get("/stats?lang=en")
    assert zh.headers["ETag"] != en.headers["ETag"]
    # a copy in the other language is not current
    r = stack.get("/stats", headers={"If-None-Match": en.headers["ETag"]})
    assert r.status_code == 200 and '<html lang="zh-CN">' in r.text
    r = stack.get("/stats", headers={"If-None-Match": en.headers["ETag"], **EN_BROWSER})
    assert r.status_code == 304
    assert "Accept-Language" in r.headers.get("Vary", "")


def test_api_is_not_affected(stack):
    r = stack.get("/api/v1/records?lang=en&limit=1")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")


def test_citizen_flow_in_english(stack):
    """Form, receipt and the case found by the look-up, all in English."""
    mark = unique("EN")
    with Citizen(stack) as c:
        r = c.get(COMPLAINT_FORM + "?lang=en")
        assert r.status_code == 200
        assert_english(r, "Lang.form.complaint.lead")
        assert c.session.cookies.get(COOKIE) == "en"
        token = hidden_token(r.text)
        wait_fill(stack, token)
        r = c.submit(COMPLAINT_POST, complaint(mark), token)
        assert r.status_code == 201, r.status_code
        assert_english(r, "Lang.receipt.title", "Lang.form.complaint.received",
                       "Lang.receipt.keep")
        no, code, _ = receipt(r)
        assert no and code
        # the switch link of the POST-only address leads to its form
        assert switch_link(r.text)[0] == "/credit/complaints/new?lang=zh-CN"
        r = c.lookup(no, code)
        assert r.status_code == 200
        assert_english(r, "Lang.status.timeline", "Lang.status.no_reply",
                       "Lang.status.due_pending")
        assert text_by_id(r.text, "case-status") == EN["Lang.enum.case_status.received"]
        # a form sent back with errors keeps the language
        token = c.token(COMPLAINT_FORM)
        wait_fill(stack, token)
        r = c.submit(COMPLAINT_POST, complaint(mark, title=""), token)
        assert r.status_code == 400, r.status_code
        assert_english(r, "Lang.form.banner.fix_fields")
        # the message at the field is English, with the field's English label
        assert text_by_id(r.text, "err-title") == EN["Lang.form.err.required"].replace(
            "{label}", EN["Lang.form.label.title"])
        # and in Chinese the same mistake gets the Chinese message
        r = c.submit(COMPLAINT_POST + "?lang=zh-CN", complaint(mark, title=""), token)
        assert r.status_code == 400, r.status_code
        assert text_by_id(r.text, "err-title") == "请填写投诉标题"


def test_form_field_labels_are_english(stack, sample):
    for path in (COMPLAINT_FORM, "/records/%s/objection" % sample["no"]):
        r = stack.get(path + "?lang=en")
        labels = field_labels(r.text)
        assert labels, path
        assert not [t for t in labels if CJK.search(t)], (path, labels)
        assert EN["Lang.form.label.evidence"] in labels, (path, labels)
        r = stack.get(path + "?lang=zh-CN")
        assert "证据材料" in field_labels(r.text), path


def test_feed_punctuation_follows_the_language(stack):
    """An entry's summary uses the language's punctuation: full-width marks in
    Chinese, ASCII marks followed by a space in English:
    name (district, category, severity): facts Decision: no; ... ."""
    import xml.etree.ElementTree as ET
    atom = "{http://www.w3.org/2005/Atom}"
    zh = parse_hdf(LANG_DIR / "zh-CN.hdf")
    for lang, head, sep, colon, stop in (
            ("en", re.compile(r"(.+?) \(([^()]*)\): "), ", ", ": ", "."),
            ("zh-CN", re.compile(r"(.+?)（([^（）]*)）："), "，", "：", "。")):
        words = EN if lang == "en" else zh
        r = stack.get("/feed.atom?lang=" + lang)
        assert r.status_code == 200
        entries = ET.fromstring(r.content).findall(atom + "entry")
        assert entries
        for e in entries[:5]:
            summary = e.find(atom + "summary").text
            m = head.match(summary)
            assert m, (lang, summary)
            labels = m.group(2).split(sep)
            assert len(labels) == 3, (lang, labels)
            if lang == "en":
                assert not [t for t in labels if CJK.search(t)], labels
            for key in ("Lang.record.decision_no", "Lang.record.disclosed_on"):
                assert words[key] + colon in summary, (lang, summary)
            assert summary.endswith(stop), summary
