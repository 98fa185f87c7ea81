"""Issue 5 point 4: the staff's work queues (HTML, no JavaScript), the case
pages with their forms, the assignment of complaints to a department (form
and JSON API), and the working-day periods of CreditCaseDays.

  GET  /credit-admin/queues                        counts per queue and department
  GET  /credit-admin/queues/{complaints|objections|repairs}[?department=N|none][&page=N]
                                                   PAGE items a page, pager links, 404 past the end
  GET  /credit-admin/cases/{receipt}               fields, timeline, audit, forms
  POST /credit-admin/cases/{receipt}               action=transition | assign (CSRF token)
  POST /credit-admin/api/v1/cases/{receipt}/assign {"department_id": N, "note": "..."}
  /credit-admin-clock/...                          the same handler under CreditCaseDays
                                                   complaint 5, repair 2 4 (conftest.py, via conf.d)

Cases are made by staff.Admin (receipts dated 2099-05-05); the expected
order and clocks of a queue are computed here from the database's rows and
the calendar_days table, not written down.
"""
import concurrent.futures
import datetime
import hashlib
import html
import itertools
import re
import subprocess
from html.parser import HTMLParser

import pytest
import requests

from conftest import APACHE2, ClockedHttpd
from portal import BEIJING
from staff import DUE_DAYS, PREFIX, TABLE, error, ok  # noqa: F401

DAY = datetime.timedelta(days=1)
HTML = "text/html; charset=utf-8"
OPEN = {"complaint": ("received", "accepted", "processing"),
        "objection": ("received", "accepted"), "repair": ("received", "accepted")}
NEXT = {("complaint", "received"): {"accepted", "rejected"},
        ("complaint", "accepted"): {"processing", "concluded"},
        ("complaint", "processing"): {"concluded"},
        ("objection", "received"): {"accepted", "rejected"},
        ("objection", "accepted"): {"upheld", "corrected", "revoked"},
        ("repair", "received"): {"accepted", "rejected"},
        ("repair", "accepted"): {"approved", "denied"}}
FINAL = {"complaint": ("rejected", "concluded"),
         "objection": ("rejected", "upheld", "corrected", "revoked"),
         "repair": ("rejected", "approved", "denied")}
SEGMENT = {"complaint": "complaints", "objection": "objections", "repair": "repairs"}
PAGE = 50  # CREDIT_QUEUE_PAGE_SIZE
BAD_FORM = "表单无效或不是从本页提交的"  # Admin.form.error.bad
STALE_FORM = "此表单显示后案件已有变动"  # Admin.form.error.stale
_dept_serial = itertools.count(1)
_bulk_serial = itertools.count(1)


# ---- helpers ---------------------------------------------------------------------------

def page(adm, path, user="staff", root=None, **kw):
    kw.setdefault("timeout", 10)
    kw.setdefault("allow_redirects", False)
    return requests.get((root or adm.root) + path, auth=adm.auth(user), **kw)


def send(adm, path, data, user="staff", root=None, **kw):
    kw.setdefault("timeout", 10)
    kw.setdefault("allow_redirects", False)
    return requests.post((root or adm.root) + path, data=data, auth=adm.auth(user), **kw)


def html_ok(r, status=200):
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["Content-Type"] == HTML
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "form-action 'self'" in r.headers["Content-Security-Policy"]
    assert "<script" not in r.text.lower()
    return r.text


def form_of(body, form_id):
    m = re.search(r'<form [^>]*id="%s".*?</form>' % form_id, body, re.S)
    assert m, "no form %s on the page" % form_id
    return m.group(0)


def token(body, form_id="transition-form"):
    return re.search(r'name="token" value="([^"]+)"', form_of(body, form_id)).group(1)


def hidden(body, form_id="transition-form"):
    """The hidden fields of a form (action, token, state) as a browser sends them."""
    return {n: html.unescape(v) for n, v in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                       form_of(body, form_id))}


def radios(body):
    return set(re.findall(r'type="radio" name="to" value="([^"]+)"', body))


def field_error(body, field):
    m = re.search(r'<p class="error" role="alert" id="err-%s">([^<]*)</p>' % field, body)
    return html.unescape(m.group(1)) if m else None


def textarea(body, name):
    m = re.search(r'<textarea id="[^"]*" name="%s"[^>]*>(.*?)</textarea>' % name, body, re.S)
    return html.unescape(m.group(1)) if m else None


def whole_queue(adm, path, user="staff", root=None, **kw):
    """Every page of a queue, from `path` on, following the pages' own "next"
    links; the pages' bodies joined (queue_receipts and row_of work on it)."""
    bodies = [html_ok(page(adm, path, user=user, root=root, **kw))]
    while True:
        m = re.search(r'<a href="([^"]+)" rel="next" id="page-next">', bodies[-1])
        if not m:
            return "".join(bodies)
        assert len(bodies) < 400, "no end to the pages of " + path
        href = html.unescape(m.group(1))
        base = "/" + (root or adm.root).split("/", 3)[3]
        assert href.startswith(base + "/queues/"), href
        bodies.append(html_ok(page(adm, href[len(base):], user=user, root=root, **kw)))


def queue_receipts(body):
    return re.findall(r'<tr class="item[^"]*" id="item-([A-Z]{2}-\d{8}-\d{6})">', body)


def row_of(body, receipt):
    m = re.search(r'<tr class="item[^"]*" id="item-%s">.*?</tr>' % receipt, body, re.S)
    assert m, receipt + " not in the queue"
    return m.group(0)


def case_page(adm, receipt, user="staff", **kw):
    return html_ok(page(adm, "/cases/" + receipt, user=user, **kw))




def set_due(adm, kind, cid, status, due):
    col = "decide_due_on" if kind == "repair" else "due_on"
    adm.stack.sql("UPDATE %s SET status = %%s, %s = %%s WHERE id = %%s" % (TABLE[kind], col),
                  (status, due, cid))


def expected_queue(adm, kind, dept=None, unassigned=False):
    """The open cases of a queue in the order the page must list them:
    overdue first, then by due date, then those without one by arrival."""
    due = "c.decide_due_on" if kind == "repair" else "c.due_on"
    dcol = "c.department_id" if kind == "complaint" else "r.department_id"
    join = "" if kind == "complaint" else " JOIN records r ON r.id = c.record_id"
    where, params = " WHERE c.status IN %s", [OPEN[kind]]
    if dept:
        where += " AND %s = %%s" % dcol
        params.append(dept)
    if unassigned:
        where += " AND %s IS NULL" % dcol
    rows = adm.stack.sql("SELECT c.receipt_no, %s, c.created_at, c.id FROM %s c%s%s"
                         % (due, TABLE[kind], join, where), params)
    far = datetime.date.max
    rows.sort(key=lambda r: (r[1] is None, r[1] or far, r[2], r[3]))
    return [r[0] for r in rows]


# ---- who sees what ---------------------------------------------------------------------

