"""The demo accounts (seeded), shared by tests, browser tests and the demo."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.accounts.users import user_by_name, user_create
from store.db import session_scope
from synthetic_ads.phrases.job import SURNAMES

DEFAULT_SEED = 2014
DEMO_PASSWORD = "demo-pass-2014"

# (username, role, region code, display name) of the default seed: every role, a province view and two
# city teams.
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


def demo_users(seed: int = DEFAULT_SEED) -> tuple[tuple[str, str, str, str], ...]:
    """The demo accounts of SEED: usernames, roles and regions are fixed (the README lists them); the seed
    draws the staff's names after their unit (the default seed's are DEMO_USERS).
    """
    if seed == DEFAULT_SEED:
        return DEMO_USERS
    rng = random.Random(f"demo-users:{seed}")
    given = [name.split()[-1][1:] for *_, name in DEMO_USERS if " " in name]
    out = []
    for username, role, region, name in DEMO_USERS:
        if " " in name:
            name = f"{name.split()[0]} {rng.choice(SURNAMES)}{rng.choice(given)}"
        out.append((username, role, region, name))
    return tuple(out)


@dataclass
class DemoSummary:
    """What the builder made (or found already there)."""

    users: list[tuple[str, str, str]] = field(default_factory=list)
    created_users: int = 0


def build_demo_users(session: Session, summary: DemoSummary, *, seed: int = DEFAULT_SEED) -> None:
    """Create the demo accounts of SEED that do not exist yet."""
    for username, role, region, name in demo_users(seed):
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


def build_demo(engine: Engine, *, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Load the demo rows of SEED; idempotent, so running it again reuses what is there."""
    summary = DemoSummary()
    with session_scope(engine) as session:
        build_demo_users(session, summary, seed=seed)
    return summary
