"""`make install-db` on a MariaDB the webmaster already runs (issue 12,
point 1). The test starts a second private MariaDB as a stock server would
be (loopback, its own datadir under var/test, no Mroonga loaded, the
compiled-in character set and time zone), makes an administrator with a
password in a file, and runs the installer twice: the first run creates
everything, the second applies nothing and changes no password. No
password is ever on a command line. Then an httpd of the module runs on it
with credit.conf's password_file= settings as the installer printed them:
the public pages read (credit_ro), a complaint is stored (credit_ins), the
staff API writes a record (credit_rw) that the public list shows."""
import datetime
import os
import re
import secrets
import shutil
import subprocess
import threading
import time

import pymysql
import pytest
import requests

import citizen
import portal
from conftest import ROOT, free_ports, read_from, PROBLEM

DAY = datetime.timedelta(days=1)
STOCK_CNF = """\
[client-server]
socket=%(sock)s
port=%(port)d

[mariadbd]
datadir=%(data)s
pid-file=%(run)s/mariadbd.pid
log-error=%(log)s/mariadb.err
bind-address=127.0.0.1
innodb_buffer_pool_size=64M
innodb_log_file_size=16M
"""

MODULE_DB = """\
# The database of make install-db, as it printed the lines for credit.conf.
%(lines)s
"""


class External:
    """The second MariaDB and its administrator."""

    def __init__(self, var, port):
        self.var = var
        self.port = port
        self.sock = var / "run" / "mysqld.sock"
        self.cnf = var / "my.cnf"
        self.admin_password = secrets.token_hex(12) + "#'\"\\x"  # quoted in the option file
        self.admin_file = var / "admin-password"
        self.secrets = var / "mod_credit"
        self.proc = None

    def root(self, database=None):
        return pymysql.connect(unix_socket=str(self.sock), user="root", database=database,
                               charset="utf8mb4", autocommit=True, connect_timeout=5)

    def admin(self, database=None):
        return pymysql.connect(host="127.0.0.1", port=self.port, user="dbadmin",
                               password=self.admin_password, database=database,
                               charset="utf8mb4", autocommit=True, connect_timeout=5)

    def sql(self, query, params=None, database="credit"):
        c = self.admin(database)
        try:
            with c.cursor() as cur:
                cur.execute(query, params)
                return list(cur.fetchall())
        finally:
            c.close()


