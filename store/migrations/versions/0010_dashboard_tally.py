"""dashboard_tally: counts of tasks and findings kept by triggers, so the dashboard sums a few hundred rows

The triggers (store.tallies) append +1/-1 rows as tasks and findings change; the table is filled from
the existing tasks and findings here. inspection_task.due_at gets an index for the exact count of
tasks falling overdue today.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 00:10:00
"""
import sqlalchemy as sa
from alembic import op

from store import tallies


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dashboard_tally',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency', sa.String(length=24), nullable=False),
        sa.Column('region_code', sa.String(length=6), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('key', sa.String(length=20), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_tally')),
    )
    op.create_index('ix_dashboard_tally_remit', 'dashboard_tally', ['agency', 'region_code', 'kind', 'key'])
    op.create_index('ix_inspection_task_due', 'inspection_task', ['due_at'])
    connection = op.get_bind()
    tallies.create_triggers(connection)
    tallies.rebuild(connection)


def downgrade() -> None:
    tallies.drop_triggers(op.get_bind())
    op.drop_index('ix_inspection_task_due', table_name='inspection_task')
    op.drop_index('ix_dashboard_tally_remit', table_name='dashboard_tally')
    op.drop_table('dashboard_tally')
