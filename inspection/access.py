"""Who may see what: region, agency and personal-data rules, checked on every object."""

from __future__ import annotations

from typing import Any

from store.enums import Agency, Role
from store.models import InspectionTask, User
from store.regions import get_region, is_within
from zhtext.pii import mask_text

# Which agency's tasks each field role works.
ROLE_AGENCIES: dict[Role, frozenset[Agency]] = {
    Role.inspector: frozenset({Agency.labour_inspection}),
    Role.market_officer: frozenset({Agency.market_regulation}),
    Role.supervisor: frozenset(Agency),
    Role.admin: frozenset(Agency),
    Role.analyst: frozenset(Agency),
}
# Roles that may change tasks (analysts only read, and only de-identified data).
WRITER_ROLES: frozenset[Role] = frozenset({Role.inspector, Role.market_officer, Role.supervisor, Role.admin})


class AccessDenied(Exception):
    """The user may not see or change this object."""


class NotFound(Exception):
    """No such object (also raised instead of AccessDenied where existence itself must not leak)."""


def can_see_region(user: User, region_code: str | None) -> bool:
    """True when REGION_CODE is the user's region or lies inside it (320500 sees 320505, not 320100)."""
    if region_code is None:
        return False
    return is_within(region_code, user.region_code)


def region_prefix(user_region: str) -> str:
    """The code prefix every region inside USER_REGION shares (for indexed SQL filters)."""
    region = get_region(user_region)
    level = region.level if region else "county"
    return {"province": user_region[:2], "city": user_region[:4]}.get(level, user_region)


def agencies_for(user: User) -> frozenset[Agency]:
    """The agencies whose tasks USER sees."""
    return ROLE_AGENCIES.get(Role(user.role), frozenset())


def can_see_task(user: User, task: InspectionTask) -> bool:
    """True when USER's role covers the task's agency and USER's region covers the task's region."""
    if not user.active:
        return False
    return task.agency in agencies_for(user) and can_see_region(user, task.region_code)


def ensure_task_visible(user: User, task: InspectionTask | None) -> InspectionTask:
    """TASK when USER may see it; NotFound when missing, AccessDenied when outside their remit."""
    if task is None:
        raise NotFound("no such task")
    if not can_see_task(user, task):
        raise AccessDenied(f"task {task.id} is outside your region or agency")
    return task


def ensure_may_write(user: User, task: InspectionTask) -> InspectionTask:
    """TASK when USER may see it and their role may change tasks at all (analysts may not)."""
    ensure_task_visible(user, task)
    if Role(user.role) not in WRITER_ROLES:
        raise AccessDenied(f"the {user.role} role can only read tasks")
    return task


def can_see_pii(user: User, task: InspectionTask) -> bool:
    """Phones, ID numbers and victims' details: the assigned worker and supervisors (and admins) only."""
    role = Role(user.role)
    if role in {Role.supervisor, Role.admin}:
        return can_see_task(user, task)
    if role in {Role.inspector, Role.market_officer}:
        return task.assignee_id is not None and task.assignee_id == user.id and can_see_task(user, task)
    return False


def can_see_victims(user: User, task: InspectionTask) -> bool:
    """Victims' details and finding attachments: the assigned inspector, supervisors and admins in remit.

    The one rule for every route to victims' data (finding sections, attachments, exports): analysts and
    market officers never see them, whatever they are assigned.
    """
    role = Role(user.role)
    if role in {Role.supervisor, Role.admin}:
        return can_see_task(user, task)
    if role is Role.inspector:
        return task.assignee_id is not None and task.assignee_id == user.id and can_see_task(user, task)
    return False


def mask_value(value: Any) -> Any:
    """VALUE with every string inside it masked (audit details and other JSON-shaped data)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_value(item) for item in value]
    return value


def mask_for(user: User, task: InspectionTask, text: str | None) -> str:
    """TEXT as USER may see it in TASK: unchanged when they may see personal data, else masked."""
    if text is None:
        return ""
    return text if can_see_pii(user, task) else mask_text(text)
