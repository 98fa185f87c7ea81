"""A citizen's browser for the integration suite: fetches a form, waits the
minimum fill time, sends it back, reads receipts, looks cases up.

Every Citizen talks from a loopback address of its own (127.66.x.y, bound
with the socket's source address; the server listens on 127.0.0.1 and
Linux routes all of 127/8 to lo), so the portal's per-client rate limits
count each test's requests apart. Form tokens are bound to their form and
issue time only, so ready_tokens() serves them ahead in bulk: they age
while other tests run and few tests wait the minimum fill time themselves.
Standard library plus requests and pytest.
"""
import datetime
import itertools
import os
import re
import threading
import time
from urllib.parse import urlencode

import pytest
import requests
from requests.adapters import HTTPAdapter

import portal
from portal import text_by_id

RECEIPT = {"complaint": re.compile(r"^TS-(\d{8})-\d{6}$"),
           "objection": re.compile(r"^YY-(\d{8})-\d{6}$"),
           "repair": re.compile(r"^XF-(\d{8})-\d{6}$")}
# 13 characters of Crockford base32 (no I L O U), shown as XXXX-XXXX-XXXXX
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{5}$")
FORM_TYPE = "application/x-www-form-urlencoded"

_addresses = itertools.count(1)
_markers = itertools.count(1)
_lock = threading.RLock()


def fresh_address():
    """A loopback address no other Citizen of this session has used."""
    with _lock:
        n = next(_addresses)
    assert n < 250 * 250, "out of loopback addresses"
    return "127.66.%d.%d" % (n // 250, 1 + n % 250)


class SourceAddressAdapter(HTTPAdapter):
    """Connections from a given local address."""

    def __init__(self, address, **kw):
        self.address = address
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kw)


def unique(prefix):
    """prefix plus a number no other call of this session returns: a marker
    for the rows of one test."""
    with _lock:
        n = next(_markers)
    return "%s%d%03d" % (prefix, os.getpid() % 10000, n)


def min_fill(stack):
    return int(stack.env.get("CREDIT_FORM_MIN_SECONDS", "3"))


def token_time(token):
    """The issue time (unix seconds) a form token carries: v1.<time>.<nonce>.<mac>."""
    return int(token.split(".")[1])


def wait_fill(stack, *tokens):
    """Sleeps until every token is old enough to be accepted."""
    ready = max(token_time(t) for t in tokens) + min_fill(stack)
    delay = ready - portal.timestamp() + 0.05
    if delay > 0:
        time.sleep(delay)


def hidden_token(body):
    m = re.search(r'<input type="hidden" name="token" value="([^"]*)">', body)
    return m.group(1) if m else None


def receipt(r):
    """(receipt number, code, replayed) of a receipt page, or (None, None, False)."""
    return (text_by_id(r.text, "receipt-no"), text_by_id(r.text, "receipt-code"),
            text_by_id(r.text, "receipt-replayed") is not None)


class Citizen:
    def __init__(self, stack, address=None):
        self.stack = stack
        self.address = address or fresh_address()
        self.session = requests.Session()
        self.session.mount("http://", SourceAddressAdapter(self.address))

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get(self, path, **kw):
        kw.setdefault("timeout", 10)
        kw.setdefault("allow_redirects", False)
        return self.session.get(self.stack.url(path), **kw)

    def post(self, path, data=None, headers=None, **kw):
        """POSTs a dict/list of pairs (url-encoded as a browser does) or raw
        bytes/str (sent as they are, with the form content type)."""
        kw.setdefault("timeout", 15)
        kw.setdefault("allow_redirects", False)
        h = {"Content-Type": FORM_TYPE}
        h.update(headers or {})
        if isinstance(data, (dict, list, tuple)):
            data = urlencode(data)
        if isinstance(data, str):
            data = data.encode("utf-8")
        return self.session.post(self.stack.url(path), data=data, headers=h, **kw)

    def token(self, form_path):
        """A fresh token from GET form_path (which must answer 200 with a form)."""
        r = self.get(form_path)
        assert r.status_code == 200, (form_path, r.status_code)
        t = hidden_token(r.text)
        assert t, "no token on %s" % form_path
        return t

    def submit(self, post_path, fields, token, website=""):
        data = dict(fields)
        data["token"] = token
        if website is not None:
            data["website"] = website
        return self.post(post_path, data)

    def lookup(self, receipt_no, code):
        return self.post("/complaints/status", {"receipt": receipt_no, "code": code})


_stock = {}


def ready_tokens(stack, form_path, n):
    """n unused tokens of form_path old enough to be sent now. A token is
    bound to its form and issue time, not to a client, so tokens are served
    ahead in bulk (one GET each) and age while other tests run: most tests
    then need not wait the minimum fill time themselves."""
    with _lock:
        stock = _stock.setdefault((stack.http_port, form_path), [])
        if len(stock) < n:
            spare = 60 if form_path == COMPLAINT_FORM else 4
            with Citizen(stack) as c:
                stock.extend(c.token(form_path) for _ in range(n - len(stock) + spare))
        out, stock[:] = stock[:n], stock[n:]
    wait_fill(stack, *out)
    return out


