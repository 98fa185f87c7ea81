"""The OpenAPI document matches what the code serves (issue 3, point 2): every
documented path is requested with real values, every documented response
code is produced on a real case (503 aside: test_database_loss covers the
database going away), every answer validates against its documented schema,
and every field the live answers contain is documented."""
import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest

import world as world_mod
from world import PAGE_TOKEN

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def doc(stack):
    r = stack.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    d = r.json()
    assert d["openapi"].startswith("3.")
    assert d["servers"][0]["url"] == "/credit/api/v1"
    return d


@pytest.fixture(scope="module")
def ox(stack, world):
    """An alias (old number -> a public record) for the documented 301."""
    subject = world_mod.add_gov(stack, "文档测试局", "jinghai")
    target = world_mod.add_record(stack, world, "TJZW-2097-000601", subject, title="文档测试记录")
    stack.sql("INSERT INTO record_aliases (old_no, record_id) VALUES (%s, %s)",
              ("TJZW-2097-000691", target.id))
    stack.script("dumps.sh")  # /dumps lists a dump
    return {"alias": "TJZW-2097-000691", "target": target}


# -- a validator for the subset of OpenAPI 3.0 schemas the document uses ----------------

SUPPORTED = {"type", "required", "properties", "items", "enum", "nullable", "$ref", "allOf",
             "pattern", "format", "description", "minimum", "maximum", "maxLength"}


def resolve(doc, schema):
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
        schema = node
    return schema


def check_format(fmt, value):
    if fmt == "date":
        if not DATE.fullmatch(value):
            return False
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return False
        return True
    if fmt == "uri":
        u = urlsplit(value)
        return u.scheme in ("http", "https") and bool(u.netloc)
    return True


