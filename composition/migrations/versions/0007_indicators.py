"""consultation log and indicators read model

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 13:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ind_requests",
        sa.Column("request_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.Column("received_hour", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=True),
        sa.Column("age_band", sa.String(length=40), nullable=True),
        sa.Column("priority", sa.String(length=2), nullable=True),
        sa.Column("orientation", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("protocol_version", sa.Integer(), nullable=True),
        sa.Column("triaged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("oriented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_callback_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("callback_minutes", sa.Integer(), nullable=True),
        sa.Column("would_go_to_ed", sa.Boolean(), nullable=True),
        sa.Column("effector_id", sa.Integer(), nullable=True),
        sa.Column("appointment_id", sa.String(length=36), nullable=True),
        sa.Column("consultation_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("appointment_status", sa.String(length=16), nullable=True),
        sa.Column("consultation_minutes", sa.Integer(), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_ind_requests")),
    )
    with op.batch_alter_table("ind_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ind_requests_received_date_origin",
            ["received_date", "origin", "channel", "outcome", "would_go_to_ed"],
            unique=False,
        )
        batch_op.create_index(
            "ix_ind_requests_received_date_hour",
            ["received_date", "received_hour", "commune_insee"],
            unique=False,
        )
        batch_op.create_index(
            "ix_ind_requests_outcome_received_date",
            ["outcome", "received_date", "appointment_status", "consultation_minutes"],
            unique=False,
        )
        batch_op.create_index(
            "ix_ind_requests_received_date_callback",
            ["received_date", "callback_minutes"],
            unique=False,
        )
        batch_op.create_index(
            "ix_ind_requests_effector_id_received_date",
            ["effector_id", "received_date"],
            unique=False,
        )
        batch_op.create_index(
            "ix_ind_requests_commune_insee_received_date",
            ["commune_insee", "received_date"],
            unique=False,
        )

    op.create_table(
        "ind_appointments",
        sa.Column("appointment_id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("effector_id", sa.Integer(), nullable=False),
        sa.Column("site_commune", sa.String(length=5), nullable=True),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("start_hour", sa.Integer(), nullable=False),
        sa.Column("start_week", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("cancelled_by", sa.String(length=16), nullable=True),
        sa.Column("cancel_reason", sa.String(length=300), nullable=True),
        sa.Column("after_care", sa.String(length=16), nullable=True),
        sa.Column("request_received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delay_minutes", sa.Integer(), nullable=True),
        sa.Column("own_patient", sa.Boolean(), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("appointment_id", name=op.f("pk_ind_appointments")),
    )
    with op.batch_alter_table("ind_appointments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ind_appointments_start_date_status",
            ["start_date", "status", "effector_id", "after_care", "satisfaction"],
            unique=False,
        )
        batch_op.create_index(
            "ix_ind_appointments_effector_id_start_date",
            ["effector_id", "start_date"],
            unique=False,
        )
        batch_op.create_index("ix_ind_appointments_request_id", ["request_id"], unique=False)

    op.create_table(
        "ind_supply",
        sa.Column("effector_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("offered", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.Column("free", sa.Integer(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint(
            "effector_id", "commune_insee", "day", "hour", name=op.f("pk_ind_supply")
        ),
    )
    with op.batch_alter_table("ind_supply", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ind_supply_day_commune_insee",
            ["day", "commune_insee", "hour", "effector_id", "offered", "booked", "free"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("ind_supply", schema=None) as batch_op:
        batch_op.drop_index("ix_ind_supply_day_commune_insee")
    op.drop_table("ind_supply")
    with op.batch_alter_table("ind_appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_ind_appointments_request_id")
        batch_op.drop_index("ix_ind_appointments_effector_id_start_date")
        batch_op.drop_index("ix_ind_appointments_start_date_status")
    op.drop_table("ind_appointments")
    with op.batch_alter_table("ind_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_ind_requests_commune_insee_received_date")
        batch_op.drop_index("ix_ind_requests_effector_id_received_date")
        batch_op.drop_index("ix_ind_requests_received_date_callback")
        batch_op.drop_index("ix_ind_requests_outcome_received_date")
        batch_op.drop_index("ix_ind_requests_received_date_hour")
        batch_op.drop_index("ix_ind_requests_received_date_origin")
    op.drop_table("ind_requests")
