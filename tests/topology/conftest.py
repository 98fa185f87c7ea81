"""The topology of docs/DEPLOYMENT.md on loopback (issue 14): the session
fixture `topo` starts, under var/test/topo-<pid>-<ms>/,

    primary/   MariaDB, the primary (server-id 1, binary log with GTIDs)
    replica/   MariaDB, its replica (server-id 2, read-only, GTID replication
               from the primary's first transaction: schema, users, the
               demo data and the Mroonga search rows all come through it)
    redis/     redis-server, the hosts' shared rate-limit cache
    a/  b/     two httpd hosts with the same secrets (form keys, database
               passwords), each reading from the replica while it is fresh
               and from the primary otherwise, writing to the primary

and stops them all at the end, also when something failed (the finaliser
is registered before anything starts). Output goes to files; the logs and
the report of the measured figures are kept under the directory when a
test failed (the database files never are), the report also in
var/test/topology-report.txt.

After every test the lines it added to the hosts' error logs are checked
as the integration suite does: a line at error level or above fails the
test unless it matches a regex of @pytest.mark.allow_log(...).

Environment: CREDIT_TEST_SKIP_BUILD=1 uses the module as built;
CREDIT_TOPOLOGY_RECORDS (1000) sizes the demo data."""
import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pymysql
import pytest
import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
from servers import CRASH, PROBLEM, file_size, free_ports, read_from  # noqa: E402,F401
RECORDS = int(os.environ.get("CREDIT_TOPOLOGY_RECORDS", "1000"))
SUBMIT_LIMIT = 5  # per client per 600 s: small, so the shared count is seen
LAG_MS = 1000     # CreditDBReplicaLag: the withdrawal bound of issue 14


HOST_CONF = """\
# The topology's additions (tests/topology/conftest.py).
LoadModule socache_redis_module /usr/lib/apache2/modules/mod_socache_redis.so
LoadModule remoteip_module /usr/lib/apache2/modules/mod_remoteip.so
# Reads: the replica while it holds what the primary had %(lag)d ms ago.
CreditDBReplica "host=127.0.0.1 port=%(replica)d"
CreditDBReplicaLag %(lag)d
# The per-client limits, counted across both hosts.
CreditRateLimitCache redis:127.0.0.1:%(redis)d
# Every host writes the same absolute URLs (feeds, JSON links, CSV).
CreditPublicOrigin "https://credit.tianjin.example"
# The balancer in front (here: the tests on 127.0.0.1) says who the client is.
RemoteIPHeader X-Forwarded-For
RemoteIPInternalProxy 127.0.0.1
"""








class Part:
    """One server of the topology: its directory and its scripts."""

    def __init__(self, topo, name, port):
        self.topo = topo
        self.name = name
        self.var = topo.var / name
        self.port = port
        (self.var / "log").mkdir(parents=True, exist_ok=True)
        self.script_log = self.var / "log" / "scripts.log"

    def script(self, name, *args, env=None, timeout=300):
        with open(self.script_log, "ab") as out:
            out.write(("\n$ %s %s\n" % (name, " ".join(args))).encode())
            out.flush()
            rc = subprocess.run([str(ROOT / "scripts" / name), *args], cwd=ROOT,
                                env=env or self.env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, timeout=timeout).returncode
        if rc != 0:
            tail = read_from(self.script_log, max(0, file_size(self.script_log) - 3000))
            raise RuntimeError("%s: scripts/%s %s failed (exit %d):\n%s"
                               % (self.name, name, " ".join(args), rc, tail))


class Db(Part):
    """A MariaDB copy: the primary or the replica."""

    def __init__(self, topo, name, port, server_id, read_only):
        super().__init__(topo, name, port)
        self.env = dict(os.environ, CREDIT_VAR=str(self.var), DB_PORT=str(port),
                        DB_SERVER_ID=str(server_id), DB_READ_ONLY="1" if read_only else "0",
                        DB_BUFFER_POOL="64M")
        self.socket = self.var / "run" / "mysqld.sock"
        self._conn = None

    def start(self):
        self.script("db.sh", "start")

    def stop(self):
        self.close()
        self.script("db.sh", "stop")

    def close(self):
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001
                pass
            self._conn = None

    def sql(self, query, params=None, database="credit"):
        """One statement as MariaDB's root (autocommit); the rows as tuples."""
        for attempt in (0, 1):
            try:
                if self._conn is None:
                    self._conn = pymysql.connect(unix_socket=str(self.socket), user="root",
                                                 database=database, charset="utf8mb4",
                                                 autocommit=True, connect_timeout=5)
                with self._conn.cursor() as cur:
                    cur.execute(query, params)
                    return list(cur.fetchall())
            except pymysql.err.OperationalError:
                self.close()
                if attempt:
                    raise
        return []


