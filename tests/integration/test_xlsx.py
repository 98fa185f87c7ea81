"""The workbook export /records.xlsx (issue 12, point 6): the CSV's filters,
rows, columns and header names, read back with openpyxl as a spreadsheet
reads them: credit codes, record and decision numbers stay text (an
all-digit credit code is not turned into 1.11201011072075E+17), dates are
date cells, amounts number cells. The records list links it with a hint
that it is the file to open in a spreadsheet."""
import csv
import datetime
import glob
import io
import os
import re
import zipfile

import openpyxl
import pytest

import oracle
import portal
import world as world_mod
from portal import credit_code_check
from world import DIVISIONS, PAGE_TOKEN

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORD = "鹔鹴"   # only in this module's rows (checked by the fixture)
DAY = datetime.timedelta(days=1)
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def digit_code(district, start):
    """A valid unified social credit code of digits only (GB 32100: its
    check character falls on a digit for about a third of the serials)."""
    serial = start
    while True:
        first17 = "11" + DIVISIONS[district] + "%09d" % serial
        code = first17 + credit_code_check(first17)
        if code.isdigit():
            return code
        serial += 1


@pytest.fixture(scope="module")
def wb(stack, world):
    like = "%" + WORD + "%"
    assert stack.sql("SELECT (SELECT COUNT(*) FROM records WHERE title LIKE %s OR facts LIKE %s)"
                     " + (SELECT COUNT(*) FROM subjects WHERE name LIKE %s)", (like,) * 3)[0][0] == 0
    t = world.today
    code = digit_code("hexi", 987650000)
    stack.sql("INSERT INTO subjects (kind, name, credit_code, district, level)"
              " VALUES ('gov', %s, %s, 'hexi', 'district')", ("数字代码测试局" + WORD, code))
    sid = stack.sql("SELECT LAST_INSERT_ID()")[0][0]
    digits = world_mod.Subject(sid, "gov", "数字代码测试局" + WORD, "hexi", credit_code=code)
    rows = {
        "digits": world_mod.add_record(stack, world, "TJZW-2096-000961", digits,
                                       title="全数字信用代码%s" % WORD, decision_no="0012345",
                                       disclosed=t - 2 * DAY),
        "formula": world_mod.add_record(stack, world, "TJZW-2096-000962", digits,
                                        title="=SUM(A1:A9)%s" % WORD, facts="-1+2\r\n第二行",
                                        disclosed=t - 3 * DAY, severity="minor"),
        "odd": world_mod.add_record(stack, world, "TJZW-2096-000963", digits,
                                    title="坏字符\ufffe标题\x01%s _x0041_ 原样" % WORD,
                                    disclosed=t - 4 * DAY, severity="serious"),
    }
    stack.sql("UPDATE records SET amount = %s WHERE id = %s", ("1234567890123.45",
                                                               rows["digits"].id))
    stack.sql("UPDATE records SET amount = NULL WHERE id = %s", (rows["formula"].id,))
    return {"rows": rows, "code": code}


def get_xlsx(stack, params=None):
    r = stack.get("/records.xlsx", params=params)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == XLSX
    assert int(r.headers["Content-Length"]) == len(r.content)
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["records"]
    sheet = book["records"]
    return r, sheet, [list(row) for row in sheet.iter_rows()]


def get_csv(stack, params=None):
    r = stack.get("/records.csv", params=params)
    assert r.status_code == 200
    return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline=""), strict=True))


def as_excel_reads(s):
    """Text as Excel reads a cell: _xHHHH_ is the escape of one character
    (openpyxl leaves it as it is)."""
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), s)


