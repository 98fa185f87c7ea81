"""What every test harness of mod_credit needs to run servers on loopback:
free ports, waiting for a listener, reading a log from an offset, and the
lines of an error log that fail a test. Used by tests/integration and
tests/topology (their conftest.py) and by the tests that start servers of
their own."""
import os
import re
import socket
import time

# A line at level error/crit/alert/emerg, a segfault or a child's exit signal.
PROBLEM = re.compile(r"\[[\w.-]*:(?:error|crit|alert|emerg)\]|Segmentation fault|exit signal")
CRASH = re.compile(r"Segmentation fault|exit signal")


def free_ports(n):
    """n distinct free TCP ports on 127.0.0.1 (held together while chosen)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def wait_port(port, seconds=15):
    """Returns once 127.0.0.1:port accepts a connection; fails the test after
    `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "port %d never opened" % port
            time.sleep(0.1)


def file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def read_from(path, offset):
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""
