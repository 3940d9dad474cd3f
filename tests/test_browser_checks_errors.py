"""check_page tolerates only the error it expects (a page that never goes network-idle); no browser needed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browser_checks import check_page

NOTHING_FOUND = {"title": "t", "pasted": 0, "plotly": [], "images": [], "systemMessages": [], "text": "",
                 "emptyPasted": 0, "math": 0, "mathTypeset": 0, "splitStreams": 0, "glueInCode": 0,
                 "overflowing": []}


class FakePage:
    """The part of a Playwright page check_page uses; waiting for network idle raises ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.listeners: list[str] = []

    def on(self, event, handler):
        self.listeners.append(event)

    def remove_listener(self, event, handler):
        self.listeners.remove(event)

    def route(self, pattern, handler):
        pass

    def unroute(self, pattern, handler):
        pass

    def goto(self, url, wait_until, timeout):
        return SimpleNamespace(status=200)

    def wait_for_load_state(self, state, timeout):
        raise self.error

    def evaluate(self, script):
        # the MathJax wait evaluates a promise (None here); the page inspection returns its findings
        return NOTHING_FOUND if "querySelectorAll" in script else None


def test_a_page_that_keeps_polling_is_still_checked():
    report = check_page(FakePage(PlaywrightTimeoutError("networkidle not reached")), "http://127.0.0.1:1/a.html")
    assert report.status == 200 and report.problems == [] and report.title == "t"


def test_any_other_error_while_waiting_fails_the_check():
    page = FakePage(RuntimeError("the browser crashed"))
    with pytest.raises(RuntimeError, match="the browser crashed"):
        check_page(page, "http://127.0.0.1:1/a.html")
    assert page.listeners == []  # the listeners are removed all the same
