"""At phone width (390 px): save a queue view and open it, then the dashboard's city map and one of its links."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_browser import log_in

pytestmark = pytest.mark.browser


def no_sideways_scroll(page: Any) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url} scrolls sideways: {scroll} > {inner}"


def test_saved_view_and_city_map_on_a_phone(live_server: str, browser: Any, cases: Any, users: Any) -> None:
    child = cases.make(region="320505", risk_type="child_labour")
    cases.make(region="320505", risk_type="illegal_agency")
    cases.make(region="320102", risk_type="child_labour")
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 900})
    page = context.new_page()
    refused: list[str] = []  # what the page's CSP refused (inline script or style), reported on the console
    page.on("console", lambda msg: refused.append(msg.text) if "Refused" in msg.text else None)
    try:
        log_in(page, live_server, "supervisor")
        page.select_option("#f-risk", "child_labour")  # htmx swaps the rows and the save form with them
        expect(page.locator("#queue-total")).to_have_text("共 2 条")
        page.select_option("#f-region", "320500")
        expect(page.locator("#queue-total")).to_have_text("共 1 条")
        page.fill("#save-view-name", "苏州童工")
        page.click("#save-view-submit")
        expect(page.locator("#queue-notice")).to_have_text("已保存筛选「苏州童工」。")
        no_sideways_scroll(page)
        page.goto(live_server + "/")
        expect(page.locator("#queue-total")).to_have_text("共 3 条")
        page.click("#saved-views a")
        expect(page.locator("#queue-total")).to_have_text("共 1 条")
        expect(page.locator(f"tr[data-task-id='{child.task_id}']")).to_have_count(1)

        page.goto(live_server + "/dashboard")
        expect(page.locator("#jiangsu-map")).to_be_visible()
        expect(page.locator("#jiangsu-map polygon")).to_have_count(13)
        box = page.locator("#jiangsu-map").bounding_box()
        assert box is not None and box["width"] <= 390 and box["height"] > 200
        no_sideways_scroll(page)
        page.locator("#jiangsu-map a[href='/?region=320500&status=open'] polygon").click()
        expect(page.locator("#queue-total")).to_have_text("共 2 条")
        assert "region=320500" in page.url
        assert refused == []
    finally:
        context.close()
