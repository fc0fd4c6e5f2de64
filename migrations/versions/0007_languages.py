"""Languages (issue 14): each person's chosen language, and a group's default.

Revision ID: 0007_languages
Revises: 0006_staying_with_it
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_languages"
down_revision = "0006_staying_with_it"
branch_labels = None
depends_on = None

# Plain ADD COLUMN on both databases: no constraint, so SQLite needs no table rebuild.


def upgrade():
    op.add_column("users", sa.Column("locale", sa.String(length=8), nullable=True))
    op.add_column("cohorts", sa.Column("default_locale", sa.String(length=8), nullable=True))


def downgrade():
    op.drop_column("cohorts", "default_locale")
    op.drop_column("users", "locale")