def validate(doc, schema, value, where="$"):
    """Errors of value against schema, as a list of strings."""
    errors = []
    schema = resolve(doc, schema)
    unknown = set(schema) - SUPPORTED
    assert not unknown, "the validator does not know %s (at %s)" % (unknown, where)
    for sub in schema.get("allOf", ()):
        errors += validate(doc, sub, value, where)
    if value is None:
        if "type" in schema and not schema.get("nullable"):
            errors.append("%s: null, not nullable" % where)
        return errors
    t = schema.get("type")
    ok = {"object": lambda v: isinstance(v, dict), "array": lambda v: isinstance(v, list),
          "string": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
          "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
          "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)}
    if t and not ok[t](value):
        return errors + ["%s: %r is not %s" % (where, value, t)]
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %r not in %s" % (where, value, schema["enum"]))
    if "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append("%s: %r does not match %s" % (where, value, schema["pattern"]))
    if "format" in schema and isinstance(value, str) and not check_format(schema["format"], value):
        errors.append("%s: %r is not a %s" % (where, value, schema["format"]))
    if isinstance(value, dict):
        for name in schema.get("required", ()):
            if name not in value:
                errors.append("%s: required %s missing" % (where, name))
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                errors += validate(doc, sub, value[name], "%s.%s" % (where, name))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            errors += validate(doc, schema["items"], v, "%s[%d]" % (where, i))
    return errors


def documented(doc, schema):
    """(property name -> [schemas]) an object schema documents, allOf merged."""
    schema = resolve(doc, schema)
    props = {}
    for sub in schema.get("allOf", ()):
        for k, v in documented(doc, sub).items():
            props.setdefault(k, []).extend(v)
    for k, v in schema.get("properties", {}).items():
        props.setdefault(k, []).append(v)
    return props


def undocumented(doc, schema, value, where="$"):
    """Fields of value that the schema does not document."""
    out = []
    schema = resolve(doc, schema)
    if isinstance(value, dict):
        props = documented(doc, schema)
        for k, v in value.items():
            if k not in props:
                out.append("%s.%s" % (where, k))
            else:
                for sub in props[k]:
                    out += undocumented(doc, sub, v, "%s.%s" % (where, k))
    elif isinstance(value, list):
        items = schema.get("items")
        if items is None:
            for sub in schema.get("allOf", ()):
                items = resolve(doc, sub).get("items", items)
        for i, v in enumerate(value):
            out += undocumented(doc, items or {}, v, "%s[%d]" % (where, i))
    return out


def test_validator_itself(doc):
    """The validator finds what it must (guards the tests below)."""
    rec = {"type": "object", "required": ["a"], "properties": {
        "a": {"type": "integer"}, "b": {"type": "string", "nullable": True, "format": "date"},
        "c": {"type": "array", "items": {"type": "string", "enum": ["x"]}},
        "d": {"type": "string", "pattern": "^T-[0-9]+$"}}}
    assert validate(doc, rec, {"a": 1, "b": None, "c": ["x"], "d": "T-1"}) == []
    assert len(validate(doc, rec, {"b": "2026-02-30", "c": ["y"], "d": "T-"})) == 4
    assert validate(doc, rec, {"a": True}) != []
    assert undocumented(doc, rec, {"a": 1, "z": 2}) == ["$.z"]
    assert validate(doc, {"$ref": "#/components/schemas/Error"}, {"error": {"code": "x"}}) != []


# -- the cases: every documented path and response code ---------------------------------

def cases(world, ox):
    """(documented path, method's response code, request path under /api/v1, headers)."""
    pub, off = world.no("published"), world.no("official")
    gov, official = world.subjects["gov"].id, world.subjects["official"].id
    c = [
        ("/records", "200", "/records", {}),
        ("/records", "200", "/records?limit=100&q=" + PAGE_TOKEN, {}),
        ("/records", "200", "/records?kind=official&limit=100", {}),
        ("/records", "200", "/records?status=corrected&sort=oldest&limit=100", {}),
        ("/records", "200", "/records?q=%s&sort=relevance&limit=3" % PAGE_TOKEN, {}),
        ("/records", "200", "/records?from=2999-01-01", {}),
        ("/records", "400", "/records?district=xx", {}),
        ("/records", "400", "/records?limit=101", {}),
        ("/records", "304", "/records", "etag"),
        ("/search", "200", "/search?q=" + PAGE_TOKEN, {}),
        ("/search", "200", "/search?q=%s&limit=1" % world.records["official"].decision_no, {}),
        ("/search", "400", "/search?q=-x", {}),
        ("/search", "304", "/search?q=" + PAGE_TOKEN, "etag"),
        ("/records/{no}", "200", "/records/" + pub, {}),
        ("/records/{no}", "200", "/records/" + off, {}),
        ("/records/{no}", "200", "/records/" + world.no("corrected"), {}),
        ("/records/{no}", "200", "/records/" + world.no("contested"), {}),
        ("/records/{no}", "200", "/records/" + world.no("official_full"), {}),
        ("/records/{no}", "301", "/records/" + ox["alias"], {}),
        ("/records/{no}", "404", "/records/TJZW-2000-000001", {}),
        ("/records/{no}", "404", "/records/" + world.no("future"), {}),
        ("/records/{no}", "410", "/records/" + world.no("revoked"), {}),
        ("/records/{no}", "410", "/records/" + world.no("expired_long_ago"), {}),
        ("/records/{no}", "410", "/records/" + world.no("official_gone"), {}),
        ("/records/{no}", "304", "/records/" + pub, "etag"),
        ("/subjects/{id}", "200", "/subjects/%d" % gov, {}),
        ("/subjects/{id}", "200", "/subjects/%d" % official, {}),
        ("/subjects/{id}", "200", "/subjects/%d" % world.subjects["gov_city"].id, {}),
        ("/subjects/{id}", "404", "/subjects/999999999", {}),
        ("/subjects/{id}", "304", "/subjects/%d" % gov, "etag"),
        ("/stats", "200", "/stats", {}),
        ("/stats", "400", "/stats?x=%00", {}),
        ("/stats", "304", "/stats", "etag"),
        ("/changes", "200", "/changes", {}),
        ("/changes", "200", "/changes?since=0&limit=1000", {}),
        ("/changes", "200", "/changes?since=%s" % world.today.isoformat(), {}),
        ("/changes", "400", "/changes?since=yesterday", {}),
        ("/changes", "400", "/changes?limit=1001", {}),
        ("/changes", "304", "/changes", "etag"),
        ("/changes", "200", "/changes?since=99999999999", {}),
        ("/dumps", "200", "/dumps", {}),
        ("/dumps", "304", "/dumps", "etag"),
        ("/dumps", "400", "/dumps?x=%00", {}),
        ("/health", "200", "/health", {}),
        ("/health", "400", "/health?x=%00", {}),
        ("/openapi.json", "200", "/openapi.json", {}),
        ("/openapi.json", "400", "/openapi.json?x=%00", {}),
    ]
    return c


def request(stack, path, headers):
    if headers == "etag":
        first = stack.get("/api/v1" + path)
        assert first.status_code == 200, path
        assert "ETag" in first.headers, "no ETag on %s" % path
        headers = {"If-None-Match": first.headers["ETag"]}
    return stack.get("/api/v1" + path, headers=headers)


def response_schema(doc, doc_path, code):
    resp = doc["paths"][doc_path]["get"]["responses"][code]
    content = resp.get("content")
    if not content:
        return None
    assert list(content) == ["application/json"], content
    return content["application/json"].get("schema")


def test_every_documented_path_and_code_has_a_case(doc, world, ox):
    covered = {(p, c) for p, c, _, _ in cases(world, ox)}
    for path, item in doc["paths"].items():
        assert set(item) == {"get"}, path
        for code in item["get"]["responses"]:
            if code == "503":
                continue
            assert (path, code) in covered, "no case for %s %s" % (path, code)


def test_every_served_path_is_documented(doc, stack, world):
    """The module's API routes (credit_route.c) are the documented paths."""
    served = {"/records", "/search", "/records/{no}", "/subjects/{id}", "/stats", "/changes",
              "/dumps", "/health", "/openapi.json"}
    assert set(doc["paths"]) == served
    assert stack.get("/api/v1/other").status_code == 404


PATHS = ["/records", "/search", "/records/{no}", "/subjects/{id}", "/stats", "/changes", "/dumps",
         "/health", "/openapi.json"]


@pytest.mark.parametrize("documented_path", PATHS)
def test_responses_match_the_documented_schemas(doc, stack, world, ox, documented_path):
    problems = set()
    for doc_path, code, path, headers in cases(world, ox):
        if doc_path != documented_path:
            continue
        r = request(stack, path, headers)
        if str(r.status_code) != code:
            problems.add("%s: %d, expected %s" % (path, r.status_code, code))
            continue
        assert str(r.status_code) in doc["paths"][doc_path]["get"]["responses"]
        schema = response_schema(doc, doc_path, code)
        if schema is None:
            if code == "200":       # the document itself
                assert r.json()["openapi"]
            continue
        assert r.headers["Content-Type"] == "application/json; charset=utf-8", path
        for e in validate(doc, schema, r.json()):
            problems.add("%s %s: %s" % (doc_path, code, re.sub(r"\[\d+\]", "[]", e)))
    assert problems == set(), ("answers that do not match the document:\n" +
                               "\n".join(sorted(problems)))


@pytest.mark.parametrize("documented_path", PATHS)
def test_no_undocumented_fields(doc, stack, world, ox, documented_path):
    extra = set()
    for doc_path, code, path, headers in cases(world, ox):
        if doc_path != documented_path:
            continue
        r = request(stack, path, headers)
        schema = response_schema(doc, doc_path, str(r.status_code)) \
            if str(r.status_code) in doc["paths"][doc_path]["get"]["responses"] else None
        if schema is None:
            continue
        for f in undocumented(doc, schema, r.json()):
            extra.add("%s: %s" % (doc_path, re.sub(r"\[\d+\]", "[]", f)))
    assert extra == set(), "fields served but not documented:\n" + "\n".join(sorted(extra))


def test_record_inside_its_envelope_matches_record_detail(doc, stack, world):
    """Whatever the envelope, the record /records/{no} serves is a
    RecordDetail, field for field."""
    schema = {"$ref": "#/components/schemas/RecordDetail"}
    for key in ("published", "official", "official_full", "corrected", "contested"):
        j = stack.get("/api/v1/records/" + world.no(key)).json()
        rec = j.get("record", j)
        assert validate(doc, schema, rec) == [], key
        assert undocumented(doc, schema, rec) == [], key


# -- parameters ------------------------------------------------------------------------------

def params(doc, path):
    return {p["name"]: p for p in doc["paths"][path]["get"].get("parameters", [])
            if p["in"] == "query"}


@pytest.mark.parametrize("path", ["/records", "/search"])
def test_every_enum_value_of_a_parameter_is_accepted(doc, stack, world, path):
    for name, p in params(doc, path).items():
        for value in p["schema"].get("enum", ()):
            q = {name: value}
            if value == "relevance":
                q["q"] = PAGE_TOKEN
            r = stack.get("/api/v1" + path, params=q)
            assert r.status_code == 200, (path, q, r.text[:200])


@pytest.mark.parametrize("path", ["/records", "/search", "/changes"])
def test_documented_bounds_are_enforced(doc, stack, world, path):
    for name, p in params(doc, path).items():
        s = p["schema"]
        if s.get("type") == "integer":
            lo, hi = s["minimum"], s["maximum"]
            for v, ok in ((lo, True), (hi, True), (lo - 1, False), (hi + 1, False)):
                r = stack.get("/api/v1" + path, params={name: str(v)})
                assert r.status_code == (200 if ok else 400), (path, name, v)
                if not ok:
                    assert r.json()["error"]["message"].split(":")[0] == name
        if "maxLength" in s:
            n = s["maxLength"]
            # two words (a word has at most 50 characters): n characters in all
            ok = "测" * 50 + " " + "测" * (n - 51)
            assert stack.get("/api/v1" + path, params={name: ok}).status_code == 200
            r = stack.get("/api/v1" + path, params={name: ok + "测"})
            assert r.status_code == 400 and r.json()["error"]["message"].startswith(name + ":")
        if s.get("format") == "date":
            assert stack.get("/api/v1" + path, params={name: "2026-02-30"}).status_code == 400


def test_links_use_documented_parameters(doc, stack, world):
    """The next links the API hands out only use parameters the document
    names for /records (a client builds them from the document too)."""
    names = set(params(doc, "/records"))
    for q in ({"q": PAGE_TOKEN, "limit": 2}, {"q": PAGE_TOKEN, "limit": 2, "sort": "oldest"},
              {"q": PAGE_TOKEN, "limit": 2, "sort": "relevance"}):
        nxt = stack.get("/api/v1/records", params=q).json()["next"]
        assert nxt and urlsplit(nxt).path == "/credit/api/v1/records"
        used = set(parse_qs(urlsplit(nxt).query))
        assert used <= names, "the next link of %s uses undocumented %s" % (q, used - names)
