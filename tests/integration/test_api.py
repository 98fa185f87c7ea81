"""JSON API v1 (issue 3, point 2): the shape of every endpoint, cursor
pagination against SQL, limits and bad filters as 400 naming the parameter,
404/410/301 for single records, validators (ETag, Last-Modified, 304) on every
GET, CORS and the content type."""
import datetime
import email.utils
import re
from urllib.parse import parse_qs, urlsplit

import pytest

import world as world_mod
import oracle
from portal import mask_id
from world import PAGE_TOKEN

JSON = "application/json; charset=utf-8"
DAY = datetime.timedelta(days=1)

RECORD_KEYS = {"no", "url", "title", "category", "category_label", "domain", "domain_label",
               "severity", "severity_label", "status", "status_label", "decision_no",
               "authority", "decided_on", "disclosed_on", "repair_from", "withdraw_on", "amount",
               "updated_at", "subject", "facts", "legal_basis", "department", "correction_note",
               "rectification"}
SUBJECT_KEYS = {"id", "name", "kind", "kind_label", "credit_code", "district", "district_label",
                "level", "level_label", "position", "id_masked", "employer"}


@pytest.fixture(scope="module")
def ax(stack, world):
    """This module's rows: an alias of a public record, an alias of a
    withdrawn one, and a record the module withdraws."""
    subject = world_mod.add_gov(stack, "接口测试局", "binhai")
    target = world_mod.add_record(stack, world, "TJZW-2097-000201", subject, title="接口测试记录")
    gone = world_mod.add_record(stack, world, "TJZW-2097-000202", subject, title="接口撤销记录")
    stack.sql("INSERT INTO record_aliases (old_no, record_id) VALUES (%s, %s), (%s, %s)",
              ("TJZW-2097-000291", target.id, "TJZW-2097-000292", world.records["revoked"].id))
    return {"subject": subject, "target": target, "gone": gone,
            "alias": "TJZW-2097-000291", "alias_gone": "TJZW-2097-000292"}


def get(stack, path, params=None, **kw):
    r = stack.get("/api/v1" + path, params=params, **kw)
    assert r.headers.get("Content-Type") == JSON or r.status_code in (301, 304), (
        path, r.status_code, r.headers.get("Content-Type"))
    assert r.headers.get("Access-Control-Allow-Origin") == "*", (path, r.status_code)
    return r


def sql_order(stack, where="", params=(), oldest=False):
    """The public records `where` selects, by the oracle (oracle.py)."""
    return oracle.public_nos(stack, None, where, params, oldest)


# -- shapes -----------------------------------------------------------------------------

def test_records_shape(stack, world):
    r = get(stack, "/records", {"limit": 3})
    assert r.status_code == 200
    j = r.json()
    assert set(j) == {"total", "total_relation", "limit", "next_cursor", "next", "items"}
    assert j["limit"] == 3 and len(j["items"]) == 3
    assert isinstance(j["total"], int) and j["total"] > 3
    assert j["total_relation"] == "eq"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\.\d+", j["next_cursor"])
    assert j["next"].startswith(stack.base_url + "/api/v1/records?")
    for it in j["items"]:
        assert set(it) == RECORD_KEYS
        assert set(it["subject"]) == SUBJECT_KEYS
        assert it["url"] == stack.base_url + "/records/" + it["no"]
        assert set(it["rectification"]) == {"text", "due", "done"}


def test_default_limit_and_total(stack, world):
    n = oracle.count(stack)
    j = get(stack, "/records").json()
    assert j["total"] == n
    assert j["limit"] == len(j["items"]) == 20


