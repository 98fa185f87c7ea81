"""Issue 5 point 2 (ratings and commitments in the staff API) and point 5
(the public pages follow them at once).

  PUT/GET /credit-admin/api/v1/ratings/{subject_id}/{year}
  POST    /credit-admin/api/v1/commitments, GET/PUT /credit-admin/api/v1/commitments/{id}
  GET     /credit-admin/api/v1/audit/ratings/{subject_id}/{year}, .../audit/commitments/{id}

The conventions of the stored ratings are those of sql/demo.sql: an
indicator's score is weight x raw value / 100 (two decimals), the weights
add up to 100, the rating's score is the sum of the indicator scores and the
grade follows from it (A from 90, B from 80, C from 60, D below).

Rows of this module: government bodies named ...QZXADMPUB made here, ratings
of the years 2021-2023 (no other module rates those years) and of the current
year (published next year, so never public), commitments of this module's
streets and townships."""
import concurrent.futures
import datetime
import html
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
import requests

import portal
from portal import text_by_id
from staff import JSON, error, ok
from world import add_gov, add_official

HTML = "text/html; charset=utf-8"
GRADE_LABEL = {"A": "优秀", "B": "良好", "C": "一般", "D": "较差"}
AREAS = ["employment", "property", "schooling", "family", "elderly", "disability", "poverty",
         "insurance", "housing", "transport", "parking", "safety", "military", "services"]
CENT = Decimal("0.01")


# ---- fixture rows and helpers ---------------------------------------------------

class Bodies:
    pass


@pytest.fixture(scope="module")
def bodies(stack, world):
    b = Bodies()
    b.city = add_gov(stack, "天津市评价接口测试委员会QZXADMPUB", "city", "city")
    b.district = add_gov(stack, "天津市和平区评价接口测试局QZXADMPUB", "heping", "district")
    b.replace = add_gov(stack, "天津市河西区评价替换测试局QZXADMPUB", "hexi", "district")
    b.racing = add_gov(stack, "天津市南开区并发评价测试局QZXADMPUB", "nankai", "district")
    b.failing = add_gov(stack, "天津市河东区失败写入测试局QZXADMPUB", "hedong", "district")
    b.unpublished = add_gov(stack, "天津市河北区未公布评价测试局QZXADMPUB", "hebei", "district")
    b.town = add_gov(stack, "和平区承诺接口测试街道办事处QZXADMPUB", "heping", "township")
    b.town2 = add_gov(stack, "和平区承诺范围测试街道办事处QZXADMPUB", "heping", "township")
    b.town_hexi = add_gov(stack, "河西区承诺接口测试街道办事处QZXADMPUB", "hexi", "township")
    b.official = add_official(stack, "评价接口测试公务员QZXADMPUB", "heping", b.district)
    return b


def put(adm, path, body, user="staff"):
    return requests.put(adm.url(path), json=body, auth=adm.auth(user), timeout=10,
                        allow_redirects=False)


def d(x):
    return Decimal(str(x)).quantize(CENT)


def ind(code, name, weight, raw):
    return {"code": code, "name": name, "weight": weight, "raw_value": raw}


