"""挂牌督办 on the web and the API, the 督办通知 page and PDF, the case file download, the monthly report page."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import Engine, select, update
from sqlmodel import Session

from inspection.clock import beijing_today
from store.models import ListingVersion, TaskEscalation


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def _sha(db: Engine, version_id: int) -> str:
    with Session(db) as session:
        return session.execute(
            select(ListingVersion.raw_sha256).where(ListingVersion.id == version_id)
        ).scalar_one()


def test_supervisor_escalates_with_a_notice(db: Engine, login_as, cases) -> None:  # type: ignore[no-untyped-def]
    case = cases.make()
    client, token = login_as("supervisor.sz")
    page = client.get(f"/tasks/{case.task_id}").text
    assert 'id="escalate-form"' in page and 'id="to-escalated"' not in page and "case-file.pdf" in page
    deadline = (beijing_today() + timedelta(days=15)).isoformat()
    form = {"csrf_token": token, "expected_version": "1", "reason": "涉及多名未成年人", "office": "苏州市人社局",
            "deadline": deadline}  # fmt: skip
    done = client.post(f"/tasks/{case.task_id}/escalate", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/tasks/{case.task_id}/notice"
    notice = client.get(f"/tasks/{case.task_id}/notice").text
    sha = _sha(db, case.version_id)
    for fact in ("挂牌督办通知书", "涉及多名未成年人", "苏州市人社局", deadline, sha, "北京时间"):
        assert fact in notice
    pdf = client.get(f"/tasks/{case.task_id}/notice.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "涉及多名未成年人" in pdf_text(pdf.content) and sha in pdf_text(pdf.content)
    stale = client.post(f"/tasks/{case.task_id}/escalate", data=form, follow_redirects=False)
    assert stale.status_code == 409 and "苏州市人社局" in stale.text  # their input kept


def test_overdue_escalations_on_the_dashboard(db: Engine, login_as, cases) -> None:  # type: ignore[no-untyped-def]
    case = cases.make()
    client, token = login_as("supervisor")
    body = {
        "expected_version": 1,
        "reason": "重点案件",
        "office": "省人社厅",
        "deadline": beijing_today().isoformat(),  # a deadline is a Beijing calendar day
    }
    ok = client.post(f"/api/tasks/{case.task_id}/escalate", json=body, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200 and ok.json()["status"] == "escalated"
    row = re.search(r'data-region="320500">.*?</tr>', client.get("/dashboard").text)
    assert row and 'escalations-overdue">0<' in row[0]
    with Session(db) as session:
        session.execute(update(TaskEscalation).values(deadline=beijing_today() - timedelta(days=1)))
        session.commit()
    row = re.search(r'data-region="320500">.*?</tr>', client.get("/dashboard").text)
    assert row and 'escalations-overdue overdue">1<' in row[0]
    past = client.post(f"/api/tasks/{case.task_id}/escalate", json=body | {"expected_version": 2,
                       "deadline": "2020-01-01"}, headers={"X-CSRF-Token": token})  # fmt: skip
    assert past.status_code == 409


def test_case_file_download_is_masked_for_the_role(db: Engine, login_as, cases) -> None:  # type: ignore[no-untyped-def]
    case = cases.make()
    sha = _sha(db, case.version_id)
    supervisor, _ = login_as("supervisor.sz")
    full = pdf_text(supervisor.get(f"/tasks/{case.task_id}/case-file.pdf").content)
    analyst, _ = login_as("analyst")
    masked = pdf_text(analyst.get(f"/tasks/{case.task_id}/case-file.pdf").content)
    assert sha in full and sha in masked
    assert "13912345678" in full and "13912345678" not in masked and "139****5678" in masked
    outsider, _ = login_as("inspector.nj")
    assert outsider.get(f"/tasks/{case.task_id}/case-file.pdf").status_code == 404


def test_monthly_report_page_for_supervisors(login_as, cases) -> None:  # type: ignore[no-untyped-def]
    cases.make()
    month = date.today().strftime("%Y-%m")
    client, _ = login_as("supervisor.sz")
    page = client.get(f"/reports/monthly?region=320500&month={month}")
    assert page.status_code == 200 and "苏州市" in page.text and 'id="report-figures"' in page.text
    pdf = client.get(f"/reports/monthly.pdf?region=320500&month={month}")
    assert pdf.headers["content-type"] == "application/pdf" and "苏州市" in pdf_text(pdf.content)
    assert (
        client.get(f"/reports/monthly?region=320000&month={month}").status_code == 404
    )  # outside their region
    inspector, _ = login_as("inspector.sz")
    assert inspector.get("/reports/monthly").status_code == 404


def test_missing_font_is_a_503(db: Engine, tmp_path, users, cases) -> None:  # type: ignore[no-untyped-def]
    from inspection.web.app import create_app
    from tests.inspection.web.conftest import TestClient, login, make_settings

    case = cases.make()
    app = create_app(make_settings(tmp_path, pdf_font=str(tmp_path / "none.ttf")), engine=db)
    with TestClient(app, base_url="http://testserver") as client:
        login(client, "supervisor.sz")
        response = client.get(f"/tasks/{case.task_id}/case-file.pdf")
    assert response.status_code == 503  # the page says nothing of the server; the log names the font
