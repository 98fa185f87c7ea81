"""Issue 4 point 6: nothing is lost. With MariaDB stopped a submission
answers 503 with the form and all its text intact (same token) and no
receipt; after MariaDB returns the same submission succeeds once. While
many clients submit, the database is stopped and started again: every
receipt a client received is in the database exactly once, and nothing
else is.

These tests run last (marker database_loss, see conftest.py); each starts
MariaDB again and renews httpd's children whatever happens.
"""
import concurrent.futures
import random
import threading
import time

import pytest

from citizen import (COMPLAINT_FORM, COMPLAINT_POST, Citizen, assert_not_logged, complaint,
                     hidden_token, objection, objection_path, ready_tokens, receipt,
                     renew_children, repair, repair_path, unique, wait_fill)
from portal import field_errors, read_form, text_by_id
from test_forms import expect_form

pytestmark = [
    pytest.mark.database_loss,
    # expected while the database is away: cannot connect, lost connection,
    # 503, a submission not stored
    pytest.mark.allow_log(r"CR0201: cannot connect to MariaDB",
                          r"CR0204: MariaDB error (2002|2003|2006|2013|2055|1053|1927|4031)\b",
                          r"CR0402: database unavailable",
                          r"CR0704: \w+ not stored: database unavailable"),
]

UNAVAILABLE = ("数据服务暂时不可用,本次提交尚未保存。您填写的内容已保留在下方,"
               "请稍后再次点击提交;同一表单不会重复受理。")


@pytest.fixture
def restore(stack):
    """Whatever the test did: MariaDB runs again and httpd's children are
    fresh (no dead pooled connection is left to later tests)."""
    yield
    try:
        stack.start_db()
    finally:
        renew_children(stack)


def post_until_stored(citizen, path, data, seconds=60):
    """Sends data until it is stored (a person clicking again after a 503);
    returns (response, [statuses before it])."""
    before = []
    deadline = time.monotonic() + seconds
    while True:
        r = citizen.post(path, data)
        if r.status_code != 503 or time.monotonic() > deadline:
            return r, before
        before.append(r.status_code)
        time.sleep(0.2)


def test_submission_while_database_is_down_is_kept_and_stored_once_later(stack, world, restore):
    """A complaint, an objection and a repair application sent while
    MariaDB is stopped: each answers 503 (no hang: the client's timeout is
    15 s) with its form, every typed
    value and the same token, and no receipt. When MariaDB is back, the
    form as the page holds it is sent again: stored once, its receipt, and
    a further resend shows that receipt again. Problems of the three kinds
    are gathered and reported together."""
    mark = unique("断库")
    obj_no, rep_no = world.no("published"), world.no("repair_open")
    kinds = [
        ("complaint", COMPLAINT_FORM, COMPLAINT_POST,
         complaint(mark, name="断库投诉人", phone="13600003333", email="dbloss.%s@example.com"
                   % mark[-5:], content=complaint(mark)["content"] + "\r\n第二段\t完")),
        ("objection", objection_path(obj_no), objection_path(obj_no), objection(mark)),
        ("repair", repair_path(rep_no), repair_path(rep_no), repair(mark)),
    ]
    people = []
    for kind, form_path, post_path, typed in kinds:
        c = Citizen(stack)
        people.append((kind, c, c.token(form_path), post_path, typed))
        c.session.close()  # the post opens a connection of its own
    wait_fill(stack, *(t for _, _, t, _, _ in people))
    problems = []

    stack.stop_db()
    pages = {}
    for kind, c, t, post_path, typed in people:
        r = c.submit(post_path, typed, t)
        try:
            values = expect_form(r, 503, typed, {}, None)
            assert text_by_id(r.text, "form-banner") == UNAVAILABLE
            assert r.headers.get("Retry-After")
            assert values["token"] == t, "the 503 page must keep the form's token"
            pages[kind] = r.text
        except AssertionError as e:
            problems.append("%s with MariaDB stopped: %d %s, not its form with the text kept "
                            "(%s)" % (kind, r.status_code,
                                      text_by_id(r.text, "main") and
                                      " ".join(text_by_id(r.text, "main").split())[:60], e))
    # httpd keeps serving what needs no database
    with Citizen(stack) as other:
        assert other.get("/static/css/credit.css").status_code == 200
        assert other.get(COMPLAINT_FORM).status_code == 200

    stack.start_db()
    results = {}
    for kind, c, t, post_path, typed in people:
        if kind in pages:   # what the page holds, sent as it is
            action, values, _, _ = read_form(pages[kind])
            assert action == "/credit" + post_path
        else:               # the person typed it all again
            values = dict(typed, token=t, website="")
        r, retries = post_until_stored(c, post_path, values)
        if r.status_code != 201:
            problems.append("%s: not stored after MariaDB came back (%d %s)"
                            % (kind, r.status_code, field_errors(r.text)))
            continue
        no, code, replayed = receipt(r)
        if replayed:
            problems.append("%s: the first receipt after the outage says 'resubmitted'" % kind)
        again = c.post(post_path, values)
        if receipt(again) != (no, code, True):
            problems.append("%s: a further resend gave %s" % (kind, receipt(again)))
        results[kind] = (no, code)
        c.close()
    counts = {
        "complaint": stack.sql("SELECT receipt_no FROM complaints WHERE title LIKE %s",
                               ("%" + mark + "%",)),
        "objection": stack.sql("SELECT receipt_no FROM objections WHERE reason LIKE %s",
                               ("%" + mark + "%",)),
        "repair": stack.sql("SELECT receipt_no FROM repair_applications"
                            " WHERE rectification LIKE %s", ("%" + mark + "%",)),
    }
    for kind, (no, code) in results.items():
        if counts[kind] != [(no,)]:
            problems.append("%s: rows %s, receipt shown %s" % (kind, counts[kind], no))
        with Citizen(stack) as c:
            if c.lookup(no, code).status_code != 200:
                problems.append("%s: its receipt cannot be looked up" % kind)
    stored = stack.sql("SELECT content FROM complaints WHERE title LIKE %s", ("%" + mark + "%",))
    assert stored == [(kinds[0][3]["content"].replace("\r\n", "\n"),)]
    typed = kinds[0][3]
    assert_not_logged(stack, typed["name"], typed["phone"], typed["email"],
                      *(code for _, code in results.values()))
    assert not problems, "\n".join(problems)


