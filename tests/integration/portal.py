"""Helpers of the integration suite: dates, the disclosure clock, GB 32100
credit codes and reading the portal's HTML (standard library only)."""
import calendar
import csv
import datetime
import html
import io
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")

PUBLIC_STATUSES = ("published", "contested", "corrected")
WITHDRAWN_STATUSES = ("repaired", "revoked", "expired")

# (Which records are public: oracle.py, the rule of SPEC section 3 in Python.)


_clock = None


def use_clock(c):
    """The servers' clock (clock.Clock) that now() and today() read."""
    global _clock
    _clock = c


def now():
    """The servers' time, in Beijing time (the session's clock, see clock.py)."""
    return _clock.now() if _clock else datetime.datetime.now(BEIJING)


def timestamp():
    """The servers' time in Unix seconds."""
    return now().timestamp()


def today():
    """Today in Beijing time on the servers' clock: the portal's calendar."""
    return now().date()


def local_now():
    """now() as the naive Beijing wall-clock time MariaDB stores (DATETIME)."""
    return now().replace(tzinfo=None, microsecond=0)


def add_months(d, months):
    """DATE + INTERVAL n MONTH as MariaDB computes it: the day is clamped to
    the last day of the target month."""
    total = d.year * 12 + (d.month - 1) + months
    y, m = divmod(total, 12)
    m += 1
    last = calendar.monthrange(y, m)[1]
    return datetime.date(y, m, min(d.day, last))


# severity -> (months to the earliest repair or None, months to withdrawal)
CLOCK = {"minor": (None, 3), "general": (3, 12), "serious": (12, 36)}


def clock(severity, disclosed):
    """(repair_from or None, withdraw_on) of NDRC Order 36."""
    repair, withdraw = CLOCK[severity]
    return (add_months(disclosed, repair) if repair else None, add_months(disclosed, withdraw))


# GB 32100-2015 unified social credit code.
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check(first17):
    s = sum(CODE_ALPHABET.index(c) * w for c, w in zip(first17, CODE_WEIGHTS))
    return CODE_ALPHABET[(31 - s % 31) % 31]


def credit_code(serial, division="120101"):
    """A valid code of a government organ (11) in `division`; serial < 10**9."""
    first17 = "11" + division + "T%08d" % serial
    assert len(first17) == 17
    return first17 + credit_code_check(first17)


def id_number(division, serial):
    """A well-formed resident ID number (GB 11643) born in 1980."""
    first17 = "%s1980%02d%02d%03d" % (division, 1 + serial % 12, 1 + serial % 28, serial % 1000)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    s = sum(int(c) * w for c, w in zip(first17, weights))
    return first17 + "10X98765432"[s % 11]


def mask_id(id_no):
    return id_no[:6] + "*" * (len(id_no) - 10) + id_no[-4:]


# ---- HTML ------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _ById(HTMLParser):
    """Collects the text of the element with a given id (and its descendants)."""

    def __init__(self, wanted):
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.depth = 0
        self.found = False
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            if tag not in VOID:
                self.depth += 1
            return
        if not self.found and dict(attrs).get("id") == self.wanted:
            self.found = True
            if tag not in VOID:
                self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_by_id(body, element_id):
    """Whitespace-normalised text of the element with id=element_id, or None."""
    p = _ById(element_id)
    p.feed(body)
    p.close()
    if not p.found:
        return None
    return " ".join("".join(p.parts).split())


def total(body):
    """The total of a list page: the number in #total."""
    t = text_by_id(body, "total")
    assert t is not None, "no #total on the page"
    m = re.search(r"\d+", t)
    assert m, "no number in #total: %r" % t
    return int(m.group(0))


ROW_NO = re.compile(r'<td class="no"><a href="[^"]*">(TJZW-\d{4}-\d{6})</a></td>')


def record_numbers(body):
    """Record numbers of the rows of the records table(s), in page order."""
    return ROW_NO.findall(body)


