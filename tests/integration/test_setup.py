"""The set-up scripts as a newcomer meets them: where httpd's children read
their files, and how a long demo load reports its progress."""
import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from conftest import children_of

ROOT = Path(__file__).resolve().parents[2]


def conf_paths(stack):
    """The paths in the generated httpd.conf that the children read while
    serving: AuthUserFile, Alias targets and <Directory> blocks."""
    text = (stack.var / "httpd" / "httpd.conf").read_text()
    paths = re.findall(r'^\s*AuthUserFile\s+"([^"]+)"', text, re.M)
    paths += re.findall(r'^\s*Alias\s+\S+\s+"([^"]+)"', text, re.M)
    paths += [p for p in re.findall(r'^\s*<Directory\s+"([^"]+)">', text, re.M) if p != "/"]
    paths += re.findall(r'^\s*AuthUserFile\s+"([^"]+)"',
                        (stack.var / "httpd" / "conf.d" / "case-days.conf").read_text(), re.M)
    return paths


def test_the_children_read_nothing_inside_the_checkout(stack):
    """The children may run as a user who cannot enter the checkout (as root
    they are www-data, and a clone under /root is mode 700): every file they
    read while serving is in the served directory, outside the checkout when
    httpd starts as root, and the children's user can read it."""
    paths = conf_paths(stack)
    assert len(paths) >= 5, paths
    for p in paths:
        assert Path(p).is_relative_to(stack.served), p
    if os.getuid() == 0:
        assert not stack.served.is_relative_to(ROOT), stack.served
        assert stack.served.stat().st_mode & 0o777 == 0o750
        assert stack.served.stat().st_gid == pwd.getpwnam("www-data").pw_gid
        for p in paths + [str(stack.served / "static" / "css" / "credit.css")]:
            r = subprocess.run(["runuser", "-u", "www-data", "--", "test", "-r", p])
            assert r.returncode == 0, "www-data cannot read %s" % p
        other = subprocess.run(["runuser", "-u", "nobody", "--", "test", "-r",
                                str(stack.served / "staff.htpasswd")])
        assert other.returncode != 0, "the staff htpasswd is readable by everyone"


