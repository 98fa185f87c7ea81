"""The public ratings, commitments and statistics pages (issue 5 point 5):
content computed from SQL, filters and their 400s, ETag/304, the SVG charts
(well-formed, accessible, one bar per data point, lengths proportional to
the values), escaping, and the rating history on the subject page.

Fixture rows of this module: ratings of the years 2019 and 2020 (no other
rows have those years) for subjects named ...QZXRATE, a township
QZXTOWN with commitments in every status, and a department QZXDEPT with
complaints, one of them concluded."""
import datetime
import html
import re
import xml.etree.ElementTree as ET

import pytest

import portal
import oracle
from portal import error_detail, text_by_id
from world import DISTRICTS, DOMAINS, add_gov

HTML = "text/html; charset=utf-8"
SVG = "{http://www.w3.org/2000/svg}"
XSS_RATED = "<script>alert(51)</script>评价测试局QZXRATE"
XSS_PROMISE = "承诺<script>alert(52)</script>&\"QZXPROMISE\""
AREAS = ["employment", "property", "schooling", "family", "elderly", "disability", "poverty",
         "insurance", "housing", "transport", "parking", "safety", "military", "services"]
AREA_LABEL = dict(zip(AREAS, ["就业", "物业", "就学", "计生", "养老", "助残", "扶贫", "医保",
                              "住房", "出行", "停车", "防火防盗", "拥军优属", "便民服务"]))
GRADE_LABEL = {"A": "优秀", "B": "良好", "C": "一般", "D": "较差"}
CSTATUS_LABEL = {"pending": "践诺中", "kept": "已践诺", "broken": "未践诺"}
CASE_STATUSES = ["received", "accepted", "rejected", "processing", "concluded"]


# ---- fixture rows ------------------------------------------------------------

class Rows:
    pass


def _rating(stack, subject, year, score, grade, published, indicators):
    stack.sql("INSERT INTO ratings (subject_id, year, score, grade, published_on)"
              " VALUES (%s, %s, %s, %s, %s)", (subject.id, year, score, grade, published))
    rid = stack.sql("SELECT LAST_INSERT_ID()")[0][0]
    for code, name, weight, raw, sc in indicators:
        stack.sql("INSERT INTO rating_indicators (rating_id, code, name, weight, raw_value, score)"
                  " VALUES (%s, %s, %s, %s, %s, %s)", (rid, code, name, weight, raw, sc))
    return rid


def _complaint(stack, n, dept, status, created):
    stack.sql(
        "INSERT INTO complaints (receipt_no, form_token, code_hash, client_hash, target,"
        " district, domain, title, content, department_id, status, created_at)"
        " VALUES (%s, %s, UNHEX(SHA2(%s, 256)), UNHEX(SHA2(%s, 256)), %s, 'hexi', 'procurement',"
        " %s, %s, %s, %s, %s)",
        ("TS-20990101-%06d" % n, "%064d" % n, "code%d" % n, "client%d" % n, "测试对象",
         "公开页测试投诉%d" % n, "内容", dept, status, created))
    return stack.sql("SELECT id FROM complaints WHERE receipt_no = %s",
                     ("TS-20990101-%06d" % n,))[0][0]


