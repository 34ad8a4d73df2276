"""Each role's main pages at phone (390 px) and desktop (1440 px) width: nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_browser import log_in

pytestmark = pytest.mark.browser

LONG_TITLE = "某某某电子科技有限公司长期高薪急招普工" * 4
LONG_BODY = (
    "包吃包住，月薪八千，年龄十四岁以上均可，手机统一上交，" * 20 + "https://jobs.example/" + "a" * 120
)
# (user, pages to open, an element that shows the page has rendered)
MAIN_PAGES = (
    ("inspector.sz", ("/", "/tasks/{task}"), "main h1"),
    ("officer.sz", ("/market", "/"), "main h1"),
    ("analyst", ("/analyst/models", "/dashboard"), "main h1"),
    ("supervisor.sz", ("/dashboard", "/", "/tasks/{task}"), "main h1"),
    ("admin", ("/", "/tasks/{task}"), "main h1"),
)


@pytest.mark.parametrize("width", [390, 1440])
@pytest.mark.parametrize(("username", "paths", "ready"), MAIN_PAGES, ids=[m[0] for m in MAIN_PAGES])
def test_no_sideways_scroll(
    live_server: str,
    browser: Any,
    cases,
    users,
    username: str,
    paths: tuple[str, ...],
    ready: str,
    width: int,
) -> None:  # type: ignore[no-untyped-def]
    case = cases.make(
        title=LONG_TITLE, body=LONG_BODY, assignee_id=users["inspector.sz"].id, status="assigned"
    )
    cases.make(title=LONG_TITLE, body=LONG_BODY, agency="market_regulation", risk_type="illegal_agency")
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live_server, username)
        for path in paths:
            page.goto(live_server + path.format(task=case.task_id))
            expect(page.locator(ready)).to_be_visible()  # polled by Playwright, no fixed sleep
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if width == 390:
                page.screenshot(path=f"/tmp/ui/{username}-{path.strip('/').replace('/', '_') or 'queue'}.png")
            assert scroll <= inner, f"{path} at {width} px scrolls sideways: {scroll} > {inner}"
    finally:
        context.close()


def test_queue_is_cards_on_a_phone(live_server: str, browser: Any, cases, users) -> None:  # type: ignore[no-untyped-def]
    cases.make(title=LONG_TITLE)
    closed = cases.make(status="closed")
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live_server, "inspector.sz")
        row = page.locator("table.queue tbody tr").first
        expect(row).to_be_visible()
        assert row.evaluate("el => getComputedStyle(el).display") == "block"
        assert page.locator("table.queue thead").is_hidden()
        expect(page.locator("#queue-total")).to_have_text("共 1 条")
        page.check("#f-closed")  # htmx swaps the rows: closed tasks shown on request
        expect(page.locator(f"tr[data-task-id='{closed.task_id}']")).to_have_count(1)
        expect(page.locator("#queue-total")).to_have_text("共 2 条")
    finally:
        context.close()


def test_task_page_prints_without_navigation(live_server: str, browser: Any, cases, users) -> None:  # type: ignore[no-untyped-def]
    case = cases.make(title=LONG_TITLE, body=LONG_BODY)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live_server, "supervisor.sz")
        page.goto(f"{live_server}/tasks/{case.task_id}")
        expect(page.locator("main h1")).to_be_visible()
        page.emulate_media(media="print")
        expect(page.locator("header.top")).to_be_hidden()
        expect(page.locator("section.actions")).to_be_hidden()
        expect(page.locator(f"#listing-{case.listing_id} .evidence")).to_be_visible()
        assert len(page.pdf()) > 1000  # Chromium lays the page out for paper
    finally:
        context.close()