def test_staff_login_and_static_files_work_from_the_served_directory(stack, adm):
    r = requests.get(adm.url("/me"), auth=("staff", adm.password), timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["user"] == "staff"
    css = stack.get("/static/css/credit.css")
    assert css.status_code == 200
    assert css.content == (ROOT / "static" / "css" / "credit.css").read_bytes()


def demo_load(stack, db, n, tty):
    """Runs scripts/db.sh demo N into database `db` of the stack's server, on a
    pseudo-terminal (script(1)) or into a pipe; returns what it printed."""
    env = dict(stack.env, DB_NAME=db)
    subprocess.run([str(ROOT / "scripts" / "db.sh"), "migrate"], env=env, check=True,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    cmd = [str(ROOT / "scripts" / "db.sh"), "demo", str(n)]
    if tty:
        cmd = ["script", "-qec", " ".join(cmd), "/dev/null"]
    out = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                         timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout.decode("utf-8", "replace")


PHASES = ["departments and subjects", "record plan", "records and their events",
          "ratings and commitments", "table statistics", "search index", "change history",
          "totals"]
SUMMARY = re.compile(r"^demo data: 2500 records \(\d+ events\), \d+ subjects, \d+ departments, "
                     r"\d+ ratings, \d+ commitments, \d+ change-feed entries in \d+ s \((.*)\)$")


@pytest.fixture
def scratch_db(stack):
    names = []
    yield names.append
    for n in names:
        stack.sql("DROP DATABASE IF EXISTS `%s`" % n)


def test_demo_load_shows_its_progress_on_a_terminal(stack, scratch_db):
    """On a terminal: each phase with its rows and time as it goes, a line
    per phase when it ends, and a one-line summary."""
    scratch_db("credit_progress_tty")
    text = demo_load(stack, "credit_progress_tty", 2500, tty=True)
    screens = [s for s in re.split(r"[\r\n]", text) if s.strip()]
    assert any("\x1b[K  records and their events: 2500 / 2500 records, " in s for s in screens), text
    ended = [s.replace("\x1b[K", "").strip() for s in text.split("\n") if "\x1b[K" in s]
    assert [e.split(":")[0] for e in ended] == PHASES, ended
    summary = [s for s in screens if s.startswith("demo data:")]
    assert len(summary) == 1 and SUMMARY.match(summary[0].strip()), summary
    times = SUMMARY.match(summary[0].strip()).group(1).split(", ")
    assert [t.rsplit(" ", 2)[0] for t in times] == PHASES, times
    assert stack.sql("SELECT COUNT(*) FROM credit_progress_tty.records")[0][0] == 2500


def test_demo_load_into_a_log_prints_only_the_summary(stack, scratch_db):
    """Not a terminal (CI, a log file): no progress lines, no escape codes,
    the announcement and the one-line summary only."""
    scratch_db("credit_progress_log")
    text = demo_load(stack, "credit_progress_log", 2500, tty=False)
    lines = text.splitlines()
    assert "\x1b" not in text and "\r" not in text, text
    assert lines[0] == "loading demo data: 2500 records", lines
    assert len(lines) == 2 and SUMMARY.match(lines[1]), lines


def test_every_directive_is_documented():
    """Each directive the module registers has a row in the README's table."""
    src = (ROOT / "mod_credit" / "httpd" / "mod_credit_config.c").read_text()
    names = re.findall(r'AP_INIT_\w+\("(Credit\w+)"', src)
    assert len(names) >= 20, names
    readme = (ROOT / "README.md").read_text()
    missing = [n for n in names if not re.search(r"^\|.*`%s[ `]" % n, readme, re.M)]
    assert not missing, "directives missing from README.md: %s" % missing


def test_demo_staff_logins_are_slow_to_guess(stack, tmp_path):
    """The logins make run creates are bcrypt at cost 12 (a guess costs
    about a quarter of a second): generated here as make run does, without
    the test stacks' lower cost."""
    var = tmp_path / "var"
    env = dict(stack.env, CREDIT_VAR=str(var))
    env.pop("CREDIT_STAFF_BCRYPT_COST")
    shutil.copytree(stack.var / "secrets", var / "secrets")
    script = str(ROOT / "scripts" / "httpd.sh")
    served = Path(subprocess.run([script, "served"], env=env, check=True, capture_output=True,
                                 text=True).stdout.strip())
    try:
        subprocess.run([script, "configtest"], env=env, check=True, capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=120)
        lines = dict(l.split(":", 1) for l in
                     (served / "staff.htpasswd").read_text().splitlines() if ":" in l)
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=60)
    assert set(lines) == {"staff", "staff-heping"}
    for login, h in lines.items():
        m = re.match(r"^\$2[aby]\$(\d\d)\$", h)
        assert m and int(m.group(1)) >= 12, (login, h[:7])


def test_a_reload_returns_once_the_new_children_serve(stack):
    """`make run` on a running stack reloads httpd gracefully. The old
    children stop accepting at once and the parent starts the new ones as it
    reaps the old, looking for them once a second: connections made in
    between wait (the first requests after a reload took about a second in
    make bench). The script returns only once the old children are gone and
    the portal answers, so what follows it meets the new children."""
    parent = stack.httpd_pid()
    old = children_of(parent)
    assert old
    stack.start_httpd()
    assert stack.httpd_pid() == parent  # reloaded, not restarted
    left = [p for p in old if os.path.exists("/proc/%d" % p)]
    assert not left, "children of before the reload still there: %s" % left
    new = children_of(parent)
    assert new and not set(new) & set(old)
    assert requests.get(stack.url("/api/v1/health"), timeout=10).status_code == 200


def test_starts_at_once_serialize(stack):
    """Two `make run`s (or a test's reload during a webmaster's) may start
    the script at the same time on a running stack. Each remakes the served
    directory and the configuration; run at once they removed each other's
    copies half-way. They take turns: every one succeeds and afterwards the
    portal and its static files answer."""
    script = str(ROOT / "scripts" / "httpd.sh")
    runs = [subprocess.Popen([script, "start"], cwd=ROOT, env=stack.env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for _ in range(4)]
    outputs = [(p.wait(timeout=120), p.stdout.read().decode(errors="replace")) for p in runs]
    for p in runs:
        p.stdout.close()
    assert [rc for rc, _ in outputs] == [0] * 4, outputs
    served = [p.relative_to(stack.served / "static")
              for p in (stack.served / "static").rglob("*") if p.is_file()]
    assert sorted(served) == sorted(p.relative_to(ROOT / "static")
                                    for p in (ROOT / "static").rglob("*") if p.is_file())
    assert requests.get(stack.url("/api/v1/health"), timeout=10).status_code == 200
    for rel in served:
        r = requests.get(stack.url("/static/%s" % rel.as_posix()), timeout=10)
        assert r.status_code == 200, rel
        assert r.content == (ROOT / "static" / rel).read_bytes(), rel
