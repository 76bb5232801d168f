"""reports: indexes for the dashboard, the placement report and the monthly statements

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

DELIVERY_INDEXES = (
    ('ix_delivery_school_created', ['school_id', 'created_at']),  # a school's charges in a month
    ('ix_delivery_school_returned', ['school_id', 'returned_at']),  # a school's returns in a month
    ('ix_delivery_placement_created', ['placement_id', 'created_at']),  # a placement's leads in a range
    ('ix_delivery_created_status', ['created_at', 'status']),  # deliveries per day by status, from the index alone
)


def upgrade():
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        for name, columns in DELIVERY_INDEXES:
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table('dispatch', schema=None) as batch_op:
        # the oldest waiting dispatch and the counts per status of the dashboard's delivery health
        batch_op.create_index('ix_dispatch_status_created', ['status', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('dispatch', schema=None) as batch_op:
        batch_op.drop_index('ix_dispatch_status_created')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        for name, _columns in reversed(DELIVERY_INDEXES):
            batch_op.drop_index(name)
