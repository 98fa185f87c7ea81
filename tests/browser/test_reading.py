"""A reader's path through the portal in a real browser: home page, search
from the home page's box, a result with its match marked, the record page
with its disclosure clock, the subject, and back to the filtered list."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def wait(driver):
    return WebDriverWait(driver, 10)


def test_search_from_home_to_record(stack, world, browser, shots):
    rec = world.records["published"]
    word = rec.title[:2]
    browser.get(stack.url("/"))
    assert "信用天津" in browser.title
    total = int(browser.find_element(By.ID, "count-total").text)
    assert total > 0
    shots(browser, "home")

    box = browser.find_element(By.ID, "q")
    box.send_keys(word)
    box.submit()
    wait(browser).until(EC.presence_of_element_located((By.ID, "total")))
    assert "/records?q=" in browser.current_url
    marks = browser.find_elements(By.CSS_SELECTOR, "table.records mark")
    assert marks and all(m.text == word for m in marks)
    shots(browser, "search-results")

    # Narrow the result with the filter form, as a person would.
    Select(browser.find_element(By.NAME, "district")).select_by_value(rec.subject.district)
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait(browser).until(EC.url_contains("district=" + rec.subject.district))
    assert browser.find_element(By.NAME, "q").get_attribute("value") == word

    browser.get(stack.url("/records?q=" + rec.no))
    link = wait(browser).until(EC.element_to_be_clickable((By.LINK_TEXT, rec.no)))
    link.click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "record-no")))
    assert browser.find_element(By.ID, "record-no").text == rec.no
    assert browser.find_element(By.ID, "disclosed-on").text == rec.disclosed.isoformat()
    assert browser.find_element(By.ID, "withdraw-on").text
    shots(browser, "record")

    browser.find_element(By.CSS_SELECTOR, "a[href*='/subjects/']").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "subject-total")))
    assert int(browser.find_element(By.ID, "subject-total").text) >= 1
    assert rec.no in browser.page_source


def test_withdrawn_record_shows_a_tombstone(stack, world, browser, shots):
    rec = world.records["revoked"]
    browser.get(stack.url("/records/" + rec.no))
    assert browser.find_element(By.ID, "gone-no").text == rec.no
    assert rec.title not in browser.page_source
    shots(browser, "tombstone")


def test_pages_work_without_javascript_and_within_the_viewport(stack, browser):
    """No script is needed to read: the pages carry no <script> at all; and
    the records list, with its table of records, fits a phone-sized window
    without horizontal scroll of the whole page, as does the home page."""
    browser.set_window_size(420, 900)
    try:
        for path in ("/records", "/"):
            browser.get(stack.url(path))
            assert not browser.find_elements(By.TAG_NAME, "script"), path
            if path == "/records":
                assert len(browser.find_elements(By.CSS_SELECTOR, "table.records tbody tr")) >= 10
            width = browser.execute_script("return document.documentElement.scrollWidth")
            assert width <= 440, (path, width)
    finally:
        browser.set_window_size(1280, 1024)
