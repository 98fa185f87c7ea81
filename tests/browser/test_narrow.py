"""Issue 12 point 10: the portal on a phone (a 375 x 812 viewport, as
Chromium emulates a phone), in Chinese and in English.

On every page family the page itself never scrolls sideways; record
numbers, statuses, dates and amounts stay on one line; lists are cards
whose every value carries its column's name; the menu takes at most two
lines in Chinese and three in English (it took four); an amount reads
2,164,541.27 元. Screenshots of every page go to var/artifacts/browser/.

Rows of this module: record TJZW-2097-001301.
"""
import re

import pytest
from selenium.webdriver.common.by import By

import world as world_mod

PHONE = {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True}
AMOUNT = "2164541.27"

# Elements that must never wrap: record numbers, statuses, amounts, dates.
ONE_LINE = ("td.no a, .recno, .status, .flag, .sev, .cstatus, .grade, .amount, "
            "td.date, dd#disclosed-on, #gone-no, #receipt-no, .concerns a, .status-page dd a")

MEASURE = """
const one = [...document.querySelectorAll(arguments[0])].map(e => {
  const lh = parseFloat(getComputedStyle(e).lineHeight) || 1.6 * parseFloat(getComputedStyle(e).fontSize);
  const r = e.getBoundingClientRect();
  return {text: e.textContent.trim(), rects: e.getClientRects().length, height: r.height, lh: lh,
          right: r.right};
}).filter(x => x.text && x.rects > 0);  // not rendered (a closed <details>): nothing to wrap
const nav = [...document.querySelectorAll('header.site nav a')].map(a => Math.round(a.getBoundingClientRect().top));
return {scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth,
        inner: window.innerWidth, one: one, navLines: new Set(nav).size};
"""

CARDS = """
return [...document.querySelectorAll('table.cards')].map(t => {
  const rows = [...t.tBodies[0].rows];
  const head = t.tHead ? t.tHead.getBoundingClientRect() : null;
  return {
    id: t.id || t.className,
    headHidden: !head || head.height <= 1 || head.width <= 1,
    rows: rows.length,
    blocks: rows.every(r => getComputedStyle(r).display === 'block'),
    fit: rows.every(r => r.getBoundingClientRect().right <= window.innerWidth + 0.5),
    labels: rows.flatMap(r => [...r.cells].filter(c => c.hasAttribute('data-label')).map(c => ({
      want: c.getAttribute('data-label'),
      got: getComputedStyle(c, '::before').content}))),
    unlabelled: rows.flatMap(r => [...r.cells].filter(c => !c.hasAttribute('data-label'))
                                     .map(c => c.className)),
  };
});
"""


@pytest.fixture(scope="module")
def phone(browser):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        yield browser
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.delete_all_cookies()


@pytest.fixture(scope="module")
def amount_record(stack, world):
    rec = world_mod.add_record(stack, world, "TJZW-2097-001301", world.subjects["gov"],
                               title="手机测试金额记录", status="contested")
    stack.sql("UPDATE records SET amount = %s WHERE id = %s", (AMOUNT, rec.id))
    return rec


