"""agenda: half-day (or any hours) absences; availability templates with several time ranges
and every other week

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 09:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("absences") as batch:
        batch.add_column(sa.Column("start_time", sa.Time(), nullable=True))
        batch.add_column(sa.Column("end_time", sa.Time(), nullable=True))
    with op.batch_alter_table("availability_templates") as batch:
        batch.add_column(sa.Column("more_ranges", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("every_weeks", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("availability_templates") as batch:
        batch.drop_column("every_weeks")
        batch.drop_column("more_ranges")
    with op.batch_alter_table("absences") as batch:
        batch.drop_column("end_time")
        batch.drop_column("start_time")
