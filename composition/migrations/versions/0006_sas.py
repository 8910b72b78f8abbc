"""SAS interface (FHIR accounts, INT_R03 push outbox)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 13:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sas_practitioner_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("national_id", sa.String(length=12), nullable=True),
        sa.Column("technical_id", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sas_practitioner_accounts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sas_practitioner_accounts")),
        sa.UniqueConstraint("national_id", name=op.f("uq_sas_practitioner_accounts_national_id")),
        sa.UniqueConstraint("technical_id", name=op.f("uq_sas_practitioner_accounts_technical_id")),
        sa.UniqueConstraint("user_id", name=op.f("uq_sas_practitioner_accounts_user_id")),
    )
    op.create_table(
        "sas_appointments",
        sa.Column("appointment_id", sa.String(length=36), nullable=False),
        sa.Column("identifier", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("effector_national_id", sa.String(length=12), nullable=False),
        sa.Column("operator_type", sa.String(length=8), nullable=True),
        sa.Column("operator_value", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("awaiting_rebooking", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("appointment_id", name=op.f("pk_sas_appointments")),
    )
    with op.batch_alter_table("sas_appointments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sas_appointments_identifier"), ["identifier"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sas_appointments_request_id"), ["request_id"], unique=False
        )
    op.create_table(
        "sas_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=36), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=4), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sas_outbox")),
        sa.UniqueConstraint(
            "identifier", "sequence", name=op.f("uq_sas_outbox_identifier_sequence")
        ),
    )
    with op.batch_alter_table("sas_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sas_outbox_status_next_attempt_at", ["status", "next_attempt_at"], unique=False
        )
        batch_op.create_index("ix_sas_outbox_identifier_id", ["identifier", "id"], unique=False)
    op.create_table(
        "password_reset_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_password_reset_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_password_reset_tokens")),
    )
    with op.batch_alter_table("password_reset_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_password_reset_tokens_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("password_reset_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_reset_tokens_user_id"))
    op.drop_table("password_reset_tokens")
    with op.batch_alter_table("sas_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_sas_outbox_identifier_id")
        batch_op.drop_index("ix_sas_outbox_status_next_attempt_at")
    op.drop_table("sas_outbox")
    with op.batch_alter_table("sas_appointments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sas_appointments_request_id"))
        batch_op.drop_index(batch_op.f("ix_sas_appointments_identifier"))
    op.drop_table("sas_appointments")
    op.drop_table("sas_practitioner_accounts")
