"""What the public sees, computed in Python from the raw rows by the rules
of SPEC section 3, not by the module's SQL: the oracle of the lists,
totals, exports and statistics tests.

SPEC 3: "A record is public while its status is not withdrawn and `now` is
inside its disclosure window"; the window opens on the disclosure date and
closes (withdrawn automatically) 3 months after it for a minor record, 1
year for a general one, 3 years for a serious one (NDRC Order 36). The
close is computed here (portal.clock), never read from the database's
computed columns (repair_from, withdraw_on), and the public order is the
list's: newest disclosure first, then the newest row (highest id).

Rows are read with plain column filters a test gives (`where`, SQL over
records AS r, e.g. " AND r.district = %s"): they say which rows a filter
selects, the public rule is applied afterwards, here."""
import collections
import re

import portal

WITHDRAWN = ("repaired", "revoked", "expired")  # SPEC 3: the withdrawn states

Row = collections.namedtuple(
    "Row", "id record_no subject_id subject_kind district category domain severity status"
           " disclosed_on")
COLUMNS = ("r.id, r.record_no, r.subject_id, r.subject_kind, r.district, r.category, r.domain,"
           " r.severity, r.status, r.disclosed_on")


def closes(row):
    """The day the record's disclosure window closes (it is not public from then)."""
    return portal.clock(row.severity, row.disclosed_on)[1]


def is_public(row, day):
    return row.status not in WITHDRAWN and row.disclosed_on <= day < closes(row)


def rows(stack, where="", params=(), join=""):
    """Every record (as Row) the plain filter `where` selects; `join` may add
    tables to the FROM clause (records is r)."""
    return [Row(*r) for r in stack.sql(
        "SELECT " + COLUMNS + " FROM records r " + join + " WHERE TRUE" + where, params)]


def public(stack, day=None, where="", params=(), oldest=False, join=""):
    """The records public on `day` (today by default) that `where` selects,
    in the list's order (oldest=True: oldest first)."""
    day = day or portal.today()
    out = [r for r in rows(stack, where, params, join) if is_public(r, day)]
    out.sort(key=lambda r: (r.disclosed_on, r.id), reverse=not oldest)
    return out


def public_nos(stack, day=None, where="", params=(), oldest=False, join=""):
    """The record numbers of public(...), in order."""
    return [r.record_no for r in public(stack, day, where, params, oldest, join)]


def count(stack, day=None, where="", params=(), join=""):
    return len(public(stack, day, where, params, join=join))


def count_by(stack, key, day=None, where="", params=()):
    """{key(row): number of public rows}; key is a Row field name or a function."""
    f = (lambda r: getattr(r, key)) if isinstance(key, str) else key
    return dict(collections.Counter(f(r) for r in public(stack, day, where, params)))


CJK = re.compile(r"[\u4e00-\u9fff]+")


def title_words(stack, n):
    """How many times each n-character run of Chinese characters occurs in
    the records' titles (every record, public or not): the words the search
    tests take, common and rare."""
    count = collections.Counter()
    for (t,) in stack.sql("SELECT title FROM records"):
        for run in CJK.findall(t):
            for i in range(len(run) - n + 1):
                count[run[i:i + n]] += 1
    return count
