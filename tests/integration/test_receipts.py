"""Issue 4 point 2 (and the stored-only-hashed parts of 3 and 4): a receipt
is shown only after the commit (201, no-store) with a receipt number
TS-YYYYMMDD-NNNNNN and a query code of at least 50 bits that is stored only
as a keyed hash; a double click or a resent form gives the same receipt and
no second row, also when 50 copies arrive at once. The client address is
stored only as a keyed hash.
"""
import concurrent.futures
import hashlib
import ipaddress
import re
import threading

import pytest
import requests

import portal
from citizen import (CODE, COMPLAINT_FORM, COMPLAINT_POST, RECEIPT, Citizen, SourceAddressAdapter,
                     assert_not_logged, complaint, fresh_address, fresh_pools,  # noqa: F401
                     ready_tokens, receipt, send_many, unique)
from portal import field_errors, injected_markup, text_by_id

COLUMNS = ("id, receipt_no, form_token, code_hash, client_hash, target, subject_id, district,"
           " domain, title, content, conduct_on, evidence, name, phone, email, department_id,"
           " status, accepted_on, due_on, reply, created_at, updated_at")


def row_of(stack, receipt_no):
    rows = stack.sql("SELECT %s FROM complaints WHERE receipt_no = %%s" % COLUMNS, (receipt_no,))
    assert len(rows) == 1, rows
    return dict(zip([c.strip() for c in COLUMNS.split(",")], rows[0]))


def as_texts(value):
    """The ways a stored value could hold a secret: as text, and as hex."""
    if value is None:
        return []
    if isinstance(value, (bytes, bytearray)):
        return [bytes(value).hex(), bytes(value).decode("latin-1")]
    return [str(value)]


def test_receipt_only_after_commit_with_number_and_code(stack, world):
    mark = unique("回执")
    typed = complaint(mark, name="回执测试人" + mark[-4:], phone="13900001111",
                      email="receipt.%s@example.org" % mark[-6:])
    with Citizen(stack) as c:
        t, = ready_tokens(stack, COMPLAINT_FORM, 1)
        r = c.submit(COMPLAINT_POST, typed, t)
        address = c.address
    assert r.status_code == 201, field_errors(r.text)
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers.get("Cache-Control") == "no-store"
    assert "Location" not in r.headers and "ETag" not in r.headers
    no, code, replayed = receipt(r)
    assert not replayed
    m = RECEIPT["complaint"].match(no)
    assert m, no
    assert m.group(1) == portal.today().strftime("%Y%m%d")  # the day in Beijing
    assert CODE.match(code), code  # 13 base32 characters: 65 bits
    # shown once, printable, nothing personal on it
    assert "查询码只显示这一次" in r.text
    assert "打印" in r.text
    assert not re.search(r"<script", r.text, re.I)
    assert injected_markup(r.text) == []
    for personal in (typed["name"], typed["phone"], typed["email"], typed["content"]):
        assert personal not in r.text
    assert 'href="/credit/complaints/status"' in r.text
    css = stack.get("/static/css/credit.css").text
    assert "@media print" in css

    row = row_of(stack, no)
    assert row["title"] == typed["title"] and row["status"] == "received"
    # the code: only a keyed hash of it
    assert len(row["code_hash"]) == 32
    plain = code.replace("-", "")
    for guess in (code, plain, plain.lower()):
        for h in (hashlib.sha256, hashlib.sha1, hashlib.md5, hashlib.sha512):
            assert bytes(row["code_hash"]) != h(guess.encode()).digest()
            assert h(guess.encode()).hexdigest() not in as_texts(row["code_hash"])
    for column, value in row.items():
        for text in as_texts(value):
            assert plain not in text.upper() and code not in text, column
    # the idempotency key is not the token itself
    assert re.fullmatch(r"[0-9a-f]{64}", row["form_token"])
    assert row["form_token"] not in t and t.split(".")[-1] != row["form_token"]
    # the client address: a keyed hash only, the raw address nowhere in the row
    assert len(row["client_hash"]) == 32
    packed = ipaddress.ip_address(address).packed
    for h in (hashlib.sha256, hashlib.sha1, hashlib.md5):
        assert bytes(row["client_hash"])[:h().digest_size] != h(address.encode()).digest()
    for column, value in row.items():
        if isinstance(value, (bytes, bytearray)):
            assert packed not in bytes(value), column
        for text in as_texts(value):
            assert address not in text, column
    # one timeline entry
    events = stack.sql("SELECT status FROM case_events WHERE case_type = 'complaint'"
                       " AND case_id = %s", (row["id"],))
    assert events == [("received",)]
    # and it can be looked up with the code shown
    with Citizen(stack) as c:
        s = c.lookup(no, code)
    assert s.status_code == 200 and text_by_id(s.text, "case-no") == no
    assert_not_logged(stack, typed["name"], typed["phone"], typed["email"], code, plain)


