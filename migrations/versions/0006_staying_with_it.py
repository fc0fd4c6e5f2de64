"""Staying with it (issue 13): email consent, news seen, reminder days and a group note, plan
sharing, invite labels, and the record of notices sent.

Revision ID: 0006_staying_with_it
Revises: 0005_drop_last_seen
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_staying_with_it"
down_revision = "0005_drop_last_seen"
branch_labels = None
depends_on = None

CONSENTS = ("wants_reminders", "wants_module_notes", "wants_family_notes", "wants_digest")

# Plain ADD COLUMN where the database allows it: a batch operation would rebuild the users
# table on SQLite and lose the index on lower(email). CHECK constraints on new columns need
# a rebuild on SQLite, so cohorts and family_memberships (no expression indexes) use batches,
# reflecting the table alone: the users table's lower(email) index can't be reflected on SQLite.
REFLECT = {"resolve_fks": False}


def upgrade():
    for column in CONSENTS:
        op.add_column("users", sa.Column(
            column, sa.Boolean(), server_default=sa.true(), nullable=False
        ))
    op.add_column("users", sa.Column("news_seen_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("cohorts", reflect_kwargs=REFLECT) as batch_op:
        batch_op.add_column(sa.Column(
            "remind_after_days", sa.Integer(), server_default="7", nullable=False
        ))
        batch_op.add_column(sa.Column("note", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("note_updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_cohorts_remind_after_days_range"), "remind_after_days BETWEEN 1 AND 90"
        )
    with op.batch_alter_table("family_memberships", reflect_kwargs=REFLECT) as batch_op:
        batch_op.add_column(sa.Column(
            "plan_visibility",
            sa.Enum("private", "family", "facilitator", name="plan_visibility",
                    native_enum=False, create_constraint=True, length=20),
            server_default="private", nullable=False,
        ))
    op.add_column("invites", sa.Column("label", sa.String(length=80), nullable=True))
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum(
            "reminder", "module_opens", "family", "digest", name="notice_kind",
            native_enum=False, create_constraint=True, length=20,
        ), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("user_id", "kind", "key", name=op.f("uq_notices_user_id_kind_key")),
    )
    op.create_index(op.f("ix_notices_sent_at"), "notices", ["sent_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_notices_sent_at"), table_name="notices")
    op.drop_table("notices")
    op.drop_column("invites", "label")
    with op.batch_alter_table("family_memberships", reflect_kwargs=REFLECT) as batch_op:
        batch_op.drop_constraint(op.f("ck_family_memberships_plan_visibility"), type_="check")
        batch_op.drop_column("plan_visibility")
    with op.batch_alter_table("cohorts", reflect_kwargs=REFLECT) as batch_op:
        batch_op.drop_constraint(op.f("ck_cohorts_remind_after_days_range"), type_="check")
        batch_op.drop_column("note_updated_at")
        batch_op.drop_column("note")
        batch_op.drop_column("remind_after_days")
    op.drop_column("users", "news_seen_at")
    for column in reversed(CONSENTS):
        op.drop_column("users", column)