def csv_record_numbers(content):
    """Record numbers of the rows of a /records.csv body (bytes), in order."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return [row[0] for row in rows[1:]]


def link(body, rel):
    """The (unescaped) href of <a rel=...>, or None."""
    m = re.search(r'<a rel="%s" href="([^"]*)"' % re.escape(rel), body)
    return html.unescape(m.group(1)) if m else None


def error_detail(body):
    return text_by_id(body, "error-detail")


def follow(get, path, params=None, rel="next", max_pages=200):
    """Follows rel links from `path`; returns [(response, record numbers)] per page."""
    pages = []
    r = get(path, params=params)
    while True:
        assert r.status_code == 200, (r.status_code, r.url)
        pages.append((r, record_numbers(r.text)))
        href = link(r.text, rel)
        if not href:
            return pages
        assert len(pages) < max_pages, "more than %d pages" % max_pages
        assert href.startswith("/credit/records"), href
        r = get(href[len("/credit"):])


# ---- citizens' forms ---------------------------------------------------------

class _FormReader(HTMLParser):
    """The controls of the first <form method="post"> of a page: what a
    browser would send back (inputs, textareas, selected options, checked
    boxes), in document order, plus the form's action."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.action = None
        self.in_form = False
        self.done = False
        self.controls = []      # [name, value] (value None: an unchecked box)
        self.types = {}         # name -> input type / "textarea" / "select"
        self.maxlength = {}     # name -> int
        self._textarea = None
        self._select = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post" and not self.in_form:
            self.in_form = True
            self.action = a.get("action")
            return
        if not self.in_form:
            return
        name = a.get("name")
        if "maxlength" in a and name:
            self.maxlength[name] = int(a["maxlength"])
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            self.types[name] = kind
            if kind == "checkbox":
                self.controls.append([name, a.get("value", "on") if "checked" in a else None])
            else:
                self.controls.append([name, a.get("value", "")])
        elif tag == "textarea" and name:
            self.types[name] = "textarea"
            self._textarea = [name, ""]
            self.controls.append(self._textarea)
        elif tag == "select" and name:
            self.types[name] = "select"
            self._select = [name, None]
            self._first_option = None
            self.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select[1] = value

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if self._select[1] is None:
                self._select[1] = self._first_option or ""
            self._select = None
        elif tag == "form" and self.in_form:
            self.in_form = False
            self.done = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def read_form(body):
    """(action, {name: value}, {name: type}, {name: maxlength}) of the page's
    POST form; the values are what a browser would show in its controls
    (a textarea's first line break dropped as HTML does; an unchecked box
    is None)."""
    p = _FormReader()
    p.feed(body)
    p.close()
    assert p.action is not None, "no POST form on the page"
    values = {}
    for name, value in p.controls:
        if p.types.get(name) == "textarea" and value.startswith("\n"):
            value = value[1:]
        values[name] = value
    return p.action, values, p.types, p.maxlength


def form_values(body):
    return read_form(body)[1]


def field_errors(body):
    """{field name: message} of the p.error#err-<name> elements of a form page."""
    return {m.group(1): text_by_id(body, "err-" + m.group(1))
            for m in re.finditer(r'<p class="error" id="err-([\w-]+)">', body)}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def elements(body):
    """Every start tag of a page as (tag, [(attr, value)])."""
    p = _Tags()
    p.feed(body)
    p.close()
    return p.tags


def injected_markup(body):
    """Elements or attributes a portal page never has itself but an
    unescaped XSS payload would create: script/svg/img/iframe/object
    elements, on* handler attributes, javascript: URLs. [] when none."""
    found = []
    for tag, attrs in elements(body):
        if tag in ("script", "svg", "img", "iframe", "object", "embed", "math", "base"):
            found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in ("srcdoc", "formaction"):
                found.append("%s[%s]" % (tag, name))
            if value and value.strip().lower().startswith("javascript:"):
                found.append("%s[%s=%s]" % (tag, name, value))
    return found
