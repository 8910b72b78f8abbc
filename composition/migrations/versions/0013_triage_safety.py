"""triage safety: back to triage, regulator decisions, transfers to the 15, inbound SMS alerts

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-05 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_USER_COLUMNS = ("regulator_decision_by_user_id", "transfer_15_by_user_id")


def upgrade() -> None:
    with op.batch_alter_table("regulation_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retriage_reason", sa.String(length=300), nullable=True))
        batch_op.add_column(
            sa.Column("regulator_decision_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("regulator_decision_by_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("regulator_decision_by_name", sa.String(length=254), nullable=True)
        )
        batch_op.add_column(sa.Column("regulator_note", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("transfer_15_mode", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("transfer_15_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("transfer_15_by_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("transfer_15_by_name", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("transfer_15_note", sa.String(length=500), nullable=True))
        for column in _USER_COLUMNS:
            batch_op.create_foreign_key(
                batch_op.f(f"fk_regulation_requests_{column}_users"),
                "users",
                [column],
                ["id"],
                ondelete="SET NULL",
            )
    with op.batch_alter_table("sms_inbound", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs_attention", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("red_flag_words", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("request_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_by", sa.String(length=254), nullable=True))
        batch_op.create_index(
            "ix_sms_inbound_needs_attention_received_at", ["needs_attention", "received_at"]
        )


def downgrade() -> None:
    with op.batch_alter_table("sms_inbound", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_inbound_needs_attention_received_at")
        for column in (
            "acknowledged_by",
            "acknowledged_at",
            "request_id",
            "red_flag_words",
            "needs_attention",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("regulation_requests", schema=None) as batch_op:
        for column in _USER_COLUMNS:
            batch_op.drop_constraint(
                batch_op.f(f"fk_regulation_requests_{column}_users"), type_="foreignkey"
            )
        for column in (
            "transfer_15_note",
            "transfer_15_by_name",
            "transfer_15_by_user_id",
            "transfer_15_at",
            "transfer_15_mode",
            "regulator_note",
            "regulator_decision_by_name",
            "regulator_decision_by_user_id",
            "regulator_decision_at",
            "retriage_reason",
        ):
            batch_op.drop_column(column)
