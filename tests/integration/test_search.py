"""Chinese full-text search (issue 3, point 1): 2- and 4-character words match
in the subject name, the title, the facts and the decision number; the query
language (AND, "phrases", -exclusion, OR) gives what a plain reading of the
fixture texts gives; hostile input is a plain search; exact lookups by credit
code and decision number; filters combine; the three sorts; highlighting;
and the derived search table follows every write and survives a reindex.

The fixture records (TJZW-2097-0001NN) use words no other row contains
(checked), so every expected result set is exact, not a subset."""
import datetime
import html
import re

import pytest

import oracle
import portal
import world as world_mod
from portal import record_numbers

DAY = datetime.timedelta(days=1)

# words of the fixture texts, unique in the database
NAME2 = "鸑鷟"        # only in a subject name
TITLE2 = "貔貅"       # only in a title
FACTS2 = "饕餮"       # only in facts
DECISION2 = "鼋鼍"    # only in a decision number
FOUR = "魑魅魍魉"     # a 4-character word; its halves also occur apart
A, B, C, D = "蜉蝣", "螭吻", "狻猊", "睚眦"    # the grid of the query language
SORTW = "椒图"        # sort and relevance
MARKW = "獬豸"        # highlighting
OLDW, NEWW, RENAMEW, GONEW, DOMW = "穷奇", "梼杌", "蛊雕", "九婴", "当康"   # writes
HOSTILE_TITLE = "招标串通(围标)案"
HOSTILE_FACTS = '引号"双引号"与反斜杠\\路径 星号*D+ 括号) 冒号x:@y 波浪~号'
MARK_TITLE = "<b>%s</b> & \"引\" '单' <script>x</script>" % MARKW
ALL_WORDS = [NAME2, TITLE2, FACTS2, DECISION2, FOUR, "魑魅", "魍魉", A, B, C, D, SORTW, MARKW,
             OLDW, NEWW, RENAMEW, GONEW, DOMW, "串通(围标)", "反斜杠\\路径"]


class Search:
    """The module's rows: records by key, their subjects, texts."""

    def __init__(self):
        self.records = {}

    def no(self, key):
        return self.records[key].no

    def body(self, key):
        r = self.records[key]
        return " ".join([r.subject.name, r.title, r.facts, r.decision_no])


@pytest.fixture(scope="module")
def sx(stack, world):
    for w in ALL_WORDS:
        like = "%" + w.replace("\\", "\\\\") + "%"
        n = stack.sql("SELECT (SELECT COUNT(*) FROM records WHERE title LIKE %s OR facts LIKE %s"
                      " OR decision_no LIKE %s) + (SELECT COUNT(*) FROM subjects"
                      " WHERE name LIKE %s)", (like,) * 4)[0][0]
        assert n == 0, "the word %s already occurs in the database" % w
    t = world.today
    x = Search()
    named = world_mod.add_gov(stack, "天津市%s区测试局" % NAME2, "hexi")
    plain = world_mod.add_gov(stack, "搜索测试甲局", "heping")
    hexi = world_mod.add_gov(stack, "搜索测试乙局", "hexi")
    x.plain, x.named, x.hexi = plain, named, hexi
    seq = iter(range(101, 200))

    def rec(key, subject, title, facts="无关事实。", **kw):
        x.records[key] = world_mod.add_record(stack, world, "TJZW-2097-%06d" % next(seq), subject,
                                              title=title, facts=facts, **kw)

    rec("name", named, "普通标题一")
    rec("title", plain, "关于%s的处罚决定" % TITLE2)
    rec("facts", plain, "普通标题三", facts="涉及%s的事实。" % FACTS2)
    rec("decision", plain, "普通标题四", decision_no="津%s罚〔2097〕104号" % DECISION2)
    rec("four", plain, "%s案" % FOUR)
    rec("four_split", plain, "魍魉与魑魅")
    # the grid: A B C D in several arrangements
    rec("ab", plain, "%s %s" % (A, B))
    rec("ab_adjacent", plain, A + B)
    rec("ba_adjacent", plain, B + A)
    rec("bc", hexi, "%s %s" % (B, C), severity="serious", domain="debt")
    rec("a_c", plain, A, facts="事实%s。" % C, severity="minor")
    rec("d", hexi, D, domain="ppp")
    rec("abcd", hexi, " ".join([A, B, C, D]), severity="serious", domain="debt")
    rec("ab_space", plain, "%s  %s" % (A, B), facts="", category="breach")
    # a withdrawn and a future record hold the words too: never found
    rec("a_revoked", plain, A + B, status="revoked", withdrawn_on=t - DAY)
    rec("a_future", plain, A + B, disclosed=t + 2 * DAY)
    # sorts: different dates and numbers of occurrences
    rec("s1", plain, SORTW, disclosed=t - 1 * DAY)
    rec("s2", plain, SORTW * 3, disclosed=t - 5 * DAY)
    rec("s3", plain, SORTW, facts=SORTW * 4, disclosed=t - 5 * DAY)
    rec("s4", plain, SORTW + " " + SORTW, disclosed=t - 20 * DAY)
    rec("s5", plain, "第五" + SORTW, disclosed=t - 40 * DAY)
    rec("hostile", plain, HOSTILE_TITLE, facts=HOSTILE_FACTS)
    rec("mark", plain, MARK_TITLE)
    rec("write_title", plain, "原标题%s" % OLDW)
    rec("write_subject", world_mod.add_gov(stack, "改名前测试局", "heping"), "改名测试记录")
    rec("write_revoke", plain, "将撤销的%s记录" % GONEW)
    rec("write_domain", plain, "换领域的%s记录" % DOMW, domain="bidding")
    return x


