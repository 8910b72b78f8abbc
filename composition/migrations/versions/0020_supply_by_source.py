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


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("recurring", sa.Integer(), nullable=False, server_default="0")
            )
            batch.add_column(
                sa.Column("imported", sa.Integer(), nullable=False, server_default="0")
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("imported")
            batch.drop_column("recurring")
