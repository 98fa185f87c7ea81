"""The daily dumps for the national platform and journalists (issue 14, point
4): scripts/dumps.sh (credit-dump) writes every public record as JSON Lines
and CSV (gzip) from one snapshot with index.json; /api/v1/dumps lists them
with their URLs, Apache serves the files. A dump holds exactly the public
set at its version (rows = the index's = the API's total), its bytes match
the index's size and SHA-256, its JSON Lines are the API's records and its
CSV is the export's; and a mirror that loads the latest dump and follows
/changes?since=<its version> holds the server's checksum at the end.

Rows of this module: records TJZW-2097-0008NN."""
import datetime
import gzip
import itertools
import json
import re

import pytest
import requests

import mirror
import world as world_mod

DAY = datetime.timedelta(days=1)
NAME = re.compile(r"records-(\d{8})-v(\d+)\.(jsonl|csv)\.gz")
_serial = itertools.count(801)


def next_no():
    return "TJZW-2097-%06d" % next(_serial)


def get(url, **kw):
    kw.setdefault("timeout", 30)
    return requests.get(url, **kw)


def dump(stack):
    """Runs today's dump as make run does; returns the API's index."""
    stack.script("dumps.sh")
    r = stack.get("/api/v1/dumps")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json; charset=utf-8"
    return r.json()["dumps"]


def latest(entries, fmt):
    return next(e for e in entries if e["format"] == fmt)


def api_records(stack):
    """Every public record as /api/v1/records serves it, by number."""
    out, url = {}, stack.url("/api/v1/records?limit=100")
    while url:
        j = get(url).json()
        for it in j["items"]:
            out[it["no"]] = it
        url = j["next"]
    return out


def feed_end(stack):
    j = stack.get("/api/v1/changes", params={"since": "0", "limit": 1}).json()
    return int(j["version"])


@pytest.fixture(scope="module")
def dumped(stack, world):
    entries = dump(stack)
    return entries


