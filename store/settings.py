"""Settings: one prefix (LABOURWATCH_), help text on every field, one clear line when a value is wrong."""

from __future__ import annotations

import json
import os
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "LABOURWATCH_"

# Scheduler: what each job kind runs, and for how long (merged under LABOURWATCH_SCHEDULE_COMMANDS / _TIMEOUTS_S).
SCHEDULE_COMMANDS: dict[str, list[str]] = {
    "crawl": ["{labourwatch} crawl {source}"],
    "score": ["{labourwatch} model score"],
    "tasks": [
        "{labourwatch} tasks generate",
        "{labourwatch} tasks release-backlog",
        "{labourwatch} tasks reinspections",
    ],
    "evaluate": ["{labourwatch} model train", "{labourwatch} model evaluate"],
    "retention": ["{labourwatch} retention purge"],
    "audit": ["{labourwatch} audit verify"],
    "drift": ["{labourwatch} model drift"],
    "report": ["{labourwatch} report monthly-all"],
}
SCHEDULE_TIMEOUTS_S: dict[str, int] = {
    "crawl": 3 * 3600,
    "score": 3600,
    "tasks": 1800,
    "evaluate": 4 * 3600,
    "retention": 1800,
    "audit": 1800,
    "drift": 1800,
    "report": 1800,
}


class SettingsError(ValueError):
    """A setting has an invalid value; the message names it."""