@pytest.fixture(scope="module")
def rows(stack, world):
    t = world.today
    day = datetime.timedelta(days=1)
    x = Rows()
    x.rated = add_gov(stack, "公开页评价测试委员会QZXRATE", "hexi", "city")
    x.rated_b = add_gov(stack, "公开页评价测试局QZXRATE", "nankai", "district")
    x.xss = add_gov(stack, XSS_RATED, "heping", "district")
    ind = [("complaint_timely", "投诉办理及时率", "40.00", "95.00", "38.00"),
           ("contract_kept", "政府合同履约率", "35.00", "90.00", "31.50"),
           ("disclosure", "政务公开及时率", "25.00", "88.00", "22.00")]
    x.r2019 = _rating(stack, x.rated, 2019, "91.50", "A", datetime.date(2020, 3, 1), ind)
    x.r2019_b = _rating(stack, x.rated_b, 2019, "80.00", "B", datetime.date(2020, 3, 1),
                        [("disclosure", "政务公开及时率", "100.00", "80.00", "80.00")])
    x.r2019_xss = _rating(stack, x.xss, 2019, "58.25", "D", datetime.date(2020, 3, 1),
                          [("rectified", "失信记录整改完成率<b>", "100.00", "58.25", "58.25")])
    x.r2020 = _rating(stack, x.rated, 2020, "72.00", "C", datetime.date(2021, 3, 1),
                      [("disclosure", "政务公开及时率", "100.00", "72.00", "72.00")])
    # announced but not yet published: never shown
    x.future = _rating(stack, x.rated_b, 2018, "66.00", "C", t + 10 * day, [])
    # rows naming an official: never shown (a civil servant's name is public
    # only through a disclosed record)
    x.official = world.subjects["official_future"]
    _rating(stack, x.official, 2017, "99.00", "A", datetime.date(2018, 3, 1), [])
    stack.sql("INSERT INTO commitments (subject_id, area, text, promised_on, status)"
              " VALUES (%s, 'parking', '公务员承诺QZXOFFICIAL', %s, 'kept')",
              (x.official.id, t - 3 * day))

    x.town = add_gov(stack, "公开页测试街道办事处QZXTOWN", "jizhou", "township")
    x.town2 = add_gov(stack, "公开页测试镇人民政府QZXTOWN", "jizhou", "township")
    # No evidence is a run of a UI string (已完成 is one): test_english reads
    # these on the English commitments page and would take it for a leak.
    spec = [("employment", "kept", "已兑现QZX1"), ("elderly", "kept", "已兑现QZX2"),
            ("housing", "broken", "未完成说明QZX"), ("safety", "pending", None),
            ("services", "pending", None), ("military", "pending", None)]
    x.commitments = []
    for i, (area, status, evidence) in enumerate(spec):
        text = XSS_PROMISE if i == 0 else "公开页测试承诺%d QZXPROMISE" % i
        stack.sql("INSERT INTO commitments (subject_id, area, text, promised_on, status, evidence)"
                  " VALUES (%s, %s, %s, %s, %s, %s)",
                  (x.town.id, area, text, t - (40 + i) * day, status, evidence))
        x.commitments.append(stack.sql("SELECT LAST_INSERT_ID()")[0][0])
    stack.sql("INSERT INTO commitments (subject_id, area, text, promised_on, status)"
              " VALUES (%s, 'parking', '公开页测试镇承诺QZXPROMISE', %s, 'kept')",
              (x.town2.id, t - 41 * day))

    stack.sql("INSERT INTO departments (code, name, district) VALUES"
              " ('qzx_public', '公开页测试部门QZXDEPT', 'hexi')")
    x.dept = stack.sql("SELECT id FROM departments WHERE code = 'qzx_public'")[0][0]
    now = portal.local_now()
    created = now - datetime.timedelta(days=10)
    done = _complaint(stack, 5101, x.dept, "concluded", created)
    stack.sql("INSERT INTO case_events (case_type, case_id, status, note, occurred_at)"
              " VALUES ('complaint', %s, 'concluded', '已办结', %s)",
              (done, created + datetime.timedelta(days=3, hours=12)))
    _complaint(stack, 5102, x.dept, "processing", now - datetime.timedelta(days=2))
    return x


# ---- helpers -----------------------------------------------------------------

def svgs(body):
    """{id: parsed <svg>} of the page; each must be well-formed XML on its own."""
    out = {}
    for text in re.findall(r"<svg\b.*?</svg>", body, re.S):
        el = ET.fromstring(text)   # raises on anything not well-formed
        out[el.get("id")] = el
    return out


def bars(svg):
    return [r for r in svg.iter(SVG + "rect") if "bar" in (r.get("class") or "").split()]


def lengths(svg):
    """The drawn length of each bar: height for columns, width for bars."""
    attr = "height" if "chart-columns" in svg.get("class") else "width"
    return [int(r.get(attr)) for r in bars(svg)]