def test_queues_need_apache_login_and_a_staff_row(adm):
    for path in ("/queues", "/queues/complaints", "/cases/TS-20990505-000001"):
        r = requests.get(adm.root + path, timeout=10)
        assert r.status_code == 401
    subprocess.run(["htpasswd", "-bB", str(adm.htpasswd), "nobody-q", "pw-nobody"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    adm.htpasswd.chmod(0o644)
    nobody = ("nobody-q", "pw-nobody")
    receipt, cid = adm.case("complaint")
    before = adm.snapshot()
    # the pages: an HTML 403 in the request's language, no link to the queues
    for path in ("/", "/queues", "/queues/complaints?page=2", "/cases/" + receipt):
        body = html_ok(requests.get(adm.root + path, auth=nobody, timeout=10), 403)
        assert '<html lang="zh-CN">' in body
        assert re.search(r"<h1>403 该登录账号没有工作人员账户</h1>", body), body
        assert "请联系工作台管理员为其开通" in body
        assert re.search(r'id="signed-in">[^<]*nobody-q</p>', body)
        links = re.findall(r'<a ([^>]*)>', body)
        assert [a for a in links if 'id="lang-switch"' not in a and 'href="#main"' not in a] == []
        main = body.split('<main id="main"', 1)[1]
        assert 'id="queue"' not in main and receipt not in main
    r = requests.post(adm.root + "/cases/" + receipt, auth=nobody, timeout=10,
                      data={"action": "transition", "token": "x", "to": "accepted", "note": "n"})
    assert "该登录账号没有工作人员账户" in html_ok(r, 403)
    for kw in ({"params": {"lang": "en"}}, {"headers": {"Accept-Language": "en-US,en;q=0.9"}}):
        body = html_ok(requests.get(adm.root + "/queues/complaints", auth=nobody, timeout=10,
                                    **kw), 403)
        assert '<html lang="en">' in body
        assert "<h1>403 This login has no staff account</h1>" in body
        assert "Ask the administrator of the staff desk" in body
        assert not re.search(r"[\u4e00-\u9fff]", body.replace("中文", "")), body
    # the API keeps its JSON answer
    for method, path in (("GET", "/api/v1/me"), ("GET", "/api/v1/audit/complaint/" + receipt),
                         ("POST", "/api/v1/cases/%s/transitions" % receipt)):
        r = requests.request(method, adm.root + path, auth=nobody, timeout=10,
                             json={"to": "accepted", "note": "n"} if method == "POST" else None)
        assert "staff" in error(r, 403, "not_staff")
    assert adm.case_status("complaint", cid) == "received"
    assert adm.snapshot() == before


def test_root_is_the_overview_and_the_stylesheet_is_served(adm):
    body = html_ok(page(adm, "/"))
    assert "<h1>工作队列</h1>" in body
    css = re.search(r'<link rel="stylesheet" href="([^"]+)">', body).group(1)
    assert css == "/credit-admin/static/css/credit.css"
    r = requests.get(adm.root.replace("/credit-admin", "") + css, auth=adm.auth("staff"),
                     timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/css")


def test_department_queue_shows_only_its_open_cases(adm):
    mine = {s: adm.case("complaint", status=s)[0] for s in OPEN["complaint"] + FINAL["complaint"]}
    theirs, _ = adm.case("complaint", dept="other")
    nobody, _ = adm.case("complaint", dept=None)
    body = whole_queue(adm, "/queues/complaints", user="staff-heping")
    listed = queue_receipts(body)
    assert listed == expected_queue(adm, "complaint", dept=adm.heping)
    for s in OPEN["complaint"]:
        assert mine[s] in listed
    for s in FINAL["complaint"]:
        assert mine[s] not in listed
    assert theirs not in listed and nobody not in listed
    # no filter for a department's staff, and no way to another department
    assert 'id="queue-filter"' not in body
    r = page(adm, "/queues/complaints?department=%d" % adm.other, user="staff-heping")
    html_ok(r, 404)
    html_ok(page(adm, "/queues/complaints?department=none", user="staff-heping"), 404)
    html_ok(page(adm, "/cases/" + theirs, user="staff-heping"), 404)
    html_ok(page(adm, "/cases/" + nobody, user="staff-heping"), 404)
    # their own department by name is fine
    assert queue_receipts(whole_queue(adm, "/queues/complaints?department=%d" % adm.heping,
                                      user="staff-heping")) == listed


@pytest.mark.parametrize("kind", ["objection", "repair"])
def test_objections_and_repairs_belong_to_their_records_department(adm, kind):
    _, rid = adm.record()
    _, other_rid = adm.record(dept=adm.other)
    ours, _ = adm.case(kind, record_id=rid)
    theirs, _ = adm.case(kind, record_id=other_rid)
    listed = queue_receipts(whole_queue(adm, "/queues/" + SEGMENT[kind], user="staff-heping"))
    assert listed == expected_queue(adm, kind, dept=adm.heping)
    assert ours in listed and theirs not in listed
    listed = queue_receipts(whole_queue(adm, "/queues/%s?department=%d"
                                        % (SEGMENT[kind], adm.other)))
    assert listed == expected_queue(adm, kind, dept=adm.other)
    assert theirs in listed and ours not in listed


def test_city_level_sees_every_department_and_filters(adm):
    mine, _ = adm.case("complaint")
    theirs, _ = adm.case("complaint", dept="other")
    nobody, _ = adm.case("complaint", dept=None)
    body = html_ok(page(adm, "/queues/complaints"))
    expected = expected_queue(adm, "complaint")
    total = int(re.search(r'id="queue-count">[^<]*<strong>(\d+)</strong>', body).group(1))
    assert total == len(expected)
    assert queue_receipts(body) == expected[:PAGE]
    assert 'id="queue-filter"' in body
    got = queue_receipts(whole_queue(adm, "/queues/complaints?department=none"))
    assert got == expected_queue(adm, "complaint", unassigned=True)
    assert nobody in got and mine not in got and theirs not in got
    got = queue_receipts(whole_queue(adm, "/queues/complaints?department=%d" % adm.other))
    assert got == expected_queue(adm, "complaint", dept=adm.other)
    assert theirs in got and mine not in got and nobody not in got
    # a complaint without department is shown as such
    assert "尚未分派部门" in row_of(whole_queue(adm, "/queues/complaints?department=none"),
                                  nobody)


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5", "none&department=1"])
def test_bad_department_filter_is_400(adm, bad):
    body = html_ok(page(adm, "/queues/complaints?department=" + bad), 400)
    assert "部门参数无效" in body


# ---- paging ----------------------------------------------------------------------------

@pytest.fixture
def new_department(adm):
    """A function making a department of its own (no staff of it) with n open
    complaints of mixed states and due dates, many alike but for their id;
    the complaints and departments are deleted after the test."""
    made = []

    def make(n):
        serial = next(_dept_serial)
        adm.stack.sql("INSERT INTO departments (code, name, district) VALUES (%s, %s, 'heping')",
                      ("test-paging-%d" % serial, "分页测试部门 %d" % serial))
        dept = adm.stack.sql("SELECT id FROM departments WHERE code = %s",
                             ("test-paging-%d" % serial,))[0][0]
        made.append(dept)
        t = adm.today
        kinds = (("received", None), ("accepted", t - 3 * DAY), ("processing", t),
                 ("accepted", t + 7 * DAY), ("processing", t - 3 * DAY))
        at = datetime.datetime.combine(t, datetime.time(9, 0))
        rows = []
        for i in range(n):
            receipt = "TS-20990606-%06d" % next(_bulk_serial)
            key = hashlib.sha256(receipt.encode()).hexdigest()
            status, due = kinds[i % len(kinds)]
            rows.append((receipt, key, key, key, "分页测试对象", "分页测试投诉 " + receipt,
                         "分页测试内容。", dept, status, due, at - (i % 3) * datetime.timedelta(hours=1)))
        adm.stack.sql_many(
            "INSERT INTO complaints (receipt_no, form_token, code_hash, client_hash, target,"
            " district, domain, title, content, department_id, status, due_on, created_at)"
            " VALUES (%s, %s, UNHEX(%s), UNHEX(%s), %s, 'heping', 'procurement', %s, %s, %s, %s,"
            " %s, %s)", rows)
        return dept

    yield make
    for dept in made:
        adm.stack.sql("DELETE FROM complaints WHERE department_id = %s", (dept,))
        adm.stack.sql("DELETE FROM departments WHERE id = %s", (dept,))


def pager_link(body, rel):
    m = re.search(r'<a href="([^"]+)" rel="%s" id="page-%s">' % (rel, rel), body)
    return m and m.group(1)


def test_walking_the_pages_lists_each_open_case_once_in_order(adm, new_department):
    dept = new_department(3 * PAGE - 7)
    expected = expected_queue(adm, "complaint", dept=dept)
    assert len(expected) == 3 * PAGE - 7 and len(set(expected)) == len(expected)
    path = "/queues/complaints?department=%d" % dept
    walked, href, n = [], path, 0
    while href:
        n += 1
        body = html_ok(page(adm, href))
        items = queue_receipts(body)
        assert 0 < len(items) <= PAGE
        first = len(walked) + 1
        assert re.search(r'id="queue-count">[^<]*<strong>(\d+)</strong>', body).group(1) == str(
            len(expected))
        assert 'id="queue-range">第 %d–%d 项，共 %d 项<' % (
            first, first + len(items) - 1, len(expected)) in body
        assert 'id="page-of">页码 %d / 3<' % n in body
        prev, nxt = pager_link(body, "prev"), pager_link(body, "next")
        assert prev == (None if n == 1 else
                        "/credit-admin%s&amp;page=%d" % (path.replace("&", "&amp;"), n - 1))
        assert nxt == (None if n == 3 else "/credit-admin%s&amp;page=%d" % (path, n + 1))
        # the language switch keeps the filter and the page
        assert 'id="lang-switch" href="/credit-admin%s%s&amp;lang=en"' % (
            path, "" if n == 1 else "&amp;page=%d" % n) in body
        walked += items
        href = html.unescape(nxt)[len("/credit-admin"):] if nxt else None
    # every open case of the filter exactly once, in the order the first page starts with
    assert n == 3
    assert walked == expected
    assert queue_receipts(html_ok(page(adm, path + "&page=1"))) == expected[:PAGE]
    # the links keep a chosen language, and the page is English
    body = html_ok(page(adm, path + "&lang=en&page=2"))
    assert queue_receipts(body) == expected[PAGE:2 * PAGE]
    assert 'id="queue-range">Items %d–%d of %d in this queue<' % (
        PAGE + 1, 2 * PAGE, len(expected)) in body
    assert pager_link(body, "prev") == "/credit-admin%s&amp;lang=en&amp;page=1" % path
    assert pager_link(body, "next") == "/credit-admin%s&amp;lang=en&amp;page=3" % path
    assert ">Previous page</a>" in body and ">Next page</a>" in body
    # the whole city queue starts as the unfiltered first page says
    everything = expected_queue(adm, "complaint")
    assert queue_receipts(html_ok(page(adm, "/queues/complaints?page=2"))) == everything[
        PAGE:2 * PAGE]


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "1.5", "", "01", "+1", "%201", "1e3",
                                 "100001", "99999999999999999999", "1&page=2"])
def test_bad_page_is_400(adm, bad):
    body = html_ok(page(adm, "/queues/complaints?page=" + bad), 400)
    assert "<h1>400 页码参数无效（应为从 1 开始的整数）</h1>" in body
    assert 'id="error-detail">page = 1 … 100000<' in body
    assert 'id="queue"' not in body
    body = html_ok(page(adm, "/queues/complaints?lang=en&page=" + bad), 400)
    assert "<h1>400 Bad page parameter (a page number from 1)</h1>" in body


def test_a_page_past_the_end_is_404_with_a_link_to_the_last(adm, new_department):
    dept = new_department(PAGE + 6)
    expected = expected_queue(adm, "complaint", dept=dept)
    path = "/queues/complaints?department=%d" % dept
    last = html_ok(page(adm, path + "&page=2"))
    assert queue_receipts(last) == expected[PAGE:]
    assert pager_link(last, "next") is None
    for p in (3, 100000):
        body = html_ok(page(adm, path + "&page=%d" % p), 404)
        assert re.search(r'id="queue-beyond">该页已超出队列范围。总页数： 2\. <a href="'
                         r'/credit-admin%s&amp;page=2" id="page-last">转到最后一页</a>'
                         % re.escape(path), body), body
        assert queue_receipts(body) == [] and 'id="queue-pager"' not in body
        assert re.search(r'id="queue-count">[^<]*<strong>%d</strong></p>' % len(expected), body)
    body = html_ok(page(adm, path + "&page=3&lang=en"), 404)
    assert "This page is past the end of the queue. Number of pages: 2." in body
    # the queue shrinks under a link: the page that was there is now past the end
    adm.stack.sql("UPDATE complaints SET status = 'concluded' WHERE receipt_no IN %s",
                  (tuple(expected[PAGE - 1:]),))
    assert queue_receipts(html_ok(page(adm, path))) == expected[:PAGE - 1]
    assert pager_link(html_ok(page(adm, path)), "next") is None
    assert 'id="queue-beyond"' in html_ok(page(adm, path + "&page=2"), 404)
    # an empty queue has its first page (saying so) and no second one
    empty = "/queues/complaints?department=%d" % new_department(0)
    body = html_ok(page(adm, empty))
    assert 'id="queue-empty"' in body and 'id="queue-pager"' not in body
    body = html_ok(page(adm, empty + "&page=2"), 404)
    assert 'href="/credit-admin%s&amp;page=1" id="page-last"' % empty in body


def test_unknown_queue_or_case_is_404(adm):
    html_ok(page(adm, "/queues/ratings"), 404)
    html_ok(page(adm, "/cases/TS-20991231-999999"), 404)
    html_ok(page(adm, "/cases/AB-20990505-000001"), 404)
    html_ok(page(adm, "/cases/short"), 404)


# ---- order and clocks ------------------------------------------------------------------

def test_overdue_first_then_by_due_date_with_working_day_clocks(adm):
    t = adm.today
    past_far, past_near = t - 30 * DAY, t - 4 * DAY
    ahead = adm.workdays_after(t, 5)
    made = {}
    for name, status, due in (("received", "received", None), ("ahead", "accepted", ahead),
                              ("today", "processing", t), ("near", "accepted", past_near),
                              ("far", "processing", past_far)):
        receipt, cid = adm.case("complaint")
        if due:
            set_due(adm, "complaint", cid, status, due)
        made[name] = receipt
    body = whole_queue(adm, "/queues/complaints", user="staff-heping")
    listed = queue_receipts(body)
    assert listed == expected_queue(adm, "complaint", dept=adm.heping)
    pos = {k: listed.index(v) for k, v in made.items()}
    assert pos["far"] < pos["near"] < pos["today"] < pos["ahead"] < pos["received"]
    # every overdue item comes before every other one
    flags = ['class="item overdue"' in row_of(body, r) for r in listed]
    assert flags == sorted(flags, reverse=True)
    # the clocks, from the calendar (holidays and adjusted working days)
    for name, due in (("far", past_far), ("near", past_near)):
        row = row_of(body, made[name])
        assert 'class="warn overdue">已逾期<' in row
        late = workdays_any(adm, due, t)
        if late:
            assert re.search(r'class="late">逾期工作日： %d<' % late, row), row
        assert due.isoformat() in row
    assert "今日到期" in row_of(body, made["today"])
    assert re.search(r'class="left">剩余工作日： 5<', row_of(body, made["ahead"]))
    assert "尚未受理，未开始计时" in row_of(body, made["received"])
    # the received date is the day it came in
    assert t.isoformat() in row_of(body, made["received"])


def workdays_any(adm, a, b):
    """Working days d with a < d <= b: by calendar_days where it has the day,
    Monday to Friday where it has none (before and after the table)."""
    rows = dict(adm.stack.sql("SELECT day, is_workday FROM calendar_days"
                              " WHERE day > %s AND day <= %s", (a, b)))
    n, d = 0, a
    while d < b:
        d += DAY
        n += rows[d] if d in rows else d.weekday() < 5
    return n


def test_clocks_keep_the_calendar_with_a_due_date_years_back(adm):
    """A case more than ten years overdue on the page: the clocks of every
    case, its own too, still count the holidays and adjusted working days of
    the calendar around today (not Monday to Friday). Today is 2026-11-16
    here (a second httpd's clock), so that the calendar holds the last 200
    days, holidays among them, whatever day the tests run."""
    t = datetime.date(2026, 11, 16)
    old_due, near_due = t - 4200 * DAY, t - 200 * DAY
    # what makes the difference: the calendar of the last 200 days is not Monday to Friday
    assert workdays_any(adm, near_due, t) != sum(
        1 for k in range(1, 201) if (near_due + k * DAY).weekday() < 5)
    old, old_id = adm.case("complaint")
    near, near_id = adm.case("complaint")
    try:
        set_due(adm, "complaint", old_id, "processing", old_due)
        set_due(adm, "complaint", near_id, "accepted", near_due)
        with ClockedHttpd(adm.stack, "queue-clock",
                          datetime.datetime.combine(t, datetime.time(10), BEIJING)) as h:
            body = whole_queue(adm, "/queues/complaints", user="staff-heping",
                               root=h.admin_root)
            body_case = case_page(adm, old, user="staff-heping", root=h.admin_root)
        for receipt, due in ((old, old_due), (near, near_due)):
            row = row_of(body, receipt)
            assert 'class="warn overdue">已逾期<' in row and due.isoformat() in row
            assert re.search(r'class="late">逾期工作日： %d<' % workdays_any(adm, due, t),
                             row), (due, row)
        body = body_case
        assert re.search(r'id="case-clock"><strong class="warn overdue">已逾期</strong>'
                         r' <span class="late">逾期工作日： %d<' % workdays_any(adm, old_due, t),
                         body), re.search(r'id="case-due">.*?</dd>', body, re.S).group(0)
    finally:  # not left in the department's queue for the tests after this one
        for cid in (old_id, near_id):
            adm.stack.sql("UPDATE complaints SET status = 'concluded' WHERE id = %s", (cid,))


def test_repair_queue_shows_both_deadlines(adm):
    _, rid = adm.record()
    receipt, cid = adm.case("repair", record_id=rid)
    ok(adm.move(receipt, "accepted"))
    decide = adm.workdays_after(adm.today, 3)
    reply = adm.workdays_after(adm.today, 10)
    row = row_of(whole_queue(adm, "/queues/repairs", user="staff-heping"), receipt)
    assert decide.isoformat() in row and reply.isoformat() in row
    assert re.search(r'class="left">剩余工作日： 3<', row)
    body = case_page(adm, receipt, user="staff-heping")
    assert re.search(r'id="case-due">%s' % decide.isoformat(), body)
    assert re.search(r'id="case-reply-due">%s <span class="left">剩余工作日： 10<'
                     % reply.isoformat(), body)


def test_overview_counts_per_queue_and_department(adm):
    t = adm.today
    receipt, cid = adm.case("complaint", dept="other")
    set_due(adm, "complaint", cid, "accepted", t - 10 * DAY)
    adm.case("complaint", dept=None)
    body = html_ok(page(adm, "/queues"))
    for kind in ("complaint", "objection", "repair"):
        due = "c.decide_due_on" if kind == "repair" else "c.due_on"
        dcol = "c.department_id" if kind == "complaint" else "r.department_id"
        join = "" if kind == "complaint" else " JOIN records r ON r.id = c.record_id"
        rows = adm.stack.sql(
            "SELECT COALESCE(%s, 0), COUNT(*), COALESCE(SUM(%s < %%s), 0) FROM %s c%s"
            " WHERE c.status IN %%s GROUP BY 1" % (dcol, due, TABLE[kind], join),
            (t, OPEN[kind]))
        total = re.search(r'id="total-%s">.*?<strong class="open">(\d+)</strong>.*?'
                          r'class="overdue[^"]*">[^<]* (\d+)</span>' % kind, body, re.S)
        assert (int(total.group(1)), int(total.group(2))) == (
            sum(r[1] for r in rows), sum(int(r[2]) for r in rows)), kind
        for dept, n, late in rows:
            tr = re.search(r'<tr id="dept-%s">.*?</tr>' % (dept or "none"), body, re.S)
            assert tr, (kind, dept)
            cells = re.search(r'class="num %s-open">(?:<a [^>]*>)?(\d+)(?:</a>)?</td>'
                              r'<td class="num %s-overdue[^"]*">(\d+)</td>' % (kind, kind),
                              tr.group(0))
            assert (int(cells.group(1)), int(cells.group(2))) == (n, int(late)), (kind, dept)
    # a department's staff see their own row only
    body = html_ok(page(adm, "/queues", user="staff-heping"))
    assert re.findall(r'<tr id="dept-([^"]+)">', body) in ([str(adm.heping)], [])


# ---- the forms -------------------------------------------------------------------------

@pytest.mark.parametrize("kind,status", sorted(NEXT) + [(k, s) for k in FINAL for s in FINAL[k]])
def test_forms_offer_only_the_legal_next_states(adm, kind, status):
    rid = None if kind == "complaint" else adm.record()[1]
    receipt, _ = adm.case(kind, status=status, record_id=rid)
    body = case_page(adm, receipt, user="staff-heping")
    if (kind, status) in NEXT:
        assert radios(body) == NEXT[(kind, status)]
        assert 'name="action" value="transition"' in form_of(body, "transition-form")
        if status in OPEN[kind]:
            row = row_of(whole_queue(adm, "/queues/" + SEGMENT[kind], user="staff-heping"),
                         receipt)
            assert set(re.findall(r'<option value="([^"]+)"', row)) == NEXT[(kind, status)]
    else:
        assert radios(body) == set()
        assert 'id="no-next"' in body and 'id="transition-form"' not in body


def test_posted_form_moves_the_case_with_audit_and_timeline(adm):
    receipt, cid = adm.case("complaint")
    body = case_page(adm, receipt, user="staff-heping")
    note, reply = "表单受理说明 %s" % receipt, "您的投诉已受理,我们将在期限内答复。"
    r = send(adm, "/cases/" + receipt, {"action": "transition", "token": token(body),
                                        "to": "accepted", "note": note, "reply": reply},
             user="staff-heping")
    assert r.status_code == 303, r.text[:300]
    assert r.headers["Location"] == "%s/cases/%s?done=accepted" % (adm.root, receipt)
    row = adm.stack.sql("SELECT status, due_on, reply FROM complaints WHERE id = %s", (cid,))[0]
    assert row == ("accepted", adm.workdays_after(adm.today, DUE_DAYS["complaint"]), reply)
    assert adm.case_events("complaint", cid)[-1] == ("accepted", note)
    audit = adm.audit("complaint", cid)
    assert len(audit) == 1
    actor, action, before, after = audit[0]
    assert (actor, action, before["status"], after["status"], after["note"], after["reply"]) == (
        "staff-heping", "transition:accepted", "received", "accepted", note, reply)
    # the page it leads to confirms it and shows the new state, timeline and audit
    body = html_ok(page(adm, r.headers["Location"][len(adm.root):], user="staff-heping"))
    assert re.search(r'id="done">已办理。当前状态： 已受理<', body)
    assert 'id="case-status">已受理<' in body
    assert html.escape(note) in re.search(r'id="case-timeline">.*?</ol>', body, re.S).group(0)
    assert "transition:accepted" in re.search(r'id="case-audit">.*?</table>', body, re.S).group(0)
    assert radios(body) == NEXT[("complaint", "accepted")]


def test_queue_form_acts_on_its_item(adm):
    _, rid = adm.record()
    receipt, cid = adm.case("objection", record_id=rid)
    row = row_of(whole_queue(adm, "/queues/objections", user="staff-heping"), receipt)
    tok = re.search(r'name="token" value="([^"]+)"', row).group(1)
    r = send(adm, "/cases/" + receipt, {"action": "transition", "token": tok, "to": "accepted",
                                        "note": "队列中直接受理"}, user="staff-heping")
    assert r.status_code == 303
    assert adm.case_status("objection", cid) == "accepted"
    assert adm.rec(rid)[0] == "contested"  # the same store function: the record follows


def test_missing_note_is_400_at_the_field_keeping_the_text(adm):
    receipt, cid = adm.case("complaint")
    body = case_page(adm, receipt)
    before = adm.snapshot()
    typed = "答复草稿 <b>不要丢失</b> & 换行\n第二行"
    r = send(adm, "/cases/" + receipt, {"action": "transition", "token": token(body),
                                        "to": "accepted", "note": "  ", "reply": typed})
    body = html_ok(r, 400)
    assert field_error(body, "note") == "此项为必填项。"
    assert textarea(body, "reply") == typed
    assert "<b>不要丢失</b>" not in body  # escaped, not markup
    assert 'value="accepted" checked' in body
    assert 'id="form-failed"' in body
    assert adm.case_status("complaint", cid) == "received"
    assert adm.snapshot() == before
    # a missing choice of state likewise
    body = html_ok(send(adm, "/cases/" + receipt, {"action": "transition",
                                                    "token": token(body), "note": "说明"}), 400)
    assert field_error(body, "to") == "此项为必填项。"
    assert textarea(body, "note") == "说明"
    assert adm.snapshot() == before


def test_repair_approval_the_rules_refuse_says_so_keeping_the_text(adm):
    """The repair rules refuse an approval (rectification not done): the form
    says why in the page's language, not that the record was withdrawn."""
    no, rid = adm.record(rectified=0)
    receipt, cid = adm.case("repair", status="accepted", record_id=rid)
    body = case_page(adm, receipt)
    before = adm.snapshot()
    note = "审核通过信用修复 %s" % receipt
    r = send(adm, "/cases/" + receipt, {"action": "transition", "token": token(body),
                                        "to": "approved", "note": note})
    body = html_ok(r, 409)
    assert field_error(body, "to").startswith("该记录目前不符合信用修复条件"), field_error(body, "to")
    assert textarea(body, "note") == note
    assert adm.case_status("repair", cid) == "accepted"
    assert adm.rec(rid)[0] == "published"
    assert adm.snapshot() == before


def test_too_long_note_is_400(adm):
    receipt, cid = adm.case("complaint")
    body = case_page(adm, receipt)
    r = send(adm, "/cases/" + receipt, {"action": "transition", "token": token(body),
                                        "to": "accepted", "note": "长" * 1001})
    assert field_error(html_ok(r, 400), "note") == "内容超过长度限制。"
    assert adm.case_status("complaint", cid) == "received"


def test_correcting_an_objection_needs_the_public_correction_text(adm):
    """Finding 2, the form: deciding an objection `corrected` takes the
    correction for the public in its own field (required then, 400 at the
    field keeping what was typed); the record shows that text and never the
    staff's note, which stays in the case's timeline."""
    no, rid = adm.record()
    receipt, cid = adm.case("objection", record_id=rid, status="accepted")
    adm.stack.sql("UPDATE records SET status = 'contested' WHERE id = %s", (rid,))
    body = case_page(adm, receipt, user="staff-heping")
    assert 'id="field-correction"' in body and textarea(body, "correction") == ""
    assert "更正说明（公开）" in body
    # not on a case whose next states have no correction
    complaint, _ = adm.case("complaint")
    assert 'name="correction"' not in case_page(adm, complaint)
    rec, before = adm.rec(rid), adm.snapshot()
    note = "已电话联系申请人(13900001111),核实金额有误 %s" % receipt
    r = send(adm, "/cases/" + receipt, dict(hidden(body), to="corrected", note=note,
                                            correction="  "), user="staff-heping")
    body = html_ok(r, 400)
    assert field_error(body, "correction") == "此项为必填项。"
    assert textarea(body, "note") == note
    assert 'value="corrected" checked' in body
    assert adm.case_status("objection", cid) == "accepted"
    assert adm.rec(rid) == rec and adm.snapshot() == before
    # with the correction given, the decision goes through
    correction = "处罚金额更正为 8000 元 <公开>"
    r = send(adm, "/cases/" + receipt, dict(hidden(body), to="corrected", note=note,
                                            correction=correction), user="staff-heping")
    assert r.status_code == 303, r.text[:500]
    assert adm.rec(rid)[:2] == ("corrected", correction)
    assert adm.case_events("objection", cid)[-1] == ("corrected", note)
    public = adm.stack.get("/records/" + no)
    assert public.status_code == 200
    assert html.escape(correction, quote=False) in public.text
    assert note not in public.text and "13900001111" not in public.text
    assert receipt not in public.text
    # a correction typed before choosing another decision is left unused
    other, oid = adm.case("objection", record_id=rid, status="accepted")
    adm.stack.sql("UPDATE records SET status = 'contested' WHERE id = %s", (rid,))
    r = send(adm, "/cases/" + other, dict(hidden(case_page(adm, other)), to="upheld",
                                          note="维持", correction="不应采用的更正"))
    assert r.status_code == 303, r.text[:500]
    assert adm.rec(rid)[:2] == ("corrected", correction)
    assert "不应采用的更正" not in adm.stack.get("/records/" + no).text

    receipt, cid = adm.case("complaint", status="accepted")
    body = case_page(adm, receipt)
    before = adm.snapshot()
    r = send(adm, "/cases/" + receipt, {"action": "transition", "token": token(body),
                                        "to": "rejected", "note": "迟到的不予受理",
                                        "reply": "保留的答复"})
    body = html_ok(r, 409)
    assert field_error(body, "to") == "不允许的状态转换： 已受理 → 不予受理"
    assert textarea(body, "note") == "迟到的不予受理"
    assert textarea(body, "reply") == "保留的答复"
    assert adm.case_status("complaint", cid) == "accepted"
    assert adm.snapshot() == before
    # a stale page: the case moved meanwhile, its form is refused (even for a
    # move the new state allows), what was typed kept
    stale = hidden(case_page(adm, receipt))
    ok(adm.move(receipt, "processing"))
    before = adm.snapshot()
    body = html_ok(send(adm, "/cases/" + receipt, dict(stale, to="concluded", note="旧页面")), 409)
    assert field_error(body, "token").startswith(STALE_FORM)
    assert textarea(body, "note") == "旧页面"
    assert adm.case_status("complaint", cid) == "processing"
    assert adm.snapshot() == before


def test_bad_or_missing_token_is_refused_keeping_the_text(adm):
    receipt, cid = adm.case("complaint")
    other, _ = adm.case("complaint")
    good = token(case_page(adm, receipt))
    tampered = good[:-1] + ("0" if good[-1] != "0" else "1")
    foreign_case = token(case_page(adm, other))
    foreign_user = token(case_page(adm, receipt, user="staff-heping"))
    before = adm.snapshot()
    for tok in (None, "", "v1.1.2.3", tampered, foreign_case, foreign_user):
        data = {"action": "transition", "to": "accepted", "note": "令牌检查 %s" % tok}
        if tok is not None:
            data["token"] = tok
        body = html_ok(send(adm, "/cases/" + receipt, data), 400)
        assert field_error(body, "token").startswith(BAD_FORM), tok
        assert textarea(body, "note") == data["note"]
        assert token(body) not in (tok, None)  # a fresh one to send again with
    assert adm.case_status("complaint", cid) == "received"
    assert adm.snapshot() == before
    # the fresh token of the refused page works
    r = send(adm, "/cases/" + receipt, {"action": "transition", "token": token(body),
                                        "to": "accepted", "note": "重新提交"})
    assert r.status_code == 303


def test_a_used_form_is_refused_once_the_case_moved_keeping_the_text(adm):
    """A case form's token is bound to the state of the case it was shown
    for: it does its work once. Sent again (a replay, a second tab, the back
    button) it is refused with what was typed kept, also for a move the new
    state would allow; the refused page's fresh form works."""
    receipt, cid = adm.case("complaint")
    form = hidden(case_page(adm, receipt))
    assert (form["action"], form["state"]) == ("transition", "received")
    r = send(adm, "/cases/" + receipt, dict(form, to="accepted", note="第一次提交"))
    assert r.status_code == 303
    before = adm.snapshot()
    typed = "重放的说明 <保留> & 换行\n第二行"
    # processing is legal from accepted: only the token stops it
    r = send(adm, "/cases/" + receipt, dict(form, to="processing", note=typed, reply="答复草稿"))
    body = html_ok(r, 409)
    assert field_error(body, "token").startswith(STALE_FORM)
    assert textarea(body, "note") == typed
    assert textarea(body, "reply") == "答复草稿"
    assert 'id="form-failed"' in body and 'id="case-status">已受理<' in body
    assert adm.case_status("complaint", cid) == "accepted"
    # without its state, or naming the state the case is in now, the old token is not valid
    for data in ({k: v for k, v in form.items() if k != "state"}, dict(form, state="accepted")):
        body2 = html_ok(send(adm, "/cases/" + receipt, dict(data, to="processing", note=typed)),
                        400)
        assert field_error(body2, "token").startswith(BAD_FORM)
        assert textarea(body2, "note") == typed
    assert adm.case_status("complaint", cid) == "accepted"
    assert adm.snapshot() == before
    # the refused page's fresh form works, once
    fresh = hidden(body)
    assert fresh["state"] == "accepted" and fresh["token"] != form["token"]
    assert send(adm, "/cases/" + receipt,
                dict(fresh, to="processing", note="重新提交")).status_code == 303
    body = html_ok(send(adm, "/cases/" + receipt, dict(fresh, to="concluded", note="再来一次")),
                   409)
    assert field_error(body, "token").startswith(STALE_FORM)
    assert adm.case_status("complaint", cid) == "processing"
    # a closed case has no form left, the refusal is still said
    last = hidden(body)
    assert send(adm, "/cases/" + receipt, dict(last, to="concluded", note="办结")).status_code == 303
    body = html_ok(send(adm, "/cases/" + receipt, dict(last, to="concluded", note="又一次")), 409)
    assert field_error(body, "token").startswith(STALE_FORM)
    assert 'id="no-next"' in body
    assert adm.case_status("complaint", cid) == "concluded"
    # a queue row's form likewise
    _, rid = adm.record()
    receipt, cid = adm.case("objection", record_id=rid)
    row = row_of(whole_queue(adm, "/queues/objections", user="staff-heping"), receipt)
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', row))
    assert form["state"] == "received"
    r = send(adm, "/cases/" + receipt, dict(form, to="accepted", note="队列受理"),
             user="staff-heping")
    assert r.status_code == 303
    before = adm.snapshot()
    r = send(adm, "/cases/" + receipt, dict(form, to="upheld", note="队列重放"),
             user="staff-heping")
    body = html_ok(r, 409)
    assert field_error(body, "token").startswith(STALE_FORM)
    assert textarea(body, "note") == "队列重放"
    assert adm.case_status("objection", cid) == "accepted"
    assert adm.rec(rid)[0] == "contested"
    assert adm.snapshot() == before


def test_a_forms_token_works_for_that_form_only(adm):
    """The assign form and the transition form of a case page carry tokens
    of their own: neither works for the other's action. An assignment is
    done once: its form sent again after it is refused."""
    receipt, cid = adm.case("complaint", dept=None)
    path = "/cases/" + receipt
    body = case_page(adm, receipt)
    assign, move = hidden(body, "assign-form"), hidden(body, "transition-form")
    assert assign["action"] == "assign" and move["action"] == "transition"
    assert assign["token"] != move["token"]
    before = adm.snapshot()
    # the assign form's token for a transition (with either form's state)
    for state in (assign["state"], move["state"]):
        r = send(adm, path, dict(move, token=assign["token"], state=state, to="accepted",
                                 note="借用分派表单的令牌"))
        body = html_ok(r, 400)
        assert field_error(body, "token").startswith(BAD_FORM)
        assert textarea(form_of(body, "transition-form"), "note") == "借用分派表单的令牌"
    # the transition form's token for an assignment
    for state in (assign["state"], move["state"]):
        r = send(adm, path, dict(assign, token=move["token"], state=state,
                                 department_id=str(adm.heping), note="借用转换表单的令牌"))
        body = html_ok(r, 400)
        assert field_error(body, "assign-token").startswith(BAD_FORM)
        assert textarea(form_of(body, "assign-form"), "note") == "借用转换表单的令牌"
    assert adm.case_status("complaint", cid) == "received"
    assert adm.stack.sql("SELECT department_id FROM complaints WHERE id = %s", (cid,))[0][0] is None
    assert adm.snapshot() == before
    # each with its own token: the assignment, once
    r = send(adm, path, dict(assign, department_id=str(adm.heping), note="分派和平区"))
    assert r.status_code == 303
    before = adm.snapshot()
    r = send(adm, path, dict(assign, department_id=str(adm.other), note="再分派一次"))
    body = html_ok(r, 409)
    assert field_error(body, "assign-token").startswith(STALE_FORM)
    assert textarea(form_of(body, "assign-form"), "note") == "再分派一次"
    assert adm.stack.sql("SELECT department_id FROM complaints WHERE id = %s",
                         (cid,))[0][0] == adm.heping
    assert adm.snapshot() == before
    # the status did not change: the page's transition form still serves
    assert send(adm, path, dict(move, to="accepted", note="受理")).status_code == 303
    assert adm.case_status("complaint", cid) == "accepted"


@pytest.mark.allow_log(r"CR0923")
def test_form_needs_an_html_form_body(adm):
    receipt, cid = adm.case("complaint")
    r = requests.post(adm.root + "/cases/" + receipt, json={"to": "accepted", "note": "x"},
                      auth=adm.auth("staff"), timeout=10)
    assert r.status_code == 415
    html_ok(send(adm, "/cases/" + receipt, {"action": "delete", "token": "x"}), 400)
    assert adm.case_status("complaint", cid) == "received"


def test_contact_data_is_on_the_case_page_but_never_in_a_url_or_log(adm):
    receipt, cid = adm.case("complaint")
    name, phone, email = "钱联系", "13912345678", "qian.lianxi@example.org"
    adm.stack.sql("UPDATE complaints SET name = %s, phone = %s, email = %s WHERE id = %s",
                  (name, phone, email, cid))
    logs = [adm.stack.error_log, adm.stack.var / "log" / "httpd-access.log"]
    sizes = [p.stat().st_size for p in logs]
    body = case_page(adm, receipt)
    for v in (name, phone, email):
        assert v in body
    queue = html_ok(page(adm, "/queues/complaints"))
    r = send(adm, "/cases/" + receipt, {"action": "transition", "token": token(body),
                                        "to": "accepted", "note": "联系了投诉人"})
    assert r.status_code == 303
    done = html_ok(page(adm, r.headers["Location"][len(adm.root):]))
    urls = [r.headers["Location"]]
    for b in (body, queue, done):
        urls += re.findall(r'(?:href|action|src)="([^"]*)"', b)
    for v in (name, phone, email):
        assert not [u for u in urls if v in html.unescape(u)], v
    added = "".join(p.read_bytes()[s:].decode("utf-8", "replace") for p, s in zip(logs, sizes))
    assert receipt in added  # the requests are logged...
    for v in (name, phone, email):
        assert v not in added  # ...without the contact data


def test_english_pages(adm):
    receipt, _ = adm.case("complaint")
    r = page(adm, "/queues?lang=en")
    body = html_ok(r)
    assert '<html lang="en">' in body and "Work queues" in body
    assert "credit_lang=en; Path=/credit-admin/" in r.headers["Set-Cookie"]
    cookie = {"credit_lang": "en"}
    for path in ("/queues/complaints", "/cases/" + receipt):
        body = html_ok(page(adm, path, cookies=cookie))
        assert '<html lang="en">' in body
        text = " ".join(_text(body))
        for zh in ("工作队列", "办理说明", "受理编号", "承办部门", "已接收", "下一步状态"):
            assert zh not in text, (path, zh)
        assert re.search(r'id="lang-switch" href="/credit-admin%s\?lang=zh-CN"'
                         % re.escape(path), body)
    body = html_ok(page(adm, "/cases/" + receipt, cookies=cookie))
    assert "Next state" in body and "Received" in body and "Accepted" in body
    # the Chinese page by default
    assert '<html lang="zh-CN">' in case_page(adm, receipt)


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        if data.strip():
            self.parts.append(data)


def _text(body):
    p = _Texts()
    p.feed(body)
    return p.parts


# ---- assignment ------------------------------------------------------------------------

def test_assign_through_the_api_puts_it_in_the_departments_queue(adm):
    receipt, cid = adm.case("complaint", dept=None)
    error(adm.move(receipt, "accepted", user="staff-heping"), 404, "not_found")
    j = ok(adm.post("/cases/%s/assign" % receipt, {"department_id": adm.heping,
                                                    "note": "属和平区管辖"}))
    name = adm.stack.sql("SELECT name FROM departments WHERE id = %s", (adm.heping,))[0][0]
    assert j == {"receipt": receipt, "department_id": adm.heping, "department": name,
                 "before": None}
    assert adm.stack.sql("SELECT department_id FROM complaints WHERE id = %s",
                         (cid,))[0][0] == adm.heping
    actor, action, before, after = adm.audit("complaint", cid)[-1]
    assert (actor, action, before["department_id"], after["department_id"], after["note"]) == (
        "staff", "assign", None, str(adm.heping), "属和平区管辖")
    assert receipt in queue_receipts(whole_queue(adm, "/queues/complaints",
                                                 user="staff-heping"))
    assert ok(adm.move(receipt, "accepted", user="staff-heping"))["status"] == "accepted"
    # re-assignment by the city level
    j = ok(adm.post("/cases/%s/assign" % receipt, {"department_id": adm.other,
                                                    "note": "改由市级部门办理"}))
    assert j["before"] == adm.heping and j["department_id"] == adm.other
    assert adm.audit("complaint", cid)[-1][2]["department_id"] == str(adm.heping)
    error(adm.move(receipt, "processing", user="staff-heping"), 404, "not_found")
    assert receipt not in queue_receipts(whole_queue(adm, "/queues/complaints",
                                                     user="staff-heping"))


def test_assign_api_errors_change_nothing(adm):
    receipt, cid = adm.case("complaint", dept=None)
    closed, _ = adm.case("complaint", status="concluded", dept=None)
    _, rid = adm.record()
    objection, _ = adm.case("objection", record_id=rid)
    missing = int(adm.stack.sql("SELECT COALESCE(MAX(id), 0) + 1000 FROM departments")[0][0])
    before = adm.snapshot()
    path = "/cases/%s/assign" % receipt
    error(adm.post(path, {"department_id": adm.heping, "note": "x"}, user="staff-heping"), 404,
          "not_found")
    assert "department_id" in error(adm.post(path, {"department_id": missing, "note": "x"}),
                                    400, "bad_field")
    assert "department_id" in error(adm.post(path, {"note": "x"}), 400, "missing_field")
    for bad in ("3", 0, -2, 1.5, None, [1]):
        assert "department_id" in error(adm.post(path, {"department_id": bad, "note": "x"}),
                                        400), bad
    assert "note" in error(adm.post(path, {"department_id": adm.heping}), 400, "missing_field")
    assert "note" in error(adm.post(path, {"department_id": adm.heping, "note": "长" * 1001}),
                           400, "bad_field")
    error(adm.post("/cases/%s/assign" % closed, {"department_id": adm.heping, "note": "x"}),
          409, "case_closed")
    error(adm.post("/cases/%s/assign" % objection, {"department_id": adm.heping, "note": "x"}),
          409, "not_assignable")
    error(adm.post("/cases/TS-20991231-999999/assign", {"department_id": adm.heping,
                                                         "note": "x"}), 404, "not_found")
    assert adm.snapshot() == before
    assert adm.stack.sql("SELECT department_id FROM complaints WHERE id = %s", (cid,))[0][0] is None


def test_assigning_to_the_department_it_has_changes_nothing(adm):
    """A second assignment to the same department (a form sent twice at
    once, or a slip) is refused: one change, one audit row."""
    receipt, cid = adm.case("complaint", dept=None)
    path = "/cases/%s/assign" % receipt
    assert adm.post(path, {"department_id": adm.heping, "note": "分派"}).status_code == 200
    before = adm.snapshot()
    msg = error(adm.post(path, {"department_id": adm.heping, "note": "再次分派"}), 400, "bad_field")
    assert "already" in msg, msg
    assert adm.snapshot() == before
    # the same form sent several times at once: one assignment
    other, oid = adm.case("complaint", dept=None)
    body = case_page(adm, other)
    data = dict(hidden(body, "assign-form"), department_id=str(adm.other), note="并发分派")
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        codes = sorted(pool.map(lambda _: send(adm, "/cases/" + other, data).status_code,
                                range(6)))
    assert codes.count(303) == 1, codes
    assert len([a for a in adm.audit("complaint", oid) if a[1] == "assign"]) == 1
    assert adm.stack.sql("SELECT department_id FROM complaints WHERE id = %s",
                         (oid,))[0][0] == adm.other


def test_assign_form_on_the_case_page(adm):
    receipt, cid = adm.case("complaint", dept=None)
    body = case_page(adm, receipt)
    assert 'id="assign-form"' in body
    assert str(adm.heping) in re.findall(r'<option value="(\d+)"', form_of(body, "assign-form"))
    # a department's staff have no assign form (not even on their own cases)
    own, _ = adm.case("complaint")
    assert 'id="assign-form"' not in case_page(adm, own, user="staff-heping")
    # an unknown department: 400 at the field, the note kept
    missing = int(adm.stack.sql("SELECT COALESCE(MAX(id), 0) + 1000 FROM departments")[0][0])
    before = adm.snapshot()
    r = send(adm, "/cases/" + receipt, {"action": "assign", "token": token(body, "assign-form"),
                                        "department_id": str(missing), "note": "分派说明保留"})
    body = html_ok(r, 400)
    assert field_error(body, "assign-department_id") == "没有这个部门。"
    assert textarea(form_of(body, "assign-form"), "note") == "分派说明保留"
    assert textarea(form_of(body, "transition-form"), "note") == ""
    assert adm.snapshot() == before
    r = send(adm, "/cases/" + receipt, {"action": "assign", "token": token(body, "assign-form"),
                                        "department_id": str(adm.heping), "note": "分派和平区"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/cases/%s?done=assigned" % receipt)
    name = adm.stack.sql("SELECT name FROM departments WHERE id = %s", (adm.heping,))[0][0]
    body = html_ok(page(adm, r.headers["Location"][len(adm.root):]))
    assert re.search(r'id="done">已分派至 %s<' % re.escape(html.escape(name)), body)
    assert adm.audit("complaint", cid)[-1][:2] == ("staff", "assign")
    # now the department's staff see and act on it
    body = case_page(adm, receipt, user="staff-heping")
    r = send(adm, "/cases/" + receipt, {"action": "transition", "token": token(body),
                                        "to": "accepted", "note": "区里受理"}, user="staff-heping")
    assert r.status_code == 303
    # a department's staff posting the assign form: as for another department's case
    before = adm.snapshot()
    r = send(adm, "/cases/" + own, {"action": "assign",
                                    "token": token(case_page(adm, own, user="staff-heping")),
                                    "department_id": str(adm.other), "note": "x"},
             user="staff-heping")
    html_ok(r, 404)
    assert adm.snapshot() == before


# ---- configurable working days ---------------------------------------------------------

def clock_root(adm):
    return adm.root.replace("/credit-admin", "/credit-admin-clock")


def test_case_days_from_the_directive(adm):
    """/credit-admin-clock has CreditCaseDays complaint 5 and repair 2 4;
    objections keep the default 20."""
    root = clock_root(adm)
    t = adm.today
    receipt, cid = adm.case("complaint")
    r = requests.post(root + "/api/v1/cases/%s/transitions" % receipt, auth=adm.auth("staff"),
                      json={"to": "accepted", "note": "五个工作日"}, timeout=10)
    assert ok(r)["status"] == "accepted"
    due = adm.stack.sql("SELECT due_on FROM complaints WHERE id = %s", (cid,))[0][0]
    assert due == adm.workdays_after(t, 5)
    assert adm.audit("complaint", cid)[-1][3]["due_on"] == due.isoformat()
    _, rid = adm.record()
    receipt, cid = adm.case("repair", record_id=rid)
    ok(requests.post(root + "/api/v1/cases/%s/transitions" % receipt, auth=adm.auth("staff"),
                     json={"to": "accepted", "note": "修复"}, timeout=10))
    row = adm.stack.sql("SELECT decide_due_on, reply_due_on FROM repair_applications"
                        " WHERE id = %s", (cid,))[0]
    assert row == (adm.workdays_after(t, 2), adm.workdays_after(t, 4))
    receipt, cid = adm.case("objection", record_id=adm.record()[1])
    ok(requests.post(root + "/api/v1/cases/%s/transitions" % receipt, auth=adm.auth("staff"),
                     json={"to": "accepted", "note": "异议"}, timeout=10))
    due = adm.stack.sql("SELECT due_on FROM objections WHERE id = %s", (cid,))[0][0]
    assert due == adm.workdays_after(t, DUE_DAYS["objection"])
    # the form path under that <Location> uses the same days, and its links stay there
    receipt, cid = adm.case("complaint")
    body = html_ok(page(adm, "/cases/" + receipt, root=root))
    assert 'action="/credit-admin-clock/cases/%s"' % receipt in body
    r = send(adm, "/cases/" + receipt, {"action": "transition", "token": token(body),
                                        "to": "accepted", "note": "表单"}, root=root)
    assert r.status_code == 303 and r.headers["Location"].startswith(root + "/cases/")
    due = adm.stack.sql("SELECT due_on FROM complaints WHERE id = %s", (cid,))[0][0]
    assert due == adm.workdays_after(t, 5)


@pytest.mark.parametrize("line,says", [
    ("CreditCaseDays complaint 0", "1 to 365"),
    ("CreditCaseDays objection 366", "1 to 365"),
    ("CreditCaseDays complaint fifteen", "1 to 365"),
    ("CreditCaseDays repair 3 0", "1 to 365"),
    ("CreditCaseDays complaints 15", "unknown case kind"),
    ("CreditCaseDays complaint 15 10", "only repair"),
    ("CreditCaseDays complaint", "CreditCaseDays"),
])
def test_bad_case_days_fail_the_configtest(adm, tmp_path, line, says):
    conf = (adm.stack.var / "httpd" / "httpd.conf").read_text()
    anchor = "    CreditCaseDays complaint 15\n"
    assert anchor in conf
    good = tmp_path / "good.conf"
    good.write_text(conf)
    bad = tmp_path / "bad.conf"
    bad.write_text(conf.replace(anchor, anchor + "    " + line + "\n"))
    run = lambda p: subprocess.run([APACHE2, "-t", "-f", str(p)],  # noqa: E731
                                   capture_output=True, text=True, timeout=30)
    assert run(good).returncode == 0
    out = run(bad)
    assert out.returncode != 0
    assert "CreditCaseDays" in out.stderr and says in out.stderr, out.stderr
