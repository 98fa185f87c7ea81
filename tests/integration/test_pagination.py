"""Keyset pagination: rel=next walks the SQL order (disclosed_on DESC, id DESC)
without duplicates or gaps, rel=prev walks back to the same rows, and
sort=oldest is the reverse order."""
import re
from urllib.parse import parse_qs, urlsplit

import oracle
import portal
from portal import link, record_numbers, text_by_id, total
from world import PAGE_TOKEN

LIKE = "%" + PAGE_TOKEN + "%"


def sql_order(stack, where="", params=(), oldest=False):
    """The public records `where` selects, by the oracle (oracle.py)."""
    return oracle.public_nos(stack, None, where, params, oldest)


def token_order(stack, oldest=False):
    return sql_order(stack, " AND (r.title LIKE %s OR r.decision_no LIKE %s)", (LIKE, LIKE),
                     oldest)


def page_number(body):
    m = re.search(r"第 (\d+) 页,共 (\d+) 页", text_by_id(body, "total"))
    assert m, text_by_id(body, "total")
    return int(m.group(1)), int(m.group(2))


def walk(stack, params, limit):
    pages = portal.follow(stack.get, "/records", dict(params, limit=limit))
    for i, (r, nos) in enumerate(pages, 1):
        assert page_number(r.text)[0] == i
        assert len(nos) == limit or i == len(pages)
        assert nos, "an empty page %d" % i
    return pages


def test_next_walks_the_whole_order_without_duplicates_or_gaps(stack, world):
    expected = token_order(stack)
    assert len(expected) > 100
    pages = walk(stack, {"q": PAGE_TOKEN}, 7)
    got = [no for _, nos in pages for no in nos]
    assert len(got) == len(set(got)), "duplicates"
    assert got == expected
    n_pages = -(-len(expected) // 7)
    assert len(pages) == n_pages
    for r, _ in pages:
        assert total(r.text) == len(expected)
        assert page_number(r.text)[1] == n_pages
    assert link(pages[-1][0].text, "next") is None
    assert link(pages[0][0].text, "prev") is None


def test_prev_walks_back_to_the_same_rows(stack, world):
    pages = walk(stack, {"q": PAGE_TOKEN}, 9)
    assert len(pages) >= 5
    forward = [nos for _, nos in pages]
    # from the last page back to the first
    back = portal.follow(stack.get, link(pages[-1][0].text, "prev")[len("/credit"):], rel="prev")
    got = [nos for _, nos in back]
    assert got == forward[-2::-1]
    for i, (r, _) in enumerate(back):
        assert page_number(r.text)[0] == len(pages) - 1 - i
    # page one reached backwards has the plain, permanent URL
    first_href = link(back[-2][0].text, "prev") if len(back) > 1 else None
    assert first_href is not None and "cursor=" not in first_href
    assert "page=" not in first_href
    # and next from a page reached backwards goes forward again
    r = back[1][0]
    again = stack.get(link(r.text, "next")[len("/credit"):])
    assert record_numbers(again.text) == back[0][1]


def test_sort_oldest_reverses(stack, world):
    newest = token_order(stack)
    oldest = token_order(stack, oldest=True)
    assert oldest == newest[::-1]
    pages = walk(stack, {"q": PAGE_TOKEN, "sort": "oldest"}, 11)
    got = [no for _, nos in pages for no in nos]
    assert got == oldest
    href = link(pages[0][0].text, "next")
    assert "sort=oldest" in href
    # and back again
    back = portal.follow(stack.get, link(pages[-1][0].text, "prev")[len("/credit"):], rel="prev")
    assert [nos for _, nos in back] == [nos for _, nos in pages][-2::-1]


def test_unfiltered_pages_follow_sql_order(stack, world):
    expected = sql_order(stack)
    r = stack.get("/records")
    got = []
    for _ in range(4):
        assert r.status_code == 200
        got += record_numbers(r.text)
        href = link(r.text, "next")
        if not href:
            break
        r = stack.get(href[len("/credit"):])
    assert got == expected[:len(got)]
    assert len(got) == min(80, len(expected))


def test_filtered_pages_keep_the_filter(stack, world):
    where = " AND r.severity = %s AND (r.title LIKE %s OR r.decision_no LIKE %s)"
    expected = sql_order(stack, where, ("general", LIKE, LIKE))
    pages = walk(stack, {"q": PAGE_TOKEN, "severity": "general"}, 6)
    assert [no for _, nos in pages for no in nos] == expected
    for r, _ in pages[1:]:
        qs = parse_qs(urlsplit(r.url).query)
        assert qs["severity"] == ["general"] and qs["q"] == [PAGE_TOKEN]


def test_ties_on_the_same_day_are_split_by_id(stack, world):
    """Four bulk records share each disclosure day; a page boundary inside a
    day must neither repeat nor skip a row."""
    expected = token_order(stack)
    for limit in (1, 3, 4, 5):
        pages = portal.follow(stack.get, "/records", {"q": PAGE_TOKEN, "limit": limit})
        got = [no for _, nos in pages for no in nos]
        assert got == expected, limit


def test_page_number_without_cursor(stack, world):
    """page=N without a cursor must not show page one's rows labelled page N:
    either the rows of page N or a 400."""
    expected = token_order(stack)
    r = stack.get("/records", params={"q": PAGE_TOKEN, "limit": 10, "page": 3})
    if r.status_code == 400:
        return
    assert r.status_code == 200
    shown = page_number(r.text)[0]
    assert record_numbers(r.text) == expected[(shown - 1) * 10:shown * 10]


def test_special_characters_survive_pager_links(stack, world):
    """q with & = " < > % _ + ' # ? goes through the rel=next/prev links intact."""
    from world import SPECIAL_TITLE
    pages = portal.follow(stack.get, "/records", {"q": SPECIAL_TITLE, "limit": 1})
    assert [nos for _, nos in pages] == [[world.no("special_1")], [world.no("special_2")]]
    for r, _ in pages:
        assert total(r.text) == 2
        assert parse_qs(urlsplit(r.url).query)["q"] == [SPECIAL_TITLE]
    back = stack.get(link(pages[1][0].text, "prev")[len("/credit"):])
    assert record_numbers(back.text) == [world.no("special_1")]
