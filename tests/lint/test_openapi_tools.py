"""The OpenAPI document through the tools of the issue that found its
problems (issue 12, point 8), from the npm registry (make lint-openapi; not
part of make test, whose machine may reach Debian's mirror only):
Redocly CLI's recommended rules report no error and no warning, and Dredd
compiles a request for every documented answer in a dry run. The document
is templates/api/openapi.json as the module serves it under /credit (the
module only writes the servers URL from its base;
tests/integration/test_openapi_lint.py checks that, and the same rules
without npm)."""
import fcntl
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Pinned: the rules (and so the verdict) do not change under the test. The
# 1.x line of Redocly CLI runs on Debian 12's Node.js 18 (2.x needs 20.19).
REDOCLY = ("@redocly/cli", "1.34.20", "redocly")
DREDD = ("dredd", "14.1.0", "dredd")
NPM = Path(os.environ.get("CREDIT_VAR", ROOT / "var")) / "npm"
QUIET = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
         "NO_UPDATE_NOTIFIER": "1", "npm_config_update_notifier": "false"}


def npm_tool(package, version, command):
    """The command of an npm package, installed into var/npm/<name>-<version>
    when it is not there yet (one installer at a time: a lock file beside
    it)."""
    where = NPM / ("%s-%s" % (package.replace("@", "").replace("/", "-"), version))
    binary = where / "node_modules" / ".bin" / command
    NPM.mkdir(parents=True, exist_ok=True)
    with open(str(where) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not binary.exists():
            where.mkdir(exist_ok=True)
            r = subprocess.run(
                ["npm", "install", "--prefix", str(where), "--no-audit", "--no-fund",
                 "--ignore-scripts", "--loglevel=error", "%s@%s" % (package, version)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                env={**os.environ, **QUIET}, timeout=900)
            assert r.returncode == 0 and binary.exists(), "npm install %s@%s failed:\n%s" % (
                package, version, r.stdout.decode("utf-8", "replace")[-3000:])
    return binary


@pytest.fixture(scope="module")
def redocly():
    return npm_tool(*REDOCLY)


@pytest.fixture(scope="module")
def dredd():
    return npm_tool(*DREDD)


def lint(redocly, doc, tmp_path):
    """Redocly's recommended rules on doc: (errors, warnings, problems)."""
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    # In a directory of its own: no redocly.yaml from anywhere else applies.
    r = subprocess.run([str(redocly), "lint", "--extends=recommended", "--format=json", str(path)],
                       cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env={**os.environ, **QUIET}, timeout=300)
    out = r.stdout.decode("utf-8")
    report = json.loads(out[out.index("{"):])
    problems = ["%s %s: %s at %s" % (p["severity"], p["ruleId"], p["message"],
                                     ", ".join(l.get("pointer", "?") for l in p["location"]))
                for p in report["problems"]]
    assert (r.returncode != 0) == (report["totals"]["errors"] > 0), (r.returncode, out[-2000:])
    return report["totals"]["errors"], report["totals"]["warnings"], problems


@pytest.fixture(scope="module")
def served():
    """The document as the module serves it at /credit/api/v1/openapi.json."""
    doc = json.loads((ROOT / "templates" / "api" / "openapi.json").read_text(encoding="utf-8"))
    doc["servers"] = [{"url": "/credit/api/v1"}]
    return doc


def test_the_served_document_is_lint_clean(redocly, served, tmp_path):
    errors, warnings, problems = lint(redocly, served, tmp_path)
    assert (errors, warnings) == (0, 0), "Redocly (recommended):\n" + "\n".join(problems)


def test_the_linter_finds_what_the_issue_reported(redocly, served, tmp_path):
    """The same linter on the document without what was added: it reports
    each missing piece (so a linter that passes everything would fail the
    test above's guard here)."""
    doc = json.loads(json.dumps(served))
    del doc["security"]
    del doc["info"]["license"]
    del doc["paths"]["/stats"]["get"]["operationId"]
    del doc["paths"]["/health"]["get"]["responses"]["400"]
    errors, warnings, problems = lint(redocly, doc, tmp_path)
    text = "\n".join(problems)
    assert errors == len(doc["paths"]), text          # security-defined, each operation
    for rule in ("info-license", "operation-operationId", "operation-4xx-response"):
        assert rule in text, text


def dry_run(dredd, doc, tmp_path):
    """Dredd's dry run on doc (it compiles a request for every documented
    answer and sends none): (exit status, output)."""
    path = tmp_path / "dredd.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run([str(dredd), str(path), "http://127.0.0.1:9/credit/api/v1", "--dry-run",
                        "--color=false"], cwd=tmp_path, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env={**os.environ, **QUIET}, timeout=300)
    return r.returncode, r.stdout.decode("utf-8", "replace")


def test_dredd_compiles_a_request_for_every_documented_answer(dredd, served, tmp_path):
    rc, out = dry_run(dredd, served, tmp_path)
    assert rc == 0, out[-3000:]
    assert not re.search(r"^error:", out, re.M), out[-3000:]
    answers = sum(max(1, len(resp.get("content", {}))) for item in served["paths"].values()
                  for op in item.values() for resp in op["responses"].values())
    assert re.search(r"complete: 0 passing, 0 failing, 0 errors, %d skipped, %d total"
                     % (answers, answers), out), out[-2000:]
    # what the issue met: without the examples Dredd refuses the document
    doc = json.loads(json.dumps(served))
    for item in doc["paths"].values():
        for p in item["get"].get("parameters", []):
            p.pop("example", None)
    rc, out = dry_run(dredd, doc, tmp_path)
    assert rc != 0 and "has no example or default value" in out, out[-2000:]