class Settings(BaseSettings):
    """Every knob of LabourWatch. Set with environment variables (LABOURWATCH_<NAME>) or a .env file."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder for the SQLite database, model files, uploads and chart images.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("LABOURWATCH_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL of the database (also read from DATABASE_URL). Default: a SQLite file "
        "DATA_DIR/labourwatch.db. PostgreSQL: postgresql://user@host:5432/db (psycopg 3).",
    )
    sources_dir: Path = Field(
        default=Path("sources"), description="Folder of source configuration files (one TOML file a site)."
    )
    secret_key: str | None = Field(
        default=None,
        min_length=32,
        description="Key that signs session cookies and CSRF tokens (32+ characters). Default: a random "
        "key created once in DATA_DIR/secret_key.",
    )
    audit_key: str | None = Field(
        default=None,
        min_length=32,
        description="Key of the audit chain's HMAC (32+ characters), kept outside the database. Default: a "
        "random key created once in DATA_DIR/audit_key. Every process writing the same database needs the same key.",
    )
    audit_anchor: Path | None = Field(
        default=None,
        description="Append-only file where the audit chain's head (last id and hash) is written after each "
        "commit, so deleting the newest events is detected. Default: DATA_DIR/audit_anchor.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=10_000, ge=0, le=600_000, description="How long SQLite waits for a lock before failing (ms)."
    )
    log_level: str = Field(default="INFO", description="Logging level: DEBUG, INFO, WARNING or ERROR.")

    # --- scheduler (scheduling/) ---
    schedule_timezone: str = Field(
        default="Asia/Shanghai",
        description="Time zone in which every schedule's cron expression is read (slots are stored in UTC).",
    )
    schedule_evaluate_cron: str = Field(
        default="30 2 * * *",
        description="Cron (minute hour day month weekday; 0=Sunday) of the nightly retrain-and-evaluate job.",
    )
    schedule_retention_cron: str = Field(
        default="0 3 * * *", description="Cron of the daily purge of expired personal data."
    )
    schedule_audit_cron: str = Field(
        default="30 3 * * *", description="Cron of the daily check of the audit log's hash chain."
    )
    schedule_drift_cron: str = Field(
        default="0 4 * * 1", description="Cron of the weekly drift report (score and feature PSI per source)."
    )
    schedule_report_cron: str = Field(
        default="0 6 1 * *",
        description="Cron of the monthly assessment reports (last month's, province and every city).",
    )
    schedule_commands: dict[str, list[str]] = Field(
        default=SCHEDULE_COMMANDS,
        description="JSON table job kind -> command lines run in order by the scheduler (each a subprocess). "
        "Kinds: crawl, score, tasks, evaluate, retention, audit, drift, report; a value given here replaces that kind's "
        "default only. Placeholders: {labourwatch} ({python} -m labourwatch), {python}, {source}, {job}, "
        "{slot} (ISO UTC).",
    )
    schedule_timeouts_s: dict[str, int] = Field(
        default=SCHEDULE_TIMEOUTS_S,
        description="JSON table job kind -> seconds all of its commands together may run before they are "
        "killed and the run recorded as failed (a value given here replaces that kind's default only).",
    )
    schedule_misfire_grace_s: int = Field(
        default=3600,
        ge=1,
        le=7 * 86400,
        description="A slot missed (scheduler down or busy) still runs, once, if it is at most this old.",
    )
    schedule_retry_max_attempts: int = Field(
        default=3, ge=1, le=20, description="Attempts per slot before a failing run is given up."
    )
    schedule_retry_base_s: float = Field(
        default=60, gt=0, description="Wait before the first retry; doubled for each later retry."
    )
    schedule_retry_max_s: float = Field(
        default=3600, gt=0, description="Longest wait between retries of a failed slot."
    )
    schedule_failing_streak: int = Field(
        default=3, ge=1, description="Consecutive failed slots after which a job is shown as FAILING."
    )
    schedule_heartbeat_s: float = Field(
        default=30, gt=0, description="How often a running job's ledger row is marked alive."
    )
    schedule_stale_after_s: float = Field(
        default=300,
        gt=0,
        description="A running row whose heartbeat is older than this is taken as crashed and retried.",
    )
    schedule_poll_s: float = Field(
        default=15,
        gt=0,
        description="How often the scheduler sweeps for retries/crashed runs and a standby tries the lock.",
    )
    schedule_stop_grace_s: float = Field(
        default=30,
        ge=0,
        description="On stop, how long running jobs may finish on their own before they get SIGTERM "
        "(then SIGKILL 10 s later); a job stopped this way is retried by the next scheduler.",
    )
    schedule_max_workers: int = Field(
        default=4, ge=1, le=64, description="Jobs the scheduler runs at the same time (one per job at most)."
    )
    broker_url: str = Field(
        default="",
        description="Celery broker (redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//). Empty: "
        "the scheduler runs jobs as its own child processes; set: `schedule start` sends them to "
        "`labourwatch worker` processes on any machine.",
    )
    broker_visibility_timeout_s: int = Field(
        default=0,
        ge=0,
        description="Redis broker: seconds after which a task taken by a worker that died is delivered "
        "again. 0: the longest job time limit plus 10 minutes (a live job is never delivered twice).",
    )
    worker_busy_retry_s: float = Field(
        default=60,
        gt=0,
        description="When a worker finds its crawl's source being crawled elsewhere (or the slot running "
        "on a live worker), how long before the task is tried again.",
    )

    @field_validator(
        "schedule_evaluate_cron",
        "schedule_retention_cron",
        "schedule_audit_cron",
        "schedule_drift_cron",
        "schedule_report_cron",
    )
    @classmethod
    def _cron_shape(cls, value: str) -> str:
        if len(value.split()) not in (5, 6):
            raise ValueError("must be a cron expression of 5 fields (or 6 with seconds first)")
        return value

    @field_validator("schedule_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Asia/Shanghai") from None
        return value

    @field_validator("schedule_commands", mode="before")
    @classmethod
    def _one_line_is_a_list(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {kind: [lines] if isinstance(lines, str) else lines for kind, lines in value.items()}
        return value

    @field_validator("schedule_commands")
    @classmethod
    def _merge_commands(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - set(SCHEDULE_COMMANDS)
        if unknown:
            raise ValueError(f"unknown job kind(s) {sorted(unknown)}; known: {sorted(SCHEDULE_COMMANDS)}")
        if any(not lines or not all(line.strip() for line in lines) for lines in value.values()):
            raise ValueError("every job kind needs at least one non-empty command line")
        return {**SCHEDULE_COMMANDS, **value}

    @field_validator("schedule_timeouts_s")
    @classmethod
    def _merge_timeouts(cls, value: dict[str, int]) -> dict[str, int]:
        if set(value) - set(SCHEDULE_TIMEOUTS_S) or any(v <= 0 for v in value.values()):
            raise ValueError(f"keys must be among {sorted(SCHEDULE_TIMEOUTS_S)} and values positive")
        return {**SCHEDULE_TIMEOUTS_S, **value}

    @field_validator("schedule_stale_after_s")
    @classmethod
    def _stale_after_beats(cls, value: float, info: Any) -> float:
        beat = info.data.get("schedule_heartbeat_s")
        if beat is not None and value <= 2 * beat:
            raise ValueError("must be more than twice SCHEDULE_HEARTBEAT_S")
        return value

    # --- inspection: task generation, workflow, findings ---
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

    # --- crawlers ---
    demo_web_url: str | None = Field(
        default=None,
        description="Base URL of the first local demo site (`labourwatch demo-web`, e.g. http://127.0.0.1:8600); "
        "the others listen on the next ports. Fills {demo_web}, {suzhou-jobs}, ... in source files.",
    )
    site_urls: dict[str, str] = Field(
        default_factory=dict,
        description='Base URLs for other {placeholders} in source files, as JSON: {"real_pages": "http://..."}.',
    )
    crawl_inactive_after_runs: int = Field(
        default=3,
        ge=1,
        le=1000,
        description="A listing missing from this many successful runs becomes inactive.",
    )
    crawl_batch_size: int = Field(
        default=200,
        ge=1,
        le=5000,
        description="Listings buffered before one database transaction writes them.",
    )
    crawl_timeout_s: int = Field(
        default=3600,
        ge=10,
        le=86_400,
        description="A crawl process running longer is stopped and its run failed.",
    )
    crawl_loopback_fast: bool = Field(
        default=False,
        description="Drop delays and AutoThrottle for sites on 127.0.0.1 only (tests and benchmarks).",
    )

    @field_validator("demo_web_url")
    @classmethod
    def _http_base(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    # Web UI (inspection.web)
    session_cookie_secure: bool = Field(
        default=False,
        description="Send the session cookie only over HTTPS (set true behind TLS in production).",
    )
    session_max_age_s: int = Field(
        default=8 * 3600, ge=300, le=7 * 86400, description="How long a login lasts (seconds)."
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        le=100,
        description="Failed logins on one account (from any address, within the window) after which each "
        "further try must wait LOGIN_FIRST_DELAY_S, doubling per failure up to LOGIN_MAX_DELAY_S.",
    )
    login_window_s: int = Field(
        default=900, ge=10, le=86400, description="Window (seconds) in which failed logins are counted."
    )
    login_first_delay_s: int = Field(
        default=15, ge=1, le=3600, description="Wait (seconds) after the LOGIN_MAX_FAILURES-th failure."
    )
    login_max_delay_s: int = Field(
        default=300,
        ge=1,
        le=3600,
        description="Longest wait (seconds) between tries on one account: the real user is never locked "
        "out for longer.",
    )
    login_ip_max_failures: int = Field(
        default=50,
        ge=1,
        le=100_000,
        description="Failed logins from one client address (any usernames) within the window before that "
        "address is refused until older failures leave the window.",
    )
    export_max_per_window: int = Field(
        default=20,
        ge=1,
        le=10_000,
        description="CSV exports one user may make within EXPORT_WINDOW_S; further ones are refused (429) "
        "until older exports leave the window.",
    )
    export_window_s: int = Field(
        default=3600,
        ge=10,
        le=86400,
        description="Window (seconds) in which a user's CSV exports are counted.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="Addresses or networks (comma-separated, e.g. 127.0.0.1,10.0.0.0/8) of reverse proxies "
        "whose X-Forwarded-For names the client. Default empty: the header is never trusted.",
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        for part in value:
            ip_network(part, strict=False)  # ValueError names the bad entry
        return value

    # --- model operations (risk_model: training, promotion, scoring, active learning, drift) ---
    model_thresholds: dict[str, float] = Field(
        default={},
        description='Operating threshold per risk type as JSON, e.g. {"child_labour": 0.3}; a risk type '
        "left out uses the threshold chosen at training (best F1 on the calibration split).",
    )
    model_promotion_tolerance: float = Field(
        default=0.02,
        ge=0.0,
        le=1.0,
        description="Largest drop of a tracked metric (ROC-AUC, average precision, F1; rise for Brier) per "
        "risk type a candidate may show against the champion before promotion is refused.",
    )
    model_source_weights: dict[str, float] = Field(
        default={"orfd": 1.0, "synthetic": 0.5, "finding": 3.0},
        description="Training weight per example source as JSON (orfd, synthetic, finding).",
    )
    model_orfd_limit: int = Field(
        default=0, ge=0, description="Use only the first N labelled ORFD rows for training (0 = all)."
    )
    model_agency_corpus: str = Field(
        default="auto",
        pattern="^(auto|always|never)$",
        description=(
            "Whether illegal_agency also learns from the synthetic corpus: auto (only when ORFD gives "
            "fewer than 100 fakes), always (the demo main job: its sites are written by the same "
            "generator), never."
        ),
    )
    model_synthetic_per_kind: int = Field(
        default=1500,
        ge=0,
        le=100_000,
        description="Synthetic labelled ads generated per kind (job, marriage).",
    )
    model_quick: bool = Field(
        default=False,
        description="Train on a small sample (1,000 ORFD rows, 600 synthetic ads a kind): for demos and tests.",
    )
    model_seed: int = Field(
        default=2014, description="Seed of the synthetic corpus and of the training splits."
    )
    model_drift_threshold: float = Field(
        default=0.2,
        gt=0.0,
        description="Population stability index above which the weekly drift report raises an alert.",
    )
    model_drift_reference_days: int = Field(
        default=28, ge=7, le=365, description="Length of the drift reference window before the latest week."
    )
    model_score_batch_size: int = Field(
        default=500, ge=1, le=20_000, description="Listings scored per batch (bounds memory)."
    )

    # --- retention (store/retention.py: `labourwatch retention purge`) ---
    retention_victim_days: int = Field(
        default=730,
        ge=30,
        le=36_500,
        description="Days after a task is closed before its victims' names, phones and ID numbers are erased "
        "(age, gender and nationality stay; the finding, its labels and attachments are kept).",
    )
    retention_listing_days: int = Field(
        default=365,
        ge=30,
        le=36_500,
        description="Days a listing must be inactive (not seen) before its phones, chat IDs and text are "
        "masked (never while an open task holds it) and, if no task ever used it, its raw pages dropped.",
    )
    retention_rejected_days: int = Field(
        default=90,
        ge=1,
        le=36_500,
        description="Days after which items rejected by crawl validation are deleted.",
    )
    retention_batch_size: int = Field(
        default=500, ge=1, le=20_000, description="Rows the retention purge reads and writes per batch."
    )

    @field_validator("model_thresholds", "model_source_weights")
    @classmethod
    def _probability_map(cls, value: dict[str, float], info: Any) -> dict[str, float]:
        known = (
            {"illegal_agency", "child_labour", "forced_labour", "illegal_marriage_broker"}
            if info.field_name == "model_thresholds"
            else {"orfd", "synthetic", "finding"}
        )
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown keys {unknown}; expected some of {sorted(known)}")
        if any(
            not 0.0 <= v <= (1.0 if info.field_name == "model_thresholds" else 100.0) for v in value.values()
        ):
            raise ValueError("values out of range")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return level

    @field_validator("database_url")
    @classmethod
    def _known_dialect(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("must start with sqlite:// or postgresql://")
        return value

    @property
    def db_url(self) -> str:
        """The database URL in force (the SQLite default when none is set)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'labourwatch.db').as_posix()}"

    def session_secret(self) -> str:
        """The configured secret key, or one created once and kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            import secrets

            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def audit_secret(self) -> bytes:
        """The audit chain's HMAC key: the setting, or one created once and kept in the data folder."""
        if self.audit_key:
            return self.audit_key.encode("utf-8")
        return _key_file(self.data_dir / "audit_key").encode("utf-8")

    def audit_anchor_path(self) -> Path:
        """Where the audit chain's head is anchored."""
        return self.audit_anchor or self.data_dir / "audit_anchor"


