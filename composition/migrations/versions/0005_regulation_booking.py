"""regulation booking journey: held slot, rebooking flag, freed-slot offer

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 11:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("regulation_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hold_slot_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("hold_holder", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("hold_kind", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rebook_reason", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("rebook_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("offered_slot_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("regulation_requests", schema=None) as batch_op:
        batch_op.drop_column("offered_slot_id")
        batch_op.drop_column("rebook_at")
        batch_op.drop_column("rebook_reason")
        batch_op.drop_column("hold_expires_at")
        batch_op.drop_column("hold_kind")
        batch_op.drop_column("hold_holder")
        batch_op.drop_column("hold_slot_id")