def test_no_503_for_submissions_once_the_database_is_back(stack, world, restore):
    """After a restart of MariaDB (nothing asked for during the stop), the
    write connections that died with it must not fail submissions: the
    database answers, so every form is stored at the first try."""
    mark = unique("恢复")
    warm = [complaint("%s-warm%02d" % (mark, i)) for i in range(40)]
    people = [Citizen(stack) for _ in range(40 + 20)]
    tokens = ready_tokens(stack, COMPLAINT_FORM, len(people))

    def send(i, form):
        r = people[i].post(COMPLAINT_POST, dict(form, token=tokens[i], website=""),
                           headers={"Connection": "close"})
        return r.status_code

    with concurrent.futures.ThreadPoolExecutor(20) as ex:  # every child holds connections
        codes = list(ex.map(send, range(40), warm))
    assert codes == [201] * 40
    stack.stop_db()
    stack.start_db()
    assert stack.sql("SELECT 1") == [(1,)]
    after = [send(40 + i, complaint("%s-after%02d" % (mark, i))) for i in range(20)]
    for c in people:
        c.close()
    assert after.count(503) == 0, (
        "%d of 20 submissions answered 503 after MariaDB was back: %s" % (after.count(503),
                                                                           after))
    assert after == [201] * 20


class Form:
    """One distinct form of the concurrent run and what its client got."""

    def __init__(self, stack, run, i):
        self.citizen = Citizen(stack)
        self.fields = complaint("%s-%04d" % (run, i))
        self.title = self.fields["title"]
        self.token = None
        self.answers = []  # (phase, status, receipt, code)
        self.bad_pages = []

    def send(self, phase):
        r = self.citizen.submit(COMPLAINT_POST, self.fields, self.token)
        no, code, _ = receipt(r)
        self.answers.append((phase, r.status_code, no, code))
        if r.status_code == 503:
            # the page keeps the token and the text, and shows no receipt
            if hidden_token(r.text) != self.token or no is not None or \
                    read_form(r.text)[1].get("title") != self.title:
                self.bad_pages.append(phase)
        return r.status_code


