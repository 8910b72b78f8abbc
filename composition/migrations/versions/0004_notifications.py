"""notifications: SMS outbox, opt-outs, inbound SMS, broadcasts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 11:13:29.662158
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sms_broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("winner_effector_id", sa.Integer(), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=254), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_broadcasts")),
    )
    with op.batch_alter_table("sms_broadcasts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_broadcasts_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sms_broadcasts_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(
            "uq_sms_broadcasts_open_code",
            ["code"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "sms_inbound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_sid", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=20), nullable=False),
        sa.Column("body", sa.String(length=480), nullable=False),
        sa.Column("keyword", sa.String(length=16), nullable=True),
        sa.Column("outcome", sa.String(length=64), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_inbound")),
        sa.UniqueConstraint("provider_sid", name=op.f("uq_sms_inbound_provider_sid")),
    )
    with op.batch_alter_table("sms_inbound", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_inbound_sender"), ["sender"], unique=False)

    op.create_table(
        "sms_opt_outs",
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("keyword", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_sms_opt_outs")),
    )
    op.create_table(
        "sms_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=20), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("essential", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("in_doubt", sa.Boolean(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=True),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("error_code", sa.String(length=16), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("appointment_id", sa.String(length=36), nullable=True),
        sa.Column("appointment_start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("effector_id", sa.Integer(), nullable=True),
        sa.Column("broadcast_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=254), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_sms_outbox_idempotency_key")),
        sa.UniqueConstraint("provider_sid", name=op.f("uq_sms_outbox_provider_sid")),
    )
    with op.batch_alter_table("sms_outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sms_outbox_appointment_id"), ["appointment_id"], unique=False
        )
        batch_op.create_index(
            "ix_sms_outbox_recipient_appointment_start_at",
            ["recipient", "appointment_start_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_sms_outbox_status_next_attempt_at", ["status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "sms_broadcast_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("effector_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["broadcast_id"],
            ["sms_broadcasts.id"],
            name=op.f("fk_sms_broadcast_targets_broadcast_id_sms_broadcasts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_broadcast_targets")),
        sa.UniqueConstraint(
            "broadcast_id", "phone", name=op.f("uq_sms_broadcast_targets_broadcast_id_phone")
        ),
    )
    with op.batch_alter_table("sms_broadcast_targets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sms_broadcast_targets_broadcast_id"), ["broadcast_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sms_broadcast_targets_phone"), ["phone"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sms_broadcast_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_broadcast_targets_phone"))
        batch_op.drop_index(batch_op.f("ix_sms_broadcast_targets_broadcast_id"))

    op.drop_table("sms_broadcast_targets")
    with op.batch_alter_table("sms_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_outbox_status_next_attempt_at")
        batch_op.drop_index("ix_sms_outbox_recipient_appointment_start_at")
        batch_op.drop_index(batch_op.f("ix_sms_outbox_appointment_id"))

    op.drop_table("sms_outbox")
    op.drop_table("sms_opt_outs")
    with op.batch_alter_table("sms_inbound", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_inbound_sender"))

    op.drop_table("sms_inbound")
    with op.batch_alter_table("sms_broadcasts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_sms_broadcasts_open_code",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_sms_broadcasts_request_id"))
        batch_op.drop_index(batch_op.f("ix_sms_broadcasts_code"))

    op.drop_table("sms_broadcasts")
