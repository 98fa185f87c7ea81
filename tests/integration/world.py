"""The fixture rows of the integration suite.

Record numbers TJZW-2099-0000NN name hand-made records with one purpose each;
TJZW-2098-000NNN is a bulk set for filters and pagination whose titles carry
PAGE_TOKEN, so `q=PAGE_TOKEN` isolates it from the demo data. Neither range
collides with the demo data (TJZW-<current years>-...).
"""
import datetime
import os
from dataclasses import dataclass, field

import portal
from portal import add_months, clock, credit_code, mask_id

PAGE_TOKEN = "QZXPAGETOKEN"
XSS_TITLE = "<script>alert(1)</script> \"引号\" 'single' & 测试"
XSS_SUBJECT = "测试<img src=x onerror=alert(2)>局"
SPECIAL_TITLE = 'A&B="C" <D> 100%_+ \'E\' #F?G'
XSS_FACTS = "事实</p><script>alert(3)</script>"

DISTRICTS = ["city", "heping", "hedong", "hexi", "nankai", "hebei", "hongqiao", "dongli",
             "xiqing", "jinnan", "beichen", "wuqing", "baodi", "binhai", "ninghe", "jinghai",
             "jizhou"]
DIVISIONS = {"city": "120000", "heping": "120101", "hedong": "120102", "hexi": "120103",
             "nankai": "120104", "hebei": "120105", "hongqiao": "120106", "dongli": "120110",
             "xiqing": "120111", "jinnan": "120112", "beichen": "120113", "wuqing": "120114",
             "baodi": "120115", "binhai": "120116", "ninghe": "120117", "jinghai": "120118",
             "jizhou": "120119"}
KINDS = ["gov", "official"]
CATEGORIES = ["judgment", "penalty", "discipline", "accountability", "breach"]
DOMAINS = ["procurement", "ppp", "bidding", "investment", "debt", "grassroots", "other"]
SEVERITIES = ["minor", "general", "serious"]
STATUS_LABEL = {"published": "公示中", "contested": "异议处理中", "corrected": "已更正",
                "repaired": "已修复", "revoked": "已撤销", "expired": "公示期满"}


@dataclass
class Subject:
    id: int
    kind: str
    name: str
    district: str
    credit_code: str = None
    id_full: str = None     # an official's ID number (never stored in clear but in `stored`)
    id_stored: str = None   # what subjects.id_masked holds
    employer_id: int = None
    position: str = None


@dataclass
class Record:
    no: str
    subject: Subject
    severity: str
    status: str
    disclosed: datetime.date
    title: str
    facts: str
    decision_no: str
    category: str = "penalty"
    domain: str = "procurement"
    withdrawn_on: datetime.date = None
    correction_note: str = None
    id: int = None

    @property
    def repair_from(self):
        return clock(self.severity, self.disclosed)[0]

    @property
    def withdraw_on(self):
        return clock(self.severity, self.disclosed)[1]


@dataclass
class World:
    today: datetime.date
    dept_id: int
    subjects: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    bulk: list = field(default_factory=list)

    def no(self, key):
        return self.records[key].no


def _disclosed_for_withdrawal(on):
    """(severity, disclosed_on) whose withdrawal date is exactly `on`."""
    for sev in ("minor", "general", "serious"):
        months = portal.CLOCK[sev][1]
        d = add_months(on, -months)
        if clock(sev, d)[1] == on:
            return sev, d
    # month-end dates no interval reaches: search the days before
    for sev in ("minor", "general", "serious"):
        for back in range(80, 1200):
            d = on - datetime.timedelta(days=back)
            if clock(sev, d)[1] == on:
                return sev, d
    raise AssertionError("no disclosure date is withdrawn on %s" % on)


def _clamped_general(t):
    """A general record disclosed on a 31st within the last year whose repair
    date is clamped to a shorter month (e.g. 01-31 -> 04-30)."""
    for back in range(1, 366):
        d = t - datetime.timedelta(days=back)
        if d.day == 31 and add_months(d, 3).day != 31 and clock("general", d)[1] > t:
            return d
    raise AssertionError("no clamped date found")


