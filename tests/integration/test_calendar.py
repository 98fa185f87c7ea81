"""The working-day calendar (calendar_days) that the staff's due dates are
counted in (issue 13 point 10): its rows are the State Council's notices
(workdays.py, written from the notices, not from the migration); a due
date skips the holidays and counts the adjusted working days; and when the
calendar runs out the module says so: /api/v1/health warns when fewer than
60 days are left, and a due date counted past its end (Monday to Friday)
is logged (CR1020, a warning) once per child and day. The dates are set
with a second httpd's clock (conftest.ClockedHttpd), so none of this
depends on the day the tests run."""
import datetime
import re

import requests

import workdays
from conftest import ClockedHttpd
from portal import BEIJING
from staff import DUE_DAYS, REPAIR_REPLY_DAYS, TABLE

DAY = datetime.timedelta(days=1)


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), BEIJING)


def accept(adm, h, receipt):
    """Accepts a case through the clocked httpd's staff API."""
    r = requests.post(h.admin_url + "/cases/%s/transitions" % receipt,
                      json={"to": "accepted", "note": "受理:%s" % receipt},
                      auth=adm.auth("staff"), timeout=30)
    assert r.status_code == 200, (r.status_code, r.text[:300])


def due_row(adm, kind, cid):
    col = "received_on, decide_due_on, reply_due_on" if kind == "repair" else \
        "accepted_on, due_on, NULL"
    return adm.stack.sql("SELECT %s FROM %s WHERE id = %%s" % (col, TABLE[kind]), (cid,))[0]


def last_day(stack):
    return stack.sql("SELECT MAX(day) FROM calendar_days")[0][0]


def test_the_calendar_is_the_state_councils_notices(stack):
    """Every day of every year with a published notice: a working day in
    calendar_days exactly when the notice makes it one."""
    for year in workdays.years():
        rows = {d: bool(w) for d, w in stack.sql(
            "SELECT day, is_workday FROM calendar_days WHERE day BETWEEN %s AND %s",
            (datetime.date(year, 1, 1), datetime.date(year, 12, 31)))}
        d, want = datetime.date(year, 1, 1), {}
        while d.year == year:
            want[d] = workdays.is_workday(d)
            d += DAY
        wrong = sorted(d for d in want if rows.get(d) != want[d])
        assert not wrong, "%d: calendar_days differs from the notice on %s" % (year, wrong[:10])


def test_due_dates_skip_the_holidays_and_count_adjusted_working_days(adm):
    """Cases accepted on Monday 2026-09-28, before the Mid-Autumn and National
    Day holidays (10-01..10-07 off, Saturday 10-10 worked): every due date
    is the notice's n-th working day, which Monday to Friday would not give."""
    monday = datetime.date(2026, 9, 28)
    cases = {}
    for kind in ("complaint", "objection", "repair"):
        rid = None
        if kind != "complaint":
            _, rid = adm.record(disclosed=monday - 120 * DAY)
        cases[kind] = adm.case(kind, record_id=rid)
    with ClockedHttpd(adm.stack, "calendar-holidays", at(monday)) as h:
        for kind, (receipt, cid) in cases.items():
            accept(adm, h, receipt)
            on, due, reply_due = due_row(adm, kind, cid)
            want = workdays.workdays_after(monday, DUE_DAYS[kind])
            assert (on, due) == (monday, want), kind
            assert due != workdays.weekdays_after(monday, DUE_DAYS[kind]), kind
            if kind == "repair":
                assert reply_due == workdays.workdays_after(monday, REPAIR_REPLY_DAYS)
    assert cases and due_row(adm, "repair", cases["repair"][1])[1] == datetime.date(2026, 10, 8)


def test_health_warns_when_fewer_than_sixty_days_of_calendar_are_left(stack, world):
    last = last_day(stack)

    def health(h):
        r = h.get("/api/v1/health")
        assert r.status_code == 200, r.text
        j = r.json()
        assert j["status"] == "ok" and j["database"]["reachable"] is True
        return j

    with ClockedHttpd(stack, "calendar-health", at(last - 60 * DAY)) as h:
        j = health(h)
        assert j["calendar"] == {"last_day": last.isoformat(), "days_left": 60}
        assert j["warnings"] == []
        h.set_clock(at(last - 59 * DAY))
        j = health(h)
        assert j["calendar"] == {"last_day": last.isoformat(), "days_left": 59}
        assert [w["code"] for w in j["warnings"]] == ["calendar_ending"]
        msg = j["warnings"][0]["message"]
        assert "ends %s" % last.isoformat() in msg and "59 days left" in msg, msg
        h.set_clock(at(last + 2 * DAY))
        j = health(h)
        assert j["calendar"] == {"last_day": last.isoformat(), "days_left": -2}
        assert "ended %s" % last.isoformat() in j["warnings"][0]["message"]


def test_due_dates_past_the_calendar_count_monday_to_friday_and_the_log_says_so(adm):
    """Complaints accepted five days before the calendar's last day: their
    15 working days run past it, counted Monday to Friday there, and each
    child that counted them says so once that day (CR1020, a warning naming
    the first day missing)."""
    stack = adm.stack
    last = last_day(stack)
    start = last - 5 * DAY
    table = {d: bool(w) for d, w in stack.sql(
        "SELECT day, is_workday FROM calendar_days WHERE day > %s", (start,))}

    def expected(n):
        d = start
        while n > 0:
            d += DAY
            if table[d] if d <= last else d.weekday() < 5:
                n -= 1
        return d

    cases = [adm.case("complaint") for _ in range(6)]
    with ClockedHttpd(stack, "calendar-short", at(start)) as h:
        for receipt, cid in cases:
            accept(adm, h, receipt)
            assert due_row(adm, "complaint", cid)[:2] == (start, expected(15)), receipt
        served = {pid for pid, status, path in h.served_by() if path.endswith("/transitions")}
        lines = [l for l in h.error_log.read_text().splitlines() if "CR1020" in l]
    assert lines, "no CR1020 warning"
    pids = [int(re.search(r"\[pid (\d+)", l).group(1)) for l in lines]
    assert len(pids) == len(set(pids)), lines        # once per child and day
    assert set(pids) <= served, (pids, served)
    for line in lines:
        assert "[credit:warn]" in line, line
        assert "no row for %s" % (last + DAY).isoformat() in line, line