def test_index_lists_both_formats_of_one_snapshot(stack, world, dumped):
    today = world.today.strftime("%Y%m%d")
    assert [e["format"] for e in dumped[:2]] == ["jsonl", "csv"]
    j, c = dumped[0], dumped[1]
    for e in (j, c):
        m = NAME.fullmatch(e["file"])
        assert m and m.group(1) == today and int(m.group(2)) == e["version"], e["file"]
        assert m.group(3) == e["format"]
        assert e["date"] == world.today.isoformat()
        assert e["url"] == stack.base_url + "/dumps/" + e["file"]
        assert re.fullmatch(r"[0-9a-f]{64}", e["sha256"]) and re.fullmatch(r"[0-9a-f]{16}",
                                                                            e["checksum"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", e["generated_at"])
    for k in ("date", "version", "rows", "records", "checksum", "generated_at"):
        assert j[k] == c[k], k
    assert j["rows"] == j["records"] > 100
    # the version is the change feed's end at the snapshot: its set has that many records
    state = stack.sql("SELECT records, LPAD(LOWER(HEX(checksum)), 16, '0') FROM record_changes"
                      " WHERE seq = %s", (j["version"],))
    assert state == [(j["records"], j["checksum"])]


def test_files_match_the_index_and_the_public_set(stack, world, dumped):
    """Downloaded through Apache: size and SHA-256 as the index says; the
    JSON Lines are the API's records, as many as the public set has, with
    the feed's checksum; the CSV is the export /records.csv, byte for byte."""
    j, c = latest(dumped, "jsonl"), latest(dumped, "csv")
    version = feed_end(stack)
    assert version == j["version"], "the feed moved since the dump: the test needs a still world"
    m = mirror.Mirror(get)
    rows = m.load_dump(j)
    api = api_records(stack)
    total = stack.get("/api/v1/records", params={"limit": 1}).json()["total"]
    assert len(rows) == j["rows"] == total == len(api)
    assert m.records == api, "the dump's records differ from the API's"
    assert mirror.checksum(rows) == j["checksum"]
    raw = mirror.fetch_file(get, c)
    export = stack.get("/records.csv", timeout=60)
    assert export.status_code == 200
    assert gzip.decompress(raw) == export.content
    table = mirror.csv_rows(raw)
    assert len(table) == c["rows"] + 1
    assert table[0][0] == "记录编号 record_no" and all(len(r) == len(table[0]) for r in table)
    assert {r[0] for r in table[1:]} == set(api)
    assert feed_end(stack) == version


def test_no_withdrawn_record_and_no_personal_data(stack, world, dumped):
    j, c = latest(dumped, "jsonl"), latest(dumped, "csv")
    texts = [gzip.decompress(mirror.fetch_file(get, e)).decode("utf-8-sig") for e in (j, c)]
    nos = {json.loads(line)["no"] for line in texts[0].splitlines()}
    for key in ("revoked", "repaired", "expired_status", "expired_long_ago", "expires_today",
                "future", "official_gone", "official_future"):
        assert world.no(key) not in nos, key
        assert world.no(key) not in texts[1], key
    assert world.no("official_full") in nos and world.no("published") in nos
    # an official's ID number (stored in full for this one) only masked
    full = world.subjects["official_full"].id_full
    for text in texts:
        assert full not in text
        assert world_mod.mask_id(full) in text


def test_index_file_and_api_agree_and_revalidate(stack, world, dumped):
    r = stack.get("/dumps/index.json")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert r.headers["Cache-Control"] == "no-cache"
    on_disk = r.json()["dumps"]
    assert [{k: v for k, v in e.items() if k != "url"} for e in dumped] == on_disk
    api = stack.get("/api/v1/dumps")
    again = stack.get("/api/v1/dumps", headers={"If-None-Match": api.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_dump_files_are_served_with_ranges_and_never_change(stack, world, dumped):
    j = latest(dumped, "jsonl")
    whole = mirror.fetch_file(get, j)
    r = get(j["url"], headers={"Range": "bytes=10-99"}, stream=True)
    assert r.status_code == 206
    assert r.raw.read(decode_content=False) == whole[10:100]
    h = get(j["url"], stream=True).headers
    assert "immutable" in h["Cache-Control"] and h["Content-Length"] == str(j["bytes"])
    # files being written are not served
    assert stack.get("/dumps/.credit-dump-index.json").status_code in (403, 404)


def test_a_second_dump_of_the_day_replaces_the_first(stack, world, dumped):
    """One dump per day: after a change, the day's dump is the new version
    and the old files are gone; without a change the same bytes again."""
    before = latest(dump(stack), "jsonl")
    subject = world_mod.add_gov(stack, "转储测试局", "baodi")
    rec = world_mod.add_record(stack, world, next_no(), subject, title="转储测试新增")
    after = dump(stack)
    today = [e for e in after if e["date"] == world.today.isoformat()]
    assert [e["format"] for e in today] == ["jsonl", "csv"]
    assert today[0]["version"] > before["version"]
    assert today[0]["rows"] == before["rows"] + 1
    assert get(before["url"]).status_code == 404
    nos = {json.loads(l)["no"] for l in
           gzip.decompress(mirror.fetch_file(get, today[0])).decode().splitlines()}
    assert rec.no in nos
    again = dump(stack)
    assert [(e["file"], e["sha256"]) for e in again] == [(e["file"], e["sha256"]) for e in after]


def test_keep_drops_older_days(stack, world, dumped):
    """--keep DAYS: the index keeps the newest DAYS days; older files go.
    An older day is made by renaming today's files as a day of last week."""
    d = stack.served / "dumps"
    dump(stack)
    old_day = (world.today - 7 * DAY).strftime("%Y%m%d")
    index = json.loads((d / "index.json").read_text())
    aged = []
    for e in index["dumps"]:
        a = dict(e, date=(world.today - 7 * DAY).isoformat(), version=e["version"] - 1)
        a["file"] = "records-%s-v%d.%s.gz" % (old_day, a["version"], a["format"])
        (d / a["file"]).write_bytes((d / e["file"]).read_bytes())
        aged.append(a)
    index["dumps"] += aged
    (d / "index.json").write_text(json.dumps(index))
    listed = dump(stack)
    assert {e["date"] for e in listed} == {world.today.isoformat(),
                                           (world.today - 7 * DAY).isoformat()}
    stack.script("dumps.sh", "--keep", "1")
    listed = stack.get("/api/v1/dumps").json()["dumps"]
    assert {e["date"] for e in listed} == {world.today.isoformat()}
    assert sorted(p.name for p in d.iterdir() if p.name != "index.json") == sorted(
        e["file"] for e in listed)


def test_mirror_replays_dump_and_changes_to_the_servers_checksum(stack, world, adm, dumped):
    """The latest dump, then every change since its version: the mirror's
    records and checksum are the server's at the end of the feed."""
    j = latest(dump(stack), "jsonl")
    m = mirror.Mirror(get)
    m.load_dump(j)
    assert m.checksum() == j["checksum"]
    # the staff at work: a new record, a contest and its end, a correction,
    # an edit, a repair, a revocation, a subject renamed
    subject = world_mod.add_gov(stack, "镜像测试局", "jizhou")
    added = world_mod.add_record(stack, world, next_no(), subject, title="镜像测试新增")
    no1, _ = adm.record()
    no2, _ = adm.record()
    no3, _ = adm.record()
    for no, events in ((no1, ("contest", "uncontest", "correct")), (no2, ("repair",)),
                       (no3, ("revoke",))):
        for ev in events:
            r = adm.event(no, ev)
            assert r.status_code == 200, (no, ev, r.text[:300])
    stack.sql("UPDATE subjects SET name = %s WHERE id = %s", ("镜像测试局(更名)", subject.id))
    end = m.follow(stack.url("/api/v1/changes"))
    assert int(end["next_since"]) == int(end["version"])
    assert end["records"] == len(m.records)
    assert m.checksum() == end["checksum"]
    api = api_records(stack)
    assert {no: {k: v for k, v in r.items() if k != "timeline"} for no, r in m.records.items()} \
        == api
    assert m.records[added.no]["subject"]["name"] == "镜像测试局(更名)"
    assert no1 in m.records and no2 not in m.records and no3 not in m.records
    # and a dump made now has that checksum too
    assert latest(dump(stack), "jsonl")["checksum"] == end["checksum"]


def test_dump_is_refused_when_the_feed_disagrees_with_the_records(stack, world):
    """A record changed behind the feed's back (a bulk load without its
    rebuild): credit-dump publishes nothing and says why; once the feed is
    rebuilt the dump works again."""
    before = stack.get("/api/v1/dumps").json()["dumps"]
    rec = world_mod.add_record(stack, world, next_no(), world.subjects["gov"],
                               title="转储校验测试")
    stack.sql("SET @credit_bulk_load = 1")
    try:
        stack.sql("UPDATE records SET title = %s WHERE id = %s", ("转储校验测试(未记入)", rec.id))
    finally:
        stack.sql("SET @credit_bulk_load = NULL")
    with pytest.raises(RuntimeError) as e:
        stack.script("dumps.sh")
    assert "CR1061" in str(e.value) and "nothing published" in str(e.value)
    assert stack.get("/api/v1/dumps").json()["dumps"] == before
    # the files of the refused dump are not left behind
    names = {p.name for p in (stack.served / "dumps").iterdir()}
    assert names == {"index.json"} | {e["file"] for e in before}
    stack.sql("UPDATE records SET title = %s WHERE id = %s", ("转储校验测试(已更正)", rec.id))
    assert latest(dump(stack), "jsonl")["rows"] >= 1
