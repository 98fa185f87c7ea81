"""Integration suite of mod_credit: a private MariaDB and httpd per session.

The session fixture `stack` builds the module, starts MariaDB and httpd on
two free loopback ports with their data and logs under var/test/<unique>/,
loads the migrations and the demo data, and stops both servers at the end,
also when something failed (the finaliser is registered before anything is
started). Server output goes to files only.

After every test the lines the test added to httpd's error log are checked:
a line at level error/crit/alert/emerg, a "Segmentation fault" or an "exit
signal" fails the test unless it matches a regex the test declared with
@pytest.mark.allow_log(...) or error_log_guard.allow(...). A sanitizer
report written while the test ran (a module built with `make module ASAN=1`:
scripts/apache2.sh writes them to $CREDIT_SANITIZER_DIR, default
var/sanitizer) fails it too, whatever it allows, and the session.

httpd and MariaDB run on the session's clock (clock.py): 10:00 Beijing time
of the real date when the session starts, so no session crosses midnight,
or CREDIT_TEST_NOW ("YYYY-MM-DD HH:MM", Beijing time). The tests read it
through portal.now() and portal.today(), never the machine's clock.

Environment: CREDIT_TEST_SKIP_BUILD=1 uses the module as built (no make
build); CREDIT_TEST_KEEP_VAR=1 keeps var/test/<unique>/ whole (after a
failure its logs are kept, the database files removed; after a clean run
nothing is left); CREDIT_TEST_DEMO_RECORDS (3000) sizes the demo data;
CREDIT_TEST_NOW sets the session's clock.
"""
import http.client
import os
import re
import shutil
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import pymysql
import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import clock as clock_mod  # noqa: E402
import portal  # noqa: E402
import world as world_mod  # noqa: E402
from servers import CRASH, PROBLEM, file_size, free_ports, read_from, wait_port  # noqa: E402,F401

ROOT = Path(__file__).resolve().parents[2]
DEMO_RECORDS = int(os.environ.get("CREDIT_TEST_DEMO_RECORDS", "3000"))


# httpd as the suite runs it: scripts/apache2.sh gives a sanitizer build of
# the module its runtime and writes its reports under SANITIZER_DIR (one
# directory for every httpd of the run, also those a test starts itself).
APACHE2 = str(ROOT / "scripts" / "apache2.sh")
SANITIZER_DIR = Path(os.environ.setdefault("CREDIT_SANITIZER_DIR",
                                           str(ROOT / "var" / "sanitizer")))


def sanitizer_sizes():
    """{report file: its size} of SANITIZER_DIR."""
    try:
        return {p: p.stat().st_size for p in SANITIZER_DIR.iterdir() if p.is_file()}
    except OSError:
        return {}


def sanitizer_reports(before):
    """The text the sanitizers wrote since `before` (sanitizer_sizes()), one
    "<file>: <line>" per line, at most 40 lines a report."""
    out = []
    for path, size in sorted(sanitizer_sizes().items()):
        start = before.get(path, 0)
        if size > start:
            lines = read_from(path, start).splitlines()
            out.extend("%s: %s" % (path.name, l) for l in lines[:40])
    return out


CASE_DAYS_LOCATION = """\
# The staff handler with other working-day periods (objections keep the default).
<Location /credit-admin-clock>
    SetHandler credit-admin
    AuthType Basic
    AuthName "staff"
    AuthBasicProvider file
    AuthUserFile "%(served)s/staff.htpasswd"
    Require valid-user
    CreditTemplateDir "%(top)s/templates"
    CreditCaseDays complaint 5
    CreditCaseDays repair 2 4
</Location>
"""