def test_record_shape_and_values(stack, world):
    rec = world.records["corrected"]
    r = get(stack, "/records/" + rec.no)
    assert r.status_code == 200
    j = r.json()
    assert set(j) == {"record"}
    o = j["record"]
    assert set(o) == RECORD_KEYS | {"timeline"}
    assert o["no"] == rec.no and o["title"] == rec.title and o["facts"] == rec.facts
    assert o["decision_no"] == rec.decision_no
    assert o["status"] == "corrected" and o["status_label"] == "已更正"
    assert o["correction_note"] == rec.correction_note
    assert o["disclosed_on"] == rec.disclosed.isoformat()
    assert o["withdraw_on"] == rec.withdraw_on.isoformat()
    assert o["repair_from"] == rec.repair_from.isoformat()
    assert o["department"] == "测试公共信用信息中心"
    assert o["subject"]["id"] == rec.subject.id
    assert o["subject"]["credit_code"] == rec.subject.credit_code
    assert [e["event"] for e in o["timeline"]] == ["listed", "corrected"]
    for e in o["timeline"]:
        assert set(e) == {"event", "on", "decision_no", "note"}
    # a future event is not shown
    assert "FUTURE-EVENT-NOTE" not in get(stack, "/records/" + world.no("published")).text


def test_official_record_is_masked(stack, world):
    for key in ("official", "official_full"):
        rec = world.records[key]
        r = get(stack, "/records/" + rec.no)
        s = r.json()["record"]["subject"]
        assert s["id_masked"] == mask_id(rec.subject.id_full)
        assert rec.subject.id_full not in r.text
        assert s["kind"] == "official" and s["credit_code"] is None
        assert s["employer"] == {"id": world.subjects["gov"].id,
                                 "name": world.subjects["gov"].name}


def test_subject_shape(stack, world):
    s = world.subjects["gov"]
    r = get(stack, "/subjects/%d" % s.id)
    assert r.status_code == 200
    j = r.json()
    assert set(j) == {"subject", "records_total", "records"}
    assert set(j["subject"]) == SUBJECT_KEYS
    assert j["subject"]["name"] == s.name and j["subject"]["credit_code"] == s.credit_code
    nos = oracle.public_nos(stack, None, " AND r.subject_id = %s", (s.id,))
    assert j["records_total"] == len(nos)
    assert [i["no"] for i in j["records"]] == nos[:100]


def test_subject_official_masked_and_unknown(stack, world):
    off = world.subjects["official_full"]
    r = get(stack, "/subjects/%d" % off.id)
    assert r.status_code == 200
    assert r.json()["subject"]["id_masked"] == mask_id(off.id_full)
    assert off.id_full not in r.text
    for sid in ("99999999", "0", "abc", "-1", "1.5"):
        r = get(stack, "/subjects/" + sid)
        assert r.status_code == 404, sid
        assert r.json()["error"]["code"] == "not_found"
    # an official without public records does not exist
    r = get(stack, "/subjects/%d" % world.subjects["official_gone"].id)
    assert r.status_code == 404


def test_search_is_an_alias_of_records(stack, world):
    for params in ({"q": PAGE_TOKEN, "limit": 7}, {"q": PAGE_TOKEN, "district": "city"},
                   {"q": world.records["published"].decision_no}):
        a = get(stack, "/search", params).json()
        b = get(stack, "/records", params).json()
        assert a == b


def test_stats_match_the_oracle(stack, world):
    j = get(stack, "/stats").json()
    assert set(j) == {"total", "by_district", "by_domain", "by_category", "by_severity",
                      "by_month"}
    assert j["total"] == oracle.count(stack)
    for key, col in (("by_district", "district"), ("by_domain", "domain"),
                     ("by_category", "category"), ("by_severity", "severity"),
                     ("by_month", lambda r: r.disclosed_on.strftime("%Y-%m"))):
        rows = oracle.count_by(stack, col)
        assert {c["key"]: c["n"] for c in j[key]} == rows, key
        assert sum(c["n"] for c in j[key]) == j["total"]
        if key != "by_month":
            assert all(c["label"] for c in j[key]), key


def test_health(stack, world):
    r = get(stack, "/health")
    assert r.status_code == 200
    v = stack.sql("SELECT MAX(version) FROM schema_migrations")[0][0]
    j = r.json()
    db = j["database"]
    assert (j["status"], j["store"]) == ("ok", "mariadb")
    assert (db["reachable"], db["schema_version"], db["answered_by"]) == (True, v, "primary")
    assert set(j) == {"status", "database", "calendar", "warnings", "store"}  # test_health.py
    assert r.headers["Cache-Control"] == "no-store"