def check_chart(body, svg, values):
    """An accessible chart with one bar per value, lengths proportional."""
    assert svg.tag == SVG + "svg"
    assert svg.get("role") == "img"
    title = svg.find(SVG + "title")
    desc = svg.find(SVG + "desc")
    assert title is not None and title.text and title.text.strip()
    assert desc is not None and desc.text and desc.text.strip()
    assert svg.get("aria-labelledby") == title.get("id")
    described = svg.get("aria-describedby").split()
    assert desc.get("id") in described
    tables = [d for d in described if d != desc.get("id")]
    assert tables, "no table linked as the text alternative"
    for t in tables:
        assert re.search(r'<table[^>]* id="%s"' % re.escape(t), body), t
    for a in ("width", "height"):
        assert re.fullmatch(r"\d+", svg.get(a)), a
    assert svg.get("viewBox") == "0 0 %s %s" % (svg.get("width"), svg.get("height"))
    for r in bars(svg):
        for a in ("x", "y", "width", "height"):
            assert re.fullmatch(r"\d+", r.get(a)), (a, r.get(a))
    got = lengths(svg)
    assert len(got) == len(values)
    for i in range(len(values)):
        for j in range(len(values)):
            if values[i] > values[j]:
                assert got[i] >= got[j], (values[i], got[i], values[j], got[j])
    top = max(values) if values else 0
    if top > 0:
        k = max(got) / top
        for v, g in zip(values, got):
            assert abs(g - v * k) <= 1.01, (v, g, k)
    return got


def table_rows(body, table_id):
    """The rows of table#table_id's body as lists of cell texts."""
    m = re.search(r'<table[^>]* id="%s".*?<tbody>(.*?)</tbody>' % re.escape(table_id), body,
                  re.S)
    assert m, "no table " + table_id
    out = []
    for tr in re.findall(r"<tr\b.*?</tr>", m.group(1), re.S):
        cells = re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", tr, re.S)
        out.append([" ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split())
                    for c in cells])
    return out


def no_script_elements(body):
    return not [t for t, _ in portal.elements(body) if t == "script"]


def etag_roundtrip(stack, path):
    r = stack.get(path)
    assert r.status_code == 200, path
    etag = r.headers["ETag"]
    again = stack.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304, path
    assert again.content == b""
    return r


# ---- ratings -----------------------------------------------------------------

def test_ratings_default_year_is_the_latest_published(stack, world, rows):
    t = world.today
    latest = stack.sql("SELECT MAX(year) FROM ratings WHERE published_on <= %s", (t,))[0][0]
    gov = " AND r.subject_id IN (SELECT id FROM subjects WHERE kind = 'gov')"
    r = stack.get("/ratings")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == HTML
    assert "<h1>%d年度政务诚信评价</h1>" % latest in r.text
    n = stack.sql("SELECT COUNT(*) FROM ratings r WHERE year = %s AND published_on <= %s" + gov,
                  (latest, t))[0][0]
    assert int(text_by_id(r.text, "ratings-count")) == n
    assert len(table_rows(r.text, "ratings-table")) == n
    for g in "ABCD":
        want = stack.sql("SELECT COUNT(*) FROM ratings r WHERE year = %s AND published_on <= %s"
                         " AND grade = %s" + gov, (latest, t, g))[0][0]
        assert int(text_by_id(r.text, "grade-count-" + g)) == want
    # a link for every year with published ratings, and none other
    years = [y for (y,) in stack.sql("SELECT DISTINCT year FROM ratings r WHERE published_on <= %s"
                                     + gov + " ORDER BY year DESC", (t,))]
    links = [int(y) for y in re.findall(r'href="/credit/ratings\?year=(\d+)"', r.text)]
    assert links[:len(years)] == years and set(links) == set(years)
    assert 2018 not in links  # published in the future
    assert 2017 not in links  # an official's rating
    assert 'aria-current="page">%d年度' % latest in r.text
    check_chart(r.text, svgs(r.text)["chart-ratings"],
                [float(s) for (s,) in stack.sql(
                    "SELECT r.score FROM ratings r JOIN subjects s ON s.id = r.subject_id"
                    " WHERE r.year = %s AND r.published_on <= %s AND s.kind = 'gov'"
                    " ORDER BY r.score DESC, s.name,"
                    " r.id", (latest, t))])


