"""A small load for the fault tests (tests/topology): readers and citizens
sending complaints through a balancer in front of the two hosts, every
answer counted by the phase it was asked in (before / fault / after).

The Balancer does what the one in front of a real site does (haproxy with
`retries` and `option redispatch`, or nginx's `proxy_next_upstream`): turn
by turn over the hosts; a host that refuses a connection or drops it
unanswered is left out for a second; a GET that failed so is sent to the
next host at once. A POST is never resent by the balancer (it is not
idempotent for it): the citizen whose connection broke sends the form again,
as a person clicks again, and the form's token makes that safe.

Standard library plus requests."""
import collections
import itertools
import threading
import time

import requests

import citizen

OK_READ = {200, 304, 410}


class Balancer:
    def __init__(self, hosts):
        self.hosts = list(hosts)
        self.turn = itertools.count()
        self.out_until = {h.name: 0.0 for h in self.hosts}
        self.lock = threading.Lock()
        self.redispatched = 0

    def order(self):
        """The hosts in the order to try them: the next in turn first, those
        left out last (still tried when nothing else is left)."""
        n = next(self.turn)
        hosts = self.hosts[n % len(self.hosts):] + self.hosts[:n % len(self.hosts)]
        now = time.monotonic()
        return ([h for h in hosts if self.out_until[h.name] <= now]
                + [h for h in hosts if self.out_until[h.name] > now])

    def leave_out(self, host):
        with self.lock:
            self.out_until[host.name] = time.monotonic() + 1.0

    def get(self, session, path, **kw):
        kw.setdefault("timeout", 15)
        kw.setdefault("allow_redirects", False)
        last = None
        for i, h in enumerate(self.order()):
            try:
                r = session.get(h.url(path), **kw)
                if i:
                    with self.lock:
                        self.redispatched += 1
                return r
            except requests.ConnectionError as e:
                last = e
                self.leave_out(h)
        raise last

    def post(self, session, path, data, headers):
        h = self.order()[0]
        try:
            return session.post(h.url(path), data=data, headers=headers, timeout=30,
                                allow_redirects=False)
        except requests.ConnectionError:
            self.leave_out(h)
            raise


class Load:
    """Readers over `paths` and submitters of complaints, until stop()."""

    def __init__(self, balancer, paths, readers=3, submitters=2, tokens_each=70,
                 pause=0.02, submit_pause=0.25):
        self.bal = balancer
        self.paths = paths
        self.phase = "before"
        self.reads = []        # (phase, path, status or exception name, seconds)
        self.submissions = []  # dicts, see submit_one
        self.stopping = threading.Event()
        self.pause = pause
        self.submit_pause = submit_pause
        self.lock = threading.Lock()
        self.serial = itertools.count(1)
        self.prefix = citizen.unique("拓扑")
        # Tokens served ahead (a form may be sent 1 s after it was served).
        with requests.Session() as s:
            self.tokens = [[citizen.hidden_token(self.bal.get(s, citizen.COMPLAINT_FORM).text)
                            for _ in range(tokens_each)] for _ in range(submitters)]
        citizen.wait_fill(_MinFill, *[t for ts in self.tokens for t in ts])
        self.threads = ([threading.Thread(target=self.read_loop, args=(i,), daemon=True)
                         for i in range(readers)]
                        + [threading.Thread(target=self.submit_loop, args=(ts,), daemon=True)
                           for ts in self.tokens])

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in self.threads), "load threads did not finish"

    def read_loop(self, i):
        paths = itertools.cycle(self.paths[i % len(self.paths):] + self.paths[:i % len(self.paths)])
        with requests.Session() as s:
            while not self.stopping.is_set():
                path = next(paths)
                phase = self.phase
                t = time.monotonic()
                try:
                    status = self.bal.get(s, path).status_code
                except requests.RequestException as e:
                    status = type(e).__name__
                with self.lock:
                    self.reads.append((phase, path, status, time.monotonic() - t))
                time.sleep(self.pause)

    def submit_loop(self, tokens):
        with requests.Session() as s:
            for token in tokens:
                if self.stopping.is_set():
                    return
                self.submit_one(s, token)
                time.sleep(self.submit_pause)

    def submit_one(self, session, token):
        """Sends one complaint until it has its receipt (a 503 or a broken
        connection: sent again, the same form, as a person would)."""
        n = next(self.serial)
        marker = "%s-%04d" % (self.prefix, n)
        data = dict(citizen.complaint(marker), token=token, website="")
        headers = {"X-Forwarded-For": "10.77.%d.%d" % (n // 250, 1 + n % 250)}
        sub = {"marker": marker, "phase": self.phase, "answers": [], "receipt": None,
               "replayed": False, "kept": True, "seconds": None}
        first = time.monotonic()
        deadline = first + 90
        while time.monotonic() < deadline:
            try:
                r = self.bal.post(session, citizen.COMPLAINT_POST, data, headers)
            except requests.RequestException as e:
                sub["answers"].append(type(e).__name__)
                time.sleep(0.2)
                continue
            sub["answers"].append(r.status_code)
            if r.status_code == 201:
                no, _code, replayed = citizen.receipt(r)
                sub["receipt"] = no
                sub["replayed"] = replayed
                sub["seconds"] = time.monotonic() - first
                break
            if r.status_code == 503:
                # What was typed comes back with the form and its token.
                if marker not in r.text or citizen.hidden_token(r.text) != token:
                    sub["kept"] = False
                time.sleep(0.3)
                continue
            break  # anything else is reported by the test
        with self.lock:
            self.submissions.append(sub)

    # -- what happened -------------------------------------------------------
    def read_counts(self):
        """{phase: Counter(status)}"""
        out = collections.defaultdict(collections.Counter)
        for phase, _path, status, _secs in self.reads:
            out[phase][status] += 1
        return out

    def bad_reads(self):
        return [(p, path, st) for p, path, st, _s in self.reads if st not in OK_READ]

    def summary(self):
        counts = self.read_counts()
        reads = "; ".join("%s %s" % (phase, dict(sorted(c.items(), key=str)))
                          for phase, c in sorted(counts.items(),
                                                 key=lambda kv: ["before", "fault",
                                                                 "after"].index(kv[0])))
        slowest = {}
        for phase, _path, _status, secs in self.reads:
            slowest[phase] = max(slowest.get(phase, 0), secs)
        answers = collections.Counter(a for s in self.submissions for a in s["answers"])
        waits = [s["seconds"] for s in self.submissions if s["seconds"] is not None]
        return ("reads %d (%s; slowest %s s), %d sent to the other host by the balancer; "
                "submissions %d, receipts %d (%d of them the first receipt again), answers %s, "
                "longest wait for a receipt %.1f s"
                % (len(self.reads), reads,
                   "/".join("%.2f" % slowest[p] for p in ("before", "fault", "after")
                            if p in slowest),
                   self.bal.redispatched, len(self.submissions),
                   sum(1 for s in self.submissions if s["receipt"]),
                   sum(1 for s in self.submissions if s["replayed"]),
                   dict(sorted(answers.items(), key=str)), max(waits or [0])))


class _MinFill:
    """citizen.wait_fill wants a stack with the forms' minimum fill time."""
    env = {"CREDIT_FORM_MIN_SECONDS": "1"}