# -- cursor pagination ---------------------------------------------------------------------

def walk(stack, params, use_link):
    """Every page of /records from params on, by next_cursor or by the next link."""
    pages = []
    r = get(stack, "/records", params)
    while True:
        assert r.status_code == 200, r.text[:300]
        j = r.json()
        pages.append(j)
        if j["next_cursor"] is None:
            assert j["next"] is None
            return pages
        assert len(pages) < 200
        if use_link:
            assert j["next"].startswith(stack.base_url)
            q = parse_qs(urlsplit(j["next"]).query)
            assert q["cursor"] == [j["next_cursor"]]
            r = get(stack, j["next"][len(stack.base_url) + len("/api/v1"):])
        else:
            r = get(stack, "/records", dict(params, cursor=j["next_cursor"]))


@pytest.mark.parametrize("use_link", [False, True], ids=["cursor", "link"])
@pytest.mark.parametrize("oldest", [False, True], ids=["newest", "oldest"])
def test_cursor_walk_has_no_duplicates_or_gaps(stack, world, use_link, oldest):
    like = "%" + PAGE_TOKEN + "%"
    expected = sql_order(stack, " AND (r.title LIKE %s OR r.decision_no LIKE %s)", (like, like),
                         oldest)
    params = {"q": PAGE_TOKEN, "limit": 9}
    if oldest:
        params["sort"] = "oldest"
    pages = walk(stack, params, use_link)
    got = [i["no"] for p in pages for i in p["items"]]
    assert got == expected
    assert len(pages) == -(-len(expected) // 9)
    assert all(p["total"] == len(expected) and p["limit"] == 9 for p in pages)
    assert all(len(p["items"]) == 9 for p in pages[:-1])


def test_walk_of_every_public_record(stack, world):
    expected = sql_order(stack)
    pages = walk(stack, {"limit": 100}, True)
    got = [i["no"] for p in pages for i in p["items"]]
    assert len(got) == len(set(got))
    assert got == expected


def test_cursor_walk_with_filters(stack, world):
    t = world.today
    params = {"district": "heping", "severity": "general", "from": (t - 400 * DAY).isoformat(),
              "limit": 5}
    expected = sql_order(stack, " AND r.district = %s AND r.severity = %s AND r.disclosed_on >= %s",
                         ("heping", "general", t - 400 * DAY))
    got = [i["no"] for p in walk(stack, params, True) for i in p["items"]]
    assert got == expected and len(expected) > 5


def test_next_link_keeps_the_filters(stack, world):
    j = get(stack, "/records", {"q": PAGE_TOKEN, "district": "city", "limit": 2,
                                "sort": "oldest"}).json()
    q = parse_qs(urlsplit(j["next"]).query)
    assert q == {"q": [PAGE_TOKEN], "district": ["city"], "sort": ["oldest"], "limit": ["2"],
                 "cursor": [j["next_cursor"]]}


# -- limits and bad values -------------------------------------------------------------------

@pytest.mark.parametrize("limit,ok", [("1", True), ("100", True), ("0", False), ("101", False),
                                      ("-1", False), ("ten", False), ("1e2", False),
                                      ("99999999999999999999", False)])
def test_limit_bounds(stack, world, limit, ok):
    for path in ("/records", "/search"):
        r = get(stack, path, {"limit": limit})
        if ok:
            assert r.status_code == 200
            assert r.json()["limit"] == len(r.json()["items"]) == int(limit)
        else:
            assert r.status_code == 400, limit
            e = r.json()["error"]
            assert set(e) == {"code", "message"}
            assert e["message"].split(":")[0] == "limit", e


BAD = [("district=xx", "district"), ("kind=person", "kind"), ("category=crime", "category"),
       ("domain=sports", "domain"), ("severity=critical", "severity"), ("status=revoked", "status"),
       ("status=expired", "status"), ("from=2026-02-30", "from"), ("to=20260101", "to"),
       ("from=2026-05-02&to=2026-05-01", "to"), ("sort=random", "sort"), ("sort=relevance", "sort"),
       ("cursor=garbage", "cursor"), ("cursor=2026-01-01", "cursor"), ("page=0", "page"),
       ("page=51", "page"), ("q=" + "测" * 101, "q"), ("q=-x", "q"), ("district=a&district=b",
                                                                    "district")]


@pytest.mark.parametrize("query,param", BAD, ids=[b[0][:30] for b in BAD])
def test_bad_filter_is_400_naming_it(stack, world, query, param):
    for path in ("/records", "/search"):
        r = get(stack, path + "?" + query)
        assert r.status_code == 400, (path, query)
        j = r.json()
        assert set(j) == {"error"} and set(j["error"]) == {"code", "message"}
        assert j["error"]["message"].split(":")[0] == param, j
        assert "ETag" not in r.headers and "Last-Modified" not in r.headers


def test_malformed_query_string_is_json_400(stack, world):
    status, headers, body = stack.raw_get("/api/v1/records?q=%E4%B8")
    assert status == 400
    assert headers["Content-Type"] == JSON
    assert '"error"' in body


# -- single records: 404, 410, 301 ----------------------------------------------------------

@pytest.mark.parametrize("no", ["TJZW-2000-000001", "TJZW-2099-999999", "nothing", "TJZW-2099-00001"])
def test_unknown_record_is_json_404(stack, world, no):
    r = get(stack, "/records/" + no)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    assert "ETag" not in r.headers


def test_future_record_is_404(stack, world):
    r = get(stack, "/records/" + world.no("future"))
    assert r.status_code == 404
    assert world.records["future"].title not in r.text


@pytest.mark.parametrize("key,state", [("repaired", "repaired"), ("revoked", "revoked"),
                                       ("expired_status", "expired"),
                                       ("expired_long_ago", "expired"),
                                       ("expires_today", "expired"),
                                       ("official_gone", "repaired")])
def test_withdrawn_record_is_410_tombstone(stack, world, key, state):
    rec = world.records[key]
    r = get(stack, "/records/" + rec.no)
    assert r.status_code == 410
    j = r.json()
    assert set(j) == {"error", "record"}
    assert j["error"]["code"] == "gone" and j["error"]["message"]
    assert set(j["record"]) == {"no", "state", "on"}
    assert j["record"]["no"] == rec.no and j["record"]["state"] == state
    on = datetime.date.fromisoformat(j["record"]["on"])
    assert on <= world.today
    if rec.withdrawn_on:
        assert on == rec.withdrawn_on
    # nothing personal or descriptive
    for text in (rec.title, rec.subject.name, rec.facts, rec.decision_no):
        assert text not in r.text
    if rec.subject.id_full:
        assert rec.subject.id_full[-4:] not in r.text and rec.subject.id_full[:6] not in r.text


@pytest.mark.parametrize("prefix", ["/api/v1", ""], ids=["json", "html"])
def test_tombstone_carries_no_validators(stack, world, prefix):
    """A 410 is an error page (mod_credit_handler.c response_head: "An error is
    nothing a cache may validate"): no ETag, and a conditional request is
    never answered 304, which means "would have been 200" (RFC 9110 15.4.5)."""
    path = prefix + "/records/" + world.no("revoked")
    r = stack.get(path)
    assert r.status_code == 410
    etag = r.headers.get("ETag")
    r2 = stack.get(path, headers={"If-None-Match": etag or '"x"'})
    assert r2.status_code == 410, "a conditional GET of a withdrawn record answers %d" % (
        r2.status_code)
    assert etag is None, "the 410 tombstone carries ETag %s" % etag


def test_withdrawal_turns_200_into_410_at_once(stack, world, ax):
    rec = ax["gone"]
    assert get(stack, "/records/" + rec.no).status_code == 200
    stack.sql("UPDATE records SET status = 'revoked', withdrawn_on = %s WHERE id = %s",
              (world.today, rec.id))
    r = get(stack, "/records/" + rec.no)
    assert r.status_code == 410
    assert r.json()["record"] == {"no": rec.no, "state": "revoked", "on": world.today.isoformat()}
    assert stack.get("/records/" + rec.no).status_code == 410


def test_alias_redirects_301(stack, world, ax):
    r = get(stack, "/records/" + ax["alias"])
    assert r.status_code == 301
    assert r.headers["Location"] == stack.base_url + "/api/v1/records/" + ax["target"].no
    assert get(stack, r.headers["Location"][len(stack.base_url) + 7:]).status_code == 200
    # the HTML record page too
    r = stack.get("/records/" + ax["alias"])
    assert r.status_code == 301
    assert r.headers["Location"] == stack.base_url + "/records/" + ax["target"].no
    # following it
    r = stack.get("/api/v1/records/" + ax["alias"], allow_redirects=True)
    assert r.status_code == 200 and r.json()["record"]["no"] == ax["target"].no


def test_alias_of_withdrawn_record_leads_to_410(stack, world, ax):
    r = get(stack, "/records/" + ax["alias_gone"])
    assert r.status_code == 301
    r = stack.get("/api/v1/records/" + ax["alias_gone"], allow_redirects=True)
    assert r.status_code == 410
    assert r.json()["record"]["no"] == world.no("revoked")


def test_current_number_wins_over_an_alias(stack, world, ax):
    """A number that exists is never redirected."""
    r = get(stack, "/records/" + ax["target"].no)
    assert r.status_code == 200


# -- validators, 304, CORS, content type -------------------------------------------------------

def endpoints(world, ax):
    return ["/records", "/records?q=%s&limit=5" % PAGE_TOKEN, "/search?q=%s" % PAGE_TOKEN,
            "/records/" + world.no("published"), "/subjects/%d" % world.subjects["gov"].id,
            "/stats", "/changes", "/changes?since=1&limit=5", "/openapi.json"]


def test_every_get_has_validators_and_answers_304(stack, world, ax):
    missing = []
    for path in endpoints(world, ax):
        r = get(stack, path)
        assert r.status_code == 200, path
        etag, lm = r.headers.get("ETag"), r.headers.get("Last-Modified")
        if not etag or not lm:
            missing.append((path, etag, lm))
            continue
        r2 = get(stack, path, headers={"If-None-Match": etag})
        assert r2.status_code == 304, path
        assert r2.content == b"" and r2.headers["ETag"] == etag
        assert r2.headers.get("Access-Control-Allow-Origin") == "*"
        r3 = get(stack, path, headers={"If-Modified-Since": lm})
        assert r3.status_code == 304, path
        # a date before Last-Modified: the full answer
        earlier = email.utils.format_datetime(
            email.utils.parsedate_to_datetime(lm) - datetime.timedelta(seconds=10), usegmt=True)
        assert get(stack, path, headers={"If-Modified-Since": earlier}).status_code == 200, path
        # another ETag: the full answer
        assert get(stack, path, headers={"If-None-Match": 'W/"other"'}).status_code == 200, path
    assert missing == [], "GET endpoints without ETag/Last-Modified: %s" % missing


def test_change_of_data_changes_the_etag(stack, world, ax):
    path = "/records/" + ax["target"].no
    r = get(stack, path)
    etag = r.headers["ETag"]
    stack.sql("UPDATE records SET title = %s WHERE id = %s", ("接口测试记录(已修改)", ax["target"].id))
    r2 = get(stack, path, headers={"If-None-Match": etag})
    assert r2.status_code == 200
    assert r2.headers["ETag"] != etag
    assert r2.json()["record"]["title"] == "接口测试记录(已修改)"


def test_errors_are_json_with_cors(stack, world):
    for path, status in (("/records?district=xx", 400), ("/records/TJZW-2000-000001", 404),
                         ("/records/" + world.no("revoked"), 410), ("/nothing", 404),
                         ("/changes?since=abc", 400), ("/subjects/0", 404)):
        r = get(stack, path)
        assert r.status_code == status, path
        assert r.headers["Content-Type"] == JSON
        assert "error" in r.json()