def test_ratings_of_a_year_match_sql(stack, world, rows):
    r = stack.get("/ratings?year=2019")
    assert r.status_code == 200
    body = r.text
    got = table_rows(body, "ratings-table")
    want = stack.sql("SELECT r.score, r.grade, r.published_on, s.name, s.district"
                     " FROM ratings r JOIN subjects s ON s.id = r.subject_id WHERE r.year = 2019"
                     " ORDER BY r.score DESC, s.name, r.id")
    assert len(got) == len(want) == 3
    for i, (row, (score, grade, pub, name, district)) in enumerate(zip(got, want)):
        assert row[0] == str(i + 1)
        assert row[1] == name
        assert row[3] == str(score)
        assert row[4] == "%s %s" % (grade, GRADE_LABEL[grade])
        assert row[5] == pub.isoformat()
    # each body's indicators: name, weight, raw value, score
    m = re.search(r'<div class="table-wrap" id="ind-%d">(.*?)</div>' % rows.r2019, body, re.S)
    assert m, "no indicator table for the fixture rating"
    cells = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split())
             for c in re.findall(r"<td\b[^>]*>(.*?)</td>", m.group(1), re.S)]
    for code, name, weight, raw, score in stack.sql(
            "SELECT code, name, weight, raw_value, score FROM rating_indicators"
            " WHERE rating_id = %s ORDER BY weight DESC, code", (rows.r2019,)):
        i = cells.index(name)
        assert cells[i + 1:i + 4] == [str(weight), str(raw), str(score)]
    assert '<details class="indicators" id="rating-%d">' % rows.r2019 in body
    assert 'href="#ind-%d"' % rows.r2019 in body
    # the chart: one column per body, height proportional to the score (0..100)
    svg = svgs(body)["chart-ratings"]
    heights = check_chart(body, svg, [float(w[0]) for w in want])
    plot = 220
    for h, (score, *_rest) in zip(heights, want):
        assert abs(h - float(score) * plot / 100) <= 0.51
    assert [r.get("class") for r in bars(svg)] == ["bar grade-A", "bar grade-B", "bar grade-D"]
    # threshold lines at 90 / 80 / 60
    marks = [int(m.get("y1")) for m in svg.find(SVG + "g[@class='marks']").iter(SVG + "line")]
    base = int(svg.find(SVG + "line[@class='axis']").get("y1"))
    assert marks == [base - 198, base - 176, base - 132]


def test_ratings_escape_names(stack, world, rows):
    body = stack.get("/ratings?year=2019").text
    assert "<script>alert(51)" not in body
    assert "&lt;script&gt;alert(51)&lt;/script&gt;" in body
    assert "失信记录整改完成率&lt;b&gt;" in body
    assert no_script_elements(body)
    # inside the SVG the name is text, not markup
    svg = svgs(body)["chart-ratings"]
    tips = [r.find(SVG + "title").text for r in bars(svg)]
    assert any(tip.startswith(XSS_RATED) for tip in tips)
    assert not list(svg.iter(SVG + "script")) and not list(svg.iter("script"))


@pytest.mark.parametrize("query,status,param", [
    ("year=abc", 400, "year"), ("year=19", 400, "year"), ("year=2019.5", 400, "year"),
    ("year=02019", 400, "year"), ("year=2019&year=2020", 400, "year"),
    ("year=2017", 404, "year"),   # an official's rating only: never shown
    ("year=2016", 404, "year"),   # no ratings at all
    ("year=2018", 404, "year"),   # not published yet
])
def test_ratings_bad_year(stack, world, rows, query, status, param):
    r = stack.get("/ratings?" + query)
    assert r.status_code == status, query
    assert r.headers["Content-Type"] == HTML
    detail = error_detail(r.text)
    assert detail is not None and detail.split(":")[0] == param, detail
    assert "ETag" not in r.headers


