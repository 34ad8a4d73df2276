"""login_failure: per-account and per-IP login throttling with growing delays

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 10:00:00
"""
from alembic import op
import sqlalchemy as sa

import store.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'login_failure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('account_key', sa.String(length=40), nullable=False),
        sa.Column('ip', sa.String(length=45), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure')),
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_account_key'), ['account_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_ip'), ['ip'], unique=False)


def downgrade() -> None:
    op.drop_table('login_failure')
