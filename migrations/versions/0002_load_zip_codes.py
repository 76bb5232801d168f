"""load US ZIP codes from the zipcodes package

Every environment needs them (the lead form checks ZIP codes exist, search measures
distance from them), so they are data, loaded once by the migration in batches.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

BATCH = 5000

zip_code = sa.table(
    'zip_code',
    sa.column('zip', sa.String),
    sa.column('city', sa.String),
    sa.column('state', sa.String),
    sa.column('latitude', sa.Float),
    sa.column('longitude', sa.Float),
)


def upgrade():
    import zipcodes

    rows = [
        {
            'zip': entry['zip_code'],
            'city': entry['city'][:80],
            'state': entry['state'],
            'latitude': float(entry['lat']),
            'longitude': float(entry['long']),
        }
        for entry in zipcodes.list_all()
        if entry.get('lat') and entry.get('long') and len(entry['state']) == 2
    ]
    for start in range(0, len(rows), BATCH):
        op.bulk_insert(zip_code, rows[start:start + BATCH])


def downgrade():
    op.execute(zip_code.delete())