def api(stack, **params):
    """(total, record numbers) of the JSON list, one page of up to 100."""
    params.setdefault("limit", 100)
    r = stack.get("/api/v1/records", params=params)
    assert r.status_code == 200, (params, r.status_code, r.text[:300])
    j = r.json()
    return j["total"], [i["no"] for i in j["items"]]


def html_list(stack, **params):
    params.setdefault("limit", 100)
    r = stack.get("/records", params=params)
    assert r.status_code == 200, (params, r.status_code)
    return portal.total(r.text), record_numbers(r.text), r.text


def found(stack, q, **params):
    """The set found by q in the JSON API, checked against the HTML list."""
    total, nos = api(stack, q=q, **params)
    assert total == len(nos), "more than one page for %r" % q
    h_total, h_nos, _ = html_list(stack, q=q, **params)
    assert (h_total, sorted(h_nos)) == (total, sorted(nos)), q
    return set(nos)


def phrase_re(term):
    """A term or phrase as Mroonga reads it: a space matches any run of white
    space, also none; ASCII letters ignore case."""
    return re.compile(r"\s*".join(re.escape(p) for p in term.split(" ")), re.I)


def matches(body, term):
    return phrase_re(term).search(body) is not None


# -- 2- and 4-character words in every searched field --------------------------

@pytest.mark.parametrize("word,key", [(NAME2, "name"), (TITLE2, "title"), (FACTS2, "facts"),
                                      (DECISION2, "decision")])
def test_two_character_word_in_each_field(stack, sx, word, key):
    assert found(stack, word) == {sx.no(key)}


def test_four_character_word_is_a_phrase(stack, sx):
    assert found(stack, FOUR) == {sx.no("four")}
    # its halves as two words: both records
    assert found(stack, "魑魅 魍魉") == {sx.no("four"), sx.no("four_split")}
    assert found(stack, "魍魉") == {sx.no("four"), sx.no("four_split")}


# -- the query language against the fixture texts --------------------------------

