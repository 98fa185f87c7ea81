"""A webmaster's mistakes in the configuration (issue 11, point 9):
everything that can be known before the server starts makes `apache2 -t`
(configtest, which Debian's `apachectl graceful` runs first) fail naming
the directive; what can only fail once the server runs turns off what it
concerns (the citizens' forms answer 503) and httpd keeps serving."""
import re
import shutil
import subprocess

import pytest
import requests

from conftest import APACHE2, ROOT, free_ports


def configtest(path):
    return subprocess.run([APACHE2, "-t", "-f", str(path)], capture_output=True,
                          text=True, timeout=60)


def variant(stack, tmp_path, edit):
    conf = (stack.var / "httpd" / "httpd.conf").read_text()
    out = tmp_path / "httpd.conf"
    out.write_text(edit(conf))
    return out


def replace_line(pattern, new):
    def edit(conf):
        changed, n = re.subn(pattern, new, conf, count=1, flags=re.M)
        assert n == 1, pattern
        return changed
    return edit


def test_the_test_stacks_configuration_passes(stack, tmp_path):
    r = configtest(variant(stack, tmp_path, lambda c: c))
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("edit,names,says", [
    (replace_line(r"^CreditSecretFile .*$", 'CreditSecretFile "/nonexistent/form-keys"'),
     "CreditSecretFile", "cannot be read"),
    (replace_line(r"^CreditRateLimitCache .*$", "CreditRateLimitCache nosuchcache"),
     "CreditRateLimitCache", "no socache provider 'nosuchcache'"),
    (replace_line(r"^LoadModule socache_shmcb_module .*$", ""),
     "CreditRateLimitCache", "socache_shmcb"),
    (replace_line(r"^CreditDBPoolMax .*$", "CreditDBPoolMax 0"),
     "CreditDBPoolMax", "from 1 to 10000, got '0'"),
    (replace_line(r"^CreditDBPoolKeep .*$", "CreditDBPoolKeep 100"),
     "CreditDBPoolKeep", "CreditDBPoolKeep (100) <= CreditDBPoolMax (32)"),
    (replace_line(r'^(    CreditTemplateDir ).*$', r'\1"/nonexistent/templates"'),
     "CreditTemplateDir", "/nonexistent/templates"),
    (replace_line(r"^(CreditSecretFile .*)$", r"\1\nCreditOfficialLookupLimit 0 3600"),
     "CreditOfficialLookupLimit", "a count of 1..1000"),
    # Replicas (issue 14): each needs its host, the lag its range.
    (replace_line(r"^CreditDBPoolMax .*$", 'CreditDBPoolMax 32\nCreditDBReplica "port=3308"'),
     "CreditDBReplica", "host= (or socket=) is required"),
    (replace_line(r"^CreditDBPoolMax .*$",
                  'CreditDBPoolMax 32\nCreditDBReplica "host=10.0.0.2 prot=3306"'),
     "CreditDBReplica", "unknown parameter 'prot'"),
    (replace_line(r"^CreditDBPoolMax .*$", "CreditDBPoolMax 32\nCreditDBReplicaLag 50"),
     "CreditDBReplicaLag", "lag of 100..600000 ms"),
    (replace_line(r"^CreditDBPoolMax .*$", "CreditDBPoolMax 32\nCreditDBReplicaLag 1000 2000"),
     "CreditDBReplicaLag", "check interval of 100 ms up to the lag"),
    (replace_line(r"^(CreditSecretFile .*)$", r"\1\nCreditSearchWalk 50"),
     "CreditSearchWalk", "100..100000 rows"),
    (replace_line(r"^(CreditSecretFile .*)$", r"\1\nCreditSearchWalk 300 400"),
     "CreditSearchWalk", "a probe of 10 rows up to them"),
    (replace_line(r"^(CreditSecretFile .*)$", r"\1\nCreditExports 0"),
     "CreditExports", "expected 1..1000 exports at a time"),
    (replace_line(r"^(CreditSecretFile .*)$", r"\1\nCreditExports 2 70000"),
     "CreditExports", "a wait of 0..60000 ms"),
], ids=["secret-file-missing", "unknown-provider", "shmcb-not-loaded", "pool-max-0",
        "keep-above-max", "template-dir-missing", "official-lookups-0", "replica-without-host",
        "replica-bad-key", "replica-lag-too-small", "replica-check-above-lag",
        "walk-too-short", "probe-above-walk", "exports-0", "exports-wait-too-long"])
