"""agenda: date overrides (changed hours on one date)

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-05 12:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "availability_overrides",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "effector_id",
            sa.Integer(),
            sa.ForeignKey("effectors.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "site_id",
            sa.Integer(),
            sa.ForeignKey("sites.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("ranges", sa.String(200), nullable=True),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("kind_amb", sa.Boolean(), nullable=False),
        sa.Column("kind_hh", sa.Boolean(), nullable=False),
        sa.Column("kind_vr", sa.Boolean(), nullable=False),
        sa.Column("vis_snp", sa.Boolean(), nullable=False),
        sa.Column("vis_cpts", sa.Boolean(), nullable=False),
        sa.Column("vis_pro", sa.Boolean(), nullable=False),
        sa.Column("vis_public", sa.Boolean(), nullable=False),
        sa.Column("shared_with_sas", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("effector_id", "day"),
    )
    op.create_index("ix_availability_overrides_day", "availability_overrides", ["day"])


def downgrade() -> None:
    op.drop_index("ix_availability_overrides_day", table_name="availability_overrides")
    op.drop_table("availability_overrides")
