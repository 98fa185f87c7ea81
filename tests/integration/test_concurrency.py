"""Many requests at once across the pages: every answer right, no child
crashes (the error-log check of conftest.py catches 'exit signal')."""
import concurrent.futures
import time

import requests

from portal import record_numbers


def test_parallel_requests(stack, world):
    rec = world.records["published"]
    expect = {
        "/": 200,
        "/records": 200,
        "/records?district=heping&severity=serious": 200,
        "/records?sort=oldest&limit=50": 200,
        "/records/" + rec.no: 200,
        "/records/" + world.no("revoked"): 410,
        "/records/" + world.no("future"): 404,
        "/subjects/%d" % rec.subject.id: 200,
        "/api/v1/health": 200,
        "/records?district=nowhere": 400,
    }
    reference = {p: stack.get(p).text for p in expect}

    def one(path):
        with requests.Session() as s:
            r = s.get(stack.url(path), timeout=10)
            return path, r.status_code, r.text

    paths = list(expect) * 40  # (each request's timeout, 10 s, is the hang check)
    with concurrent.futures.ThreadPoolExecutor(20) as ex:
        results = list(ex.map(one, paths))
    for path, status, text in results:
        assert status == expect[path], path
        if path.startswith("/records") and status == 200:
            assert record_numbers(text) == record_numbers(reference[path]), path
        if path == "/records/" + rec.no:
            assert text == reference[path]
    time.sleep(1.2)  # the parent notices a crashed child within a second