# (q, groups that must all match (each a list of alternatives), terms that must not)
LANGUAGE = [
    (A, [[A]], []),
    ("%s %s" % (A, B), [[A], [B]], []),
    ("%s\u3000%s" % (A, B), [[A], [B]], []),
    ('"%s %s"' % (A, B), [["%s %s" % (A, B)]], []),
    ("\u201c%s %s\u201d" % (A, B), [["%s %s" % (A, B)]], []),
    ('"%s %s"' % (B, A), [["%s %s" % (B, A)]], []),
    (A + B, [[A + B]], []),
    ("%s -%s" % (A, B), [[A]], [B]),
    ("%s -%s -%s" % (A, C, D), [[A]], [C, D]),
    ("%s OR %s" % (A, D), [[A, D]], []),
    ("%s %s OR %s" % (B, C, D), [[B], [C, D]], []),
    ("%s OR %s -%s" % (B, C, A), [[B, C]], [A]),
    ("%s OR %s OR %s" % (C, D, NAME2), [[C, D, NAME2]], []),
    ('-"%s %s" %s' % (A, B, B), [[B]], ["%s %s" % (A, B)]),
    ("%s or %s" % (A, D), [[A], ["or"], [D]], []),   # lower-case or is a word
    ("%s OR" % A, [[A], ["OR"]], []),                 # OR at the end is a word
]


@pytest.mark.parametrize("q,must,must_not", LANGUAGE, ids=[c[0] for c in LANGUAGE])
def test_query_language_matches_the_texts(stack, sx, q, must, must_not):
    expected = {r.no for k, r in sx.records.items()
                if r.status in portal.PUBLIC_STATUSES and r.disclosed <= portal.today()
                and all(any(matches(sx.body(k), t) for t in group) for group in must)
                and not any(matches(sx.body(k), t) for t in must_not)}
    assert found(stack, q) == expected


def test_grid_expectations_are_not_trivial(stack, sx):
    """The grid distinguishes the operators (guards the table above)."""
    assert found(stack, "%s %s" % (A, B)) != found(stack, '"%s %s"' % (A, B))
    assert found(stack, "%s OR %s" % (A, D)) > found(stack, A)
    assert found(stack, "%s -%s" % (A, B)) < found(stack, A)
    assert sx.no("a_revoked") not in found(stack, A + B)
    assert sx.no("a_future") not in found(stack, A + B)


# -- hostile input -----------------------------------------------------------------

HOSTILE_FOUND = ["串通(", "串通(围标)", "(围标", "围标)", '"双引号"', '引号"双引号"', "\\",
                 "\\路径", "反斜杠\\路径", "*D+", "星号*D+", "x:@y", "冒号x:@y", "~号", '双引号"与']


@pytest.mark.parametrize("q", HOSTILE_FOUND)
def test_hostile_input_is_a_plain_search(stack, sx, q):
    """Operators of the engine's syntax in q are ordinary characters: the one
    record that contains them literally is found."""
    assert sx.no("hostile") in found(stack, q)


HOSTILE = ["(", ")", "()", '"', '""', '"""', "\\\\", '\\"', '"a\\', "*", "*D+ 串通", "*W1:10 串通",
           "*S 串通", "OR", "OR OR", "OR OR OR", "串通 OR", "OR 串通", "串通 OR OR 围标", "-", "--",
           "- -", "--串通", "+", "+串通", "++", "~串通", "<串通", ">串通", "串通*", "'", "';--",
           "' OR 1=1 --", "%", "_", "@", "(串通 OR 围标", "串通) OR (围标", "\u201c", "\u201d",
           "\u201c串通", "串通\u201d", "\U0001F600", "a" * 50, " ".join("词%d" % i for i in range(10)),
           "\u3000串通\u3000", "&", "<script>", "${x}", "%00", "串通(" * 10, "〔", "〕号", "[2026]号",
           "津〔", "〔〕号", "[]号", "OR -串通 围标"]
ONLY_NEGATIVE = ["-串通", "-串通 -围标", '-"串通 围标"', "-( -)", "--- -x"]
NO_WORDS = ['"', '""', '"""', "-", "--", "- -", "\u201c", "\u201c\u201d"]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_input_never_fails(stack, sx, q, error_log_guard):
    for path in ("/api/v1/records", "/records", "/records.csv", "/feed.atom", "/api/v1/search"):
        for sort in ("newest", "relevance"):
            r = stack.get(path, params={"q": q, "sort": sort})
            if r.status_code == 400:
                # only a query without any word may be refused, naming q
                assert q in NO_WORDS or q.strip().startswith("-"), (path, q, r.text[:200])
                if path.startswith("/api"):
                    assert r.json()["error"]["message"].startswith("q:"), r.text
                elif path == "/feed.atom":    # plain text for feed readers
                    assert r.text.splitlines()[1].startswith("q:"), r.text
                else:
                    assert (portal.error_detail(r.text) or "").startswith("q:"), r.text[:500]
            else:
                assert r.status_code == 200, (path, q, sort, r.status_code, r.text[:300])
    assert error_log_guard.problems() == []