def test_client_hash_is_per_address(stack, world):
    mark = unique("地址")
    a, b = Citizen(stack), Citizen(stack)
    ta1, ta2, tb = ready_tokens(stack, COMPLAINT_FORM, 3)
    nos = []
    for c, t, i in ((a, ta1, 1), (a, ta2, 2), (b, tb, 3)):
        r = c.submit(COMPLAINT_POST, complaint("%s-%d" % (mark, i)), t)
        assert r.status_code == 201
        nos.append(receipt(r)[0])
    a.close()
    b.close()
    hashes = [bytes(row_of(stack, no)["client_hash"]) for no in nos]
    assert hashes[0] == hashes[1]  # the same address hashes alike (staff can see repeats)
    assert hashes[0] != hashes[2]


def test_receipt_numbers_and_codes_are_distinct(stack, world):
    mark = unique("编号")
    rs = send_many(stack, COMPLAINT_FORM, COMPLAINT_POST,
                   [complaint("%s-%02d" % (mark, i)) for i in range(24)])
    got = [receipt(r) for r in rs]
    for r in rs:
        assert r.status_code == 201, field_errors(r.text)
    nos = [g[0] for g in got]
    codes = [g[1] for g in got]
    assert len(set(nos)) == 24 and len(set(codes)) == 24
    assert all(RECEIPT["complaint"].match(n) for n in nos)
    stored = dict(stack.sql("SELECT receipt_no, title FROM complaints WHERE title LIKE %s",
                            ("%" + mark + "%",)))
    assert set(stored) == set(nos)
    for i, (no, _, _) in enumerate(got):
        assert stored[no] == complaint("%s-%02d" % (mark, i))["title"]


@pytest.mark.usefixtures("fresh_pools")
def test_resent_form_gives_the_same_receipt(stack, world):
    mark = unique("重发")
    typed = complaint(mark)
    with Citizen(stack) as c:
        t, = ready_tokens(stack, COMPLAINT_FORM, 1)
        first = c.submit(COMPLAINT_POST, typed, t)
        assert first.status_code == 201
        no, code, replayed = receipt(first)
        assert not replayed
        for _ in range(3):  # double click, reload-and-resend, back-and-resend
            again = c.submit(COMPLAINT_POST, typed, t)
            assert again.status_code == 201
            assert again.headers.get("Cache-Control") == "no-store"
            assert receipt(again) == (no, code, True)
            assert "没有重复受理" in text_by_id(again.text, "receipt-replayed")
        # edited after going back, same form (token): still the first receipt, first text
        edited = dict(typed, content=typed["content"] + "(补充)")
        again = c.submit(COMPLAINT_POST, edited, t)
        assert receipt(again) == (no, code, True)
    rows = stack.sql("SELECT receipt_no, content FROM complaints WHERE title = %s",
                     (typed["title"],))
    assert rows == [(no, typed["content"])]
    events = stack.sql("SELECT COUNT(*) FROM case_events e JOIN complaints c"
                       " ON e.case_type = 'complaint' AND e.case_id = c.id WHERE c.receipt_no = %s",
                       (no,))
    assert events == [(1,)]


