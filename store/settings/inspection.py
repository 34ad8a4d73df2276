"""Inspection settings: task generation, workflow, findings, printed documents and reports."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class InspectionSettings(BaseSettings):
    """Task thresholds, audit and active-learning slices, team capacity, due dates, findings, PDFs."""

    task_threshold_illegal_agency: float = Field(
        default=0.5, ge=0, le=1, description="Calibrated risk at or above which an illegal_agency task opens."
    )
    task_threshold_child_labour: float = Field(
        default=0.3, ge=0, le=1, description="Calibrated risk at or above which a child_labour task opens."
    )
    task_threshold_forced_labour: float = Field(
        default=0.3, ge=0, le=1, description="Calibrated risk at or above which a forced_labour task opens."
    )
    task_threshold_illegal_marriage_broker: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Calibrated risk at or above which an illegal_marriage_broker task opens.",
    )
    task_audit_capacity_share: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="随机抽查：每个团队（城市×机构）未结的随机抽查任务最多占其处理能力的这一比例（向上取整），每轮"
        "从该团队低于阈值的线索中按种子随机补足。Random audit: a team (city x agency) holds at most "
        "ceil(share x TASK_TEAM_CAPACITY) open origin=audit tasks; each run tops it up with a seeded random "
        "draw among the team's below-threshold listings (unbiased labels). Replaces TASK_AUDIT_SHARE.",
    )
    task_active_capacity_share: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="主动学习：每个团队未结的主动学习任务最多占其处理能力的这一比例（向上取整），选模型最拿不准"
        "（分数最接近阈值）的线索。Active learning: a team holds at most ceil(share x TASK_TEAM_CAPACITY) open "
        "origin=active_learning tasks, for the listings whose score is nearest the threshold. Replaces "
        "MODEL_ACTIVE_SHARE.",
    )
    task_audit_seed: int = Field(
        default=2014,
        description="随机抽查的种子（同一种子抽中同样的线索，记录在任务创建的审计日志中）。Seed of the random-audit "
        "draw (the same seed draws the same listings; kept in each audit task's task.create audit event).",
    )
    task_team_capacity: int = Field(
        default=200,
        ge=1,
        description="Active tasks (new, assigned, in progress, reopened) per team (city × agency); more wait "
        "in backlog.",
    )
    task_team_capacity_overrides: dict[str, int] = Field(
        default_factory=dict,
        description='Per-team capacity as JSON, keyed "CITY:AGENCY" or "CITY", e.g. {"320500": 400}.',
    )
    task_due_days_p1: int = Field(
        default=7, ge=1, le=365, description="Days to finish a priority-1 task (priority >= 0.6)."
    )
    task_due_days_p2: int = Field(
        default=15, ge=1, le=365, description="Days to finish a priority-2 task (priority >= 0.3)."
    )
    task_due_days_p3: int = Field(default=30, ge=1, le=365, description="Days to finish any other task.")
    task_recency_half_life_days: float = Field(
        default=30.0,
        gt=0,
        description="Age of a listing (days since last seen) at which its recency weight falls halfway.",
    )
    finding_follow_up_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Default days until re-inspection after a warning or an order to correct.",
    )
    finding_attachment_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1, description="Largest evidence file accepted with a finding (bytes)."
    )

    # --- documents and reports (inspection/documents, `labourwatch report`) ---
    pdf_font: str = Field(
        default="",
        description="CJK font file embedded in PDFs (督办通知, case files, reports); empty: the first of the "
        "usual Debian CJK fonts found (scripts/dev.py installs fonts-wqy-microhei).",
    )
    report_dir: str = Field(
        default="",
        description="Folder where `report monthly-all` (and so the scheduler) writes the monthly PDFs; "
        "empty: DATA_DIR/reports.",
    )
