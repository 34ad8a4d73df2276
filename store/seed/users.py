"""One deterministic builder of demo rows (seeded), shared by tests, browser tests and the demo."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.db import session_scope
from store.users import user_by_name, user_create

DEMO_PASSWORD = "demo-pass-2014"

# (username, role, region code, display name): every role, a province view and two city teams.
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("inspector.nj", "inspector", "320100", "南京劳动监察 王强"),
    ("inspector.sz", "inspector", "320500", "苏州劳动监察 李娜"),
    ("inspector.wx", "inspector", "320200", "无锡劳动监察 陈刚"),
    ("officer.nj", "market_officer", "320100", "南京市场监管 赵敏"),
    ("officer.sz", "market_officer", "320500", "苏州市场监管 周洁"),
    ("analyst", "analyst", "320000", "省厅数据分析 孙磊"),
    ("supervisor", "supervisor", "320000", "省厅督办 刘芳"),
    ("supervisor.sz", "supervisor", "320500", "苏州督导 吴昊"),
    ("admin", "admin", "320000", "系统管理员"),
)


@dataclass
class DemoSummary:
    """What the builder made (or found already there)."""

    users: list[tuple[str, str, str]] = field(default_factory=list)
    created_users: int = 0


def build_demo_users(session: Session, summary: DemoSummary) -> None:
    """Create the demo accounts that do not exist yet."""
    for username, role, region, name in DEMO_USERS:
        if user_by_name(session, username) is None:
            user_create(
                session,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                region_code=region,
                display_name=name,
                created_by="demo",
            )
            summary.created_users += 1
        summary.users.append((username, role, region))


def build_demo(engine: Engine, *, seed: int = 2014) -> DemoSummary:
    """Load the demo rows; idempotent, so running it again reuses what is there."""
    summary = DemoSummary()
    with session_scope(engine) as session:
        build_demo_users(session, summary)
    return summary
