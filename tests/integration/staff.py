"""The staff handler as the tests drive it: the Admin helper (HTTP with Basic
auth, rows inserted directly, reading back), and the JSON answer checks.
The `adm` fixture (conftest.py) is one Admin per session.

Rows made here: records TJZW-2097-010000 and up, cases with receipts dated
2099-05-05 (no citizen's receipt has that date)."""
import datetime
import hashlib
import itertools
import json
import subprocess
import xml.etree.ElementTree as ET

import requests

import portal
import world as world_mod

JSON = "application/json; charset=utf-8"
DAY = datetime.timedelta(days=1)

DUE_DAYS = {"complaint": 15, "objection": 20, "repair": 3}
REPAIR_REPLY_DAYS = 10
PREFIX = {"complaint": "TS", "objection": "YY", "repair": "XF"}
TABLE = {"complaint": "complaints", "objection": "objections", "repair": "repair_applications"}

_record_serial = itertools.count(10000)  # TJZW-2097-010000 .. 099999: no other module uses them
_case_serial = itertools.count(1)


# ---- the helper -----------------------------------------------------------------

class Admin:
    """The staff API of the stack and this module's rows."""

    def __init__(self, stack, world):
        self.stack = stack
        self.world = world
        self.root = "http://127.0.0.1:%d/credit-admin" % stack.http_port
        self.password = (stack.var / "staff-password").read_text().strip()
        self.htpasswd = stack.served / "staff.htpasswd"
        rows = stack.sql("SELECT username, department_id FROM staff")
        self.staff = dict(rows)
        assert "staff" in self.staff and self.staff["staff"] is None, rows
        self.heping = self.staff["staff-heping"]
        assert self.heping, rows
        assert stack.sql("SELECT district FROM departments WHERE id = %s",
                         (self.heping,))[0][0] == "heping"
        self.other = world.dept_id  # the suite's city department: not heping's
        assert self.other != self.heping
        self.subject = world_mod.add_gov(stack, "天津市和平区管理接口测试局", "heping")
        self.today = portal.today()

    def city_login(self, login):
        """A new city-level staff login (its htpasswd line with the demo
        password, its staff row): a budget of ID-card look-ups of its own."""
        subprocess.run(["htpasswd", "-bB", str(self.htpasswd), login, self.password], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.htpasswd.chmod(0o644)
        self.stack.sql("INSERT INTO staff (username, name, department_id) VALUES (%s, %s, NULL)",
                       (login, "市级测试 " + login))
        return login

    # -- HTTP --
    def url(self, path):
        return self.root + "/api/v1" + path

    def auth(self, user):
        return (user, self.password) if user else None

    def get(self, path, user="staff", **kw):
        kw.setdefault("timeout", 10)
        kw.setdefault("allow_redirects", False)
        return requests.get(self.url(path), auth=self.auth(user), **kw)

    def post(self, path, body=None, user="staff", **kw):
        kw.setdefault("timeout", 10)
        kw.setdefault("allow_redirects", False)
        if body is not None:
            kw["json"] = body
        return requests.post(self.url(path), auth=self.auth(user), **kw)

    def event(self, no, event, user="staff", **fields):
        body = {"event": event, "decision_no": "津测决〔2099〕%s号" % no[-3:],
                "reason": "管理接口测试:%s %s" % (event, no)}
        if event == "correct":
            body["note"] = "更正说明:%s" % no
        body.update(fields)
        body = {k: v for k, v in body.items() if v is not None}
        return self.post("/records/%s/events" % no, body, user=user)

    def move(self, receipt, to, user="staff", **fields):
        body = {"to": to, "note": "办理说明:%s→%s" % (receipt, to)}
        body.update(fields)
        body = {k: v for k, v in body.items() if v is not None}
        return self.post("/cases/%s/transitions" % receipt, body, user=user)

    # -- rows --
    def record(self, status="published", severity="general", disclosed=None, dept=None,
               title=None, rectified=1, correction_note=None):
        """A record of this module (heping's department unless dept is given)."""
        no = "TJZW-2097-%06d" % next(_record_serial)
        assert no < "TJZW-2097-100000"
        disclosed = disclosed or self.today - 120 * DAY  # general: repair possible, public
        withdrawn = self.today - DAY if status in portal.WITHDRAWN_STATUSES else None
        if status == "corrected" and correction_note is None:
            correction_note = "原更正说明 %s" % no
        s = self.subject
        self.stack.sql(
            "INSERT INTO records (record_no, subject_id, subject_kind, district, category, domain,"
            " severity, status, title, facts, legal_basis, decision_no, authority, decided_on,"
            " department_id, amount, rectification, rectify_due, rectified, correction_note,"
            " disclosed_on, withdrawn_on)"
            " VALUES (%s, %s, %s, %s, 'penalty', 'procurement', %s, %s, %s, %s, %s, %s, %s, %s,"
            " %s, %s, %s, %s, %s, %s, %s, %s)",
            (no, s.id, s.kind, s.district, severity, status, title or "管理接口测试记录 %s" % no,
             "失信事实:%s。" % no, "《测试条例》第十条", "津测罚〔2097〕%s号" % no[-6:],
             "天津市测试局", disclosed - 5 * DAY, dept or self.heping, "12000.00", "已提交整改报告",
             disclosed + 30 * DAY, rectified, correction_note, disclosed, withdrawn))
        rid = self.stack.sql("SELECT id FROM records WHERE record_no = %s", (no,))[0][0]
        self.stack.sql("INSERT INTO record_events (record_id, event, occurred_on)"
                       " VALUES (%s, 'listed', %s)", (rid, disclosed))
        return no, rid

    def case(self, kind, status="received", record_id=None, dept="heping"):
        """A case inserted as the public forms store it; complaints carry a
        department (heping's, another, or None), objections and repairs
        belong to their record's. Returns (receipt, id)."""
        receipt = "%s-20990505-%06d" % (PREFIX[kind], next(_case_serial))
        key = hashlib.sha256(receipt.encode()).hexdigest()
        common = (receipt, key, key, key)
        if kind == "complaint":
            dept_id = {"heping": self.heping, "other": self.other, None: None}[dept]
            self.stack.sql(
                "INSERT INTO complaints (receipt_no, form_token, code_hash, client_hash, target,"
                " district, domain, title, content, department_id)"
                " VALUES (%s, %s, UNHEX(%s), UNHEX(%s), %s, 'heping', 'procurement', %s, %s, %s)",
                common + ("天津市测试区某街道办事处", "管理测试投诉 " + receipt,
                          "投诉内容:拖欠中小企业货款。" + receipt, dept_id))
        elif kind == "objection":
            self.stack.sql(
                "INSERT INTO objections (receipt_no, form_token, code_hash, client_hash,"
                " record_id, applicant, contact, relation, reason)"
                " VALUES (%s, %s, UNHEX(%s), UNHEX(%s), %s, %s, %s, 'unit', %s)",
                common + (record_id, "天津市测试区测试局", "022-23456789", "处罚决定已被撤销。"))
        else:
            self.stack.sql(
                "INSERT INTO repair_applications (receipt_no, form_token, code_hash, client_hash,"
                " record_id, applicant, contact, rectification, commitment)"
                " VALUES (%s, %s, UNHEX(%s), UNHEX(%s), %s, %s, %s, %s, %s)",
                common + (record_id, "天津市测试区测试局", "13812345678", "已全额支付拖欠款项。",
                          "本单位承诺今后严格依法履约。"))
        cid = self.stack.sql("SELECT id FROM %s WHERE receipt_no = %%s" % TABLE[kind],
                             (receipt,))[0][0]
        if status != "received":
            self.stack.sql("UPDATE %s SET status = %%s WHERE id = %%s" % TABLE[kind],
                           (status, cid))
        return receipt, cid

    # -- reading back --
    def rec(self, rid):
        return self.stack.sql("SELECT status, correction_note, withdrawn_on FROM records"
                              " WHERE id = %s", (rid,))[0]

    def events(self, rid):
        return self.stack.sql("SELECT event, occurred_on, decision_no, note FROM record_events"
                              " WHERE record_id = %s ORDER BY id", (rid,))

    def case_row(self, kind, cid):
        return self.stack.sql("SELECT * FROM %s WHERE id = %%s" % TABLE[kind], (cid,))[0]

    def case_status(self, kind, cid):
        return self.stack.sql("SELECT status FROM %s WHERE id = %%s" % TABLE[kind], (cid,))[0][0]

    def case_events(self, kind, cid):
        return self.stack.sql("SELECT status, note FROM case_events WHERE case_type = %s"
                              " AND case_id = %s ORDER BY id", (kind, cid))

    def audit(self, entity, eid):
        rows = self.stack.sql("SELECT actor, action, before_json, after_json FROM audit_log"
                              " WHERE entity = %s AND entity_id = %s ORDER BY id", (entity, eid))
        return [(a, act, json.loads(b) if b else None, json.loads(af) if af else None)
                for a, act, b, af in rows]

    def audit_total(self):
        return self.stack.sql("SELECT COUNT(*) FROM audit_log")[0][0]

    def snapshot(self):
        """Counts of every table a staff write touches."""
        return {t: self.stack.sql("SELECT COUNT(*) FROM %s" % t)[0][0]
                for t in ("audit_log", "record_events", "case_events")}

    def workdays_after(self, day, n):
        """The n-th working day after `day` by the calendar_days table, walked
        in Python day by day; days after the table's end count Monday to
        Friday (the documented fallback, test_calendar.py)."""
        rows = dict(self.stack.sql("SELECT day, is_workday FROM calendar_days"
                                   " WHERE day > %s AND day <= %s",
                                   (day, day + datetime.timedelta(days=4 * n + 30))))
        d = day
        while n > 0:
            d += DAY
            if rows[d] if d in rows else d.weekday() < 5:
                n -= 1
        return d


def error(r, status, code=None):
    """The message of a JSON error answer with that status (and code)."""
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["Content-Type"] == JSON, r.headers.get("Content-Type")
    j = r.json()
    assert set(j) == {"error"} and set(j["error"]) >= {"code", "message"}, j
    if code:
        assert j["error"]["code"] == code, j
    return j["error"]["message"]


def ok(r):
    assert r.status_code == 200, (r.status_code, r.text[:300])
    assert r.headers["Content-Type"] == JSON
    assert r.headers.get("Cache-Control") == "no-store"
    return r.json()


ATOM = "{http://www.w3.org/2005/Atom}"


def public_presence(stack, no, token):
    """Where the record shows: {output: present?} (page and API record as status codes)."""
    page = stack.get("/records/" + no)
    api = stack.get("/api/v1/records/" + no)
    lst = stack.get("/api/v1/records", params={"q": token, "limit": 100})
    html_list = stack.get("/records", params={"q": token})
    csv_ = stack.get("/records.csv", params={"q": token})
    feed = stack.get("/feed.atom", params={"q": token})
    for r in (lst, html_list, csv_, feed):
        assert r.status_code == 200, (r.url, r.status_code)
    root = ET.fromstring(feed.content)
    feed_nos = [e.find(ATOM + "id").text.rsplit("/", 1)[1] for e in root.findall(ATOM + "entry")]
    return {"page": page.status_code, "api": api.status_code,
            "api_list": no in [it["no"] for it in lst.json()["items"]],
            "html_list": no in portal.record_numbers(html_list.text),
            "csv": no in csv_.content.decode("utf-8-sig"),
            "feed": no in feed_nos}
