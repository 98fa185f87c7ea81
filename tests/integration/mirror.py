"""A mirror of the public records, as docs/MIRRORING.md tells an operator to
build one, and the reference implementation of the record digest and the
checksum of the public set (the server computes them in SQL, sql/020_feed.sql,
and in C, mod_credit/view/credit_dump.c). Standard library and requests only."""
import csv
import gzip
import hashlib
import io
import json

# The fields of a record the digest covers, in order: paths into the API's
# record (JSON Lines of a dump, /api/v1/records, /api/v1/records/{no}).
DIGEST_FIELDS = (
    ("no",), ("title",), ("category",), ("domain",), ("severity",), ("status",),
    ("decision_no",), ("authority",), ("decided_on",), ("disclosed_on",), ("amount",),
    ("facts",), ("legal_basis",), ("correction_note",), ("rectification", "text"),
    ("rectification", "due"), ("rectification", "done"), ("updated_at",), ("subject", "id"),
    ("subject", "name"), ("subject", "credit_code"), ("subject", "position"),
)


def canonical(record):
    """The canonical form: each field as <length in bytes>:<UTF-8 bytes>, and
    a null as ~, each followed by a comma; true/false and numbers as JSON
    writes them."""
    out = bytearray()
    for path in DIGEST_FIELDS:
        v = record
        for key in path:
            v = v[key]
        if v is None:
            out += b"~,"
            continue
        if v is True or v is False:
            v = "true" if v else "false"
        b = str(v).encode("utf-8")
        out += b"%d:" % len(b) + b + b","
    return bytes(out)


def digest(record):
    """The first 64 bits (big-endian) of the SHA-256 of the canonical form."""
    return int.from_bytes(hashlib.sha256(canonical(record)).digest()[:8], "big")


def hex64(v):
    return "%016x" % v


def checksum(records):
    """The checksum of a set of records: the XOR of their digests, 16 hex digits."""
    x = 0
    for r in records:
        x ^= digest(r)
    return hex64(x)


class Mirror:
    """A copy of the public set: records by number, and the feed position."""

    def __init__(self, session_get):
        self.get = session_get  # get(url, **kw) -> requests.Response
        self.records = {}
        self.version = None
        self.applied = []  # (seq, op, reason, no) in the order applied

    def load_dump(self, entry):
        """Takes a JSON Lines dump of the index: checks its size and SHA-256,
        then holds exactly its records at its version."""
        raw = fetch_file(self.get, entry)
        records = [json.loads(line) for line in gzip.decompress(raw).decode("utf-8").splitlines()]
        assert len(records) == entry["rows"], (len(records), entry["rows"])
        self.records = {r["no"]: r for r in records}
        assert len(self.records) == len(records), "a record twice in the dump"
        self.version = entry["version"]
        return records

    def follow(self, changes_url, limit=1000):
        """Applies /changes?since=<version> until the end: ADD and MOD fetch
        the record (a record changed again since the entry comes back with
        another digest: a later entry announces it), DEL drops it. Returns the
        last answer (its version, records and checksum describe the set at
        next_since)."""
        while True:
            r = self.get(changes_url, params={"since": str(self.version), "limit": limit})
            assert r.status_code == 200, (r.status_code, r.text[:300])
            j = r.json()
            for c in j["changes"]:
                if c["op"] == "DEL":
                    self.records.pop(c["no"], None)
                else:
                    rec = self.get(c["url"])
                    if rec.status_code == 200:
                        self.records[c["no"]] = rec.json()["record"]
                    else:  # withdrawn since: a later DEL says so
                        assert rec.status_code in (404, 410), rec.status_code
                self.applied.append((c["seq"], c["op"], c["reason"], c["no"]))
            self.version = int(j["next_since"])
            if not j["more"]:
                return j

    def checksum(self):
        return checksum(self.records.values())


def fetch_file(get, entry):
    """The bytes of a dump file of the index, checked against its size and
    SHA-256 (the bytes as served: no transfer decoding)."""
    r = get(entry["url"], stream=True)
    assert r.status_code == 200, (entry["url"], r.status_code)
    raw = r.raw.read(decode_content=False)
    assert len(raw) == entry["bytes"], (entry["file"], len(raw), entry["bytes"])
    assert hashlib.sha256(raw).hexdigest() == entry["sha256"], entry["file"]
    return raw


def csv_rows(raw_gz):
    """The rows of a CSV dump (header first), parsed as RFC 4180 after the BOM."""
    text = gzip.decompress(raw_gz).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))