COUNT_BOUND_LOCATION = """\
# The public portal again with totals counted only up to 10 (test_totals.py).
<Location /credit-bound>
    SetHandler credit
    Require all granted
    CreditTemplateDir "%(top)s/templates"
    CreditCountBound 10
</Location>
# And with a search walk of 300 rows and a probe of 100 (test_search_oracle.py):
# the test data's public window holds more than the walk.
<Location /credit-walk>
    SetHandler credit
    Require all granted
    CreditTemplateDir "%(top)s/templates"
    CreditSearchWalk 300 100
</Location>
# And reading every export from the store, not from the districts' CSV
# lines (test_export_lines.py: the oracle of the lines), and with the lines
# made only once the data has stayed unchanged for an hour.
<Location /credit-direct>
    SetHandler credit
    Require all granted
    CreditTemplateDir "%(top)s/templates"
    CreditPageSize 20
    CreditExportLines off
</Location>
<Location /credit-settle>
    SetHandler credit
    Require all granted
    CreditTemplateDir "%(top)s/templates"
    CreditExportLines "%(served)s/lines" 3600
</Location>
# And with its public origin set (test_origin.py).
<Location /credit-origin>
    SetHandler credit
    Require all granted
    CreditTemplateDir "%(top)s/templates"
    CreditPublicOrigin "https://credit.tianjin.example"
</Location>
"""


# The portal under another path as a webmaster adds it beside the first
# (test_base.py): a <Location> holding no Credit directive (the templates
# are set for the whole server here, as a `make install` default would be),
# a nested <Location> that sets a Credit directive but keeps the base, and
# a <LocationMatch>, which has no one path, naming its base with CreditBase
# (one without it is refused with a log line).
SECOND_LOCATION = """\
CreditTemplateDir "%(top)s/templates"
<Location /integrity>
    SetHandler credit
    Require all granted
</Location>
<Location /integrity/api>
    CreditPageSize 7
</Location>
<LocationMatch "^/xinyong(/|$)">
    SetHandler credit
    Require all granted
    CreditBase /xinyong
</LocationMatch>
<LocationMatch "^/nobase(/|$)">
    SetHandler credit
    Require all granted
</LocationMatch>
"""