def unneutralised(value):
    """The CSV's value without the apostrophe it puts before a formula."""
    if value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def clean(value):
    """What XML can hold: a character it forbids is U+FFFD in the workbook."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "\ufffd", value)


def check_like_csv(header, cells, csv_rows):
    """Every cell of the workbook is the CSV's value, typed."""
    assert [c.value for c in cells[0]] == csv_rows[0] == header
    assert len(cells) == len(csv_rows)
    col = {h.split(" ")[1]: i for i, h in enumerate(header)}
    dates = {col[k] for k in ("decided_on", "disclosed_on", "repair_from", "withdraw_on")}
    for row, want in zip(cells[1:], csv_rows[1:]):
        assert len(want) == len(header)
        for i, (cell, value) in enumerate(zip(row, want)):
            where = (want[0], header[i])
            if value == "":
                assert cell.value is None, where
            elif i in dates:
                assert cell.is_date and cell.number_format == "yyyy-mm-dd", where
                assert cell.value.date().isoformat() == value, where
            elif i == col["updated_at"]:
                assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm:ss", where
                assert cell.value.strftime("%Y-%m-%d %H:%M:%S") == value, where
            elif i == col["amount"]:
                assert cell.data_type == "n" and cell.number_format == "#,##0.00", where
                assert cell.value == float(value), where
            else:
                assert cell.data_type == "s", where
                assert as_excel_reads(cell.value) == clean(unneutralised(value)), where


def test_headers_and_type(stack, world, wb):
    r = stack.get("/records.xlsx", params={"district": "hexi"})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == XLSX
    cd = r.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="credit-records-\d{4}-\d{2}-\d{2}\.xlsx"', cd), cd
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.content.startswith(b"PK\x03\x04")


@pytest.mark.parametrize("params", [
    {},
    {"q": WORD},
    {"district": "hexi", "severity": "serious", "sort": "oldest"},
    {"kind": "official"},
    {"q": PAGE_TOKEN, "status": "contested"},
    {"from": "2999-01-01"},
])
def test_the_workbook_is_the_csv_typed(stack, world, wb, params):
    _, sheet, cells = get_xlsx(stack, params)
    csv_rows = get_csv(stack, params)
    check_like_csv(csv_rows[0], cells, csv_rows)
    if params == {}:
        public = oracle.count(stack)
        assert len(cells) == public + 1 and public > 1000   # the demo data and the world's
    # the header row stays in view and filters
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:W%d" % len(cells)


def test_codes_stay_text(stack, world, wb):
    """The district's all-digit credit code comes back whole, as text; so do
    record numbers and a decision number of digits with a leading zero."""
    _, _, cells = get_xlsx(stack, {"q": WORD})
    header = [c.value for c in cells[0]]
    col = {h.split(" ")[1]: i for i, h in enumerate(header)}
    rows = {r[0].value: r for r in cells[1:]}
    assert set(rows) == {r.no for r in wb["rows"].values()}
    d = rows[wb["rows"]["digits"].no]
    assert wb["code"].isdigit() and len(wb["code"]) == 18
    assert d[col["credit_code"]].data_type == "s"
    assert d[col["credit_code"]].value == wb["code"]
    assert d[col["decision_no"]].value == "0012345"
    assert d[col["amount"]].value == 1234567890123.45
    f = rows[wb["rows"]["formula"].no]
    # a formula-looking title is a plain string, without the CSV's apostrophe
    assert f[col["title"]].data_type == "s" and f[col["title"]].value.startswith("=SUM(")
    assert as_excel_reads(f[col["facts"]].value) == "-1+2\r\n第二行"
    assert f[col["amount"]].value is None
    assert f[col["repair_from"]].value is None          # minor: no repair
    o = rows[wb["rows"]["odd"].no]
    assert as_excel_reads(o[col["title"]].value) == "坏字符\ufffd标题\ufffd%s _x0041_ 原样" % WORD


