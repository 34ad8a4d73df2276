"""Pydantic models of the JSON API: requests in, responses out (never the table classes)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from store.enums import Outcome, RiskType, TaskStatus, Violation

# NUL can be stored by neither PostgreSQL text nor most tools downstream: refuse it at the door.
NO_NUL = r"^[^\x00]*$"
Note = Annotated[str, Field(max_length=2000, pattern=NO_NUL)]


class TaskSummaryOut(BaseModel):
    """One queue row."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    risk_type: str
    agency: str
    region_code: str
    region_name: str
    status: str
    priority: float
    score: float | None
    assignee_id: int | None
    assignee_name: str | None
    due_at: datetime | None
    overdue: bool
    version: int


class QueueOut(BaseModel):
    """A page of the queue."""

    items: list[TaskSummaryOut]
    total: int
    page: int
    per_page: int
    pages: int


class EvidenceOut(BaseModel):
    """A listing attached as evidence (text masked per role; HTML never included)."""

    listing_id: int
    listing_version_id: int | None
    url: str
    title: str
    text: str
    employer_name: str | None
    score: float | None
    scores: list[dict[str, Any]]


class FindingOut(BaseModel):
    """A recorded finding (victims only for those allowed to see them)."""

    id: int
    violations: list[str]
    outcome: str
    notes: str
    victims: list[dict[str, Any]] | None = Field(description="Only for the assignee and supervisors.")
    victim_count: int
    follow_up_date: date | None
    created_at: datetime


class TaskOut(BaseModel):
    """A task with its evidence, organisation, findings and history."""

    id: int
    title: str
    risk_type: str
    agency: str
    region_code: str
    region_name: str
    status: str
    origin: str
    priority: float
    score: float | None
    assignee_id: int | None
    due_at: datetime | None
    overdue: bool
    version: int
    tip_text: str | None
    evidence: list[EvidenceOut]
    organisation: dict[str, Any] | None
    other_listings: list[dict[str, Any]]
    findings: list[FindingOut]
    history: list[dict[str, Any]]
    allowed_actions: list[str]


class TransitionIn(BaseModel):
    """Move a task to another status."""

    expected_version: int = Field(
        ge=1, le=2_147_483_647, description="The task version you read (optimistic locking)."
    )
    to_status: TaskStatus
    note: Note = ""


class EscalateIn(BaseModel):
    """挂牌督办: put a task under supervision with the facts of its notice."""

    expected_version: int = Field(ge=1, le=2_147_483_647)
    reason: str = Field(min_length=1, max_length=2000, pattern=NO_NUL, description="督办理由")
    office: str = Field(min_length=1, max_length=200, pattern=NO_NUL, description="督办单位")
    deadline: date = Field(description="办结期限 (a Beijing calendar day, today or later)")


class AssignIn(BaseModel):
    """Assign a task."""

    expected_version: int = Field(ge=1, le=2_147_483_647)
    assignee_id: int = Field(ge=1, le=2_147_483_647)


class VictimIn(BaseModel):
    """A victim's details (protected)."""

    name: str = Field(default="", max_length=100, pattern=NO_NUL)
    age: int | None = Field(default=None, ge=0, le=120)
    phone: str = Field(default="", max_length=40, pattern=NO_NUL)
    id_number: str = Field(default="", max_length=40, pattern=NO_NUL)
    gender: str = Field(default="", max_length=20, pattern=NO_NUL)
    nationality: str = Field(default="", max_length=60, pattern=NO_NUL)
    note: str = Field(default="", max_length=1000, pattern=NO_NUL)


class FindingIn(BaseModel):
    """A finding (evidence files are uploaded through the web form)."""

    expected_version: int = Field(ge=1, le=2_147_483_647)
    violations: list[Violation] = Field(max_length=len(Violation))
    outcome: Outcome
    notes: str = Field(default="", max_length=20_000, pattern=NO_NUL)
    victims: list[VictimIn] = Field(default_factory=list, max_length=20)
    follow_up_date: date | None = None


class TipIn(BaseModel):
    """A tip or mandated report that opens a task."""

    risk_type: RiskType
    region_code: str = Field(pattern=r"^\d{6}$")
    title: str = Field(min_length=1, max_length=300, pattern=NO_NUL)
    tip_source: str = Field(min_length=1, max_length=300, pattern=NO_NUL)
    tip_text: str = Field(min_length=1, max_length=20_000, pattern=NO_NUL)
    origin: Literal["tip", "mandated_report"] = "tip"


class TaskRefOut(BaseModel):
    """The id, status and version of a task after a change."""

    id: int
    status: str
    version: int


class OrgFlagOut(BaseModel):
    """Why an organisation is flagged, with its evidence (free text masked)."""

    model_config = ConfigDict(from_attributes=True)

    code: str = Field(
        description="unlicensed_agency, licence_expired, job_seeker_fees, ... (docs/organisations.md)"
    )
    detail: str
    listing_ids: list[int] = Field(description="Listings that show it (at most 10).")
    phrases: list[str] = Field(description="Phrases found in those listings.")
    registry_record: dict[str, Any] | None = Field(description="The register entry matched, if any.")


class OrganisationOut(BaseModel):
    """A flagged organisation."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    region_code: str | None
    licence_status: str
    licence_no: str | None
    listings: int
    max_risk: float | None
    open_tasks: int
    task_ids: list[int]
    flags: list[OrgFlagOut]


class ConflictOut(BaseModel):
    """409: the task changed since you read it."""

    detail: str
    current_version: int
    current_status: str
    submitted: dict[str, Any]


class ErrorOut(BaseModel):
    """Any other error."""

    detail: Any


class MeOut(BaseModel):
    """The logged-in user."""

    id: int
    username: str
    display_name: str
    role: str
    region_code: str
    language: str
    csrf_token: str = Field(description="Send it as the X-CSRF-Token header on every POST.")
