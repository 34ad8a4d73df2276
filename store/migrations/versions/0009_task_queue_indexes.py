"""inspection_task: indexes for queue pages at province size (top 50 by priority or newest; remit counts)

On PostgreSQL, task_search_term.term also gets a statistics target of 1000: with the default 100 a
common bigram (童工 is in a third of the tasks) was estimated at a tenth of its rows, and a search
hashed every matching task (49 ms at 100,000 tasks) instead of probing the top of the queue (1 ms).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 20:40:00
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inspection_task', schema=None) as batch_op:
        batch_op.create_index('ix_inspection_task_priority', ['priority', 'id'], unique=False)
        batch_op.create_index('ix_inspection_task_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_inspection_task_remit', ['agency', 'region_code', 'status'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE task_search_term ALTER COLUMN term SET STATISTICS 1000')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE task_search_term ALTER COLUMN term SET STATISTICS -1')
    with op.batch_alter_table('inspection_task', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_task_remit')
        batch_op.drop_index('ix_inspection_task_created')
        batch_op.drop_index('ix_inspection_task_priority')