def test_the_workbook_is_written_in_constant_memory(stack, world, wb):
    """Rows go out as they come (libxlsxwriter's constant-memory mode
    writes inline strings: there is no shared-strings table kept in
    memory), and nothing is left in the temporary directory."""
    tmp = os.environ.get("TMPDIR") or "/tmp"
    before = set(glob.glob(os.path.join(tmp, "mod_credit-xlsx-*")))
    r = stack.get("/records.xlsx")
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert "xl/sharedStrings.xml" not in z.namelist()
        assert 'xl/worksheets/sheet1.xml' in z.namelist()
        assert b't="inlineStr"' in z.read("xl/worksheets/sheet1.xml")[:100000]
    # a client that leaves half way
    s = stack.get("/records.xlsx", stream=True)
    assert s.status_code == 200
    s.raw.read(1000)
    s.close()
    assert set(glob.glob(os.path.join(tmp, "mod_credit-xlsx-*"))) == before


def test_filters_and_errors(stack, world, wb):
    r = stack.get("/records.xlsx", params={"district": "xx"})
    assert r.status_code == 400
    assert portal.error_detail(r.text).split(":")[0] == "district"
    _, _, cells = get_xlsx(stack, {"district": "hexi", "severity": "serious", "sort": "oldest"})
    nos = oracle.public_nos(stack, where=" AND r.district = 'hexi' AND r.severity = 'serious'",
                            oldest=True)
    assert [row[0].value for row in cells[1:]] == nos


def test_head_and_conditional_get(stack, world):
    h = stack.request("HEAD", "/records.xlsx", params={"q": "采购"})
    assert h.status_code == 200 and h.content == b""
    assert h.headers["Content-Type"] == XLSX
    assert h.headers["Content-Disposition"].startswith("attachment;")
    r = stack.get("/records.xlsx", params={"district": "heping"})
    r2 = stack.get("/records.xlsx", params={"district": "heping"},
                   headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304 and r2.content == b""


@pytest.mark.allow_log(r"CR0204: MariaDB error 1969", r"CR0403: internal error on xlsx")
def test_a_stopped_export_is_an_error_never_a_cut_file(stack, world, error_log_guard):
    """The workbook is sent only once complete: an export the database
    stops half way answers 500, never a truncated file, and leaves no
    temporary file."""
    tmp = os.environ.get("TMPDIR") or "/tmp"
    before = set(glob.glob(os.path.join(tmp, "mod_credit-xlsx-*")))
    total = oracle.count(stack)
    stack.sql("SET GLOBAL max_statement_time = 0.002")
    try:
        stack.start_httpd()  # fresh children: new connections take the limit
        codes = []
        for _ in range(5):
            r = stack.get("/records.xlsx")
            codes.append(r.status_code)
            if r.status_code == 200:
                book = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
                assert book["records"].max_row == total + 1
            else:
                assert r.status_code == 500 and r.headers["Content-Type"].startswith("text/html")
        lines = error_log_guard.new_lines()
    finally:
        stack.sql("SET GLOBAL max_statement_time = 0")
        stack.start_httpd()
    assert 500 in codes, codes
    assert any("CR0204" in l and "MariaDB error 1969" in l for l in lines), lines[-20:]
    assert set(glob.glob(os.path.join(tmp, "mod_credit-xlsx-*"))) == before


@pytest.mark.parametrize("lang,words", [("zh-CN", ("Excel", "XLSX", "CSV")),
                                        ("en", ("Excel", "XLSX", "CSV"))])
def test_the_list_links_the_workbook_and_says_which_file_to_open(stack, world, lang, words):
    body = stack.get("/records", params={"district": "heping", "lang": lang}).text
    m = re.search(r'<a id="export-xlsx" href="([^"]*)"', body)
    assert m and m.group(1) == "/credit/records.xlsx?district=heping", body[:200]
    hint = portal.text_by_id(body, "export-hint")
    for w in words:
        assert w in hint, (lang, hint)
    other = "en" if lang == "zh-CN" else "zh-CN"
    assert hint != portal.text_by_id(
        stack.get("/records", params={"lang": other}).text, "export-hint")
