"""CalDAV calendars of the effectors and the busy times read from them

Revision ID: 0030
Revises: 0027
Create Date: 2026-12-05 10:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "caldav_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "effector_id",
            sa.Integer(),
            sa.ForeignKey("effectors.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("password_encrypted", sa.String(length=2000), nullable=False),
        sa.Column("write_bookings", sa.Boolean(), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "caldav_busy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "effector_id",
            sa.Integer(),
            sa.ForeignKey("effectors.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_caldav_busy_effector_id_start_at", "caldav_busy", ["effector_id", "start_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_caldav_busy_effector_id_start_at", table_name="caldav_busy")
    op.drop_table("caldav_busy")
    op.drop_table("caldav_links")
