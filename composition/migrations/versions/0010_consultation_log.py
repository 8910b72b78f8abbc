"""consultation log: appointment outcomes, retention

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 13:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_PSEUDONYMISED_SQL = "pseudonymised_at IS NULL AND closed_at IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("after_care", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("outcome_recorded_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("outcome_recorded_by_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_appointments_outcome_recorded_by_user_id_users"),
            "users",
            ["outcome_recorded_by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_appointments_status_start_at", ["status", "start_at"])
    with op.batch_alter_table("regulation_requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pseudonymised_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_regulation_requests_closed_at_to_pseudonymise",
            ["closed_at", "id"],
            sqlite_where=sa.text(NOT_PSEUDONYMISED_SQL),
            postgresql_where=sa.text(NOT_PSEUDONYMISED_SQL),
        )
    # The retention job finds a batch's SMS by request (notifications/service/retention.py).
    op.create_index("ix_sms_outbox_request_id", "sms_outbox", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_sms_outbox_request_id", table_name="sms_outbox")
    with op.batch_alter_table("regulation_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_regulation_requests_closed_at_to_pseudonymise")
        batch_op.drop_column("pseudonymised_at")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_status_start_at")
        batch_op.drop_constraint(
            batch_op.f("fk_appointments_outcome_recorded_by_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("outcome_recorded_by_user_id")
        batch_op.drop_column("outcome_recorded_at")
        batch_op.drop_column("after_care")
