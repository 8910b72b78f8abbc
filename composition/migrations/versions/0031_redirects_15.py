"""a call redirected to the 15 recorded with only what is known (no identity required)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 10:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "redirects_15",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("family_name", sa.String(120), nullable=True),
        sa.Column("given_name", sa.String(120), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("red_flag_id", sa.String(60), nullable=False),
        sa.Column("red_flag_text", sa.String(300), nullable=False),
        sa.Column("priority", sa.String(2), nullable=False),
        sa.Column("protocol_version", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(32), nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column(
            "recorded_by_user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("recorded_by_name", sa.String(254), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pseudonymised_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_redirects_15_recorded_at", "redirects_15", ["recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_redirects_15_recorded_at", table_name="redirects_15")
    op.drop_table("redirects_15")