@pytest.mark.parametrize("q", ONLY_NEGATIVE)
def test_only_excluded_words_is_400_naming_q(stack, sx, q):
    r = stack.get("/api/v1/records", params={"q": q})
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.json()["error"]["message"].split(":")[0] == "q"
    r = stack.get("/records", params={"q": q})
    assert r.status_code == 400
    assert portal.error_detail(r.text).split(":")[0] == "q"


@pytest.mark.parametrize("q", ["词 " * 11, "词" * 51, "a\x01b", "a\x7fb", "测" * 101])
def test_oversized_or_control_queries_are_400_naming_q(stack, sx, q):
    r = stack.get("/api/v1/records", params={"q": q})
    assert r.status_code == 400, q
    assert r.json()["error"]["message"].split(":")[0] == "q"


# -- exact lookups -------------------------------------------------------------------

def test_exact_credit_code(stack, sx, world):
    t = portal.today()
    public = {r.no for r in sx.records.values() if r.subject.id == sx.plain.id
              and r.status in portal.PUBLIC_STATUSES and r.disclosed <= t}
    assert found(stack, sx.plain.credit_code) == public
    assert found(stack, sx.named.credit_code) == {sx.no("name")}
    # the world's main subject: its public records, per SQL
    code = world.subjects["gov"].credit_code
    rows = oracle.public_nos(stack, t, " AND r.subject_id = %s", (world.subjects["gov"].id,))
    total, nos = api(stack, q=code)
    assert total == len(rows) and set(nos) == set(rows)
    # with white space around it, still the code
    assert set(api(stack, q="  %s\u3000" % code)[1]) == set(rows)
    # a code with a wrong check character is no code: nothing has it as text
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert api(stack, q=bad) == (0, [])


def test_exact_decision_number(stack, sx, world):
    rec = sx.records["decision"]
    assert found(stack, rec.decision_no) == {rec.no}
    # every world record by its number
    for key in ("published", "contested", "corrected"):
        r = world.records[key]
        assert found(stack, r.decision_no) == {r.no}, r.decision_no
    # a withdrawn record's number finds nothing
    assert found(stack, world.records["revoked"].decision_no) == set()


def test_decision_number_fragment_falls_back_to_full_text(stack, sx):
    """Decision-shaped but not a whole number (〔...〕...号): full text."""
    rec = sx.records["decision"]
    fragment = rec.decision_no[rec.decision_no.index("〔"):]   # 〔2097〕104号
    assert found(stack, fragment) == {rec.no}


def test_decision_number_fragment_in_csv_and_atom(stack, sx):
    """The fall-back to full text must hold for the exports as well: the same
    q gives the same records in the CSV and the feed as in the list."""
    rec = sx.records["decision"]
    fragment = rec.decision_no[rec.decision_no.index("〔"):]
    csv_text = stack.get("/records.csv", params={"q": fragment}).content.decode("utf-8-sig")
    feed = stack.get("/feed.atom", params={"q": fragment}).text
    assert rec.no in feed, "the feed misses the record the list shows"
    assert rec.no in csv_text, ("the CSV export misses the record that /records and the API "
                                "find for q=%s" % fragment)


# -- filters combine -----------------------------------------------------------------

