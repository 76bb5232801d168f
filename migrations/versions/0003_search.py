"""program search text, and its full-text index on PostgreSQL

Program.search_text holds the words a text search matches (program, school, field, and
campus town and state or "Online"; kept up to date by listings/search_index.py). On
PostgreSQL a GIN index over its English tsvector serves websearch_to_tsquery; SQLite
searches it with LIKE and needs no index.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# The backfill as of this revision (the application computes the same text from then on).
BACKFILL = """
UPDATE program SET search_text =
    program.name
    || ' ' || COALESCE((SELECT school.name FROM school WHERE school.id = program.school_id), '')
    || ' ' || COALESCE((SELECT category.name FROM category WHERE category.id = program.category_id), '')
    || ' ' || COALESCE((SELECT campus.city || ' ' || campus.state FROM campus WHERE campus.id = program.campus_id),
                       'Online')
"""


def upgrade():
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "CREATE INDEX ix_program_search_text ON program "
            "USING gin (to_tsvector('english'::regconfig, search_text))"
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_program_search_text")
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_column('search_text')
