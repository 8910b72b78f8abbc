"""telephony: calls, operators' presence (current and history), callback tasks

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 09:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "phone_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("from_number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("wait_seconds", sa.Integer(), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("operator_user_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("callback_task_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_calls")),
        sa.UniqueConstraint("sid", name=op.f("uq_phone_calls_sid")),
    )
    op.create_index("ix_phone_calls_state_arrived_at", "phone_calls", ["state", "arrived_at"])
    op.create_index(
        "ix_phone_calls_from_number_arrived_at", "phone_calls", ["from_number", "arrived_at"]
    )
    op.create_index("ix_phone_calls_arrived_at", "phone_calls", ["arrived_at"])
    op.create_index(op.f("ix_phone_calls_request_id"), "phone_calls", ["request_id"])
    op.create_index(op.f("ix_phone_calls_callback_task_id"), "phone_calls", ["callback_task_id"])

    op.create_table(
        "operator_presence",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wrap_up_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phone", sa.String(length=200), nullable=True),
        sa.Column("idle_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_operator_presence")),
    )
    op.create_table(
        "operator_presence_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator_presence_spans")),
    )
    op.create_index(
        "ix_operator_presence_spans_started_at", "operator_presence_spans", ["started_at"]
    )
    op.create_index(
        op.f("ix_operator_presence_spans_user_id"), "operator_presence_spans", ["user_id"]
    )

    op.create_table(
        "call_callback_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_number", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("first_call_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_call_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_user_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_callback_tasks")),
    )
    op.create_index(
        "ix_call_callback_tasks_state_first_call_at",
        "call_callback_tasks",
        ["state", "first_call_at"],
    )
    op.create_index(
        op.f("ix_call_callback_tasks_from_number"), "call_callback_tasks", ["from_number"]
    )


def downgrade() -> None:
    op.drop_table("call_callback_tasks")
    op.drop_table("operator_presence_spans")
    op.drop_table("operator_presence")
    op.drop_table("phone_calls")