class Stack:
    """The servers of one test session and the ways to reach them."""

    def __init__(self, var, db_port, http_port, clock):
        self.var = Path(var)
        self.clock = clock
        self.db_port = db_port
        self.http_port = http_port
        self.base_url = "http://127.0.0.1:%d/credit" % http_port
        self.error_log = self.var / "log" / "httpd-error.log"
        self.socket = self.var / "run" / "mysqld.sock"
        self.script_log = self.var / "log" / "test-scripts.log"
        # Forms may be sent 1 s after they were served (3 s in production),
        # so the suite stays fast; the rate limits keep their defaults.
        self.env = dict(os.environ, CREDIT_VAR=str(self.var), DB_PORT=str(db_port),
                        PORT=str(http_port), CREDIT_LOGLEVEL="info",
                        CREDIT_SO=str(self.var / "mod_credit.so"),
                        CREDIT_FORM_MIN_SECONDS="1",
                        # A district's CSV lines are made at the first
                        # export after a write (3600 s: /credit-settle), so
                        # the suite's exports read them.
                        CREDIT_LINES_SETTLE="0",
                        # Basic auth checks the bcrypt hash on every request:
                        # the suite's thousands of staff requests use cost 5
                        # (make run's logins are 12: test_setup.py).
                        CREDIT_STAFF_BCRYPT_COST="5",
                        # both servers on the session's clock; httpd with
                        # glibc's allocator, as libfaketime and jemalloc
                        # cannot start in one process (each calls the other
                        # while it starts). The topology tests run httpd
                        # with jemalloc, as make run does.
                        CREDIT_MALLOC="glibc",
                        HTTPD=str(clock.wrapper(self.var / "bin" / "apache2",
                                                "/usr/sbin/apache2")),
                        MARIADBD=str(clock.wrapper(self.var / "bin" / "mariadbd", "mariadbd")))
        self._conn = None
        self.start_failed = False
        # The directory httpd's children read (static files, staff htpasswd):
        # outside the checkout when root (scripts/httpd.sh says where).
        self.served = Path(subprocess.run([str(ROOT / "scripts" / "httpd.sh"), "served"],
                                          env=self.env, check=True, capture_output=True,
                                          text=True).stdout.strip())

    # -- scripts -------------------------------------------------------------
    def script(self, name, *args, timeout=300):
        """Runs scripts/<name> with the stack's environment; output to a log file."""
        self.var.mkdir(parents=True, exist_ok=True)
        (self.var / "log").mkdir(exist_ok=True)
        with open(self.script_log, "ab") as out:
            out.write(("\n$ %s %s\n" % (name, " ".join(args))).encode())
            out.flush()
            rc = subprocess.run([str(ROOT / "scripts" / name), *args], cwd=ROOT, env=self.env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                timeout=timeout).returncode
        if rc != 0:
            tail = read_from(self.script_log, max(0, file_size(self.script_log) - 3000))
            raise RuntimeError("scripts/%s %s failed (exit %d):\n%s" % (name, " ".join(args),
                                                                      rc, tail))

    def start_db(self):
        self.script("db.sh", "start")

    def stop_db(self):
        self.close_sql()
        self.script("db.sh", "stop")

    def start_httpd(self):
        """Starts httpd, or reloads it gracefully (fresh children) when it runs."""
        self.script("httpd.sh", "start")

    def stop_httpd(self):
        self.script("httpd.sh", "stop")

    def httpd_pid(self):
        return int((self.var / "run" / "httpd.pid").read_text().strip())

    def start(self):
        shutil.copy2(ROOT / "var" / "build" / "module" / ".libs" / "mod_credit.so", self.var / "mod_credit.so")
        # A second staff location with other working-day periods
        # (test_admin_queues.py), through the configuration's conf.d.
        conf_d = self.var / "httpd" / "conf.d"
        conf_d.mkdir(parents=True, exist_ok=True)
        (conf_d / "case-days.conf").write_text(CASE_DAYS_LOCATION % {
            "served": self.served, "top": ROOT})
        (conf_d / "count-bound.conf").write_text(COUNT_BOUND_LOCATION % {"top": ROOT,
                                                                          "served": self.served})
        (conf_d / "second-location.conf").write_text(SECOND_LOCATION % {"top": ROOT})
        self.start_db()
        self.script("db.sh", "migrate")
        self.script("db.sh", "demo", str(DEMO_RECORDS), timeout=600)
        self.start_httpd()
        log = read_from(self.error_log, 0)
        bad = [l for l in log.splitlines() if PROBLEM.search(l)]
        if bad:
            raise RuntimeError("httpd logged problems at start:\n" + "\n".join(bad))

    def shutdown(self):
        """Stops httpd and MariaDB; both steps run even when one fails, and
        whether or not they were started (stopping a stopped server is fine)."""
        errors = []
        for stop in (self.stop_httpd, self.stop_db):
            try:
                stop()
            except Exception as e:  # noqa: BLE001
                errors.append(str(e))
        if errors:
            raise RuntimeError("stopping the test servers failed:\n" + "\n".join(errors))

    # -- database --------------------------------------------------------------
    def _connect(self):
        return pymysql.connect(unix_socket=str(self.socket), user="root", database="credit",
                               charset="utf8mb4", autocommit=True, connect_timeout=5)

    def close_sql(self):
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001
                pass
            self._conn = None

    def _cursor(self):
        if self._conn is None:
            self._conn = self._connect()
        else:
            try:
                self._conn.ping(reconnect=True)
            except pymysql.Error:
                self._conn = self._connect()
        return self._conn.cursor()

    def sql(self, query, params=None):
        """Runs one statement as MariaDB root on database credit (autocommit);
        returns the rows as a list of tuples."""
        with self._cursor() as cur:
            cur.execute(query, params)
            return list(cur.fetchall())

    def sql_many(self, query, seq):
        with self._cursor() as cur:
            cur.executemany(query, seq)

    # -- HTTP ------------------------------------------------------------------
    def url(self, path):
        return self.base_url + path

    def get(self, path, **kw):
        kw.setdefault("timeout", 10)
        kw.setdefault("allow_redirects", False)
        return requests.get(self.url(path), **kw)

    def raw_get(self, path, method="GET", headers=None):
        """A request whose path goes out byte for byte (requests re-quotes
        malformed escapes). Returns (status, headers, body text)."""
        c = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        try:
            c.request(method, "/credit" + path, headers=headers or {})
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read().decode("utf-8", "replace")
        finally:
            c.close()

    def request(self, method, path, **kw):
        kw.setdefault("timeout", 10)
        kw.setdefault("allow_redirects", False)
        return requests.request(method, self.url(path), **kw)


