"""A citizen's complaint in a real browser (issue 4 point 7): the form is
filled by typing, sent once with a content that is too short (the message
appears at the field and everything typed is still there), corrected, sent
again; the receipt's number and code are read off the page and typed into
the status look-up, which shows the case as received. Screenshots of the
form, the error state, the receipt and the status are saved under
var/artifacts/browser/."""
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

RECEIPT_NO = re.compile(r"^TS-\d{8}-\d{6}$")
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{5}$")


def wait(driver, seconds=10):
    return WebDriverWait(driver, seconds)


def value(driver, name):
    return driver.find_element(By.NAME, name).get_attribute("value")


def test_complaint_from_form_to_status(stack, world, browser, shots):
    """The citizen's browser asks for Chinese pages (Accept-Language), as
    a browser set to Chinese does; the shared browser is given back as it
    was."""
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                            {"headers": {"Accept-Language": "zh-CN,zh;q=0.9"}})
    try:
        complaint_path(stack, browser, shots)
    finally:
        browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {}})


def complaint_path(stack, browser, shots):
    mark = "浏览器%d" % (time.time_ns() % 10**9)
    min_fill = int(stack.env.get("CREDIT_FORM_MIN_SECONDS", "3"))
    typed = {
        "target": "天津市测试区某街道办事处",
        "title": "街道拖欠保洁服务费" + mark,
        "evidence": "服务合同编号 JD-2025-018;催款记录三次。",
        "name": "赵市民",
        "phone": "13800138000",
        "email": "citizen@example.com",
    }
    short = "拖欠服务费。"
    content = ("该街道办事处自2025年3月起拖欠我公司保洁服务费共计八万元,"
               "多次催要未果,请依法督促支付。" + mark)

    browser.get(stack.url("/complaints/new"))
    assert "投诉举报" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.NAME, "token").get_attribute("value")
    # the honeypot is not visible to a person
    assert not browser.find_element(By.NAME, "website").is_displayed()
    opened = time.monotonic()
    for name, text in typed.items():
        browser.find_element(By.NAME, name).send_keys(text)
    Select(browser.find_element(By.NAME, "district")).select_by_value("hexi")
    Select(browser.find_element(By.NAME, "domain")).select_by_value("grassroots")
    browser.find_element(By.NAME, "content").send_keys(short)
    shots(browser, "complaint-form")

    # a person takes longer than the minimum fill time
    time.sleep(max(0.0, min_fill + 0.3 - (time.monotonic() - opened)))
    browser.find_element(By.CSS_SELECTOR, "form.citizen button[type=submit]").click()
    error = wait(browser).until(EC.visibility_of_element_located((By.ID, "err-content")))
    assert error.text == "投诉内容至少需要20字"
    assert "您填写的内容已保留" in browser.find_element(By.ID, "form-banner").text
    # nothing typed is lost
    for name, text in typed.items():
        assert value(browser, name) == text, name
    assert value(browser, "content") == short
    assert Select(browser.find_element(By.NAME, "district")).first_selected_option \
        .get_attribute("value") == "hexi"
    assert Select(browser.find_element(By.NAME, "domain")).first_selected_option \
        .get_attribute("value") == "grassroots"
    assert browser.find_element(By.NAME, "content").get_attribute("aria-invalid") == "true"
    assert browser.find_elements(By.CSS_SELECTOR, "p.error") == [error]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", error)
    shots(browser, "complaint-error")

    box = browser.find_element(By.NAME, "content")
    box.clear()
    box.send_keys(content)
    browser.find_element(By.CSS_SELECTOR, "form.citizen button[type=submit]").click()
    no_el = wait(browser).until(EC.visibility_of_element_located((By.ID, "receipt-no")))
    receipt_no = no_el.text
    code = browser.find_element(By.ID, "receipt-code").text
    assert RECEIPT_NO.match(receipt_no), receipt_no
    assert CODE.match(code), code
    assert not browser.find_elements(By.ID, "receipt-replayed")
    assert "查询码只显示这一次" in browser.page_source
    for text in (typed["name"], typed["phone"], typed["email"]):
        assert text not in browser.page_source
    shots(browser, "complaint-receipt")

    rows = stack.sql("SELECT title, content, district, domain, name FROM complaints"
                     " WHERE receipt_no = %s", (receipt_no,))
    assert rows == [(typed["title"], content, "hexi", "grassroots", typed["name"])]

    # the receipt page leads to the look-up
    browser.find_element(By.CSS_SELECTOR, "#receipt a[href$='/complaints/status']").click()
    field = wait(browser).until(EC.visibility_of_element_located((By.NAME, "receipt")))
    assert "/complaints/status" in browser.current_url
    field.send_keys(receipt_no)
    browser.find_element(By.NAME, "code").send_keys(code.lower().replace("-", " "))
    browser.find_element(By.CSS_SELECTOR, "form.lookup button[type=submit]").click()
    status = wait(browser).until(EC.visibility_of_element_located((By.ID, "case-status")))
    assert status.text == "已接收"
    assert browser.find_element(By.ID, "case-no").text == receipt_no
    assert "已接收" in browser.find_element(By.ID, "case-timeline").text
    assert browser.find_element(By.ID, "case-reply").text == "尚未答复。"
    # neither the code nor anything personal travelled in a URL or shows here
    assert receipt_no not in browser.current_url and code not in browser.current_url
    for text in (typed["name"], typed["phone"], typed["email"], content):
        assert text not in browser.page_source
    shots(browser, "complaint-status")
