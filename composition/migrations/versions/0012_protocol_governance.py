"""protocol governance: approval by a physician (four eyes) before publication

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 06:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("regulation_protocol_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_by_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approved_by_name", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("approval_reason", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("published_by_name", sa.String(length=254), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_regulation_protocol_versions_approved_by_user_id_users"),
            "users",
            ["approved_by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("regulation_protocol_versions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_regulation_protocol_versions_approved_by_user_id_users"),
            type_="foreignkey",
        )
        batch_op.drop_column("published_by_name")
        batch_op.drop_column("approval_reason")
        batch_op.drop_column("approved_at")
        batch_op.drop_column("approved_by_name")
        batch_op.drop_column("approved_by_user_id")
