"""Search against a plain LIKE oracle (issue 10): for 2- and 4-character
words taken from the test data's own titles, the most common and the
rarest, with and without filters, the records the API lists page after page
are exactly the public records whose text contains the word, newest first;
the total is that number, or (a frequent word, counted as far as the walk's
budget goes) a lower bound of it. Frequent words are walked in InnoDB, rare
ones come from the engine: both are compared."""
import collections
import random
import re

import pytest

import oracle as public_oracle
import portal

CJK = re.compile(r"[\u4e00-\u9fff]+")
BODY = "CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts, r.decision_no)"


def words(stack):
    titles = [t for (t,) in stack.sql("SELECT title FROM records")]
    out = []
    for n in (2, 4):
        count = collections.Counter()
        for t in titles:
            for run in CJK.findall(t):
                for i in range(len(run) - n + 1):
                    count[run[i:i + n]] += 1
        common = [w for w, _ in count.most_common(6)]
        rare = sorted(w for w, k in count.items() if k <= 2)
        random.Random(n).shuffle(rare)
        out += [(w, "common%d" % n) for w in common] + [(w, "rare%d" % n) for w in rare[:6]]
    return out


def oracle(stack, word, **f):
    """The public records whose text holds word (LIKE) and that match the
    filters f, in the list's order (public by oracle.py's rule)."""
    where = " AND " + BODY + " LIKE %s"
    args = ["%" + word + "%"]
    for col, v in f.items():
        where += " AND r.%s = %%s" % {"kind": "subject_kind"}.get(col, col)
        args.append(v)
    return public_oracle.public_nos(stack, portal.today(), where, args,
                                    join="JOIN subjects s ON s.id = r.subject_id")


def api_all(stack, word, **f):
    """Every record the API lists for q=word, following next; the first total."""
    r = stack.get("/api/v1/records", params=dict(f, q=word, limit=100))
    assert r.status_code == 200, r.text[:300]
    j = r.json()
    total, relation, nos = j["total"], j["total_relation"], [i["no"] for i in j["items"]]
    while j["next"]:
        r = stack.get(j["next"].split("/credit", 1)[1])
        assert r.status_code == 200
        j = r.json()
        nos += [i["no"] for i in j["items"]]
    return total, relation, nos


FILTERS = [{}, {"district": "heping"}, {"severity": "general"},
           {"category": "penalty", "kind": "gov"}]


def test_search_equals_the_like_oracle(stack, world):
    relations = collections.Counter()
    checked = 0
    for word, cls in words(stack):
        for f in FILTERS:
            want = oracle(stack, word, **f)
            total, relation, got = api_all(stack, word, **f)
            assert got == want, (word, cls, f, len(got), len(want))
            if relation == "eq":
                assert total == len(want), (word, f, total, len(want))
            else:  # a frequent word: the matches met, at least
                assert relation == "gte" and 21 <= total <= len(want), (word, f, total, len(want))
            relations[(cls[:-1], relation)] += 1
            checked += 1
    assert checked >= 40
    # Both ways were taken: frequent words walked (a lower bound), rare ones
    # counted exactly by the engine.
    assert relations[("common", "gte")] > 0 and relations[("rare", "eq")] > 0, relations


def test_a_withdrawn_record_leaves_both_ways_at_once(adm):
    """Revoked: gone from a frequent word's walk and a rare word's engine
    answer on the next request, in the list and the total."""
    stack = adm.stack
    rare = "蔺蹁"  # in no demo text
    no, _ = adm.record(title="撤回检验%s记录采购" % rare)
    assert api_all(stack, rare)[2] == [no]
    frequent = api_all(stack, "采购")
    assert no in frequent[2]
    assert adm.event(no, "revoke").status_code == 200
    assert api_all(stack, rare)[:3] == (0, "eq", [])
    after = api_all(stack, "采购")
    assert no not in after[2] and after[2] == oracle(stack, "采购")
