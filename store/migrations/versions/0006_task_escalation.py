"""task_escalation: 挂牌督办 with reason, supervising office and deadline (the notice's facts)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 06:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import store.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('task_escalation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('office', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('escalated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escalated_by_id'], ['app_user.id'], name=op.f('fk_task_escalation_escalated_by_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['inspection_task.id'], name=op.f('fk_task_escalation_task_id_inspection_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_escalation'))
    )
    with op.batch_alter_table('task_escalation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_escalation_task_id'), ['task_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('task_escalation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_escalation_task_id'))
    op.drop_table('task_escalation')