def test_ratings_etag_follows_the_ratings(stack, world, rows):
    r = etag_roundtrip(stack, "/ratings?year=2019")
    etag = r.headers["ETag"]
    stack.sql("UPDATE ratings SET score = 91.25 WHERE id = %s", (rows.r2019,))
    try:
        a = stack.get("/ratings?year=2019", headers={"If-None-Match": etag})
        assert a.status_code == 200, "a changed rating was answered 304"
        assert a.headers["ETag"] != etag
        assert table_rows(a.text, "ratings-table")[0][3] == "91.25"
    finally:
        stack.sql("UPDATE ratings SET score = 91.50 WHERE id = %s", (rows.r2019,))
    # an indicator edit alone changes it too
    etag = stack.get("/ratings?year=2019").headers["ETag"]
    stack.sql("UPDATE rating_indicators SET name = '政务公开及时率QZX' WHERE rating_id = %s"
              " AND code = 'disclosure'", (rows.r2019,))
    try:
        a = stack.get("/ratings?year=2019", headers={"If-None-Match": etag})
        assert a.status_code == 200 and "政务公开及时率QZX" in a.text
    finally:
        stack.sql("UPDATE rating_indicators SET name = '政务公开及时率' WHERE rating_id = %s"
                  " AND code = 'disclosure'", (rows.r2019,))


def test_subject_page_shows_the_rating_history(stack, world, rows):
    r = etag_roundtrip(stack, "/subjects/%d" % rows.rated.id)
    got = table_rows(r.text, "rating-history")
    want = stack.sql("SELECT year, score, grade, published_on, id FROM ratings"
                     " WHERE subject_id = %s AND published_on <= %s ORDER BY year DESC",
                     (rows.rated.id, world.today))
    assert [row[:4] for row in got] == [
        ["%d年度" % y, str(s), "%s %s" % (g, GRADE_LABEL[g]), p.isoformat()]
        for y, s, g, p, _ in want]
    assert len(got) == 2
    for y, _s, _g, _p, rid in want:
        assert 'href="/credit/ratings?year=%d#ind-%d"' % (y, rid) in r.text
    # a rating not yet published is not part of the history
    r = stack.get("/subjects/%d" % rows.rated_b.id)
    assert [row[0] for row in table_rows(r.text, "rating-history")] == ["2019年度"]
    # escaped there too
    r = stack.get("/subjects/%d" % rows.xss.id)
    assert r.status_code == 200
    assert "<script>alert(51)" not in r.text and "&lt;script&gt;alert(51)" in r.text
    # a subject without ratings keeps the page as it was: no history section
    r = stack.get("/subjects/%d" % world.subjects["gov"].id)
    assert r.status_code == 200 and 'id="rating-history"' not in r.text
    assert text_by_id(r.text, "subject-total") is not None


# ---- commitments -----------------------------------------------------------------

COMMITMENT_SQL = (" FROM commitments c JOIN subjects s ON s.id = c.subject_id"
                  " WHERE s.kind = 'gov'")


def commitment_where(**f):
    sql, params = "", []
    for k, col in (("district", "s.district"), ("area", "c.area"), ("status", "c.status"),
                   ("subject", "c.subject_id")):
        if f.get(k):
            sql += " AND %s = %%s" % col
            params.append(f[k])
    return sql, params


def listed_ids(body):
    return [int(i) for i in re.findall(r'<tr id="commitment-(\d+)">', body)]


def test_commitments_list_and_counts_match_sql(stack, world, rows):
    r = stack.get("/commitments")
    assert r.status_code == 200
    body = r.text
    n = stack.sql("SELECT COUNT(*)" + COMMITMENT_SQL)[0][0]
    assert portal.total(body) == n
    for st in ("kept", "broken", "pending"):
        want = stack.sql("SELECT COUNT(*)" + COMMITMENT_SQL + " AND c.status = %s", (st,))[0][0]
        assert int(text_by_id(body, "total-" + st)) == want
    want = [i for (i,) in stack.sql("SELECT c.id" + COMMITMENT_SQL +
                                    " ORDER BY c.promised_on DESC, c.id DESC LIMIT 50")]
    assert listed_ids(body) == want
    # page 2 by its number
    href = portal.link(body, "next")
    assert href == "/credit/commitments?page=2"
    p2 = stack.get("/commitments?page=2").text
    want2 = [i for (i,) in stack.sql("SELECT c.id" + COMMITMENT_SQL +
                                     " ORDER BY c.promised_on DESC, c.id DESC LIMIT 50 OFFSET 50")]
    assert listed_ids(p2) == want2
    assert portal.link(p2, "prev") == "/credit/commitments"
    # the fixture township's counts
    row = table_rows(body, "counts-table")
    mine = [x for x in row if x[0] == rows.town.name]
    assert mine == [[rows.town.name, "蓟州区", "2", "1", "3", "6", "67%"]]
    assert len(row) == stack.sql("SELECT COUNT(DISTINCT c.subject_id)" + COMMITMENT_SQL)[0][0]
    assert "QZXOFFICIAL" not in body and rows.official.name not in body


