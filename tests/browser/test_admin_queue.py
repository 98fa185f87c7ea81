"""A staff member's work in a real browser (issue 5 point 4), no JavaScript
on the pages: the city-level login opens the queue of complaints without a
department, opens a case from it, assigns it to a department with the form;
the department's login then finds it in its queue, sends the transition
form once without a note (the message appears at the field and the reply
typed is still there), then with one; the case page confirms the new state.
Basic auth travels in the URL of the first page of each login. Screenshots
are saved under var/artifacts/browser/."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

import staff


@pytest.fixture(scope="module")
def adm(stack, world):
    return staff.Admin(stack, world)


def wait(driver, seconds=10):
    return WebDriverWait(driver, seconds)


def login_url(adm, user, path):
    return "http://%s:%s@127.0.0.1:%d/credit-admin%s" % (user, adm.password,
                                                          adm.stack.http_port, path)


def test_assign_and_act_from_the_queue(adm, browser, shots):
    receipt, cid = adm.case("complaint", dept=None)
    adm.stack.sql("UPDATE complaints SET phone = '13911112222' WHERE id = %s", (cid,))
    dept = adm.stack.sql("SELECT name FROM departments WHERE id = %s", (adm.heping,))[0][0]

    # city level: the queue of complaints without a department
    browser.get(login_url(adm, "staff", "/queues/complaints?department=none"))
    wait(browser).until(EC.visibility_of_element_located((By.ID, "queue")))
    assert browser.find_elements(By.TAG_NAME, "script") == []
    shots(browser, "admin-queue-unassigned")
    browser.find_element(By.LINK_TEXT, receipt).click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "case-receipt"), receipt))
    assert "13911112222" in browser.find_element(By.ID, "case-fields").text
    Select(browser.find_element(By.NAME, "department_id")).select_by_value(str(adm.heping))
    browser.find_element(By.ID, "in-assign-note").send_keys("属和平区管辖,转区里办理")
    browser.find_element(By.CSS_SELECTOR, "#assign-form button[type=submit]").click()
    done = wait(browser).until(EC.visibility_of_element_located((By.ID, "done")))
    assert dept in done.text
    assert "13911112222" not in browser.current_url
    shots(browser, "admin-case-assigned")
    assert adm.stack.sql("SELECT department_id FROM complaints WHERE id = %s",
                         (cid,))[0][0] == adm.heping

    # the department: its queue has the case; the form is sent without a note first
    browser.get(login_url(adm, "staff-heping", "/queues/complaints"))
    row = wait(browser).until(EC.visibility_of_element_located((By.ID, "item-" + receipt)))
    row.find_element(By.LINK_TEXT, receipt).click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "case-receipt"), receipt))
    assert not browser.find_elements(By.ID, "assign-form")
    browser.find_element(By.CSS_SELECTOR, "input[name=to][value=accepted]").click()
    reply = "您反映的问题已受理,将在十五个工作日内答复。"
    browser.find_element(By.ID, "in-reply").send_keys(reply)
    # the browser itself would stop an empty required note: send a blank one
    browser.find_element(By.ID, "in-note").send_keys(" ")
    browser.find_element(By.CSS_SELECTOR, "#transition-form button[type=submit]").click()
    err = wait(browser).until(EC.visibility_of_element_located((By.ID, "err-note")))
    assert err.text == "此项为必填项。"
    assert browser.find_element(By.ID, "in-reply").get_attribute("value") == reply
    assert browser.find_element(By.CSS_SELECTOR,
                                "input[name=to][value=accepted]").is_selected()
    shots(browser, "admin-case-error")
    assert adm.case_status("complaint", cid) == "received"

    browser.find_element(By.ID, "in-note").send_keys("已核实,予以受理")
    browser.find_element(By.CSS_SELECTOR, "#transition-form button[type=submit]").click()
    done = wait(browser).until(EC.visibility_of_element_located((By.ID, "done")))
    assert "已受理" in done.text
    assert browser.find_element(By.ID, "case-status").text == "已受理"
    assert "已核实,予以受理" in browser.find_element(By.ID, "case-timeline").text
    assert "staff-heping" in browser.find_element(By.ID, "case-audit").text
    shots(browser, "admin-case-accepted")
    assert adm.case_status("complaint", cid) == "accepted"