@pytest.mark.parametrize("q,params", [
    (B, {"district": "hexi"}),
    (B, {"severity": "serious"}),
    (B, {"district": "hexi", "severity": "serious"}),
    (A, {"severity": "minor"}),
    (A, {"district": "heping", "category": "breach"}),
    (A, {"kind": "official"}),
    ("%s OR %s" % (B, D), {"district": "hexi"}),
    # a domain's own text (sql/023): the word within the domain only
    (B, {"domain": "debt"}),
    (B, {"domain": "procurement"}),
    (B, {"domain": "other"}),
    (A, {"domain": "debt", "severity": "serious"}),
    ("%s OR %s" % (B, D), {"domain": "ppp"}),
    # and a category's (sql/023)
    (A, {"category": "breach"}),
    (A, {"category": "penalty"}),
    (B, {"category": "judgment"}),
    (B, {"domain": "debt", "category": "penalty"}),
])
def test_search_combines_with_filters(stack, sx, q, params):
    must = [[t for t in q.split(" OR ")]]
    expected = {r.no for k, r in sx.records.items()
                if r.status in portal.PUBLIC_STATUSES and r.disclosed <= portal.today()
                and all(any(matches(sx.body(k), t) for t in g) for g in must)
                and r.subject.district == params.get("district", r.subject.district)
                and r.severity == params.get("severity", r.severity)
                and r.category == params.get("category", r.category)
                and r.subject.kind == params.get("kind", r.subject.kind)
                and r.domain == params.get("domain", r.domain)}
    assert found(stack, q, **params) == expected
    everything = found(stack, q)
    assert expected <= everything


def test_search_combines_with_dates(stack, sx, world):
    t = world.today
    got = found(stack, SORTW, **{"from": (t - 10 * DAY).isoformat(),
                                 "to": (t - 2 * DAY).isoformat()})
    assert got == {sx.no("s2"), sx.no("s3")}
    assert found(stack, SORTW, status="contested") == set()


# -- sorts --------------------------------------------------------------------------

def sort_rows(sx):
    return [sx.records[k] for k in ("s1", "s2", "s3", "s4", "s5")]


def test_sort_newest_and_oldest(stack, sx):
    rows = sort_rows(sx)
    newest = [r.no for r in sorted(rows, key=lambda r: (r.disclosed, r.id), reverse=True)]
    assert api(stack, q=SORTW)[1] == newest
    assert api(stack, q=SORTW, sort="newest")[1] == newest
    assert api(stack, q=SORTW, sort="oldest")[1] == newest[::-1]
    assert html_list(stack, q=SORTW, sort="oldest")[1] == newest[::-1]


def test_sort_relevance(stack, sx):
    """More occurrences rank higher; ties newest record first (id)."""
    rows = sort_rows(sx)
    count = {r.no: (r.title + " " + r.facts).count(SORTW) for r in rows}
    got = api(stack, q=SORTW, sort="relevance")[1]
    assert sorted(got) == sorted(count)
    assert got[0] == sx.no("s3"), got            # 5 occurrences
    occurrences = [count[no] for no in got]
    assert occurrences == sorted(occurrences, reverse=True), (got, occurrences)
    assert html_list(stack, q=SORTW, sort="relevance")[1] == got


def test_relevance_pages_go_by_number(stack, sx):
    full = api(stack, q=SORTW, sort="relevance")[1]
    pages = []
    r = stack.get("/api/v1/records", params={"q": SORTW, "sort": "relevance", "limit": 2})
    while True:
        assert r.status_code == 200
        j = r.json()
        pages.append([i["no"] for i in j["items"]])
        assert j["total"] == 5
        assert j["next_cursor"] is None          # relevance has no keyset
        if not j["next"]:
            break
        assert "page=%d" % (len(pages) + 1) in j["next"]
        r = stack.get(j["next"][len(stack.base_url):])
    assert len(pages) == 3
    assert pages[0] != pages[1] and not set(pages[0]) & set(pages[1])
    assert [no for p in pages for no in p] == full
    # the HTML list: page 2 by number, the same rows
    _, nos, body = html_list(stack, q=SORTW, sort="relevance", limit=2, page=2)
    assert nos == pages[1]
    assert "page=3" in portal.link(body, "next")