def test_mistakes_fail_the_configtest_naming_the_directive(stack, tmp_path, edit, names, says):
    r = configtest(variant(stack, tmp_path, edit))
    assert r.returncode != 0, "configtest passed: %s" % r.stderr
    assert names in r.stderr and says in r.stderr, r.stderr


def test_a_bad_key_file_fails_the_configtest(stack, tmp_path):
    keys = tmp_path / "keys"
    keys.write_text("not a hex key\n")
    r = configtest(variant(stack, tmp_path, replace_line(
        r"^CreditSecretFile .*$", 'CreditSecretFile "%s"' % keys)))
    assert r.returncode != 0 and "CreditSecretFile" in r.stderr, r.stderr


def test_what_fails_only_at_run_time_turns_the_forms_off_not_httpd(stack, world, tmp_path):
    """A rate-limit cache that configtest accepts but that cannot start (a
    DBM file in a directory that does not exist): httpd starts,
    reading works, the complaint form answers 503 with a clear page, and the
    error log says why (CR0107)."""
    var = tmp_path / "var"
    shutil.copytree(stack.var / "secrets", var / "secrets")
    port, = free_ports(1)
    env = dict(stack.env, CREDIT_VAR=str(var), PORT=str(port))
    script = str(ROOT / "scripts" / "httpd.sh")
    conf_d = var / "httpd" / "conf.d"
    conf_d.mkdir(parents=True)
    # The generated configuration says shmcb; this later line wins.
    (conf_d / "broken-cache.conf").write_text(
        "LoadModule socache_dbm_module /usr/lib/apache2/modules/mod_socache_dbm.so\n"
        "CreditRateLimitCache dbm:/nonexistent/dir/ratelimit.db\n")
    try:
        r = subprocess.run([script, "configtest"], env=env, capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, r.stderr
        subprocess.run([script, "start"], env=env, check=True, capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=120)
        base = "http://127.0.0.1:%d/credit" % port
        assert requests.get(base + "/records", timeout=10).status_code == 200
        form = requests.get(base + "/complaints/new", timeout=10)
        assert form.status_code == 503, form.status_code
        log = (var / "log" / "httpd-error.log").read_text()
        assert "CR0107" in log and "CreditRateLimitCache" in log, log[-2000:]
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=60)


def test_pools_larger_than_the_database_allows_are_warned_of(stack, world, tmp_path):
    """ServerLimit 8 x CreditDBPoolMax 32 (at most ThreadsPerChild) x three
    database users fit MariaDB's max_connections in the test stack; with
    max_connections lowered below that, the start warns (CR0112) naming the
    directives, and serves. The stack's own start warned of nothing (its
    first start: tests that add virtual hosts with databases of their own,
    as test_vhosts.py does, may rightly be warned of when they reload)."""
    log = stack.error_log.read_text()
    first_start = log[:log.index("resuming normal operations")]
    assert "CR0112" not in first_start
    var = tmp_path / "var"
    shutil.copytree(stack.var / "secrets", var / "secrets")
    port, = free_ports(1)
    env = dict(stack.env, CREDIT_VAR=str(var), PORT=str(port))
    script = str(ROOT / "scripts" / "httpd.sh")
    before = stack.sql("SELECT @@max_connections")[0][0]
    stack.sql("SET GLOBAL max_connections = 300")
    try:
        subprocess.run([script, "start"], env=env, check=True, capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=120)
        assert requests.get("http://127.0.0.1:%d/credit/records" % port,
                            timeout=10).status_code == 200
        log = (var / "log" / "httpd-error.log").read_text()
        warn = [l for l in log.splitlines() if "CR0112" in l]
        assert warn and ":warn]" in warn[0], log[-2000:]
        assert "768 database connections" in warn[0] and "max_connections (300)" in warn[0]
        assert "CreditDBPoolMax" in warn[0]
    finally:
        stack.sql("SET GLOBAL max_connections = %s" % before)
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=60)