def ind_score(weight, raw):
    return (d(weight) * d(raw) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def grade_of(score):
    return "A" if score >= 90 else "B" if score >= 80 else "C" if score >= 60 else "D"


FIRST = [ind("complaint_timely", "投诉办理及时率", 40, 95),
         ind("contract_kept", "政府合同履约率", 35, 90.5),
         ind("disclosure", "政务公开及时率", 25, 78)]
SECOND = [ind("complaint_timely", "投诉办理及时率", 60, 70.25),
          ind("court_appear", "行政机关负责人出庭应诉率", 40, 55)]


def rating_body(indicators, published="2024-03-01", **extra):
    body = {"published_on": published, "indicators": indicators}
    body.update(extra)
    return body


def expected(indicators):
    """(score, grade, {code: (name, weight, raw, score)}) as the demo computes them."""
    rows = {i["code"]: (i["name"], d(i["weight"]), d(i["raw_value"]),
                        ind_score(i["weight"], i["raw_value"])) for i in indicators}
    score = sum(r[3] for r in rows.values())
    return score, grade_of(score), rows


def stored_rating(stack, sid, year):
    rows = stack.sql("SELECT id, score, grade, published_on FROM ratings"
                     " WHERE subject_id = %s AND year = %s", (sid, year))
    if not rows:
        return None
    rid, score, grade, pub = rows[0]
    inds = {c: (n, w, r, s) for c, n, w, r, s in stack.sql(
        "SELECT code, name, weight, raw_value, score FROM rating_indicators"
        " WHERE rating_id = %s", (rid,))}
    return rid, score, grade, pub, inds


def table_rows(body, table_id):
    m = re.search(r'<table[^>]* id="%s".*?<tbody>(.*?)</tbody>' % re.escape(table_id), body,
                  re.S)
    assert m, "no table " + table_id
    out = []
    for tr in re.findall(r"<tr\b.*?</tr>", m.group(1), re.S):
        cells = re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", tr, re.S)
        out.append([" ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split()) for c in cells])
    return out


def public_rating(stack, subject, year):
    """The row of subject on /ratings?year= ([rank, name, district, score, grade, date]) and
    the cells of its indicator table, or (None, None)."""
    r = stack.get("/ratings?year=%d" % year)
    if r.status_code == 404:
        return None, None
    assert r.status_code == 200
    rows = [row for row in table_rows(r.text, "ratings-table") if row[1] == subject.name]
    if not rows:
        return None, None
    rid = stack.sql("SELECT id FROM ratings WHERE subject_id = %s AND year = %s",
                    (subject.id, year))[0][0]
    m = re.search(r'<div class="table-wrap" id="ind-%d">(.*?)</div>' % rid, r.text, re.S)
    cells = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split())
             for c in re.findall(r"<td\b[^>]*>(.*?)</td>", m.group(1), re.S)] if m else []
    return rows[0], cells


def history(stack, subject):
    r = stack.get("/subjects/%d" % subject.id)
    assert r.status_code == 200
    if 'id="rating-history"' not in r.text:
        return []
    return [row[:4] for row in table_rows(r.text, "rating-history")]


def audit_count(stack):
    return stack.sql("SELECT COUNT(*) FROM audit_log")[0][0]


# ---- ratings: create, replace, read --------------------------------------------

def test_rating_create_then_replace_shows_at_once(adm, stack, bodies):
    s, year = bodies.city, 2023
    assert stored_rating(stack, s.id, year) is None
    old_page = stack.get("/ratings?year=%d" % year)
    old_etag = old_page.headers.get("ETag")
    old_subject_etag = stack.get("/subjects/%d" % s.id).headers["ETag"]

    r = put(adm, "/ratings/%d/%d" % (s.id, year), rating_body(FIRST))
    assert r.status_code == 201, r.text
    assert r.headers["Content-Type"] == JSON
    assert r.headers["Location"] == "/credit-admin/api/v1/ratings/%d/%d" % (s.id, year)
    j = r.json()
    score, grade, rows = expected(FIRST)
    assert d(j["score"]) == score == d("89.18") and j["grade"] == grade == "B"
    assert j["grade_label"] == GRADE_LABEL["B"]
    assert j["subject_id"] == s.id and j["year"] == year and j["published"] is True
    assert j["subject"]["name"] == s.name
    assert {i["code"]: (i["name"], d(i["weight"]), d(i["raw_value"]), d(i["score"]))
            for i in j["indicators"]} == rows
    rid, sc, gr, pub, inds = stored_rating(stack, s.id, year)
    assert (sc, gr, pub.isoformat()) == (score, grade, "2024-03-01")
    assert inds == rows

    # the public pages show it at once, even to a client holding the old copy
    headers = {"If-None-Match": old_etag} if old_etag else {}
    page = stack.get("/ratings?year=%d" % year, headers=headers)
    assert page.status_code == 200
    row, cells = public_rating(stack, s, year)
    assert row[1:6] == [s.name, "市级", "89.18", "B 良好", "2024-03-01"]
    assert cells[cells.index("政府合同履约率") + 1:cells.index("政府合同履约率") + 4] == \
        ["35.00", "90.50", "31.68"]
    a = stack.get("/subjects/%d" % s.id, headers={"If-None-Match": old_subject_etag})
    assert a.status_code == 200
    assert history(stack, s) == [["2023年度", "89.18", "B 良好", "2024-03-01"]]

    # replacing: the indicators are replaced, not appended
    etag = stack.get("/ratings?year=%d" % year).headers["ETag"]
    subject_etag = stack.get("/subjects/%d" % s.id).headers["ETag"]
    r = put(adm, "/ratings/%d/%d" % (s.id, year), rating_body(SECOND, "2024-04-02"))
    assert r.status_code == 200, r.text
    assert "Location" not in r.headers
    score2, grade2, rows2 = expected(SECOND)
    assert d(r.json()["score"]) == score2 == d("64.15") and grade2 == "C"
    rid2, sc, gr, pub, inds = stored_rating(stack, s.id, year)
    assert rid2 == rid, "a replaced rating keeps its row"
    assert (sc, gr, pub.isoformat()) == (score2, "C", "2024-04-02")
    assert inds == rows2 and set(inds) == {"complaint_timely", "court_appear"}
    assert stack.sql("SELECT COUNT(*) FROM ratings WHERE subject_id = %s", (s.id,))[0][0] == 1
    assert stack.get("/ratings?year=%d" % year, headers={"If-None-Match": etag}).status_code == 200
    assert stack.get("/subjects/%d" % s.id,
                     headers={"If-None-Match": subject_etag}).status_code == 200
    row, cells = public_rating(stack, s, year)
    assert row[3:6] == ["64.15", "C 一般", "2024-04-02"]
    assert "政府合同履约率" not in cells and "行政机关负责人出庭应诉率" in cells
    assert history(stack, s) == [["2023年度", "64.15", "C 一般", "2024-04-02"]]

    # GET gives what was stored
    g = ok(adm.get("/ratings/%d/%d" % (s.id, year)))
    assert d(g["score"]) == score2 and g["grade"] == "C" and g["published_on"] == "2024-04-02"
    assert sorted(i["code"] for i in g["indicators"]) == ["complaint_timely", "court_appear"]

    # the audit trail: before (null, then the first rating) and after, by the login
    trail = adm.audit("rating", rid)
    assert [(a[0], a[1]) for a in trail] == [("staff", "rating:upsert")] * 2
    assert trail[0][2] is None
    first_after = trail[0][3]
    assert d(first_after["score"]) == score and first_after["grade"] == "B"
    assert sorted(i["code"] for i in first_after["indicators"]) == \
        ["complaint_timely", "contract_kept", "disclosure"]
    assert trail[1][2] == first_after
    assert d(trail[1][3]["score"]) == score2
    assert sorted(i["code"] for i in trail[1][3]["indicators"]) == \
        ["complaint_timely", "court_appear"]
    # and through the API
    api = ok(adm.get("/audit/ratings/%d/%d" % (s.id, year)))
    assert [x["action"] for x in api["audit"]] == ["rating:upsert"] * 2
    assert api["audit"][0]["before"] is None and api["audit"][1]["before"] == first_after


def test_rating_of_a_district_body_with_score_and_grade_given(adm, stack, bodies):
    """Score and grade may be sent (as numbers or strings) when they agree."""
    s, year = bodies.district, 2022
    inds = [ind("complaint_timely", "投诉办理及时率", "50.00", "99.99"),
            ind("disclosure", "政务公开及时率", 50, "80.00")]
    score, grade, rows = expected(inds)
    assert score == d("90.00") and grade == "A"
    body = rating_body(inds, "2023-02-01", score="90.00", grade="A")
    body["indicators"][0]["score"] = 50.00
    r = put(adm, "/ratings/%d/%d" % (s.id, year), body)
    assert r.status_code == 201, r.text
    assert stored_rating(stack, s.id, year)[1:3] == (score, "A")
    row, _ = public_rating(stack, s, year)
    assert row[1:6] == [s.name, "和平区", "90.00", "A 优秀", "2023-02-01"]
    # the GET answer can be sent back as it is
    g = ok(adm.get("/ratings/%d/%d" % (s.id, year)))
    again = put(adm, "/ratings/%d/%d" % (s.id, year), g)
    assert again.status_code == 200, again.text
    assert again.json()["indicators"] == g["indicators"]


def test_unpublished_rating_is_read_by_staff_but_not_public(adm, stack, bodies):
    s = bodies.unpublished
    today = portal.today()
    year, pub = today.year, datetime.date(today.year + 1, 3, 1)
    r = put(adm, "/ratings/%d/%d" % (s.id, year), rating_body(FIRST, pub.isoformat()))
    assert r.status_code == 201, r.text
    assert r.json()["published"] is False
    g = ok(adm.get("/ratings/%d/%d" % (s.id, year)))
    assert g["published"] is False and g["published_on"] == pub.isoformat()
    assert history(stack, s) == []
    assert public_rating(stack, s, year) == (None, None)
    # Department staff see what the public sees: not this one, nor any
    # rating's audit trail (issue 11, point 4); published ones they may read.
    assert error(adm.get("/ratings/%d/%d" % (s.id, year), user="staff-heping"), 404, "not_found")
    assert error(adm.get("/audit/ratings/%d/%d" % (s.id, year), user="staff-heping"), 403,
                 "city_level_only")
    assert ok(adm.get("/audit/ratings/%d/%d" % (s.id, year)))
    published = stack.sql("SELECT subject_id, year FROM ratings WHERE published_on <= %s"
                          " LIMIT 1", (today,))[0]
    assert ok(adm.get("/ratings/%d/%d" % published, user="staff-heping"))["published"] is True


def test_rating_that_does_not_exist_is_404(adm, bodies):
    assert error(adm.get("/ratings/%d/2021" % bodies.replace.id), 404, "not_found")
    assert error(adm.get("/ratings/999999999/2021"), 404, "not_found")
    assert error(adm.get("/audit/ratings/%d/2021" % bodies.replace.id), 404, "not_found")
    assert error(put(adm, "/ratings/999999999/2023", rating_body(FIRST)), 404, "not_found")
    assert error(put(adm, "/ratings/abc/2021", rating_body(FIRST)), 404, "not_found")
    assert error(put(adm, "/ratings/%d/2021/x" % bodies.replace.id, rating_body(FIRST)), 404)


def test_department_staff_may_not_set_ratings(adm, stack, bodies):
    s = bodies.district  # a body of the heping department's own district
    before = stored_rating(stack, s.id, 2021), audit_count(stack)
    msg = error(put(adm, "/ratings/%d/2021" % s.id, rating_body(FIRST), user="staff-heping"),
                403, "city_level_only")
    assert "city" in msg
    assert (stored_rating(stack, s.id, 2021), audit_count(stack)) == before


def test_rating_methods(adm, bodies):
    r = adm.post("/ratings/%d/2021" % bodies.city.id, rating_body(FIRST))
    assert error(r, 405) and set(r.headers["Allow"].split(", ")) == {"GET", "PUT"}
    r = requests.put(adm.url("/ratings/%d/2021" % bodies.city.id), data="published_on=x",
                     auth=adm.auth("staff"),
                     headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10)
    assert error(r, 415)


# ---- ratings: validation ----------------------------------------------------------

def _many(n):
    w = [100 // n] * n
    w[0] += 100 - sum(w)
    return [ind("complaint_timely" if i == 0 else "x%d" % i, "指标%d" % i, w[i], 80)
            for i in range(n)]


def _replace(i, **kw):
    out = [dict(x) for x in FIRST]
    out[i].update(kw)
    return [{k: v for k, v in x.items() if v is not None} for x in out]


BAD_RATINGS = [
    # (path year, body, field, code)
    (2023, {"indicators": FIRST}, "published_on", "missing_field"),
    (2023, rating_body(FIRST, "2024-02-30"), "published_on", "bad_field"),
    (2023, rating_body(FIRST, "2024/03/01"), "published_on", "bad_field"),
    (2023, rating_body(FIRST, "2022-12-31"), "published_on", "bad_field"),
    (2023, rating_body(FIRST, "2026-01-01"), "published_on", "bad_field"),
    (2023, rating_body(FIRST, 20240301), "published_on", "bad_field"),
    (2023, {"published_on": "2024-03-01"}, "indicators", "missing_field"),
    (2023, rating_body({"complaint_timely": 100}), "indicators", "bad_field"),
    (2023, rating_body([]), "indicators", "bad_field"),
    (2023, rating_body(_many(21)), "indicators", "bad_field"),
    (2023, rating_body(["complaint_timely"]), "indicators[0]", "bad_field"),
    (2023, rating_body(_replace(1, code=None)), "indicators[1].code", "missing_field"),
    (2023, rating_body(_replace(1, code="Contract-Kept")), "indicators[1].code", "bad_field"),
    (2023, rating_body(_replace(1, code="c" * 33)), "indicators[1].code", "bad_field"),
    (2023, rating_body(_replace(2, code="contract_kept")), "indicators[2].code", "bad_field"),
    (2023, rating_body(_replace(1, name=None)), "indicators[1].name", "missing_field"),
    (2023, rating_body(_replace(1, name=" ")), "indicators[1].name", "bad_field"),
    (2023, rating_body(_replace(1, name="名" * 101)), "indicators[1].name", "bad_field"),
    (2023, rating_body(_replace(1, weight=None)), "indicators[1].weight", "missing_field"),
    (2023, rating_body(_replace(1, weight=0)), "indicators[1].weight", "bad_field"),
    (2023, rating_body(_replace(1, weight=-35)), "indicators[1].weight", "bad_field"),
    (2023, rating_body(_replace(1, weight="35.001")), "indicators[1].weight", "bad_field"),
    (2023, rating_body(_replace(1, weight=True)), "indicators[1].weight", "bad_field"),
    (2023, rating_body(_replace(1, weight=34)), "indicators", "bad_field"),  # sum 99
    (2023, rating_body(_replace(1, raw_value=None)), "indicators[1].raw_value", "missing_field"),
    (2023, rating_body(_replace(1, raw_value=100.01)), "indicators[1].raw_value", "bad_field"),
    (2023, rating_body(_replace(1, raw_value=-1)), "indicators[1].raw_value", "bad_field"),
    (2023, rating_body(_replace(1, raw_value="9e1")), "indicators[1].raw_value", "bad_field"),
    (2023, rating_body(_replace(1, score=31.67)), "indicators[1].score", "bad_field"),
    (2023, rating_body(_replace(1, unit="%")), "indicators[1].unit", "bad_field"),
    (2023, rating_body(_replace(0, code="complaints")), "indicators", "bad_field"),
    (2023, rating_body(FIRST, score=89.17), "score", "bad_field"),
    (2023, rating_body(FIRST, score="89.180"), "score", "bad_field"),
    (2023, rating_body(FIRST, score=100.5), "score", "bad_field"),
    (2023, rating_body(FIRST, grade="A"), "grade", "bad_field"),
    (2023, rating_body(FIRST, grade="E"), "grade", "bad_field"),
    (2023, rating_body(FIRST, grade="b"), "grade", "bad_field"),
    (2023, rating_body(FIRST, subject_id=1), "subject_id", "bad_field"),
    (2023, rating_body(FIRST, year=2020), "year", "bad_field"),
    (2023, rating_body(FIRST, comment="x"), "comment", "bad_field"),
    (1999, rating_body(FIRST, "2000-03-01"), "year", "bad_field"),
    ("NEXT", rating_body(FIRST), "year", "bad_field"),
    ("21", rating_body(FIRST), "year", "bad_field"),
    ("02021", rating_body(FIRST), "year", "bad_field"),
]


@pytest.mark.parametrize("year,body,field,code", BAD_RATINGS)
def test_rating_validation_names_the_field(adm, stack, bodies, year, body, field, code):
    s = bodies.replace
    if year == "NEXT":
        year = portal.today().year + 1
    before = stored_rating(stack, s.id, 2023), audit_count(stack)
    msg = error(put(adm, "/ratings/%d/%s" % (s.id, year), body), 400, code)
    assert msg.split(":")[0] == field, msg
    assert (stored_rating(stack, s.id, 2023), audit_count(stack)) == before


@pytest.mark.parametrize("which,why", [
    ("town", "township"), ("official", "official"),
])
def test_only_city_and_district_bodies_are_rated(adm, stack, bodies, which, why):
    s = getattr(bodies, which)
    n = audit_count(stack)
    msg = error(put(adm, "/ratings/%d/2023" % s.id, rating_body(FIRST)), 400, "bad_field")
    assert msg.startswith("subject_id: ")
    assert stored_rating(stack, s.id, 2023) is None and audit_count(stack) == n


def test_bad_json_bodies(adm, bodies):
    url = adm.url("/ratings/%d/2021" % bodies.replace.id)
    for data in (b"[]", b"{", b'"x"'):
        r = requests.put(url, data=data, auth=adm.auth("staff"), timeout=10,
                         headers={"Content-Type": "application/json"})
        assert error(r, 400, "bad_body")


# ---- ratings: atomicity and concurrency ---------------------------------------------

@pytest.fixture
def failing_indicator(stack):
    """Makes the database refuse one indicator code (as a constraint would),
    after the rating's own row has been written."""
    stack.sql("CREATE TRIGGER qzx_fail_indicator BEFORE INSERT ON rating_indicators"
              " FOR EACH ROW IF NEW.code = 'refused_by_db' THEN"
              " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused in test'; END IF")
    try:
        yield ind("refused_by_db", "数据库拒绝的指标", 10, 50)
    finally:
        stack.sql("DROP TRIGGER IF EXISTS qzx_fail_indicator")


@pytest.mark.allow_log(r"CR0204: MariaDB error 1644")
def test_failed_write_leaves_no_rating_change_and_no_audit_row(adm, stack, bodies,
                                                               failing_indicator):
    s, year = bodies.failing, 2021
    ok_body = rating_body(FIRST, "2022-03-01")
    assert put(adm, "/ratings/%d/%d" % (s.id, year), ok_body).status_code == 201
    stored = stored_rating(stack, s.id, year)
    page = public_rating(stack, s, year)
    n = audit_count(stack)
    bad = [ind("complaint_timely", "投诉办理及时率", 60, 70), ind("court_appear", "出庭应诉率", 30, 90),
           failing_indicator]
    # replacing: the UPDATE and the DELETE of the old indicators ran before the refusal
    r = put(adm, "/ratings/%d/%d" % (s.id, year), rating_body(bad, "2022-05-05"))
    assert error(r, 500, "internal_error")
    assert stored_rating(stack, s.id, year) == stored
    assert audit_count(stack) == n
    assert public_rating(stack, s, year) == page
    # creating: no rating row is left behind
    r = put(adm, "/ratings/%d/%d" % (s.id, 2022), rating_body(bad))
    assert error(r, 500, "internal_error")
    assert stored_rating(stack, s.id, 2022) is None
    assert audit_count(stack) == n
    # the connection is usable again
    r = put(adm, "/ratings/%d/%d" % (s.id, year), rating_body(SECOND, "2022-06-01"))
    assert r.status_code == 200 and audit_count(stack) == n + 1


def test_concurrent_first_writes_make_one_rating(adm, stack, bodies):
    s, year = bodies.racing, 2021
    variants = [[ind("complaint_timely", "投诉办理及时率", 100 - k, 90),
                 ind("k%d" % k, "指标%d" % k, k, 60 + k)] for k in range(1, 7)]
    with concurrent.futures.ThreadPoolExecutor(6) as ex:
        answers = list(ex.map(lambda v: put(adm, "/ratings/%d/%d" % (s.id, year),
                                            rating_body(v, "2022-03-01")), variants))
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] * 5 + [201], [r.text for r in answers]
    rid, score, grade, pub, inds = stored_rating(stack, s.id, year)
    # the stored rating is exactly one of the bodies, whole
    assert any(inds == expected(v)[2] and score == expected(v)[0] for v in variants)
    assert len(adm.audit("rating", rid)) == 6


# ---- commitments -------------------------------------------------------------------

def commitment_body(subject, **kw):
    body = {"subject_id": subject.id, "area": "elderly", "text": "新建社区老年人助餐点3个QZXADMPUB",
            "promised_on": "2026-06-30"}
    body.update(kw)
    return {k: v for k, v in body.items() if v is not None}


def counts(stack, subject):
    """The subject's row of the counts table on /commitments: kept, broken, pending."""
    r = stack.get("/commitments", params={"subject": subject.id})
    assert r.status_code == 200
    rows = [x for x in table_rows(r.text, "counts-table") if x[0] == subject.name] \
        if 'id="counts-table"' in r.text else []
    return tuple(int(c) for c in rows[0][2:5]) if rows else (0, 0, 0)


def listed(stack, subject):
    r = stack.get("/commitments", params={"subject": subject.id})
    return [int(i) for i in re.findall(r'<tr id="commitment-(\d+)">', r.text)]


def stored_commitment(stack, cid):
    rows = stack.sql("SELECT subject_id, area, text, promised_on, status, evidence"
                     " FROM commitments WHERE id = %s", (cid,))
    return rows[0] if rows else None


def test_commitment_create_update_and_the_page_counts(adm, stack, bodies):
    s = bodies.town
    assert counts(stack, s) == (0, 0, 0)
    etag = stack.get("/commitments?subject=%d" % s.id).headers["ETag"]
    r = adm.post("/commitments", commitment_body(s))
    assert r.status_code == 201, r.text
    j = r.json()
    cid = j["id"]
    assert r.headers["Location"] == "/credit-admin/api/v1/commitments/%d" % cid
    assert j["status"] == "pending" and j["status_label"] == "践诺中"
    assert j["area"] == "elderly" and j["area_label"] == "养老" and j["evidence"] is None
    assert j["subject"]["name"] == s.name
    assert stored_commitment(stack, cid) == (s.id, "elderly", "新建社区老年人助餐点3个QZXADMPUB",
                                             datetime.date(2026, 6, 30), "pending", None)
    page = stack.get("/commitments?subject=%d" % s.id, headers={"If-None-Match": etag})
    assert page.status_code == 200 and listed(stack, s) == [cid]
    assert counts(stack, s) == (0, 0, 1)
    trail = adm.audit("commitment", cid)
    assert [(a, act, b) for a, act, b, _ in trail] == [("staff", "commitment:create", None)]
    assert trail[0][3]["text"] == "新建社区老年人助餐点3个QZXADMPUB"

    # pending -> kept with evidence: the counts change at once
    etag = stack.get("/commitments?subject=%d" % s.id).headers["ETag"]
    r = put(adm, "/commitments/%d" % cid, {"status": "kept", "evidence": "已建成3个助餐点QZX"})
    assert ok(r)["status"] == "kept" and r.json()["evidence"] == "已建成3个助餐点QZX"
    assert stored_commitment(stack, cid)[4:] == ("kept", "已建成3个助餐点QZX")
    assert stack.get("/commitments?subject=%d" % s.id,
                     headers={"If-None-Match": etag}).status_code == 200
    assert counts(stack, s) == (1, 0, 0)
    row = re.search(r'<tr id="commitment-%d">(.*?)</tr>' % cid,
                    stack.get("/commitments?subject=%d" % s.id).text, re.S).group(1)
    assert "已践诺" in row and "已建成3个助餐点QZX" in row

    # a verdict may be corrected to the other one, with evidence
    r = put(adm, "/commitments/%d" % cid, {"status": "broken", "evidence": "资金未落实QZX"})
    assert ok(r)["status"] == "broken"
    assert counts(stack, s) == (0, 1, 0)

    trail = adm.audit("commitment", cid)
    assert [t[1] for t in trail] == ["commitment:create", "commitment:update",
                                     "commitment:update"]
    assert trail[1][2]["status"] == "pending" and trail[1][3]["status"] == "kept"
    assert trail[2][2] == trail[1][3] and trail[2][3]["evidence"] == "资金未落实QZX"
    assert all(t[0] == "staff" for t in trail)
    api = ok(adm.get("/audit/commitments/%d" % cid))
    assert [x["action"] for x in api["audit"]] == [t[1] for t in trail]

    g = ok(adm.get("/commitments/%d" % cid))
    assert (g["status"], g["evidence"], g["promised_on"]) == ("broken", "资金未落实QZX",
                                                              "2026-06-30")


def test_pending_commitment_can_be_edited(adm, stack, bodies):
    s = bodies.town
    cid = adm.post("/commitments", commitment_body(s, area="parking")).json()["id"]
    r = put(adm, "/commitments/%d" % cid, {"text": "年内新增公共停车泊位200个QZX",
                                            "promised_on": "2026-12-31", "area": "parking"})
    assert ok(r)["text"] == "年内新增公共停车泊位200个QZX"
    assert stored_commitment(stack, cid)[1:5] == ("parking", "年内新增公共停车泊位200个QZX",
                                                  datetime.date(2026, 12, 31), "pending")
    # the GET answer can be sent back
    g = ok(adm.get("/commitments/%d" % cid))
    assert ok(put(adm, "/commitments/%d" % cid, g))["id"] == cid


@pytest.mark.parametrize("change,state", [
    ({"status": "pending"}, "kept"),
    ({"text": "改过的承诺QZX"}, "kept"),
    ({"promised_on": "2027-01-01"}, "kept"),
    ({"area": "housing"}, "broken"),
    ({"status": "pending", "evidence": "撤回QZX"}, "broken"),
])
def test_a_verdict_is_not_taken_back(adm, stack, bodies, change, state):
    """kept / broken never return to pending, and the promise they judged
    stays as it was: 409 naming the state; nothing changes."""
    s = bodies.town
    cid = adm.post("/commitments", commitment_body(s, status=state,
                                                   evidence="证据QZX")).json()["id"]
    row, n = stored_commitment(stack, cid), audit_count(stack)
    msg = error(put(adm, "/commitments/%d" % cid, change), 409, "conflict")
    assert state in msg
    assert stored_commitment(stack, cid) == row and audit_count(stack) == n


BAD_COMMITMENTS = [
    # (body change, field, code) for POST
    ({"subject_id": None}, "subject_id", "missing_field"),
    ({"subject_id": 0}, "subject_id", "bad_field"),
    ({"subject_id": "SELF"}, "subject_id", "bad_field"),
    ({"subject_id": 1.5}, "subject_id", "bad_field"),
    ({"area": None}, "area", "missing_field"),
    ({"area": "sports"}, "area", "bad_field"),
    ({"area": "养老"}, "area", "bad_field"),
    ({"text": None}, "text", "missing_field"),
    ({"text": "   "}, "text", "bad_field"),
    ({"text": "承" * 1001}, "text", "bad_field"),
    ({"text": 123}, "text", "bad_field"),
    ({"text": "a\u0000b"}, "text", "bad_field"),
    ({"promised_on": None}, "promised_on", "missing_field"),
    ({"promised_on": "2026-02-29"}, "promised_on", "bad_field"),
    ({"promised_on": "2026/06/30"}, "promised_on", "bad_field"),
    ({"promised_on": "1999-12-31"}, "promised_on", "bad_field"),
    ({"status": "done"}, "status", "bad_field"),
    ({"status": "kept"}, "evidence", "bad_field"),
    ({"status": "broken"}, "evidence", "bad_field"),
    ({"evidence": "证" * 1001}, "evidence", "bad_field"),
    ({"owner": "x"}, "owner", "bad_field"),
]


@pytest.mark.parametrize("change,field,code", BAD_COMMITMENTS)
def test_commitment_validation_names_the_field(adm, stack, bodies, change, field, code):
    s = bodies.town2
    change = {k: (str(s.id) if v == "SELF" else v) for k, v in change.items()}
    n, rows = audit_count(stack), listed(stack, s)
    body = commitment_body(s)
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    msg = error(adm.post("/commitments", body), 400, code)
    assert msg.split(":")[0] == field, msg
    assert audit_count(stack) == n and listed(stack, s) == rows


@pytest.mark.parametrize("change,field", [
    ({}, "body"),
    ({"subject_id": "OTHER"}, "subject_id"),
    ({"status": "kept"}, "evidence"),
    ({"area": "nowhere"}, "area"),
    ({"text": ""}, "text"),
    ({"promised_on": "tomorrow"}, "promised_on"),
])
def test_commitment_update_validation_names_the_field(adm, stack, bodies, change, field):
    s = bodies.town2
    cid = adm.post("/commitments", commitment_body(s)).json()["id"]
    change = {k: (bodies.town.id if v == "OTHER" else v) for k, v in change.items()}
    row, n = stored_commitment(stack, cid), audit_count(stack)
    msg = error(put(adm, "/commitments/%d" % cid, change), 400)
    assert msg.split(":")[0] == field, msg
    assert stored_commitment(stack, cid) == row and audit_count(stack) == n


@pytest.mark.parametrize("which", ["district", "city", "official"])
def test_commitments_are_made_by_streets_and_townships(adm, stack, bodies, which):
    s = getattr(bodies, which)
    n = audit_count(stack)
    msg = error(adm.post("/commitments", commitment_body(s)), 400, "bad_field")
    assert msg.startswith("subject_id: ")
    assert audit_count(stack) == n
    assert not stack.sql("SELECT 1 FROM commitments WHERE subject_id = %s", (s.id,))


def test_unknown_commitment_or_subject_is_404(adm, bodies):
    assert error(adm.get("/commitments/999999999"), 404, "not_found")
    assert error(adm.get("/commitments/abc"), 404, "not_found")
    assert error(put(adm, "/commitments/999999999", {"status": "kept", "evidence": "x"}), 404)
    assert error(adm.get("/audit/commitments/999999999"), 404)
    msg = error(adm.post("/commitments", {"subject_id": 999999999, "area": "elderly",
                                          "text": "x", "promised_on": "2026-01-01"}), 404)
    assert msg.startswith("subject_id: ")
    r = adm.get("/commitments")
    assert error(r, 405) and r.headers["Allow"] == "POST"


def test_commitment_scoping_by_district(adm, stack, bodies):
    """staff-heping acts for the subjects of its department's district
    (heping): another district's streets answer 404, as records do."""
    mine = adm.post("/commitments", commitment_body(bodies.town2, text="和平区自己的承诺QZX"),
                    user="staff-heping")
    assert mine.status_code == 201, mine.text
    cid = mine.json()["id"]
    assert adm.audit("commitment", cid)[0][0] == "staff-heping"
    assert ok(put(adm, "/commitments/%d" % cid, {"status": "kept", "evidence": "已兑现QZX"},
                  user="staff-heping"))["status"] == "kept"
    assert ok(adm.get("/commitments/%d" % cid, user="staff-heping"))["id"] == cid

    n = audit_count(stack)
    msg = error(adm.post("/commitments", commitment_body(bodies.town_hexi), user="staff-heping"),
                404, "not_found")
    assert msg.startswith("subject_id: ")
    theirs = adm.post("/commitments", commitment_body(bodies.town_hexi)).json()["id"]
    n = audit_count(stack)
    row = stored_commitment(stack, theirs)
    assert error(adm.get("/commitments/%d" % theirs, user="staff-heping"), 404)
    assert error(put(adm, "/commitments/%d" % theirs, {"status": "kept", "evidence": "x"},
                     user="staff-heping"), 404)
    assert error(adm.get("/audit/commitments/%d" % theirs, user="staff-heping"), 404)
    assert stored_commitment(stack, theirs) == row and audit_count(stack) == n
    # city level reaches both
    assert ok(adm.get("/commitments/%d" % theirs))["id"] == theirs
    assert ok(adm.get("/commitments/%d" % cid))["id"] == cid


@pytest.fixture
def failing_audit(stack):
    """Makes the audit row of one commitment write fail, after the write."""
    stack.sql("CREATE TRIGGER qzx_fail_audit BEFORE INSERT ON audit_log FOR EACH ROW"
              " IF NEW.entity = 'commitment' AND NEW.after_json LIKE '%%REFUSED_QZX%%' THEN"
              " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused in test'; END IF")
    try:
        yield "REFUSED_QZX"
    finally:
        stack.sql("DROP TRIGGER IF EXISTS qzx_fail_audit")


@pytest.mark.allow_log(r"CR0204: MariaDB error 1644")
def test_failed_commitment_write_leaves_nothing(adm, stack, bodies, failing_audit):
    s = bodies.town2
    cid = adm.post("/commitments", commitment_body(s)).json()["id"]
    row, n, ids, c = stored_commitment(stack, cid), audit_count(stack), listed(stack, s), \
        counts(stack, s)
    r = put(adm, "/commitments/%d" % cid, {"status": "kept", "evidence": failing_audit})
    assert error(r, 500, "internal_error")
    assert stored_commitment(stack, cid) == row
    r = adm.post("/commitments", commitment_body(s, text="不会留下的承诺" + failing_audit))
    assert error(r, 500, "internal_error")
    assert audit_count(stack) == n and listed(stack, s) == ids and counts(stack, s) == c
    assert ok(put(adm, "/commitments/%d" % cid, {"status": "kept", "evidence": "正常QZX"}))