def build(stack):
    t = portal.today()
    day = datetime.timedelta(days=1)
    sql = stack.sql
    sql("INSERT INTO departments (code, name, district) VALUES (%s, %s, 'city')",
        ("TEST-INTEG-%d" % os.getpid(), "测试公共信用信息中心"))
    dept = sql("SELECT LAST_INSERT_ID()")[0][0]
    w = World(today=t, dept_id=dept)
    serial = [900000000 - 1_000_000]

    def gov(key, name, district, level="district"):
        serial[0] += 1
        code = credit_code(serial[0] % 10**8, DIVISIONS[district])
        sql("INSERT INTO subjects (kind, name, credit_code, district, level)"
            " VALUES ('gov', %s, %s, %s, %s)", (name, code, district, level))
        s = Subject(sql("SELECT LAST_INSERT_ID()")[0][0], "gov", name, district, credit_code=code)
        w.subjects[key] = s
        return s

    def official(key, name, district, employer, stored_full=False):
        serial[0] += 1
        full = portal.id_number(DIVISIONS[district], serial[0])
        stored = full if stored_full else mask_id(full)
        sql("INSERT INTO subjects (kind, name, district, level, employer_id, position, id_hash,"
            " id_masked) VALUES ('official', %s, %s, 'district', %s, %s, UNHEX(SHA2(%s, 256)), %s)",
            (name, district, employer.id, "科长", full, stored))
        s = Subject(sql("SELECT LAST_INSERT_ID()")[0][0], "official", name, district,
                    id_full=full, id_stored=stored, employer_id=employer.id, position="科长")
        w.subjects[key] = s
        return s

    main = gov("gov", "天津市测试区测试局", "heping")
    gov("xss", XSS_SUBJECT, "hexi")
    empty = gov("empty", "天津市测试区无公示记录办公室", "nankai")
    off = official("official", "王测试", "heping", main)
    off_full = official("official_full", "李测试", "heping", main, stored_full=True)
    official("official_gone", "孙已修复", "hedong", main)
    official("official_future", "周待公示", "hedong", main)
    for d in DISTRICTS:
        g = gov("gov_" + d, "测试%s人民政府" % d, d, "city" if d == "city" else "district")
        official("official_" + d, "赵测试%s" % d, d, g)

    rows = []

    def record(key, no, subject, severity, status, disclosed, title=None, **kw):
        r = Record(no=no, subject=subject, severity=severity, status=status, disclosed=disclosed,
                   title=title or "测试失信记录%s" % no, facts="失信事实:%s 未按合同约定支付款项。" % no,
                   decision_no="津测罚〔2099〕%s号" % no[-6:], **kw)
        w.records[key] = r
        rows.append(r)
        return r

    record("published", "TJZW-2099-000001", main, "serious", "published", t - 30 * day,
           category="penalty", domain="procurement")
    record("contested", "TJZW-2099-000002", main, "general", "contested", t - 40 * day)
    record("corrected", "TJZW-2099-000003", main, "general", "corrected", t - 50 * day,
           correction_note="涉及金额更正为12000元(更正说明XYZ)")
    record("repaired", "TJZW-2099-000004", main, "general", "repaired", t - 200 * day,
           withdrawn_on=t - 10 * day)
    record("revoked", "TJZW-2099-000005", main, "serious", "revoked", t - 100 * day,
           withdrawn_on=t - 7 * day)
    sev, d = _disclosed_for_withdrawal(t)
    record("expires_today", "TJZW-2099-000006", main, sev, "published", d)
    sev, d = _disclosed_for_withdrawal(t + day)
    record("expires_tomorrow", "TJZW-2099-000007", main, sev, "published", d)
    record("future", "TJZW-2099-000008", main, "general", "published", t + day)
    record("xss", "TJZW-2099-000009", w.subjects["xss"], "general", "published", t - 3 * day,
           title=XSS_TITLE)
    w.records["xss"].facts = XSS_FACTS
    record("official", "TJZW-2099-000010", off, "minor", "published", t - 10 * day,
           category="discipline", domain="grassroots")
    record("official_full", "TJZW-2099-000011", off_full, "general", "published", t - 12 * day,
           category="accountability")
    record("mutable", "TJZW-2099-000012", main, "serious", "published", t - 20 * day)
    record("clamped", "TJZW-2099-000013", main, "general", "published", _clamped_general(t))
    record("expired_status", "TJZW-2099-000014", main, "serious", "expired", t - 60 * day,
           withdrawn_on=t - 2 * day)
    record("expired_long_ago", "TJZW-2099-000015", main, "minor", "published",
           add_months(t, -30))
    record("empty_subject", "TJZW-2099-000016", empty, "general", "revoked", t - 15 * day,
           withdrawn_on=t - 1 * day)
    record("future_far", "TJZW-2099-000017", main, "serious", "published", t + 30 * day)
    record("special_1", "TJZW-2099-000018", main, "general", "published", t - 8 * day,
           title=SPECIAL_TITLE + " 第1条")
    record("special_2", "TJZW-2099-000019", main, "general", "published", t - 9 * day,
           title=SPECIAL_TITLE + " 第2条")
    record("repair_open", "TJZW-2099-000020", main, "serious", "published", t - 400 * day)
    record("official_gone", "TJZW-2099-000021", w.subjects["official_gone"], "general",
           "repaired", t - 120 * day, withdrawn_on=t - 4 * day)
    record("official_future", "TJZW-2099-000022", w.subjects["official_future"], "general",
           "published", t + 2 * day)

    # The bulk set: every enumeration value, several records per day (ties
    # on disclosed_on are broken by id), some withdrawn or not yet disclosed.
    for i in range(1, 151):
        district = DISTRICTS[i % 17]
        kind = "official" if i % 4 == 3 else "gov"
        subject = w.subjects[("official_" if kind == "official" else "gov_") + district]
        status = ("published", "published", "published", "published", "published",
                  "published", "published", "contested", "corrected", None)[i % 10]
        disclosed = t - (i // 4) * day
        withdrawn = None
        if status is None:
            status, withdrawn, disclosed = {
                9: ("repaired", t - day, disclosed),
                19: ("revoked", t - day, disclosed),
                29: ("published", None, t + 3 * day),
            }[i % 30]
        r = Record(no="TJZW-2098-%06d" % i, subject=subject, severity=SEVERITIES[(i // 3) % 3],
                   status=status, disclosed=disclosed,
                   title="批量%s第%d条 %s" % (PAGE_TOKEN, i, DOMAINS[i % 7]),
                   facts="批量测试事实 %d" % i, decision_no="津测批〔2098〕%d号" % i,
                   category=CATEGORIES[(i // 2) % 5], domain=DOMAINS[i % 7],
                   withdrawn_on=withdrawn,
                   correction_note="批量更正说明" if status == "corrected" else None)
        w.bulk.append(r)
        rows.append(r)

    stack.sql_many(
        "INSERT INTO records (record_no, subject_id, subject_kind, district, category, domain,"
        " severity, status, title, facts, legal_basis, decision_no, authority, decided_on,"
        " department_id, amount, rectification, rectify_due, rectified, correction_note,"
        " disclosed_on, withdrawn_on)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " %s, %s, %s)",
        [(r.no, r.subject.id, r.subject.kind, r.subject.district, r.category, r.domain,
          r.severity, r.status, r.title, r.facts, "《测试条例》第十条", r.decision_no,
          "天津市测试局", r.disclosed - 5 * day, dept, "12000.00", "已提交整改报告",
          r.disclosed + 30 * day, 1, r.correction_note, r.disclosed, r.withdrawn_on)
         for r in rows])
    ids = dict(sql("SELECT record_no, id FROM records WHERE record_no LIKE 'TJZW-209_-%%'"))
    for r in rows:
        r.id = ids[r.no]

    # The public timeline: listed at disclosure, plus the later events.
    events = [(r.id, "listed", r.disclosed, None) for r in w.records.values()]
    events += [
        (w.records["contested"].id, "contested", t - 5 * day, "异议申请已受理"),
        (w.records["corrected"].id, "corrected", t - 3 * day, "更正说明XYZ"),
        # not yet happened: never shown
        (w.records["published"].id, "corrected", t + 5 * day, "FUTURE-EVENT-NOTE"),
    ]
    stack.sql_many("INSERT INTO record_events (record_id, event, occurred_on, note)"
                   " VALUES (%s, %s, %s, %s)", events)

    # The database's generated clock must agree with the rule the tests use.
    for r in rows:
        got = sql("SELECT repair_from, withdraw_on FROM records WHERE id = %s", (r.id,))[0]
        assert got == (r.repair_from, r.withdraw_on), (r.no, got)
    assert w.records["expires_today"].withdraw_on == t
    assert w.records["expires_tomorrow"].withdraw_on == t + day
    return w


# ---- rows added by single test modules ---------------------------------------
# Record numbers TJZW-2097-NNNNNN belong to the modules that add them (each
# module its own hundred); subjects get credit codes and ID numbers from their
# own serial range, so nothing collides with build() or the demo data.

_extra_serial = [77_000_000]


def add_gov(stack, name, district="heping", level="district"):
    """A government subject of its own; returns a Subject."""
    _extra_serial[0] += 1
    code = credit_code(_extra_serial[0], DIVISIONS[district])
    stack.sql("INSERT INTO subjects (kind, name, credit_code, district, level)"
              " VALUES ('gov', %s, %s, %s, %s)", (name, code, district, level))
    sid = stack.sql("SELECT LAST_INSERT_ID()")[0][0]
    return Subject(sid, "gov", name, district, credit_code=code)


def add_official(stack, name, district, employer, stored_full=False):
    """An official of its own (ID stored masked, or in full with stored_full)."""
    _extra_serial[0] += 1
    # born 1901-01-01 (no other row uses that year), a sequence of its own
    first17 = "%s19010101%03d" % (DIVISIONS[district], _extra_serial[0] % 1000)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    full = first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]
    stored = full if stored_full else mask_id(full)
    stack.sql("INSERT INTO subjects (kind, name, district, level, employer_id, position, id_hash,"
              " id_masked) VALUES ('official', %s, %s, 'district', %s, %s,"
              " UNHEX(SHA2(%s, 256)), %s)",
              (name, district, employer.id, "科长", full, stored))
    sid = stack.sql("SELECT LAST_INSERT_ID()")[0][0]
    return Subject(sid, "official", name, district, id_full=full, id_stored=stored,
                   employer_id=employer.id, position="科长")


def add_record(stack, world, no, subject, *, title, facts=None, decision_no=None,
               severity="general", status="published", disclosed=None, category="penalty",
               domain="procurement", withdrawn_on=None, correction_note=None):
    """Inserts one record (as build() does: the row, then its 'listed' event)
    through the ordinary triggers; returns the Record with its id."""
    disclosed = disclosed or world.today - datetime.timedelta(days=10)
    r = Record(no=no, subject=subject, severity=severity, status=status, disclosed=disclosed,
               title=title, facts=facts if facts is not None else "失信事实:%s。" % no,
               decision_no=decision_no or "津测补〔2097〕%s号" % no[-6:], category=category,
               domain=domain, withdrawn_on=withdrawn_on, correction_note=correction_note)
    day = datetime.timedelta(days=1)
    stack.sql(
        "INSERT INTO records (record_no, subject_id, subject_kind, district, category, domain,"
        " severity, status, title, facts, legal_basis, decision_no, authority, decided_on,"
        " department_id, amount, rectification, rectify_due, rectified, correction_note,"
        " disclosed_on, withdrawn_on)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " %s, %s, %s)",
        (r.no, subject.id, subject.kind, subject.district, r.category, r.domain, r.severity,
         r.status, r.title, r.facts, "《测试条例》第十条", r.decision_no, "天津市测试局",
         r.disclosed - 5 * day, world.dept_id, "12000.00", "已提交整改报告",
         r.disclosed + 30 * day, 1, r.correction_note, r.disclosed, r.withdrawn_on))
    r.id = stack.sql("SELECT id FROM records WHERE record_no = %s", (r.no,))[0][0]
    stack.sql("INSERT INTO record_events (record_id, event, occurred_on) VALUES (%s, 'listed', %s)",
              (r.id, r.disclosed))
    return r