@pytest.fixture(scope="module")
def external(stack):
    port, = free_ports(1)
    var = stack.var / "external"
    shutil.rmtree(var, ignore_errors=True)
    for d in ("run", "log", "data"):
        (var / d).mkdir(parents=True)
    e = External(var, port)
    e.cnf.write_text(STOCK_CNF % {"sock": e.sock, "port": port, "data": var / "data",
                                  "run": var / "run", "log": var / "log"})
    me = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    subprocess.run(["mariadb-install-db", "--defaults-file=%s" % e.cnf, "--user=%s" % me,
                    "--auth-root-authentication-method=socket", "--skip-test-db"],
                   check=True, capture_output=True, timeout=120)
    e.proc = subprocess.Popen(["mariadbd", "--defaults-file=%s" % e.cnf, "--user=%s" % me],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                e.root().close()
                break
            except pymysql.Error:
                assert e.proc.poll() is None, read_from(var / "log" / "mariadb.err", 0)[-2000:]
                assert time.monotonic() < deadline, "the second MariaDB did not start"
                time.sleep(0.2)
        c = e.root()
        with c.cursor() as cur:
            cur.execute("CREATE USER 'dbadmin'@'127.0.0.1' IDENTIFIED BY %s", (e.admin_password,))
            cur.execute("GRANT ALL PRIVILEGES ON *.* TO 'dbadmin'@'127.0.0.1' WITH GRANT OPTION")
            cur.execute("SELECT COUNT(*) FROM information_schema.ENGINES WHERE ENGINE = 'Mroonga'")
            assert cur.fetchone()[0] == 0, "a stock server has no Mroonga loaded"
        c.close()
        fd = os.open(e.admin_file, os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, (e.admin_password + "\n").encode())
        os.close(fd)
        yield e
    finally:
        e.proc.terminate()
        try:
            e.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            e.proc.kill()
            e.proc.wait(timeout=10)


def install_db(e):
    """Runs make install-db against e, watching every command line (ps)
    while it runs. Returns (exit status, output, command lines seen)."""
    env = dict(os.environ)
    for k in ("DB_PORT", "CREDIT_VAR"):
        env.pop(k, None)
    cmd = ["make", "--no-print-directory", "install-db", "DB_HOST=127.0.0.1",
           "DB_PORT=%d" % e.port, "DB_ADMIN_USER=dbadmin",
           "DB_ADMIN_PASSWORD_FILE=%s" % e.admin_file, "CREDIT_SECRETS=%s" % e.secrets,
           "DB_APP_HOSTS=127.0.0.1 localhost"]
    seen = set()
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = []
    reader = threading.Thread(target=lambda: out.append(p.stdout.read()))
    reader.start()
    while p.poll() is None:
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        seen.update(ps.splitlines())
        time.sleep(0.05)
    reader.join(timeout=60)
    return p.returncode, "".join(out), seen


def passwords(e):
    return {n: (e.secrets / ("db-" + n)).read_text() for n in ("ro", "ins", "rw")}


@pytest.fixture(scope="module")
def installed(external):
    first = install_db(external)
    assert first[0] == 0, first[1]
    return first


def test_the_first_run_creates_everything(external, installed):
    rc, out, seen = installed
    migrations = sorted(p.stem for p in (ROOT / "sql").glob("[0-9][0-9][0-9]_*.sql"))
    assert re.findall(r"^migration (\S+)$", out, re.M) == migrations, out
    assert "installing the Mroonga plugin" in out, out
    rows = external.sql("SELECT version FROM schema_migrations ORDER BY version")
    assert [r[0] for r in rows] == [int(m[:3]) for m in migrations]
    assert external.sql("SELECT ENGINE FROM information_schema.ENGINES WHERE ENGINE = 'Mroonga'"
                        " AND SUPPORT = 'YES'") == [("Mroonga",)]
    assert external.sql("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA ="
                        " 'credit' AND TABLE_NAME = 'record_search'") == [("Mroonga",)]
    # the events keep Beijing time whatever the server's own zone
    zones = external.sql("SELECT DISTINCT TIME_ZONE FROM information_schema.EVENTS"
                         " WHERE EVENT_SCHEMA = 'credit'")
    assert zones == [("+08:00",)], zones
    # three users per host, their passwords in files only the installer's user reads
    users = external.sql("SELECT User, Host FROM mysql.user WHERE User LIKE 'credit%%'"
                         " ORDER BY User, Host", database=None)
    assert users == [(u, h) for u in ("credit_ins", "credit_ro", "credit_rw")
                     for h in ("127.0.0.1", "localhost")], users
    assert oct(external.secrets.stat().st_mode & 0o777) == "0o700"
    for f in external.secrets.iterdir():
        assert oct(f.stat().st_mode & 0o777) == "0o600", f
    # the lines for credit.conf name the files, never a password
    for name, pw in passwords(external).items():
        assert "password_file=%s/db-%s" % (external.secrets, name) in out
        assert pw.strip() not in out
    # no password on any command line while it ran
    secret_values = [external.admin_password] + [p.strip() for p in passwords(external).values()]
    leaks = [line for line in seen for s in secret_values if s in line]
    assert not leaks, leaks


def test_least_privilege(external, installed):
    grants = {}
    for user in ("credit_ro", "credit_ins", "credit_rw"):
        rows = external.sql("SHOW GRANTS FOR '%s'@'127.0.0.1'" % user, database=None)
        grants[user] = "\n".join(r[0] for r in rows)
    assert "UPDATE" not in grants["credit_ro"] and "INSERT" not in grants["credit_ro"]
    assert "ALL PRIVILEGES" not in "".join(grants.values())
    assert re.search(r"GRANT SELECT, INSERT ON `credit`.`audit_log`", grants["credit_rw"])
    assert not re.search(r"(UPDATE|DELETE)[^\n]*`audit_log`", grants["credit_rw"])
    assert "`complaints`" in grants["credit_ins"]


def test_a_second_run_applies_nothing_and_keeps_the_passwords(external, installed):
    before = passwords(external)
    rows = external.sql("SELECT version, applied_at FROM schema_migrations ORDER BY version")
    rc, out, seen = install_db(external)
    assert rc == 0, out
    assert "no new migration" in out and not re.search(r"^migration ", out, re.M), out
    assert "installing the Mroonga plugin" not in out
    assert passwords(external) == before
    assert external.sql("SELECT version, applied_at FROM schema_migrations ORDER BY version") == rows


def test_a_wrong_admin_password_says_so(external, installed, tmp_path):
    bad = tmp_path / "bad"
    bad.write_text("not-the-password\n")
    env = dict(os.environ)
    env.pop("DB_PORT", None)
    r = subprocess.run(["make", "--no-print-directory", "install-db", "DB_HOST=127.0.0.1",
                        "DB_PORT=%d" % external.port, "DB_ADMIN_USER=dbadmin",
                        "DB_ADMIN_PASSWORD_FILE=%s" % bad, "CREDIT_SECRETS=%s" % (tmp_path / "s")],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    assert r.returncode != 0
    assert "cannot connect as dbadmin@127.0.0.1:%d" % external.port in r.stderr, r.stderr
    assert "Access denied" in r.stderr
    assert not (tmp_path / "s").exists()


@pytest.fixture(scope="module")
def module_on_it(stack, external, installed):
    """An httpd of the module whose CreditDB, CreditDBWrite and CreditDBAdmin
    are the lines the installer printed (password_file=)."""
    lines = "\n".join(l.strip() for l in installed[1].splitlines()
                      if l.strip().startswith(("CreditDB ", "CreditDBWrite ", "CreditDBAdmin ")))
    assert lines.count("\n") == 2, installed[1]
    port, = free_ports(1)
    var = external.var / "httpd-var"
    (var / "httpd" / "conf.d").mkdir(parents=True)
    (var / "httpd" / "conf.d" / "module-db.conf").write_text(MODULE_DB % {"lines": lines})
    env = dict(stack.env, CREDIT_VAR=str(var), PORT=str(port), DB_PORT=str(external.port))
    script = str(ROOT / "scripts" / "httpd.sh")
    try:
        r = subprocess.run([script, "start"], env=env, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        yield "http://127.0.0.1:%d" % port, var
        log = read_from(var / "log" / "httpd-error.log", 0)
        bad = [l for l in log.splitlines() if PROBLEM.search(l)]
        assert not bad, "\n".join(bad)
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=60)


def test_the_module_works_on_the_installed_database(external, module_on_it):
    root, var = module_on_it
    health = requests.get(root + "/credit/api/v1/health", timeout=10)
    assert health.status_code == 200, health.text
    top = max(int(p.name[:3]) for p in (ROOT / "sql").glob("[0-9][0-9][0-9]_*.sql"))
    db = health.json()["database"]
    assert (db["reachable"], db["schema_version"], db["answered_by"]) == (True, top, "primary"), db
    r = requests.get(root + "/credit/records", timeout=10)
    assert r.status_code == 200

    # a citizen's complaint through the INSERT-only user
    mark = citizen.unique("安装")
    s = requests.Session()
    form = s.get(root + "/credit/complaints/new", timeout=10)
    assert form.status_code == 200
    token = citizen.hidden_token(form.text)
    time.sleep(1.2)  # CREDIT_FORM_MIN_SECONDS of the test stacks
    sent = s.post(root + "/credit/complaints", data=dict(citizen.complaint(mark), token=token,
                                                         website=""), timeout=30,
                  allow_redirects=False)
    assert sent.status_code == 201, sent.text[:500]
    assert external.sql("SELECT COUNT(*) FROM complaints WHERE title LIKE %s",
                        ("%" + mark + "%",)) == [(1,)]

    # a record created through the staff API (the writer user), then public
    external.sql("INSERT INTO departments (code, name, district) VALUES"
                 " ('install-test', '天津市和平区安装测试局', 'heping')")
    dept = external.sql("SELECT id FROM departments WHERE code = 'install-test'")[0][0]
    external.sql("INSERT INTO staff (username, name, department_id) VALUES ('staff', '市级', NULL)")
    auth = ("staff", (var / "staff-password").read_text().strip())
    today = portal.today()
    body = {"subject": {"kind": "gov", "name": "天津市和平区安装测试局",
                        "credit_code": portal.credit_code(74_000_001), "district": "heping",
                        "level": "district"},
            "category": "penalty", "domain": "procurement", "severity": "general",
            "title": "安装测试记录 " + mark, "facts": "经查,该单位拖欠货款。",
            "legal_basis": "《保障中小企业款项支付条例》第八条", "decision_no": "津安测〔2026〕1号",
            "authority": "天津市和平区财政局",
            "decided_on": str(today - 10 * DAY), "disclosed_on": str(today - 2 * DAY),
            "department_id": dept}
    made = requests.post(root + "/credit-admin/api/v1/records", json=body, auth=auth, timeout=30)
    assert made.status_code == 201, made.text
    no = made.json()["record"]["no"]
    page = requests.get(root + "/credit/records/" + no, timeout=10)
    assert page.status_code == 200 and mark in page.text
    lst = requests.get(root + "/credit/api/v1/records", timeout=10).json()
    assert [it["no"] for it in lst["items"]] == [no]