class Host(Part):
    """An httpd host of the portal."""

    def __init__(self, topo, name, port):
        super().__init__(topo, name, port)
        self.base = "http://127.0.0.1:%d/credit" % port
        self.admin = "http://127.0.0.1:%d/credit-admin/api/v1" % port
        self.error_log = self.var / "log" / "httpd-error.log"
        self.env = dict(os.environ, CREDIT_VAR=str(self.var), PORT=str(port),
                        DB_PORT=str(topo.primary.port), CREDIT_LOGLEVEL="info",
                        CREDIT_SO=str(topo.var / "mod_credit.so"),
                        CREDIT_FORM_MIN_SECONDS="1",
                        CREDIT_SUBMIT_LIMIT="%d 600" % SUBMIT_LIMIT,
                        CREDIT_STAFF_BCRYPT_COST="5")
        conf_d = self.var / "httpd" / "conf.d"
        conf_d.mkdir(parents=True, exist_ok=True)
        (conf_d / "topology.conf").write_text(HOST_CONF % {
            "replica": topo.replica.port, "redis": topo.redis.port, "lag": LAG_MS})

    def url(self, path):
        return self.base + path

    def start(self):
        self.script("httpd.sh", "start")
        self.wait_up()

    def stop(self):
        self.script("httpd.sh", "stop")

    def wait_up(self, seconds=20):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url("/api/v1/health"), timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError("%s does not answer" % self.name)

    def kill(self):
        """SIGKILL to httpd and all its children at once (a host lost)."""
        pid = int((self.var / "run" / "httpd.pid").read_text().strip())
        # httpd detached into a process group of its own: that one only.
        assert os.getpgid(pid) == pid != os.getpgid(0), "httpd is not detached"
        os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def staff_auth(self):
        return ("staff", (self.var / "staff-password").read_text().strip())

    def health(self):
        r = requests.get(self.url("/api/v1/health"), timeout=5)
        assert r.status_code == 200, (self.name, r.status_code, r.text[:300])
        return r.json()["database"]


class Redis(Part):
    def __init__(self, topo, name, port):
        super().__init__(topo, name, port)
        self.env = dict(os.environ, CREDIT_VAR=str(self.var), REDIS_PORT=str(port))

    def start(self):
        self.script("redis.sh", "start")

    def stop(self):
        self.script("redis.sh", "stop")

    def keys(self):
        out = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), "dbsize"],
                             capture_output=True, text=True, timeout=10)
        return int(out.stdout.strip() or "0")


class Topology:
    def __init__(self, var):
        self.var = Path(var)
        pp, rp, redis, pa, pb = free_ports(5)
        self.primary = Db(self, "primary", pp, 1, False)
        self.replica = Db(self, "replica", rp, 2, True)
        self.redis = Redis(self, "redis", redis)
        # One set of secrets: database passwords, the replication user's,
        # the form keys (scripts/httpd.sh makes them in the first host).
        secrets = self.primary.var / "secrets"
        secrets.mkdir(mode=0o700, exist_ok=True)
        for name in ("replica", "a", "b"):
            (self.var / name).mkdir(exist_ok=True)
            os.symlink(secrets, self.var / name / "secrets")
        self.a = Host(self, "a", pa)
        self.b = Host(self, "b", pb)
        self.hosts = [self.a, self.b]
        self.report_lines = []
        self.start_failed = False

    # -- set-up -----------------------------------------------------------------
    def start(self):
        shutil.copy2(ROOT / "var" / "build" / "module" / ".libs" / "mod_credit.so", self.var / "mod_credit.so")
        with concurrent.futures.ThreadPoolExecutor(3) as ex:
            for f in [ex.submit(self.primary.start), ex.submit(self.replica.start),
                      ex.submit(self.redis.start)]:
                f.result()
        self.primary.script("db.sh", "repl-user")
        self.replica.script("db.sh", "replicate", "127.0.0.1", str(self.primary.port))
        self.primary.script("db.sh", "migrate")
        self.primary.script("db.sh", "demo", str(RECORDS), timeout=900)
        self.primary.sql(
            "INSERT IGNORE INTO staff (username, name, department_id) VALUES ('staff', %s, NULL)",
            ("市级管理员",))
        self.sync()
        # The module's UDF of the search (sql/012) came through replication.
        assert self.replica.sql("SELECT name FROM mysql.func WHERE name = 'mroonga_command'")
        for h in self.hosts:
            h.start()

    def shutdown(self):
        errors = []
        for part in (self.a, self.b, self.redis, self.replica, self.primary):
            try:
                part.stop()
            except Exception as e:  # noqa: BLE001
                errors.append(str(e))
        if errors:
            raise RuntimeError("stopping the topology failed:\n" + "\n".join(errors))

    # -- helpers ----------------------------------------------------------------
    def sync(self, seconds=120):
        """Waits until the replica holds everything the primary has committed."""
        pos = self.primary.sql("SELECT @@global.gtid_binlog_pos")[0][0]
        got = self.replica.sql("SELECT MASTER_GTID_WAIT(%s, %s)", (pos, seconds))[0][0]
        assert got == 0, "the replica did not reach %s within %d s" % (pos, seconds)

    def settle(self, seconds=30):
        """sync(), then waits until both hosts read from the replica again
        (each child learns it has caught up at its next check)."""
        self.sync()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if all(h.health()["answered_by"] == "replica 1" for h in self.hosts):
                time.sleep(0.3)  # the other children's next check
                return
            time.sleep(0.05)
        raise AssertionError("the hosts do not read from the replica")

    def public_records(self, n, offset=0):
        """n public records (record_no, decision_no, title, subject_id), oldest ids first."""
        return self.primary.sql(
            "SELECT record_no, decision_no, title, subject_id FROM records"
            " WHERE status = 'published' AND disclosed_on <= CURDATE()"
            " AND withdraw_on > CURDATE() + INTERVAL 7 DAY ORDER BY id LIMIT %s OFFSET %s",
            (n, offset))

    def revoke(self, host, no):
        """Withdraws record no through host's staff API (the primary commits)."""
        r = requests.post(host.admin + "/records/%s/events" % no, auth=host.staff_auth(),
                          json={"event": "revoke", "decision_no": "津拓撤〔2099〕1号",
                                "reason": "拓扑测试:撤销"}, timeout=15)
        assert r.status_code == 200, (r.status_code, r.text[:300])

    def report(self, line):
        self.report_lines.append(line)


