"""Browser tests: headless Chromium (Debian's chromium + chromium-driver)
driven by selenium against the same private MariaDB + httpd stack as the
integration suite (its fixtures and error-log check are reused, not copied).
Screenshots are saved under var/artifacts/browser/."""
import importlib.util
import os
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTIFACTS = ROOT / "var" / "artifacts" / "browser"

_spec = importlib.util.spec_from_file_location("credit_stack_conftest",
                                               HERE.parent / "integration" / "conftest.py")
_stack = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_stack)

# The integration suite's fixtures and hooks, under their own names.
stack = _stack.stack
world = _stack.world
error_log_guard = _stack.error_log_guard
pytest_runtest_makereport = _stack.pytest_runtest_makereport


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,1024", "--lang=zh-CN",
                "--user-data-dir=%s" % tmp_path_factory.mktemp("chromium")):
        opts.add_argument(arg)
    # The portal answers in the browser's language: these tests read Chinese.
    opts.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    service = Service("/usr/bin/chromedriver", log_output=os.devnull)
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def shots():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def save(driver, name):
        path = ARTIFACTS / (name + ".png")
        driver.save_screenshot(str(path))
        return path
    return save
