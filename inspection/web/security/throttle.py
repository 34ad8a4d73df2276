"""Login throttling: growing waits per account, a limit per client address, counted in the database.

Each login attempt first reserves a `login_failure` row (committed), then looks only at the rows before
its own: attempts that race each other see each other, so a burst of parallel guesses gets no more
password checks than a sequence would. A refused attempt deletes its row (a flood of refused tries must
not extend the real user's wait); a wrong password leaves it; a right one deletes the account's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from store.accounts.users import login_key
from store.models import LoginFailure
from store.settings import Settings
from store.types import utcnow


@dataclass(frozen=True)
class LoginPolicy:
    """From the MAX_FAILURES-th failure on an account each try waits FIRST_DELAY_S, doubling, capped."""

    max_failures: int = 5
    window_s: int = 900
    first_delay_s: int = 15
    max_delay_s: int = 300
    ip_max_failures: int = 50

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginPolicy:
        """The policy the settings describe."""
        return cls(
            max_failures=settings.login_max_failures,
            window_s=settings.login_window_s,
            first_delay_s=settings.login_first_delay_s,
            max_delay_s=settings.login_max_delay_s,
            ip_max_failures=settings.login_ip_max_failures,
        )

    def account_wait_s(self, failures: int) -> float:
        """Seconds an account with FAILURES recent failures must wait after its latest one."""
        if failures < self.max_failures:
            return 0.0
        doublings = min(failures - self.max_failures, 30)  # 2**30 s is past any cap
        return float(min(self.first_delay_s * 2**doublings, self.max_delay_s))


@dataclass(frozen=True)
class Refusal:
    """Why an attempt may not check a password now ('account' or 'ip') and for how many seconds."""

    reason: str
    wait_s: float


def reserve_attempt(session: Session, *, username: str, ip: str, policy: LoginPolicy) -> int:
    """Record an attempt as a failure-in-waiting (committed) and drop rows past the window; its id."""
    now = utcnow()
    session.execute(
        delete(LoginFailure).where(col(LoginFailure.at) < now - timedelta(seconds=policy.window_s))
    )
    row = LoginFailure(at=now, account_key=login_key(username), ip=ip[:45])
    session.add(row)
    session.commit()
    return row.id or 0


def refusal_for(session: Session, *, attempt_id: int, policy: LoginPolicy) -> Refusal | None:
    """Why attempt ATTEMPT_ID must wait, judged on the attempts before it, or None when it may go on."""
    attempt = session.get(LoginFailure, attempt_id)
    assert attempt is not None
    since = attempt.at - timedelta(seconds=policy.window_s)
    earlier = (col(LoginFailure.id) < attempt_id, col(LoginFailure.at) >= since)
    count, latest = session.execute(
        select(func.count(), func.max(col(LoginFailure.at))).where(
            col(LoginFailure.account_key) == attempt.account_key, *earlier
        )
    ).one()
    wait_s = policy.account_wait_s(int(count))
    if wait_s > 0 and latest is not None:
        # A racing attempt may be stamped a moment after this one: the wait never exceeds WAIT_S.
        remaining = min(_remaining(latest, wait_s, attempt.at), wait_s)
        if remaining > 0:
            return Refusal("account", remaining)
    return _ip_refusal(session, attempt, earlier, policy)


def _ip_refusal(
    session: Session, attempt: LoginFailure, earlier: tuple[object, ...], policy: LoginPolicy
) -> Refusal | None:
    by_ip = select(col(LoginFailure.at)).where(col(LoginFailure.ip) == attempt.ip, *earlier)  # type: ignore[arg-type]
    count = session.execute(select(func.count()).select_from(by_ip.subquery())).scalar_one()
    if count < policy.ip_max_failures:
        return None
    # Refused until enough of the oldest failures leave the window to bring the count under the limit.
    freeing = session.execute(
        by_ip.order_by(col(LoginFailure.at)).offset(count - policy.ip_max_failures).limit(1)
    ).scalar_one()
    return Refusal("ip", max(_remaining(freeing, policy.window_s, attempt.at), 1.0))


def _remaining(since: datetime, wait_s: float, now: datetime) -> float:
    return (since + timedelta(seconds=wait_s) - now).total_seconds()


def forget_attempt(session: Session, *, attempt_id: int) -> None:
    """A refused attempt checked nothing: it must not count as a failure."""
    session.execute(delete(LoginFailure).where(col(LoginFailure.id) == attempt_id))