class LogGuard:
    def __init__(self, hosts, allowed):
        self.starts = {h.error_log: file_size(h.error_log) for h in hosts}
        self.allowed = [re.compile(a) for a in allowed]

    def allow(self, *regexes):
        self.allowed.extend(re.compile(a) for a in regexes)

    def problems(self):
        out = []
        for path, start in self.starts.items():
            for line in read_from(path, start).splitlines():
                if PROBLEM.search(line) and not any(a.search(line) for a in self.allowed):
                    out.append(line)
        return out


_topology = None


@pytest.fixture(scope="session")
def topo(request):
    global _topology
    if not os.environ.get("CREDIT_TEST_SKIP_BUILD"):
        build = subprocess.run(["make", "--no-print-directory", "build"], cwd=ROOT,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=900)
        if build.returncode != 0:
            pytest.exit("make build failed:\n" + build.stdout.decode("utf-8", "replace")[-3000:],
                        returncode=1)
    var = ROOT / "var" / "test" / ("topo-%d-%d" % (os.getpid(), int(time.time() * 1000)))
    var.mkdir(parents=True)
    t = _topology = Topology(var)

    def finish():
        try:
            t.shutdown()
        finally:
            crashes = [l for h in t.hosts for l in read_from(h.error_log, 0).splitlines()
                       if CRASH.search(l)]
            report = "\n".join(t.report_lines) + "\n"
            (ROOT / "var" / "test" / "topology-report.txt").write_text(report)
            if os.environ.get("CREDIT_TEST_KEEP_VAR"):
                pass
            elif request.session.testsfailed or crashes or t.start_failed:
                (var / "report.txt").write_text(report)
                for db in ("primary", "replica"):
                    shutil.rmtree(var / db / "db", ignore_errors=True)
            else:
                shutil.rmtree(var, ignore_errors=True)
            if crashes:
                raise RuntimeError("httpd children crashed (logs kept in %s):\n%s"
                                   % (var, "\n".join(crashes)))

    request.addfinalizer(finish)
    try:
        t.start()
    except Exception as e:  # noqa: BLE001
        t.start_failed = True
        pytest.exit("starting the topology failed: %s" % e, returncode=1)
    return t


@pytest.fixture(autouse=True)
def error_log_guard(request, topo):
    allowed = []
    for m in request.node.iter_markers("allow_log"):
        allowed.extend(m.args)
    guard = LogGuard(topo.hosts, allowed)
    request.node._topology_log_guard = guard
    yield guard


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.when != "call":
        return
    guard = getattr(item, "_topology_log_guard", None)
    if guard is None:
        return
    problems = guard.problems()
    if not problems:
        return
    rep = outcome.get_result()
    text = "unexpected lines in the hosts' error logs:\n" + "\n".join(problems)
    if rep.passed:
        rep.outcome = "failed"
        rep.longrepr = text
    else:
        rep.sections.append(("httpd error logs", text))


def pytest_collection_modifyitems(session, config, items):
    """The faults (test_faults.py, in their order) after everything else."""
    items.sort(key=lambda item: item.module.__name__ == "test_faults")


def pytest_terminal_summary(terminalreporter):
    if _topology is not None and _topology.report_lines:
        terminalreporter.section("topology: measured")
        for line in _topology.report_lines:
            terminalreporter.write_line(line)