@pytest.mark.parametrize("filters", [
    {"district": "jizhou"},
    {"area": "housing"},
    {"status": "broken"},
    {"district": "jizhou", "status": "pending"},
    {"district": "heping", "area": "elderly", "status": "kept"},
    {"subject": "TOWN"},
    {"subject": "TOWN", "status": "kept"},
    {"district": "city"},
])
def test_commitment_filters(stack, world, rows, filters):
    f = dict(filters)
    if f.get("subject") == "TOWN":
        f["subject"] = rows.town.id
    r = stack.get("/commitments", params=f)
    assert r.status_code == 200
    where, params = commitment_where(**f)
    n = stack.sql("SELECT COUNT(*)" + COMMITMENT_SQL + where, params)[0][0]
    assert portal.total(r.text) == n
    ids = [i for (i,) in stack.sql("SELECT c.id" + COMMITMENT_SQL + where +
                                   " ORDER BY c.promised_on DESC, c.id DESC LIMIT 50", params)]
    assert listed_ids(r.text) == ids
    counts = stack.sql(
        "SELECT s.name, SUM(c.status = 'kept'), SUM(c.status = 'broken'),"
        " SUM(c.status = 'pending')" + COMMITMENT_SQL.replace(
            " WHERE", " JOIN districts d ON d.code = s.district WHERE") + where +
        " GROUP BY s.id, s.name, d.sort_order ORDER BY d.sort_order, s.name, s.id", params)
    got = table_rows(r.text, "counts-table") if counts else []
    assert [x[:1] + x[2:5] for x in got] == [[nm, str(k), str(b), str(p)]
                                             for nm, k, b, p in counts]
    # the form keeps the filter; links keep it too
    for k, v in f.items():
        if k == "subject":
            assert '<input type="hidden" name="subject" value="%d">' % v in r.text
        else:
            assert '<option value="%s" selected>' % v in r.text


def test_commitment_rows_show_every_field_escaped(stack, world, rows):
    r = stack.get("/commitments", params={"subject": rows.town.id})
    body = r.text
    assert text_by_id(body, "subject-filter").startswith("仅显示: " + rows.town.name)
    cid, area, text, promised, status, evidence = stack.sql(
        "SELECT id, area, text, promised_on, status, evidence FROM commitments WHERE id = %s",
        (rows.commitments[0],))[0]
    m = re.search(r'<tr id="commitment-%d">(.*?)</tr>' % cid, body, re.S)
    cells = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split())
             for c in re.findall(r"<td\b[^>]*>(.*?)</td>", m.group(1), re.S)]
    assert cells == [rows.town.name, "蓟州区", AREA_LABEL[area], " ".join(text.split()),
                     promised.isoformat(), CSTATUS_LABEL[status], evidence]
    assert "<script>alert(52)" not in body
    assert "承诺&lt;script&gt;alert(52)&lt;/script&gt;&amp;&quot;QZXPROMISE&quot;" in body
    assert no_script_elements(body)
    # a pending commitment has no evidence yet
    pend = rows.commitments[3]
    m = re.search(r'<tr id="commitment-%d">(.*?)</tr>' % pend, body, re.S)
    assert "践诺中" in m.group(1) and "—" in m.group(1)
    # every area and status has its label in the form
    for code, label in AREA_LABEL.items():
        assert '<option value="%s">%s</option>' % (code, label) in body
    for code, label in CSTATUS_LABEL.items():
        assert ">%s</option>" % label in body