def test_concurrent_submissions_while_the_database_stops(stack, world, restore):
    run = unique("并发断库")
    threads_n, per_thread = 6, 60
    forms = [Form(stack, run, i) for i in range(threads_n * per_thread)]

    def served(f):
        f.token = f.citizen.token(COMPLAINT_FORM)
        f.citizen.session.close()  # no idle connection held for minutes: a new one to post

    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        list(ex.map(served, forms))
    wait_fill(stack, *(f.token for f in forms))

    phase = ["before"]
    stop = threading.Event()
    errors = []

    def worker(k):
        mine = forms[k::threads_n]
        try:
            for f in mine:
                if stop.is_set():
                    return
                f.send(phase[0])
                f.citizen.session.close()
                time.sleep(0.1 + random.random() * 0.04)
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    workers = [threading.Thread(target=worker, args=(k,)) for k in range(threads_n)]
    for w in workers:
        w.start()
    try:
        time.sleep(0.8)
        phase[0] = "stopping"
        stack.stop_db()
        phase[0] = "down"
        time.sleep(1.5)
        phase[0] = "starting"
        stack.start_db()
        phase[0] = "back"
        time.sleep(1.0)
    finally:
        stop.set()
        for w in workers:
            w.join(30)
    assert not errors, errors

    sent = [f for f in forms if f.answers]
    by_phase = {}
    for f in sent:
        for p, status, _, _ in f.answers:
            by_phase.setdefault(p, []).append(status)
    summary = {p: {s: v.count(s) for s in set(v)} for p, v in by_phase.items()}
    assert sum(1 for f in sent for a in f.answers if a[1] == 503), \
        "no submission met the stopped database: %s" % summary
    assert sum(1 for f in sent for a in f.answers if a[1] == 201), summary

    # The people whose form was not stored send it again (same token, same text).
    for f in sent:
        if f.answers[-1][1] != 201:
            deadline = time.monotonic() + 60
            while f.send("resent") != 201 and time.monotonic() < deadline:
                time.sleep(0.2)
    for f in forms:
        f.citizen.close()

    unexpected = sorted({(p, s) for f in sent for p, s, _, _ in f.answers if s not in (201, 503)})
    not_stored = [f.title for f in sent if f.answers[-1][1] != 201]
    bad_pages = [(f.title, f.bad_pages) for f in sent if f.bad_pages]
    received = {}      # title -> set of receipts its client was shown
    for f in sent:
        received[f.title] = {(no, code) for _, s, no, code in f.answers if s == 201}
    rows = stack.sql("SELECT title, receipt_no, id FROM complaints WHERE title LIKE %s",
                     ("%" + run + "-%",))
    in_db = {}
    for title, no, _ in rows:
        in_db.setdefault(title, []).append(no)
    duplicated = {t: v for t, v in in_db.items() if len(v) > 1}
    mismatched = {t: (sorted(received[t]), in_db.get(t)) for t in received
                  if received[t] and {no for no, _ in received[t]} != set(in_db.get(t, []))}
    several = {t: sorted(v) for t, v in received.items() if len(v) > 1}
    unsent = {t for t in in_db} - set(received)
    without_receipt = {t for t in in_db if t in received and not received[t]}
    events = stack.sql("SELECT c.title, COUNT(e.id) FROM complaints c LEFT JOIN case_events e"
                       " ON e.case_type = 'complaint' AND e.case_id = c.id"
                       " WHERE c.title LIKE %s GROUP BY c.id HAVING COUNT(e.id) <> 1",
                       ("%" + run + "-%",))

    report = ("answers by phase %s; unexpected statuses %s; not stored after resending %d; "
              "503 pages without the form %d; rows in the database for forms never sent %d; "
              "stored more than once %d; receipt shown != stored %d; several receipts for one "
              "form %d; rows without a receipt shown %d; cases without exactly one timeline "
              "entry %d" % (summary, unexpected, len(not_stored), len(bad_pages), len(unsent),
                            len(duplicated), len(mismatched), len(several),
                            len(without_receipt), len(events)))
    print(report)  # shown with -rP
    assert not unexpected, report
    assert not not_stored, report
    assert not bad_pages, report
    assert not unsent and not duplicated and not mismatched and not several, report
    assert not without_receipt, report
    assert not events, report
    # every receipt any client was shown is in the database exactly once, nothing else is
    shown = {no for v in received.values() for no, _ in v}
    assert shown == {no for _, no, _ in rows}
    assert len(rows) == len(sent)