def test_relevance_next_link_never_leads_to_an_error(stack, sx, world):
    """Relevance pages stop at page 50 (CREDIT_PAGE_JUMP_MAX): page 50 must
    not offer a next link to page 51, which is refused with 400."""
    n = api(stack, q=world_mod.PAGE_TOKEN)[0]
    assert n > 100, "needs more than 50 pages of 2"
    r = stack.get("/api/v1/records", params={"q": world_mod.PAGE_TOKEN, "sort": "relevance",
                                             "limit": 2, "page": 50})
    assert r.status_code == 200
    nxt = r.json()["next"]
    if nxt is not None:
        follow = stack.get(nxt[len(stack.base_url):])
        assert follow.status_code == 200, ("JSON next of relevance page 50 answers %d: %s"
                                           % (follow.status_code, follow.text[:200]))
    _, _, body = html_list(stack, q=world_mod.PAGE_TOKEN, sort="relevance", limit=2, page=50)
    href = portal.link(body, "next")
    if href is not None:
        follow = stack.get(href[len("/credit"):])
        assert follow.status_code == 200, "HTML rel=next of relevance page 50 answers %d" % (
            follow.status_code)


def test_relevance_without_q_is_400(stack, sx):
    r = stack.get("/api/v1/records", params={"sort": "relevance"})
    assert r.status_code == 400
    assert r.json()["error"]["message"].startswith("sort:")


# -- highlighting ------------------------------------------------------------------------

ROW = re.compile(r'<td class="no"><a href="[^"]*">(TJZW-\d{4}-\d{6})</a></td>\s*'
                 r'<td\b[^>]*><a href="[^"]*">(.*?)</a>.*?</td>\s*<td\b[^>]*><a href="[^"]*">(.*?)</a></td>',
                 re.S)


def rows(body):
    return {m.group(1): (m.group(2), m.group(3)) for m in ROW.finditer(body)}


def unmark(cell):
    """(marked words, plain text) of a cell that may contain only <mark>."""
    tags = re.findall(r"<[^>]*>", cell)
    assert all(t in ("<mark>", "</mark>") for t in tags), tags
    return re.findall(r"<mark>(.*?)</mark>", cell), html.unescape(re.sub(r"</?mark>", "", cell))


def test_matches_are_marked_in_title_and_subject(stack, sx):
    _, _, body = html_list(stack, q=TITLE2)
    title, subject = rows(body)[sx.no("title")]
    assert title == "关于<mark>%s</mark>的处罚决定" % TITLE2
    assert "<mark>" not in subject
    _, _, body = html_list(stack, q=NAME2)
    title, subject = rows(body)[sx.no("name")]
    assert subject == "天津市<mark>%s</mark>区测试局" % NAME2
    assert "<mark>" not in title


def test_marks_with_several_words_and_exclusions(stack, sx):
    _, _, body = html_list(stack, q="%s %s -%s" % (B, C, D))
    title, _ = rows(body)[sx.no("bc")]
    marks, text = unmark(title)
    assert text == sx.records["bc"].title and marks == [B, C]
    _, _, body = html_list(stack, q='"%s %s"' % (A, B))
    marks, text = unmark(rows(body)[sx.no("ab_space")][0])
    assert marks == [sx.records["ab_space"].title]      # the phrase spans the spaces
    assert text == sx.records["ab_space"].title


def test_marked_text_is_otherwise_escaped(stack, sx):
    _, _, body = html_list(stack, q=MARKW)
    title, _ = rows(body)[sx.no("mark")]
    marks, text = unmark(title)
    assert marks == [MARKW]
    assert text == MARK_TITLE
    assert "<script>x</script>" not in body and "<b>%s" % MARKW not in body
    # a query with markup is never reflected as markup
    _, _, body = html_list(stack, q="<b>%s</b>" % MARKW)
    assert "<b>%s</b>" % MARKW not in body and "&lt;b&gt;" in body


def test_no_marks_without_q(stack, sx, world):
    _, _, body = html_list(stack, district="hexi")
    assert "<mark>" not in body


# -- the search table follows writes ------------------------------------------------------

def test_title_update_is_searchable_at_once(stack, sx):
    rec = sx.records["write_title"]
    assert found(stack, OLDW) == {rec.no}
    stack.sql("UPDATE records SET title = %s WHERE id = %s", ("新标题%s" % NEWW, rec.id))
    assert found(stack, NEWW) == {rec.no}
    assert found(stack, OLDW) == set()
    assert rec.no in stack.get("/feed.atom", params={"q": NEWW}).text
    assert rec.no in stack.get("/records.csv", params={"q": NEWW}).content.decode("utf-8-sig")


