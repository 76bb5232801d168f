"""drop the single-column delivery indexes that the reports' two-column indexes cover

Every delivery written updates every index of the table; these three answer nothing the
indexes (school_id, created_at), (placement_id, created_at) and (created_at, status) do not.

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

COVERED = {
    'ix_delivery_school_id': ['school_id'],
    'ix_delivery_placement_id': ['placement_id'],
    'ix_delivery_created_at': ['created_at'],
}


def upgrade():
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        for name in COVERED:
            batch_op.drop_index(name)


def downgrade():
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        for name, columns in COVERED.items():
            batch_op.create_index(name, columns, unique=False)