def _key_file(path: Path) -> str:
    """A random key created once at PATH (owner-only), read back on every later call."""
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(draft, path)  # atomic and refuses to replace: two processes racing agree on one key
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()


def _describe(error: Any) -> str:
    field = str(error["loc"][0]) if error.get("loc") else "?"
    name = "DATABASE_URL" if field in {"database_url", "DATABASE_URL"} else ENV_PREFIX + field.upper()
    return f"{name.removeprefix(ENV_PREFIX + ENV_PREFIX)}: {error['msg']} (got {error.get('input')!r})"


# Settings whose meaning changed: a value left in the environment would silently stop meaning anything.
RENAMED: dict[str, str] = {
    "TASK_AUDIT_SHARE": "TASK_AUDIT_CAPACITY_SHARE (a share of each team's capacity, not of all listings)",
    "MODEL_ACTIVE_SHARE": "TASK_ACTIVE_CAPACITY_SHARE (a share of each team's capacity, not of the new queue)",
}


def load_settings(**overrides: Any) -> Settings:
    """Read the settings from the environment; raise SettingsError naming the bad setting."""
    for old, new in RENAMED.items():
        if ENV_PREFIX + old in os.environ:
            raise SettingsError(f"{ENV_PREFIX}{old} was replaced by {ENV_PREFIX}{new}; rename it")
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError("invalid setting " + "; ".join(_describe(e) for e in exc.errors())) from None


def settings_help() -> list[tuple[str, str, str]]:
    """(variable, default, description) for every setting: the source of the docs table."""
    rows = []
    for name, field in Settings.model_fields.items():
        value = field.get_default(call_default_factory=True)  # a factory default is a value too
        default = "" if value is None else json.dumps(value) if isinstance(value, dict | list) else str(value)
        rows.append((ENV_PREFIX + name.upper(), default, field.description or ""))
    return rows
