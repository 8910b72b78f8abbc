"""regulation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:06:53.641398
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "regulation_protocol_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_user_id"],
            ["users.id"],
            name=op.f("fk_regulation_protocol_versions_author_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regulation_protocol_versions")),
        sa.UniqueConstraint("number", name=op.f("uq_regulation_protocol_versions_number")),
    )
    with op.batch_alter_table("regulation_protocol_versions", schema=None) as batch_op:
        batch_op.create_index(
            "uq_regulation_protocol_versions_published",
            ["status"],
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        )

    op.create_table(
        "regulation_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assigned_to", sa.String(length=16), nullable=False),
        sa.Column("family_name", sa.String(length=120), nullable=False),
        sa.Column("given_name", sa.String(length=120), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=True),
        sa.Column("address_line", sa.String(length=200), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("has_gp", sa.Boolean(), nullable=True),
        sa.Column("gp_name", sa.String(length=200), nullable=True),
        sa.Column("gp_rpps", sa.String(length=11), nullable=True),
        sa.Column("mobility", sa.String(length=20), nullable=False),
        sa.Column("sms_consent", sa.Boolean(), nullable=False),
        sa.Column("motif", sa.String(length=40), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column("triage_answers", sa.JSON(), nullable=True),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("referrer_user_id", sa.Integer(), nullable=True),
        sa.Column("referrer_structure", sa.String(length=200), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("protocol_version", sa.Integer(), nullable=True),
        sa.Column("age_band", sa.String(length=40), nullable=True),
        sa.Column("priority", sa.String(length=2), nullable=True),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("orientation", sa.String(length=16), nullable=True),
        sa.Column("triage_rule", sa.String(length=120), nullable=True),
        sa.Column("red_flag_id", sa.String(length=60), nullable=True),
        sa.Column("red_flag_text", sa.String(length=300), nullable=True),
        sa.Column("callback_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("claimed_by_name", sa.String(length=200), nullable=True),
        sa.Column("claim_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("outcome_note", sa.String(length=2000), nullable=True),
        sa.Column("closed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("appointment_id", sa.String(length=36), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("triaged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("oriented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consultation_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claimed_by_user_id"],
            ["users.id"],
            name=op.f("fk_regulation_requests_claimed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_user_id"],
            ["users.id"],
            name=op.f("fk_regulation_requests_closed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_regulation_requests_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["referrer_user_id"],
            ["users.id"],
            name=op.f("fk_regulation_requests_referrer_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regulation_requests")),
    )
    with op.batch_alter_table("regulation_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_regulation_requests_claimed_by_user_id_status",
            ["claimed_by_user_id", "status"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_regulation_requests_received_at"), ["received_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_regulation_requests_referrer_user_id"),
            ["referrer_user_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_regulation_requests_status_deadline_at", ["status", "deadline_at"], unique=False
        )

    op.create_table(
        "regulation_callback_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator_user_id", sa.Integer(), nullable=True),
        sa.Column("operator_name", sa.String(length=254), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["operator_user_id"],
            ["users.id"],
            name=op.f("fk_regulation_callback_attempts_operator_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["regulation_requests.id"],
            name=op.f("fk_regulation_callback_attempts_request_id_regulation_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regulation_callback_attempts")),
    )
    with op.batch_alter_table("regulation_callback_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_regulation_callback_attempts_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "regulation_request_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=254), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_regulation_request_log_actor_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["regulation_requests.id"],
            name=op.f("fk_regulation_request_log_request_id_regulation_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regulation_request_log")),
    )
    with op.batch_alter_table("regulation_request_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_regulation_request_log_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("regulation_request_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regulation_request_log_request_id"))

    op.drop_table("regulation_request_log")
    with op.batch_alter_table("regulation_callback_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regulation_callback_attempts_request_id"))

    op.drop_table("regulation_callback_attempts")
    with op.batch_alter_table("regulation_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_regulation_requests_status_deadline_at")
        batch_op.drop_index(batch_op.f("ix_regulation_requests_referrer_user_id"))
        batch_op.drop_index(batch_op.f("ix_regulation_requests_received_at"))
        batch_op.drop_index("ix_regulation_requests_claimed_by_user_id_status")

    op.drop_table("regulation_requests")
    with op.batch_alter_table("regulation_protocol_versions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_regulation_protocol_versions_published",
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        )

    op.drop_table("regulation_protocol_versions")