def children_of(parent):
    """The pids whose parent is `parent`, sorted (zombies included: /proc
    keeps them until the parent reaps them)."""
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                kids.append(int(d.name))
    return sorted(kids)


class ClockedHttpd:
    """A second httpd on the session's database with a clock of its own
    (clock.Clock, set by the test): the module's "today" is that clock's.
    Its access log names the child that answered each request (pid.log:
    "<pid> <status> <path><query>"). Use it in a with block: it is stopped
    at the end, and its error log must hold no error then."""

    PID_LOG = ('LogFormat "%%P %%>s %%U%%q" pid\n'
               'CustomLog "%(var)s/log/pid.log" pid\n')

    def __init__(self, stack, name, at, conf="", env=None):
        """at: where its clock starts (aware datetime); conf: more
        configuration (conf.d); env: more of scripts/httpd.sh's environment."""
        self.stack = stack
        self.var = stack.var / name
        self.var.mkdir(exist_ok=True)
        shutil.copytree(stack.var / "secrets", self.var / "secrets", dirs_exist_ok=True)
        shutil.copy2(stack.var / "staff-password", self.var / "staff-password")
        (self.var / "log").mkdir(exist_ok=True)
        conf_d = self.var / "httpd" / "conf.d"
        conf_d.mkdir(parents=True, exist_ok=True)
        (conf_d / "pid-log.conf").write_text(self.PID_LOG % {"var": self.var} + conf)
        # read on every call: a change of the clock is seen at once
        self.clock = clock_mod.Clock(at, name, cache=False)
        port, = free_ports(1)
        self.port = port
        self.base_url = "http://127.0.0.1:%d/credit" % port
        self.admin_root = "http://127.0.0.1:%d/credit-admin" % port
        self.admin_url = self.admin_root + "/api/v1"
        self.env = dict(stack.env, CREDIT_VAR=str(self.var), PORT=str(port),
                        HTTPD=str(self.clock.wrapper(self.var / "bin" / "apache2",
                                                     "/usr/sbin/apache2")), **(env or {}))
        self.error_log = self.var / "log" / "httpd-error.log"

    def _script(self, what):
        with open(self.var / "script.log", "ab") as log:
            return subprocess.run([str(ROOT / "scripts" / "httpd.sh"), what], env=self.env,
                                  stdout=log, stderr=log, stdin=subprocess.DEVNULL, timeout=120)

    def __enter__(self):
        try:
            self._script("start").check_returncode()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        try:
            self._script("stop")
        finally:
            self.clock.remove()
        log = read_from(self.error_log, 0)
        assert not PROBLEM.search(log), log

    def set_clock(self, at):
        """Moves the server's clock to `at` (aware); returns when the server
        answers with that date."""
        self.clock.set(at)
        for _ in range(100):
            r = self.get("/api/v1/health")
            if parsedate_to_datetime(r.headers["Date"]).astimezone(clock_mod.BEIJING).date() \
                    == at.date():
                return
            time.sleep(0.1)
        raise AssertionError("the server's clock did not move to %s" % at)

    def url(self, path):
        return self.base_url + path

    def get(self, path, **kw):
        """A request on a connection of its own (it may reach any child)."""
        kw.setdefault("timeout", 10)
        kw.setdefault("allow_redirects", False)
        kw.setdefault("headers", {"Connection": "close"})
        return requests.get(self.base_url + path, **kw)

    def served_by(self):
        """[(pid, status, path)] of the requests answered so far, in order."""
        out = []
        for line in read_from(self.var / "log" / "pid.log", 0).splitlines():
            pid, status, path = line.split(" ", 2)
            out.append((int(pid), int(status), path))
        return out

    def children(self):
        """The pids of httpd's children (the processes whose parent is httpd)."""
        return children_of(int((self.var / "run" / "httpd.pid").read_text().strip()))


