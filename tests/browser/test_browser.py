"""Real headless Chromium: hostile listings run no script; the inspector's path; the supervisor dashboard."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from store.seed.users import DEMO_PASSWORD

pytestmark = pytest.mark.browser

ALERT_BODY = (
    "招聘童工押金500元<script>alert('xss-script');window.__pwned='script'</script>"
    "<img src=x onerror=\"alert('xss-img');window.__pwned='img'\">"
    "<a id=jslink href=\"javascript:alert('xss-link')\">点我领取</a>"
    "<svg onload=\"alert('xss-svg')\"></svg><iframe src=\"javascript:alert('xss-iframe')\"></iframe>"
    "<div><b>未闭合<i>标签 <style>body{display:none}</style>"
)
HOSTILE_TITLE = "<img src=x onerror=alert('title')>急招"


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/")


def test_hostile_listing_runs_no_script(live_server: str, page: Any, cases, users) -> None:  # type: ignore[no-untyped-def]
    case = cases.make(body=ALERT_BODY, title=HOSTILE_TITLE)
    log_in(page, live_server, "supervisor")
    assert HOSTILE_TITLE in page.inner_text("table.queue")  # shown as text in the queue
    page.goto(f"{live_server}/tasks/{case.task_id}")
    page.click(f"#listing-{case.listing_id} details.raw-page summary")  # open the sandboxed raw page too
    frame = page.frame_locator("iframe.raw")
    expect(frame.locator("h1")).to_have_count(1)  # the raw page rendered, inert (polled, no fixed sleep)
    evidence = page.inner_text(f"#listing-{case.listing_id} .evidence")
    assert "招聘童工押金500元" in evidence and "点我领取" in evidence
    assert page.locator(f"#listing-{case.listing_id} .evidence a").count() == 0
    assert page.locator(f"#listing-{case.listing_id} .evidence img").count() == 0
    assert page.locator("mark.risk").count() >= 1
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []


def test_inspector_path_login_queue_task_finding_closed(
    live_server: str, page: Any, browser: Any, cases, users
) -> None:  # type: ignore[no-untyped-def]
    case = cases.make(region="320505", title="某电子厂疑似使用童工")
    log_in(page, live_server, "inspector.sz")
    page.fill("#f-q", "童工")
    page.click("#f-submit")
    page.wait_for_selector(f"tr[data-task-id='{case.task_id}']")
    page.click(f"tr[data-task-id='{case.task_id}'] a")
    page.wait_for_url(f"{live_server}/tasks/{case.task_id}")
    page.click("#claim")
    page.click("#to-in_progress")
    page.click("#record-finding")
    page.check("#v-child_labour")
    page.select_option("#outcome", "fine")
    page.fill("#notes", "现场查实使用两名15岁工人")
    page.fill("input[name=victim_name] >> nth=0", "张三")
    page.fill("input[name=victim_age] >> nth=0", "15")
    page.click("#finding-submit")
    page.wait_for_url(f"{live_server}/tasks/{case.task_id}")
    assert page.inner_text("#task-status") == "已记录结论"
    assert "张三" in page.inner_text("body")
    # Closing is a supervisor's four-eyes review.
    supervisor = browser.new_context().new_page()
    log_in(supervisor, live_server, "supervisor.sz")
    supervisor.goto(f"{live_server}/tasks/{case.task_id}")
    assert "待督导审核" in supervisor.inner_text("#awaiting-review")
    supervisor.click("#to-closed")  # opens the confirmation with the review note
    supervisor.fill("#note-closed", "证据充分，同意办结")
    supervisor.click("#confirm-closed")
    supervisor.wait_for_url(f"{live_server}/tasks/{case.task_id}")
    assert supervisor.inner_text("#task-status") == "已办结"
    assert page.dialogs == [] and not [e for e in page.console_errors if "Content Security Policy" in e]


def test_supervisor_dashboard_and_htmx_filter(live_server: str, page: Any, cases, users) -> None:  # type: ignore[no-untyped-def]
    cases.make(region="320505", overdue=True)
    cases.make(region="320102", risk_type="illegal_agency", body="中介收押金", title="中介收取押金")
    log_in(page, live_server, "supervisor")
    page.select_option("#f-risk", "illegal_agency")  # htmx swaps only the rows
    # A locator assertion polls from Playwright's side: no script string for the page's CSP to refuse.
    expect(page.locator("#queue-rows tr[data-task-id]")).to_have_count(1)
    assert "illegal_agency" in page.url
    page.goto(f"{live_server}/dashboard")
    assert page.locator("tr[data-region='320500']").count() == 1
    assert page.locator("#trend-chart svg polyline").count() == 3
    page.goto(f"{live_server}/market")
    page.locator("button.show-listings").first.click()  # htmx loads the organisation's listings in place
    expect(page.locator("ul.org-listings li").first).to_be_visible()
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