def test_date_and_severity_edits_reach_the_search_filters(stack, sx, world):
    """The filter columns of the search table follow an edit of the record:
    a new disclosure date moves it between date ranges, and a severity whose
    window has already ended takes it out of every search."""
    rec = sx.records["s5"]
    t = world.today
    stack.sql("UPDATE records SET disclosed_on = %s WHERE id = %s", (t - 100 * DAY, rec.id))
    assert rec.no not in found(stack, SORTW, **{"from": (t - 60 * DAY).isoformat()})
    assert rec.no in found(stack, SORTW, **{"to": (t - 90 * DAY).isoformat()})
    assert rec.no in found(stack, SORTW, severity="general")
    # minor: 3 months from 100 days ago: the window has ended
    stack.sql("UPDATE records SET severity = 'minor' WHERE id = %s", (rec.id,))
    assert rec.no not in found(stack, SORTW)
    assert rec.no not in found(stack, SORTW, sort="relevance")
    assert stack.get("/api/v1/records/" + rec.no).status_code == 410
    stack.sql("UPDATE records SET severity = %s, disclosed_on = %s WHERE id = %s",
              (rec.severity, rec.disclosed, rec.id))
    assert rec.no in found(stack, SORTW, severity="general")


# record_search's text by domain and category as it should be: the
# record's own domain's and category's columns hold its text, every other
# one is empty.
DOMAIN_DRIFT = """
SELECT COUNT(*) FROM record_search s JOIN records r ON r.id = s.record_id
 WHERE s.domain <> r.domain OR s.category <> r.category
    OR CONCAT(s.body_procurement, s.body_ppp, s.body_bidding, s.body_investment, s.body_debt,
              s.body_grassroots, s.body_other) <> s.body
    OR CONCAT(s.body_judgment, s.body_penalty, s.body_discipline, s.body_accountability,
              s.body_breach) <> s.body
    OR s.body <> CASE r.category WHEN 'judgment' THEN s.body_judgment
                                 WHEN 'penalty' THEN s.body_penalty
                                 WHEN 'discipline' THEN s.body_discipline
                                 WHEN 'accountability' THEN s.body_accountability
                                 WHEN 'breach' THEN s.body_breach END
    OR s.body <> CASE r.domain WHEN 'procurement' THEN s.body_procurement
                               WHEN 'ppp' THEN s.body_ppp WHEN 'bidding' THEN s.body_bidding
                               WHEN 'investment' THEN s.body_investment
                               WHEN 'debt' THEN s.body_debt
                               WHEN 'grassroots' THEN s.body_grassroots
                               WHEN 'other' THEN s.body_other END
"""


def test_domain_edit_moves_the_record_between_domain_searches(stack, sx):
    """A record's text is in the index of its domain alone and in that of
    its category alone (sql/023): an edit of either takes it out
    of the old value's searches and into the new one's at once, in the
    list, the CSV and the feed."""
    rec = sx.records["write_domain"]
    assert found(stack, DOMW, domain="bidding") == {rec.no}
    assert found(stack, DOMW, domain="debt") == set()
    stack.sql("UPDATE records SET domain = 'debt' WHERE id = %s", (rec.id,))
    assert found(stack, DOMW, domain="debt") == {rec.no}
    assert found(stack, DOMW, domain="bidding") == set()
    assert found(stack, DOMW) == {rec.no}
    csv_text = stack.get("/records.csv", params={"q": DOMW, "domain": "debt"}).content
    assert rec.no in csv_text.decode("utf-8-sig")
    assert rec.no not in stack.get("/feed.atom", params={"q": DOMW, "domain": "bidding"}).text
    assert found(stack, DOMW, category="penalty") == {rec.no}
    stack.sql("UPDATE records SET category = 'judgment' WHERE id = %s", (rec.id,))
    assert found(stack, DOMW, category="judgment") == {rec.no}
    assert found(stack, DOMW, category="penalty") == set()
    assert found(stack, DOMW, category="judgment", domain="debt") == {rec.no}
    # one domain's column and one category's hold the text, the record's own
    assert stack.sql(DOMAIN_DRIFT)[0][0] == 0