def pages(world, amount_record):
    rec = world.records["published"]
    return [
        ("home", "/"),
        ("list", "/records"),
        ("search", "/records?q=" + world_mod.PAGE_TOKEN),
        ("filter", "/records?district=hexi&severity=serious"),
        ("record", "/records/" + amount_record.no),
        ("corrected", "/records/" + world.records["corrected"].no),
        ("gone", "/records/" + world.records["revoked"].no),
        ("subject", "/subjects/%d" % rec.subject.id),
        ("complaint", "/complaints/new"),
        ("objection", "/records/%s/objection" % rec.no),
        ("status", "/complaints/status"),
        ("ratings", "/ratings"),
        ("commitments", "/commitments"),
        ("stats", "/stats"),
        ("error-400", "/records?page=60"),
        ("error-404", "/records/TJZW-2097-001399"),
    ]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_page_fits_a_phone(stack, world, phone, shots, amount_record, lang):
    phone.get(stack.url("/?lang=" + lang))  # the language cookie
    assert phone.execute_script("return window.innerWidth") == 375
    problems = []
    for name, path in pages(world, amount_record):
        phone.get(stack.url(path))
        assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang, name
        m = phone.execute_script(MEASURE, ONE_LINE)
        shots(phone, "phone-%s-%s" % (lang, name))
        if m["scroll"] > m["inner"] or m["body"] > m["inner"]:
            problems.append((name, "scrolls sideways", m["scroll"], m["body"]))
        for e in m["one"]:
            if e["rects"] != 1 or e["height"] > 1.5 * e["lh"]:
                problems.append((name, "wraps", e["text"], e["rects"], e["height"], e["lh"]))
            if e["right"] > m["inner"] + 0.5:
                problems.append((name, "outside the screen", e["text"], e["right"]))
        if m["navLines"] > (2 if lang == "zh-CN" else 3):
            problems.append((name, "menu lines", m["navLines"]))
    assert not problems, problems


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_lists_are_cards_with_labels(stack, world, phone, shots, amount_record, lang):
    phone.get(stack.url("/?lang=" + lang))
    for name, path in [("list", "/records?q=" + world_mod.PAGE_TOKEN),
                       ("home", "/"),
                       ("subject", "/subjects/%d" % world.records["published"].subject.id),
                       ("commitments", "/commitments"),
                       ("ratings", "/ratings")]:
        phone.get(stack.url(path))
        tables = phone.execute_script(CARDS)
        assert tables, (name, "no list")
        for t in tables:
            if not t["rows"]:
                continue
            assert t["headHidden"] and t["blocks"] and t["fit"], (name, t["id"])
            assert t["labels"], (name, t["id"])
            for cell in t["labels"]:
                assert cell["got"] == '"%s"' % cell["want"], (name, cell)
            # only the record number goes without a label: it heads its card
            assert set(t["unlabelled"]) <= {"no"}, (name, t["unlabelled"])
    # a record's card: its number on top without a label, then every value
    # after its name, below the number and inside the card
    phone.get(stack.url("/records?q=" + world_mod.PAGE_TOKEN))
    card = phone.execute_script("""
      const tr = document.querySelector('table.cards tbody tr');
      const box = tr.getBoundingClientRect();
      return {box: {left: box.left, right: box.right, bottom: box.bottom},
              cells: [...tr.cells].map(c => ({text: c.innerText.trim(),
                top: c.getBoundingClientRect().top, bottom: c.getBoundingClientRect().bottom,
                left: c.getBoundingClientRect().left, right: c.getBoundingClientRect().right,
                before: getComputedStyle(c, '::before').content}))};""")
    first, rest = card["cells"][0], card["cells"][1:]
    assert re.fullmatch(r"TJZW-2098-\d{6}", first["text"]), first
    assert first["before"] in ("none", "normal", '""'), first
    for c in rest:
        assert c["top"] >= first["bottom"] - 0.5, (first, c)
        assert card["box"]["left"] <= c["left"] and c["right"] <= card["box"]["right"], c
        assert c["bottom"] <= card["box"]["bottom"], c
    # the long values (conduct, subject) each have a line of their own
    title, subject = rest[0], rest[1]
    assert subject["top"] >= title["bottom"] - 0.5, (title, subject)
    shots(phone, "phone-%s-cards" % lang)


def test_amount_reads_as_money(stack, world, phone, amount_record):
    for lang, unit in (("zh-CN", "元"), ("en", "yuan")):
        phone.get(stack.url("/records/%s?lang=%s" % (amount_record.no, lang)))
        amount = phone.find_element(By.ID, "amount")
        assert amount.text == "2,164,541.27 " + unit
        assert phone.execute_script("return arguments[0].getClientRects().length", amount) == 1
        status = phone.find_element(By.ID, "record-status")
        assert phone.execute_script("return arguments[0].getClientRects().length", status) == 1
    phone.get(stack.url("/?lang=zh-CN"))


def test_titles_in_the_browser(stack, world, phone, amount_record):
    """What a tab and a screen reader announce (WCAG 2.4.2)."""
    rec = world.records["published"]
    phone.get(stack.url("/?lang=zh-CN"))
    phone.get(stack.url("/records/" + rec.no))
    assert phone.title == "%s %s — 信用天津" % (rec.no, rec.title)
    phone.get(stack.url("/records?district=hexi&severity=serious"))
    assert phone.title == "河西区 · 严重 — 失信记录 — 信用天津"
    phone.get(stack.url("/records?q=" + world_mod.PAGE_TOKEN))
    assert phone.title == "搜索“%s” — 失信记录 — 信用天津" % world_mod.PAGE_TOKEN
    desc = phone.find_element(By.CSS_SELECTOR, 'meta[name="description"]').get_attribute("content")
    assert world_mod.PAGE_TOKEN in desc
    phone.get(stack.url("/records?district=hexi&severity=serious&lang=en"))
    assert phone.title == "Hexi · Serious — Dishonesty records — Credit Tianjin"
    phone.get(stack.url("/?lang=zh-CN"))
