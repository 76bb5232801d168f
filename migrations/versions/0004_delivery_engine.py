"""delivery engine: a dispatch's channel and when it was last enqueued; indexes for the lead filters

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dispatch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), nullable=False, server_default='email'))
        batch_op.add_column(sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE dispatch SET channel = 'webhook' WHERE kind = 'school_webhook'")
    with op.batch_alter_table('dispatch', schema=None) as batch_op:
        batch_op.alter_column('channel', server_default=None)
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_status'), ['status'], unique=False)
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_program_id'), ['program_id'], unique=False)


def downgrade():
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_program_id'))
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_status'))
    with op.batch_alter_table('dispatch', schema=None) as batch_op:
        batch_op.drop_column('enqueued_at')
        batch_op.drop_column('channel')