@pytest.mark.parametrize("query,param", [
    ("district=xx", "district"), ("district=和平区", "district"), ("area=sports", "area"),
    ("area=就业", "area"), ("status=published", "status"), ("status=KEPT", "status"),
    ("status=kept&status=broken", "status"), ("area=parking&area=parking", "area"),
    ("page=0", "page"), ("page=51", "page"), ("page=abc", "page"), ("page=01", "page"),
    ("subject=abc", "subject"), ("subject=0", "subject"), ("subject=99999999999", "subject"),
    ("subject=OFFICIAL", "subject"), ("subject=GOV", "subject"),
])
def test_commitments_bad_filters_are_400(stack, world, rows, query, param):
    query = query.replace("OFFICIAL", str(world.subjects["official"].id))
    query = query.replace("GOV", str(world.subjects["gov"].id))
    r = stack.get("/commitments?" + query)
    assert r.status_code == 400, query
    assert r.headers["Content-Type"] == HTML
    detail = error_detail(r.text)
    assert detail is not None and detail.split(":")[0] == param, detail
    assert "请求有误" in r.text
    assert "ETag" not in r.headers
    # an official's name never leaks through the subject filter
    assert world.subjects["official"].name not in r.text


def test_commitments_empty_values_are_ignored(stack, world, rows):
    a = stack.get("/commitments?district=&area=&status=&page=")
    assert a.status_code == 200
    assert listed_ids(a.text) == listed_ids(stack.get("/commitments").text)


def test_commitments_etag_follows_the_commitments(stack, world, rows):
    path = "/commitments?subject=%d" % rows.town.id
    r = etag_roundtrip(stack, path)
    cid = rows.commitments[3]
    stack.sql("UPDATE commitments SET status = 'kept', evidence = '已兑现QZX' WHERE id = %s",
              (cid,))
    try:
        a = stack.get(path, headers={"If-None-Match": r.headers["ETag"]})
        assert a.status_code == 200
        assert a.headers["ETag"] != r.headers["ETag"]
        assert "已兑现QZX" in a.text
        assert int(text_by_id(a.text, "total-kept")) == 3
    finally:
        stack.sql("UPDATE commitments SET status = 'pending', evidence = NULL WHERE id = %s",
                  (cid,))


# ---- statistics -----------------------------------------------------------------

def test_stats_records_charts_match_the_oracle(stack, world, rows):
    t = portal.today()
    r = etag_roundtrip(stack, "/stats")
    body = r.text
    charts = svgs(body)
    assert int(text_by_id(body, "stats-total")) == oracle.count(stack, t)

    for name, col, codes in (("district", "district", DISTRICTS), ("domain", "domain", DOMAINS)):
        counts = oracle.count_by(stack, col, t)
        values = [counts.get(c, 0) for c in codes]
        got = table_rows(body, "table-" + name)
        assert [int(x[1]) for x in got] == values
        svg = charts["chart-" + name]
        check_chart(body, svg, values)
        labels = [e.text for e in svg.find(SVG + "g[@class='labels']")]
        assert labels == [x[0] for x in got]

    # the last 24 months, oldest first, months without records included
    first = portal.add_months(datetime.date(t.year, t.month, 1), -23)
    months = [portal.add_months(first, i).strftime("%Y-%m") for i in range(24)]
    counts = oracle.count_by(stack, lambda r: r.disclosed_on.strftime("%Y-%m"), t)
    values = [counts.get(m, 0) for m in months]
    got = table_rows(body, "table-month")
    assert [x[0] for x in got] == months
    assert [int(x[1]) for x in got] == values
    svg = charts["chart-month"]
    assert "chart-columns" in svg.get("class")
    check_chart(body, svg, values)
    assert no_script_elements(body)


def handling(stack):
    """Per department with complaints (in department order): its name, the
    number of its complaints in each state (CASE_STATUSES), their number,
    and the average time from a complaint's receipt to its conclusion (the
    first 'concluded' on its timeline), in days, over the concluded ones
    (None without any). From the raw rows, in Python."""
    names = dict(stack.sql("SELECT id, name FROM departments"))
    done = {}
    for cid, at in stack.sql("SELECT case_id, occurred_at FROM case_events"
                             " WHERE case_type = 'complaint' AND status = 'concluded'"):
        done[cid] = min(at, done.get(cid, at))
    per = {}
    for cid, dept, status, created in stack.sql(
            "SELECT id, department_id, status, created_at FROM complaints"
            " WHERE department_id IS NOT NULL"):
        d = per.setdefault(dept, {"states": dict.fromkeys(CASE_STATUSES, 0), "times": []})
        d["states"][status] += 1
        if cid in done:
            d["times"].append(max(0.0, (done[cid] - created).total_seconds()))
    out = []
    for dept in sorted(per):
        d = per[dept]
        avg = sum(d["times"]) / len(d["times"]) / 86400 if d["times"] else None
        out.append((names[dept], [d["states"][s] for s in CASE_STATUSES],
                    sum(d["states"].values()), avg))
    return out