def test_subject_rename_is_searchable_at_once(stack, sx):
    rec = sx.records["write_subject"]
    stack.sql("UPDATE subjects SET name = %s WHERE id = %s", ("改名后%s局" % RENAMEW, rec.subject.id))
    assert found(stack, RENAMEW) == {rec.no}
    assert found(stack, "改名前测试局") == set()


def test_revoked_record_leaves_search_at_once(stack, sx):
    rec = sx.records["write_revoke"]
    assert found(stack, GONEW) == {rec.no}
    stack.sql("UPDATE records SET status = 'revoked', withdrawn_on = %s WHERE id = %s",
              (portal.today(), rec.id))
    assert found(stack, GONEW) == set()
    assert api(stack, q=GONEW, sort="relevance") == (0, [])
    assert rec.no not in stack.get("/feed.atom", params={"q": GONEW}).text
    assert rec.no not in stack.get("/records.csv", params={"q": GONEW}).text
    # also when it is looked up by its decision number
    assert found(stack, rec.decision_no) == set()


# record_text (sql/021) as it should be: one row per record, its window and
# filter columns those of the record, its body the bytes of the text.
TEXT_DRIFT = """
SELECT (SELECT COUNT(*) FROM records r JOIN subjects s ON s.id = r.subject_id
          LEFT JOIN record_text t ON t.id = r.id
         WHERE t.id IS NULL OR t.disclosed_on <> r.disclosed_on OR t.status <> r.status
            OR NOT t.withdraw_on <=> r.withdraw_on OR t.district <> r.district
            OR t.subject_kind <> r.subject_kind OR t.category <> r.category
            OR t.domain <> r.domain OR t.severity <> r.severity
            OR t.body <> CAST(CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts,
                                        r.decision_no) AS BINARY))
     + (SELECT COUNT(*) FROM record_text t LEFT JOIN records r ON r.id = t.id
         WHERE r.id IS NULL)
"""


def test_walk_copy_follows_every_write(stack, sx):
    """After the title, date, severity, status and subject-name writes above
    (each made by plain SQL, as any client of the database could), the
    walk's copy of the text is exactly what the records say, in the same
    transaction: nothing missing, stale or left over."""
    assert stack.sql("SELECT COUNT(*) FROM record_text")[0][0] > 0
    assert stack.sql(TEXT_DRIFT)[0][0] == 0
    # a write rolled back leaves no trace in it either
    rec = sx.records["write_title"]
    stack.sql("START TRANSACTION")
    stack.sql("UPDATE records SET title = %s WHERE id = %s", ("回滚标题", rec.id))
    assert stack.sql("SELECT COUNT(*) FROM record_text WHERE id = %s AND LOCATE(%s, body) > 0",
                     (rec.id, "回滚标题".encode()))[0][0] == 1
    stack.sql("ROLLBACK")
    assert stack.sql(TEXT_DRIFT)[0][0] == 0


REINDEX_QUERIES = [NAME2, TITLE2, FACTS2, DECISION2, FOUR, A, "%s %s" % (A, B),
                   '"%s %s"' % (A, B), "%s -%s" % (A, B), "%s OR %s" % (C, D), SORTW, "串通(",
                   "(", world_mod.PAGE_TOKEN, "测试", "政府", "采购"]


def snapshot(stack):
    out = {}
    for q in REINDEX_QUERIES:
        for sort in ("newest", "relevance"):
            out[(q, sort)] = api(stack, q=q, sort=sort)
    return out


def test_reindex_leaves_results_identical(stack, sx):
    before = snapshot(stack)
    indexed_before = stack.sql("SELECT COUNT(*) FROM record_search")[0][0]
    stack.script("db.sh", "reindex")
    assert stack.sql("SELECT COUNT(*) FROM record_search")[0][0] == indexed_before
    assert stack.sql("SELECT COUNT(*) FROM records")[0][0] == indexed_before
    after = snapshot(stack)
    assert after == before
    assert stack.sql(TEXT_DRIFT)[0][0] == 0
    assert any(v[0] > 0 for v in before.values())