def warm_tokens(stack, form_path, n):
    """Serves n tokens of form_path ahead (no wait)."""
    with _lock:
        stock = _stock.setdefault((stack.http_port, form_path), [])
        with Citizen(stack) as c:
            stock.extend(c.token(form_path) for _ in range(n))


def fill_many(stack, form_path, n, citizens=None):
    """n (citizen, token) pairs for form_path, each citizen with an address
    of its own (or the given ones), the tokens old enough to be sent now."""
    citizens = citizens or [Citizen(stack) for _ in range(n)]
    return list(zip(citizens, ready_tokens(stack, form_path, len(citizens))))


def send_many(stack, form_path, post_path, cases, workers=8):
    """Sends each case as one citizen (an address of its own) with a token
    of its own from form_path: a dict of fields (token and an empty honeypot
    are added), or a function token -> raw body. Tokens are fetched first and
    waited for once; the posts go out in parallel. Returns the responses in
    the order of the cases."""
    import concurrent.futures
    pairs = fill_many(stack, form_path, len(cases))

    def one(i):
        c, t = pairs[i]
        case = cases[i]
        try:
            if callable(case):
                return c.post(post_path, case(t))
            return c.submit(post_path, case, t)
        finally:
            c.close()

    with concurrent.futures.ThreadPoolExecutor(workers) as ex:
        return list(ex.map(one, range(len(cases))))


# ---- the forms' paths and valid contents --------------------------------------

COMPLAINT_FORM = "/complaints/new"
COMPLAINT_POST = "/complaints"


def objection_path(no):
    return "/records/%s/objection" % no


def repair_path(no):
    return "/records/%s/repair" % no


def complaint(marker="", **over):
    """A valid complaint whose title carries `marker`."""
    f = {
        "target": "天津市测试区某街道办事处",
        "subject_id": "",
        "district": "heping",
        "domain": "procurement",
        "title": ("拖欠采购款项" + marker)[:100],
        "content": "该单位在政府采购项目中长期拖欠中小企业货款,经多次催要仍未支付,"
                   "涉及合同金额约十二万元。" + marker,
        "conduct_on": (portal.today() - datetime.timedelta(days=40)).isoformat(),
        "evidence": "采购合同编号 TJCG-2025-0012;催款函三份。",
        "name": "",
        "phone": "",
        "email": "",
    }
    f.update(over)
    return f


def objection(marker="", **over):
    f = {
        "applicant": "天津市测试区测试局",
        "contact": "022-23456789",
        "relation": "unit",
        "reason": "该记录所列处罚决定已被复议机关撤销,请求更正公示信息。" + marker,
        "evidence": "复议决定书 津复〔2026〕12号",
    }
    f.update(over)
    return f


def repair(marker="", **over):
    f = {
        "applicant": "天津市测试区测试局",
        "contact": "13812345678",
        "rectification": "已全额支付拖欠款项并建立合同履约台账,整改报告已报送主管部门。" + marker,
        "commitment": "本单位承诺今后严格依法履约,如再次失信自愿接受从重惩戒。",
        "confirm_rectified": "1",
    }
    f.update(over)
    return f


def log_texts(stack):
    """The whole access and error log of httpd (to look for data that must
    never be logged)."""
    out = []
    for name in ("httpd-access.log", "httpd-error.log"):
        try:
            with open(os.path.join(stack.var, "log", name), "rb") as f:
                out.append(f.read().decode("utf-8", "replace"))
        except OSError:
            pass
    return "\n".join(out)


def assert_not_logged(stack, *values):
    """None of the values (nor their URL encodings) is in httpd's logs."""
    from urllib.parse import quote, quote_plus
    logs = log_texts(stack)
    for v in values:
        if not v:
            continue
        for form in {v, quote(v, safe=""), quote_plus(v), quote(v)}:
            assert form not in logs, "%r found in httpd's logs" % form


def renew_children(stack):
    """A graceful restart of httpd (fresh children, fresh connection pools
    and rate-limit counts), for tests that leave server state behind which
    other tests should not meet; returns when the portal answers again."""
    stack.start_httpd()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with requests.Session() as s:
                if s.get(stack.url("/api/v1/health"), timeout=5,
                         headers={"Connection": "close"}).status_code == 200:
                    return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError("httpd did not come back after a graceful restart")


@pytest.fixture
def fresh_pools(stack):
    """For tests that send a form twice: httpd's children are renewed
    afterwards, so a connection the resend may have left in a bad state is
    not met by other tests (test_receipts.py proves that state on its own:
    test_a_new_form_after_a_resend_is_stored)."""
    yield
    renew_children(stack)
