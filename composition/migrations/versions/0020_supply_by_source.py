"""indicators: slots offered from a weekly recurring availability and from a calendar import

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-05 09:30:00.000000

Existing rows start at 0: `snp indicators rebuild` recounts them from the agendas (the README
asks for one rebuild after upgrading, as the supply now follows events).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("ind_supply", "ind_effector_months")
# The dashboard's row queries read the supply from this covering index alone.
INDEX = "ix_ind_supply_day_commune_insee"
COVERED = ["day", "commune_insee", "hour", "effector_id", "offered", "booked", "free"]


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for name in ("recurring", "imported"):
                batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("ind_supply") as batch:
        batch.drop_index(INDEX)
        batch.create_index(INDEX, [*COVERED, "recurring", "imported"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ind_supply") as batch:
        batch.drop_index(INDEX)
        batch.create_index(INDEX, COVERED, unique=False)
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("imported")
            batch.drop_column("recurring")
