"""Audit events: each time staff looked at a member's data or downloaded a group's figures.

Revision ID: 0004_audit_events
Revises: 0003_login_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_audit_events"
down_revision = "0003_login_sessions"
branch_labels = None
depends_on = None

INDEXED = ("viewer_id", "cohort_id", "member_id", "viewed_at")


def upgrade():
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("viewer_id", sa.Integer(), nullable=True),
        sa.Column("viewer_name", sa.String(length=80), nullable=False),
        sa.Column("viewer_role", sa.Enum(
            "member", "facilitator", "author", "admin", name="viewer_role", native_enum=False,
            create_constraint=True, length=20,
        ), nullable=False),
        sa.Column("kind", sa.Enum(
            "member_detail", "shared_reflections", "question_answers", "progress_csv",
            "questions_csv", "audit_csv", name="audit_kind", native_enum=False,
            create_constraint=True, length=20,
        ), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["viewer_id"], ["users.id"], name=op.f("fk_audit_events_viewer_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_audit_events_cohort_id_cohorts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["users.id"], name=op.f("fk_audit_events_member_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        for column in INDEXED:
            batch_op.create_index(batch_op.f(f"ix_audit_events_{column}"), [column], unique=False)


def downgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        for column in INDEXED:
            batch_op.drop_index(batch_op.f(f"ix_audit_events_{column}"))
    op.drop_table("audit_events")
