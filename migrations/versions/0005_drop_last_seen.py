"""Users: drop last_seen_at, which nothing read (activity is in each module's progress row).

Revision ID: 0005_drop_last_seen
Revises: 0004_audit_events
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_drop_last_seen"
down_revision = "0004_audit_events"
branch_labels = None
depends_on = None


# A plain ALTER TABLE on both databases (SQLite has dropped columns since 3.35): a batch
# operation would rebuild the table on SQLite and lose the index on lower(email).


def upgrade():
    op.drop_column("users", "last_seen_at")


def downgrade():
    op.add_column("users", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
