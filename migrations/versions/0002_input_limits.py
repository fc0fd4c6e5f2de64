"""Input limits: a reflection's text is at most 5,000 characters, in the schema too.

Revision ID: 0002_input_limits
Revises: 8ebec429eb80
"""

from alembic import op

revision = "0002_input_limits"
down_revision = "8ebec429eb80"
branch_labels = None
depends_on = None

# Reflect the table alone, not the tables it refers to: the users table's lower(email) index
# can't be reflected on SQLite, and a warning about it would stop the tests.
REFLECT = {"resolve_fks": False}


def upgrade():
    # On SQLite, batch mode copies the table to add the constraint (env.py turns foreign keys
    # off meanwhile); PostgreSQL adds it in place.
    with op.batch_alter_table("reflections", reflect_kwargs=REFLECT) as batch_op:
        batch_op.create_check_constraint(op.f("ck_reflections_body_length"), "length(body) <= 5000")


def downgrade():
    with op.batch_alter_table("reflections", reflect_kwargs=REFLECT) as batch_op:
        batch_op.drop_constraint(op.f("ck_reflections_body_length"), type_="check")
