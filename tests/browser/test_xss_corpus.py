"""Two hundred hostile ads in real Chromium: queue, every task page, the market page and its fragments.

Each payload carries a marker (XSS-n). Execution would show as a dialog, a console line, a request to a
path with "xss" in it (CSS, htmx and base-href vectors fetch instead of alerting) or a `window.__xss`
value; template syntax would show as its evaluated result. None may happen, every document must carry
our CSP, and the payloads must be shown as text (rendered, not dropped).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import Engine, update
from sqlmodel import Session

from inspection.web.security.headers import PAGE_CSP, RAW_CSP
from store.models import Listing, Organisation
from tests.browser.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

ADS = 200
VECTORS = [
    "<script>alert('{m}');window.__xss='{m}'</script>",
    "<img src=x onerror=\"alert('{m}')\">",
    "<svg onload=alert('{m}')>",
    "<svg><script>alert('{m}')</script></svg>",
    "<a href=\"javascript:alert('{m}')\">点我</a>",
    "<iframe src=\"javascript:alert('{m}')\"></iframe>",
    "<body onload=alert('{m}')>",
    "<details open ontoggle=alert('{m}')>",
    "<input autofocus onfocus=alert('{m}')>",
    "<style>body{{background:url('/xss-css-{m}')}}</style>",
    '<div style="background-image:url(/xss-style-{m})">样式</div>',
    "<link rel=stylesheet href=/xss-link-{m}>",
    "{{{{7*'7'}}}}${{7*7*7*7*7*7*7*7}}#{{7*7*7*7*7*7*7*7}}{{% print('{m}') %}}",
    "\"><script>alert('{m}')</script>",
    "'\"><img src=x onerror=alert('{m}')>",
    "</textarea></title><script>alert('{m}')</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('{m}')>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('{m}')>\">",
    "\u202e<img src=x onerror=alert('{m}')>\u202c反向",
    "＜script＞alert('{m}')＜/script＞全角",
    "<scr\u200bipt>alert('{m}')</scr\u200bipt>零宽",
    "<object data=\"javascript:alert('{m}')\"></object>",
    "<embed src=\"data:text/html,<script>alert('{m}')</script>\">",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'{m}\')">',
    '<base href="http://127.0.0.1:9/xss-base-{m}/">',
    "<form action=\"javascript:alert('{m}')\"><button>提交</button></form>",
    "<a href=\"&#106;avascript:alert('{m}')\">实体</a>",
    "<img src=x onerror=\"&#97;lert('{m}')\">",
    '<div hx-get="/xss-htmx-{m}" hx-trigger="load">htmx</div>',
    "<img src=x hx-on::error=\"alert('{m}')\" hx-on:htmx:load=\"alert('{m}')\">",
    "<svg><animate onbegin=alert('{m}') attributeName=x dur=1s>",
    "javascript:alert('{m}') 请复制到地址栏",
]
TEMPLATE_RESULTS = ("7777777", "5764801")  # {{7*'7'}} in Jinja, 7**8 in JS/Ruby-style templates


def payload(n: int, field: int) -> str:
    """The hostile text for ad N's FIELD (0 title, 1 body, 2 company), each with its own marker."""
    vector = VECTORS[(n * 3 + field * 7) % len(VECTORS)]
    return vector.format(m=f"XSS-{n}-{field}")


def seed(cases, db: Engine) -> list[Any]:  # type: ignore[no-untyped-def]
    made = []
    for n in range(ADS):
        agency = "market_regulation" if n % 4 == 0 else "labour_inspection"
        title = f"招聘{n}号 {payload(n, 0)}"[:200]
        body = f"招聘童工，押金500元。{payload(n, 1)} 结尾{n}"
        made.append(cases.make(title=title, body=body, agency=agency, risk_type="illegal_agency"))
    with Session(db) as session:
        for n, case in enumerate(made):
            name = f"公司{n} {payload(n, 2)}"[:200]
            session.execute(
                update(Organisation).where(Organisation.id == case.organisation_id).values(name=name)
            )
            session.execute(update(Listing).where(Listing.id == case.listing_id).values(employer_name=name))
        session.commit()
    return made


class Watch:
    """Everything on a page that would show a payload ran, and every document's CSP."""

    def __init__(self, page: Any) -> None:
        self.fired: list[str] = []
        self.documents = 0
        self.violations: list[str] = []
        page.on("dialog", lambda d: (self.fired.append(f"dialog {d.message}"), d.dismiss()))
        page.on("console", self._console)
        page.on("request", self._request)
        page.on("response", self._response)

    def _console(self, msg: Any) -> None:
        if "XSS-" in msg.text:
            self.fired.append(f"console {msg.text}")
        if "Content Security Policy" in msg.text:
            self.violations.append(msg.text[:160])  # a refusal: the policy held

    def _request(self, request: Any) -> None:
        if "xss" in request.url.lower():
            self.fired.append(f"request {request.url}")

    def _response(self, response: Any) -> None:
        if response.request.resource_type != "document" or not response.url.startswith("http://127.0.0.1"):
            return
        csp = response.headers.get("content-security-policy")
        assert csp in (PAGE_CSP, RAW_CSP), f"{response.url}: CSP {csp!r}"
        self.documents += 1

    def check(self, page: Any, where: str) -> None:
        assert self.fired == [], f"{where}: {self.fired[:5]}"
        assert page.evaluate("window.__xss") is None, where
        text = page.inner_text("body")
        assert not any(r in text for r in TEMPLATE_RESULTS), f"{where}: a template expression was evaluated"


def test_two_hundred_hostile_ads_run_nothing_in_chromium(  # type: ignore[no-untyped-def]
    live_server: str, page: Any, cases, users, db: Engine
) -> None:
    made = seed(cases, db)
    watch = Watch(page)
    log_in(page, live_server, "supervisor")
    pages = 0
    for n in range(1, ADS // 50 + 2):
        page.goto(f"{live_server}/?page={n}")
        page.wait_for_load_state("networkidle")  # htmx 'load' triggers would have fired by now
        watch.check(page, f"queue page {n}")
        pages += 1
    page.goto(f"{live_server}/?sort=id&page=1")  # oldest first: the first ad's row is on this page
    assert payload(0, 0)[:40] in page.inner_text("table.queue")  # shown as text, not dropped
    for case in made:
        page.goto(f"{live_server}/tasks/{case.task_id}")
        expect(page.locator(f"#listing-{case.listing_id} .evidence")).to_contain_text("押金500元")
        watch.check(page, f"task {case.task_id}")
        pages += 1
    page.goto(f"{live_server}/tasks/{made[1].task_id}")
    page.click("details.raw-page summary")  # the raw page in its sandboxed frame
    expect(page.frame_locator("iframe.raw").locator("h1")).to_have_count(1)
    page.goto(f"{live_server}/market")
    buttons = page.locator("button.show-listings")
    expect(buttons).to_have_count(ADS)  # every organisation, hostile name and all
    for i in range(ADS):
        buttons.nth(i).click()
    for i in range(ADS):  # polled: each htmx fragment arrived and was inserted
        expect(page.locator("div[id^=listings-]").nth(i).locator("*").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    watch.check(page, "market page with every fragment")
    assert payload(0, 2)[:30] in page.inner_text("table.market")
    pages += 1
    print(
        f"\nxss: {ADS} ads x 3 fields, {pages} pages + {ADS} fragments, {watch.documents} documents with our CSP, "
        f"{len(watch.violations)} CSP refusals {watch.violations[:3]}, 0 executions"
    )
