"""notifications follow-ups (escalation step of a broadcast, referrer's mobile, surveys)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 13:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sms_broadcasts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("appointment_id", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column("appointment_start_at", sa.DateTime(timezone=True), nullable=True)
        )

    # The referrer's callback mobile, typed in the referral form (for the outcome SMS).
    with op.batch_alter_table("regulation_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("referrer_phone", sa.String(length=20), nullable=True))

    op.create_table(
        "sms_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_surveys")),
        sa.UniqueConstraint("appointment_id", name=op.f("uq_sms_surveys_appointment_id")),
    )
    with op.batch_alter_table("sms_surveys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_surveys_phone"), ["phone"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sms_surveys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_surveys_phone"))
    op.drop_table("sms_surveys")
    with op.batch_alter_table("regulation_requests", schema=None) as batch_op:
        batch_op.drop_column("referrer_phone")
    with op.batch_alter_table("sms_broadcasts", schema=None) as batch_op:
        batch_op.drop_column("appointment_start_at")
        batch_op.drop_column("appointment_id")
        batch_op.drop_column("step")
