"""go-live: the CPTS's postal address and each account's last login

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-05 07:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cpts") as batch:
        batch.add_column(sa.Column("address", sa.String(length=300), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("last_login_at")
    with op.batch_alter_table("cpts") as batch:
        batch.drop_column("address")
