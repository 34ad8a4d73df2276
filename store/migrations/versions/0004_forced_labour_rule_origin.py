"""forced_labour risk type and the `rule` task origin; child_labour narrows to under-16s

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 10:00:00

Data (docs/inspection.md, "Four risk types"):
- a child_labour task whose findings name only forced-labour violations becomes a forced_labour task
  (its title's risk label too); every other task keeps its type;
- every finding's labels are recomputed with the new mapping below (child_labour only from the
  child_labour violation; forced_labour from forced-labour indicators, disabled-worker exploitation and
  withheld documents);
- risk scores stay: the next champion scores forced_labour.
Downgrade folds forced_labour back into child_labour, deletes forced_labour scores (the old schema
cannot hold them) and turns `rule` tasks into `model` tasks.
"""
from __future__ import annotations

from typing import Any

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OLD_RISKS = ('illegal_agency', 'child_labour', 'illegal_marriage_broker')
NEW_RISKS = ('illegal_agency', 'child_labour', 'forced_labour', 'illegal_marriage_broker')
OLD_ORIGINS = ('model', 'audit', 'active_learning', 'tip', 'mandated_report', 'reinspection', 'manual')
NEW_ORIGINS = (*OLD_ORIGINS, 'rule')
# Frozen copy of inspection.findings.RISK_VIOLATIONS at this revision (a migration must not follow later code).
RISK_VIOLATIONS = {
    'illegal_agency': {
        'unlicensed_agency', 'deposits_or_fees', 'id_documents_withheld', 'forced_labour_indicators',
        'disabled_worker_exploitation',
    },
    'child_labour': {'child_labour'},
    'forced_labour': {'forced_labour_indicators', 'disabled_worker_exploitation', 'id_documents_withheld'},
    'illegal_marriage_broker': {'illegal_marriage_brokerage', 'suspected_trafficking'},
}
LABEL_ZH = {'child_labour': '使用童工', 'forced_labour': '强迫劳动'}

task = sa.table(
    'inspection_task', sa.column('id', sa.Integer), sa.column('risk_type', sa.String),
    sa.column('title', sa.String), sa.column('origin', sa.String),
)
finding = sa.table(
    'finding', sa.column('id', sa.Integer), sa.column('task_id', sa.Integer),
    sa.column('violations', sa.JSON), sa.column('labels', sa.JSON),
)


def _checks(table: str, column: str, values: tuple[str, ...]) -> None:
    name = f'ck_{table}_{column}'
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(name), type_='check')
        batch_op.create_check_constraint(
            op.f(name), f"{column} IN ({', '.join(repr(v) for v in values)})"
        )


def upgrade() -> None:
    _checks('inspection_task', 'risk_type', NEW_RISKS)
    _checks('inspection_task', 'origin', NEW_ORIGINS)
    _checks('risk_score', 'risk_type', NEW_RISKS)
    types = _convert_forced_labour_tasks()
    _relabel_findings(types)


def _violations_by_task() -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for task_id, violations in op.get_bind().execute(sa.select(finding.c.task_id, finding.c.violations)):
        found.setdefault(task_id, set()).update(violations or [])
    return found


def _convert_forced_labour_tasks() -> dict[int, str]:
    """Child-labour tasks whose findings name only forced-labour violations become forced_labour tasks."""
    bind = op.get_bind()
    found = _violations_by_task()
    types = dict(bind.execute(sa.select(task.c.id, task.c.risk_type)).all())
    titles = dict(bind.execute(sa.select(task.c.id, task.c.title).where(task.c.risk_type == 'child_labour')).all())
    for task_id, title in titles.items():
        violations = found.get(task_id, set()) - {'no_violation'}
        if violations and violations <= RISK_VIOLATIONS['forced_labour']:
            new_title = (title or '').replace(LABEL_ZH['child_labour'], LABEL_ZH['forced_labour'], 1)
            bind.execute(
                task.update().where(task.c.id == task_id).values(risk_type='forced_labour', title=new_title)
            )
            _index_title(task_id, new_title)
            types[task_id] = 'forced_labour'
    return types


def _index_title(task_id: int, title: str) -> None:
    """Add the new title's bigrams to the task's search terms (old terms stay: the evidence shares them)."""
    from store.text import bigrams

    bind = op.get_bind()
    terms = sa.table('task_search_term', sa.column('term', sa.String), sa.column('task_id', sa.Integer))
    have = {t for (t,) in bind.execute(sa.select(terms.c.term).where(terms.c.task_id == task_id))}
    rows = [{'term': t, 'task_id': task_id} for t in sorted(set(bigrams(title).split()) - have) if len(t) <= 40]
    if rows:
        bind.execute(terms.insert(), rows)


def _labels(own: str, violations: list[str]) -> dict[str, int]:
    """inspection.findings.labels_from_finding with the mapping frozen above."""
    found = set(violations) - {'no_violation'}
    labels = {own: int(bool(found & RISK_VIOLATIONS[own]))}
    labels.update({risk: 1 for risk, confirming in RISK_VIOLATIONS.items() if risk != own and found & confirming})
    return labels


def _relabel_findings(types: dict[int, str]) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(finding.c.id, finding.c.task_id, finding.c.violations, finding.c.labels)).all()
    for finding_id, task_id, violations, labels in rows:
        new = _labels(types[task_id], list(violations or []))
        if new != labels:
            bind.execute(finding.update().where(finding.c.id == finding_id).values(labels=new))


def downgrade() -> None:
    bind = op.get_bind()
    # An open forced_labour task next to an open child_labour task of the same organisation would break
    # "one open task per organisation and risk type" once folded: it keeps its listing, not the organisation.
    bind.execute(sa.text(
        "UPDATE inspection_task SET organisation_id = NULL WHERE risk_type = 'forced_labour' "
        "AND status != 'closed' AND organisation_id IN (SELECT organisation_id FROM inspection_task "
        "WHERE risk_type = 'child_labour' AND status != 'closed' AND organisation_id IS NOT NULL)"
    ))
    for task_id, title in bind.execute(sa.select(task.c.id, task.c.title).where(task.c.risk_type == 'forced_labour')).all():
        new_title = (title or '').replace(LABEL_ZH['forced_labour'], LABEL_ZH['child_labour'], 1)
        bind.execute(task.update().where(task.c.id == task_id).values(risk_type='child_labour', title=new_title))
    bind.execute(task.update().where(task.c.origin == 'rule').values(origin='model'))
    bind.execute(sa.text("DELETE FROM risk_score WHERE risk_type = 'forced_labour'"))
    for finding_id, labels in bind.execute(sa.select(finding.c.id, finding.c.labels)).all():
        if labels and 'forced_labour' in labels:
            bind.execute(finding.update().where(finding.c.id == finding_id).values(labels=_fold(labels)))
    _checks('risk_score', 'risk_type', OLD_RISKS)
    _checks('inspection_task', 'origin', OLD_ORIGINS)
    _checks('inspection_task', 'risk_type', OLD_RISKS)


def _fold(labels: dict[str, Any]) -> dict[str, Any]:
    """forced_labour folded into child_labour (the old child_labour covered it)."""
    folded = {k: v for k, v in labels.items() if k != 'forced_labour'}
    folded['child_labour'] = max(int(labels.get('child_labour', 0)), int(labels['forced_labour']))
    return folded