def test_receipt_numbers_taken_by_other_rows_are_skipped(stack, world):
    """The next numbers of today's sequence already stand on rows it did not
    make (an import, a restored backup): the submission takes the first free
    one after them, and is stored once with its first timeline entry."""
    mark = unique("占号")
    today = portal.today().strftime("%Y%m%d")
    n = stack.sql("SELECT NEXTVAL(receipt_seq_ts)")[0][0]
    taken = ["TS-%s-%06d" % (today, n + i) for i in (1, 2, 3)]
    for i, no in enumerate(taken):
        key = hashlib.sha256(("taken-%s-%d" % (mark, i)).encode()).hexdigest()
        stack.sql("INSERT INTO complaints (receipt_no, form_token, code_hash, client_hash, target,"
                  " district, domain, title, content) VALUES (%s, %s, UNHEX(%s), UNHEX(%s),"
                  " '占号测试', 'heping', 'other', %s, %s)",
                  (no, key, key, key, "占号 " + mark, "导入的旧件,占用了受理编号。" * 2))
    typed = complaint(mark)
    with Citizen(stack) as c:
        t, = ready_tokens(stack, COMPLAINT_FORM, 1)
        r = c.submit(COMPLAINT_POST, typed, t)
        assert r.status_code == 201, r.status_code
        no, _, replayed = receipt(r)
    assert not replayed
    assert no == "TS-%s-%06d" % (today, n + 4), (no, taken)
    assert stack.sql("SELECT COUNT(*) FROM complaints WHERE title = %s", (typed["title"],)) == \
        [(1,)]
    assert stack.sql("SELECT COUNT(*) FROM case_events e JOIN complaints c ON e.case_type ="
                     " 'complaint' AND e.case_id = c.id WHERE c.receipt_no = %s", (no,)) == [(1,)]


@pytest.mark.usefixtures("fresh_pools")
def test_a_new_form_after_a_resend_is_stored(stack, world):
    """A resent form must leave the server able to store the next, different
    form: five rounds of (a form, the same form again, another form), each
    from its own client, all on one keep-alive connection per client."""
    mark = unique("重发后")
    people = [Citizen(stack) for _ in range(10)]
    tokens = ready_tokens(stack, COMPLAINT_FORM, len(people))
    outcome = []
    for i in range(5):
        (a, ta), (b, tb) = zip(people[2 * i:2 * i + 2], tokens[2 * i:2 * i + 2])
        fa, fb = complaint("%s-%dA" % (mark, i)), complaint("%s-%dB" % (mark, i))
        r1 = a.submit(COMPLAINT_POST, fa, ta)
        r2 = a.submit(COMPLAINT_POST, fa, ta)
        r3 = b.submit(COMPLAINT_POST, fb, tb)
        outcome.append((r1.status_code, r2.status_code, r3.status_code))
    for c in people:
        c.close()
    lost = [o for o in outcome if o != (201, 201, 201)]
    stored = stack.sql("SELECT COUNT(*) FROM complaints WHERE title LIKE %s", ("%" + mark + "%",))
    assert not lost, ("after a resent form the server failed later submissions "
                      "(statuses per round: %s; %d of 10 forms stored)" % (outcome, stored[0][0]))
    assert stored == [(10,)]


@pytest.mark.usefixtures("fresh_pools")
def test_fifty_identical_submissions_at_once(stack, world):
    """50 copies of one form (a user hammering the button, a proxy retrying)
    at the same moment, each on its own connection: one row, one receipt
    and code for all of them."""
    mark = unique("并发")
    typed = complaint(mark)
    t, = ready_tokens(stack, COMPLAINT_FORM, 1)
    address = fresh_address()
    body = dict(typed, token=t, website="")
    barrier = threading.Barrier(50)

    def one(_):
        with requests.Session() as s:
            s.mount("http://", SourceAddressAdapter(address))
            barrier.wait(10)
            r = s.post(stack.url(COMPLAINT_POST), data=body, timeout=30,
                       headers={"Connection": "close"})
            return r.status_code, receipt(r)

    with concurrent.futures.ThreadPoolExecutor(50) as ex:
        results = list(ex.map(one, range(50)))
    statuses = [s for s, _ in results]
    rows = stack.sql("SELECT receipt_no FROM complaints WHERE title = %s", (typed["title"],))
    assert len(rows) == 1, rows
    assert statuses == [201] * 50, "statuses: %s" % sorted(statuses)
    receipts = {(no, code) for _, (no, code, _) in results}
    assert receipts == {(rows[0][0], results[0][1][1])}
    assert sum(1 for _, (_, _, replayed) in results if not replayed) == 1
    events = stack.sql("SELECT COUNT(*) FROM case_events e JOIN complaints c"
                       " ON e.case_type = 'complaint' AND e.case_id = c.id WHERE c.receipt_no = %s",
                       (rows[0][0],))
    assert events == [(1,)]
