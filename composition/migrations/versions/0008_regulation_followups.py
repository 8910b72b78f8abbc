"""regulation follow-ups: sites' position index (matching's bounding box)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 13:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The free-slot search near a point reads the sites of a bounding box first: a range on
    # latitude, longitude checked in the index (SQLite: a covering index with the rowid).
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sites_latitude_longitude", ["latitude", "longitude"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_index("ix_sites_latitude_longitude")
