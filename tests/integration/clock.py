"""The servers' clock in the tests: libfaketime (Debian's faketime package)
preloaded into httpd and MariaDB, reading the time from a clock file.

The module takes "today" from the request's time (Beijing time) and MariaDB
from its own clock, so a test that sets the clock file moves both: the file
holds an offset in seconds from the real time, which every process re-reads
within a second of a change. The suite's servers run on a session clock
(conftest.py) that starts at 10:00 Beijing time of the real date, or at
CREDIT_TEST_NOW ("YYYY-MM-DD HH:MM[:SS]", Beijing time): a session never
crosses midnight unless it asks to, and any date can be tried:

    CREDIT_TEST_NOW="2027-01-02 00:10" python3 -m pytest tests/integration

The tests read the same clock through portal.now() and portal.today().
Standard library only."""
import datetime
import os
import shutil
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"
BEIJING = ZoneInfo("Asia/Shanghai")


def parse_beijing(text):
    """'YYYY-MM-DD HH:MM[:SS]' (or with T) as an aware datetime in Beijing time."""
    d = datetime.datetime.fromisoformat(text.strip().replace("T", " "))
    if d.tzinfo is None:
        d = d.replace(tzinfo=BEIJING)
    return d.astimezone(BEIJING)


class Clock:
    """A clock file and the environment that makes a server follow it.

    The file is in a directory of its own outside the checkout, readable by
    httpd's children (www-data when the tests run as root)."""

    def __init__(self, at, name="clock", cache=True):
        """cache=False: the processes read the file at every call (slower,
        but a change is seen at once); by default within a second."""
        assert os.path.exists(LIB), "faketime is not installed (scripts/deps.sh test)"
        self.cache = cache
        self.dir = Path(tempfile.mkdtemp(prefix="credit-%s-" % name))
        self.dir.chmod(0o755)
        self.path = self.dir / "faketime"
        self.offset = 0
        self.set(at)

    def set(self, at):
        """Moves the clock so that it reads `at` (an aware datetime) now;
        the servers follow within a second (at once with cache=False)."""
        self.offset = round(at.timestamp() - time.time())
        tmp = self.dir / "faketime.new"
        tmp.write_text("%+d\n" % self.offset)
        tmp.chmod(0o644)
        os.replace(tmp, self.path)

    def freeze(self, at):
        """Stops the clock at `at` (aware datetime): every process reads that
        same second until set() starts it again. now() and timestamp() do
        not follow a frozen clock."""
        tmp = self.dir / "faketime.new"
        tmp.write_text("%d\n" % int(at.timestamp()))
        tmp.chmod(0o644)
        os.replace(tmp, self.path)

    def timestamp(self):
        """Unix seconds on this clock."""
        return time.time() + self.offset

    def now(self):
        """The time on this clock, in Beijing time."""
        return datetime.datetime.fromtimestamp(self.timestamp(), BEIJING)

    def today(self):
        return self.now().date()

    def env(self):
        """What a process needs in its environment to run on this clock.
        The monotonic clocks stay real (timeouts and sleeps are untouched)."""
        env = {"LD_PRELOAD": LIB, "FAKETIME_TIMESTAMP_FILE": str(self.path),
               "FAKETIME_DONT_FAKE_MONOTONIC": "1",
               "FAKETIME_FMT": "%s"}  # a stopped clock (freeze) in Unix seconds
        if self.cache:
            env["FAKETIME_CACHE_DURATION"] = "1"
        else:
            env["FAKETIME_NO_CACHE"] = "1"
        return env

    def wrapper(self, dest, program):
        """An executable script at dest that runs program on this clock."""
        lines = ["#!/bin/sh"]
        for k, v in sorted(self.env().items()):
            if k == "LD_PRELOAD":
                # before a sanitizer runtime scripts/apache2.sh preloads
                # (after it, the runtime's start hangs in libfaketime's
                # clock_gettime), which is told not to insist on being first
                lines.append("export LD_PRELOAD=\"%s${LD_PRELOAD:+:$LD_PRELOAD}\"" % v)
                lines.append('[ -n "$ASAN_OPTIONS" ] &&'
                             ' export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"')
            else:
                lines.append("export %s='%s'" % (k, v))
        lines.append('exec %s "$@"' % program)
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text("\n".join(lines) + "\n")
        dest.chmod(0o755)
        return dest

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def session_start():
    """Where the session clock starts: CREDIT_TEST_NOW, or 10:00 Beijing
    time of today's real date (far from midnight either way)."""
    text = os.environ.get("CREDIT_TEST_NOW")
    if text:
        return parse_beijing(text)
    real = datetime.datetime.now(BEIJING)
    return real.replace(hour=10, minute=0, second=0, microsecond=0)