def test_stats_complaints_match_the_oracle(stack, world, rows):
    body = stack.get("/stats").text
    charts = svgs(body)
    counts = dict(stack.sql("SELECT status, COUNT(*) FROM complaints GROUP BY status"))
    values = [counts.get(s, 0) for s in CASE_STATUSES]
    got = table_rows(body, "table-outcome")
    assert [x[0] for x in got] == ["已接收", "已受理", "不予受理", "办理中", "已办结"]
    assert [int(x[1]) for x in got] == values
    assert int(text_by_id(body, "stats-complaints")) == sum(values)
    check_chart(body, charts["chart-outcome"], values)

    want = handling(stack)
    got = table_rows(body, "table-handling")
    assert [x[:7] for x in got] == [[n] + [str(v) for v in states] + [str(total)]
                                    for n, states, total, _avg in want]
    assert [x[7] for x in got] == ["%.1f" % a if a is not None else "—"
                                   for *_rest, a in want]
    mine = [x for x in got if x[0] == "公开页测试部门QZXDEPT"]
    assert mine == [["公开页测试部门QZXDEPT", "0", "0", "0", "1", "1", "2", "3.5"]]
    timed = [float(a) for *_rest, a in want if a is not None]
    svg = charts["chart-handling"]
    check_chart(body, svg, timed)
    labels = [e.text for e in svg.find(SVG + "g[@class='labels']")]
    assert "公开页测试部门QZXDEPT" in labels


def test_stats_follow_complaint_changes(stack, world, rows):
    """Complaints do not move data_version: the page and its ETag follow
    them through their own stamp (new rows, new timeline entries)."""
    r = stack.get("/stats")
    before = int(text_by_id(r.text, "stats-complaints"))
    cid = _complaint(stack, 5103, rows.dept, "received",
                     portal.local_now())
    a = stack.get("/stats", headers={"If-None-Match": r.headers["ETag"]})
    assert a.status_code == 200
    assert int(text_by_id(a.text, "stats-complaints")) == before + 1
    stack.sql("UPDATE complaints SET status = 'accepted' WHERE id = %s", (cid,))
    stack.sql("INSERT INTO case_events (case_type, case_id, status) VALUES ('complaint', %s,"
              " 'accepted')", (cid,))
    b = stack.get("/stats", headers={"If-None-Match": a.headers["ETag"]})
    assert b.status_code == 200
    mine = [x for x in table_rows(b.text, "table-handling") if x[0] == "公开页测试部门QZXDEPT"]
    assert mine[0][2] == "1" and mine[0][6] == "3"
    # and cached: the same again is the same page
    c = stack.get("/stats")
    assert c.text == b.text and c.headers["ETag"] == b.headers["ETag"]


# ---- all three ---------------------------------------------------------------------

@pytest.mark.parametrize("path,route", [("/ratings", "ratings"), ("/commitments", "commitments"),
                                        ("/stats", "stats")])
def test_pages_are_in_the_layout_and_need_no_javascript(stack, world, rows, path, route):
    r = stack.get(path)
    assert r.status_code == 200
    body = r.text
    assert '<body class="route-%s">' % route in body
    assert '<a href="/credit%s" aria-current="page">' % path in body
    for other in ("/ratings", "/commitments", "/stats", "/records"):
        assert 'href="/credit%s"' % other in body
    assert no_script_elements(body)
    assert " style=" not in body  # the CSP allows no inline styles
    assert r.headers["Cache-Control"] == "max-age=0, must-revalidate"
    head = stack.request("HEAD", path)
    assert head.status_code == 200 and head.headers["ETag"] == r.headers["ETag"]
    assert stack.request("POST", path, data={"x": "1"}).status_code == 405