@pytest.fixture(scope="session")
def stack(request):
    if not os.environ.get("CREDIT_TEST_SKIP_BUILD"):
        build = subprocess.run(["make", "--no-print-directory", "build"], cwd=ROOT,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=900)
        if build.returncode != 0:
            pytest.exit("make build failed:\n" +
                        build.stdout.decode("utf-8", "replace")[-3000:], returncode=1)
    var = ROOT / "var" / "test" / ("it-%d-%d" % (os.getpid(), int(time.time() * 1000)))
    var.mkdir(parents=True)
    db_port, http_port = free_ports(2)
    session_clock = clock_mod.Clock(clock_mod.session_start(), "session")
    portal.use_clock(session_clock)
    s = Stack(var, db_port, http_port, session_clock)

    san_before = sanitizer_sizes()

    def finish():
        try:
            s.shutdown()
        finally:
            session_clock.remove()
            # A crash of a child is noticed by the parent up to a second later:
            # the whole log is checked once more when the servers are down,
            # and so are the sanitizers' reports of the whole session.
            crashes = [l for l in read_from(s.error_log, 0).splitlines() if CRASH.search(l)]
            crashes += sanitizer_reports(san_before)
            if os.environ.get("CREDIT_TEST_KEEP_VAR"):
                pass
            elif request.session.testsfailed or crashes or s.start_failed:
                # the logs are kept for a look; the database files (300 MB) are not
                shutil.rmtree(var / "db", ignore_errors=True)
            else:
                shutil.rmtree(var, ignore_errors=True)
            if crashes:
                raise RuntimeError("httpd children crashed or sanitizers reported during the"
                                   " session (logs kept in %s, reports in %s):\n%s"
                                   % (var, SANITIZER_DIR, "\n".join(crashes)))

    request.addfinalizer(finish)
    try:
        s.start()
    except Exception as e:  # noqa: BLE001
        # once, not once per test; the finaliser above still stops the servers
        s.start_failed = True
        pytest.exit("starting the test servers failed: %s" % e, returncode=1)
    return s


@pytest.fixture(scope="session")
def world(stack):
    """The suite's own rows (see world.py)."""
    return world_mod.build(stack)


class LogGuard:
    """The lines a test adds to httpd's error log and which of them are problems."""

    def __init__(self, path, allowed):
        self.path = path
        self.start = file_size(path)
        self.allowed = [re.compile(a) for a in allowed]
        self.sanitizer = sanitizer_sizes()

    def allow(self, *regexes):
        self.allowed.extend(re.compile(a) for a in regexes)

    def new_lines(self):
        return read_from(self.path, self.start).splitlines()

    def problems(self):
        return [l for l in self.new_lines()
                if PROBLEM.search(l) and not any(a.search(l) for a in self.allowed)] + \
            sanitizer_reports(self.sanitizer)


@pytest.fixture(scope="session")
def adm(stack, world):
    """The staff API (tests/integration/staff.py): one Admin per session."""
    import staff
    return staff.Admin(stack, world)


@pytest.fixture(autouse=True)
def error_log_guard(request, stack):
    allowed = []
    for m in request.node.iter_markers("allow_log"):
        allowed.extend(m.args)
    guard = LogGuard(stack.error_log, allowed)
    request.node._credit_log_guard = guard
    yield guard


def pytest_collection_modifyitems(session, config, items):
    """Tests that take the database away run last (stable order otherwise)."""
    items.sort(key=lambda item: item.get_closest_marker("database_loss") is not None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.when != "call":
        return
    guard = getattr(item, "_credit_log_guard", None)
    if guard is None:
        return
    # No wait needed: the module logs before it answers. A crashed child is
    # reported by the parent up to a second later: the session end checks that.
    problems = guard.problems()
    if not problems:
        return
    rep = outcome.get_result()
    text = "unexpected lines in httpd's error log (%s) or sanitizer reports (%s):\n%s" % (
        guard.path, SANITIZER_DIR, "\n".join(problems))
    if rep.passed:
        rep.outcome = "failed"
        rep.longrepr = text
    else:
        rep.sections.append(("httpd error log", text))
