"""the referrer's own red-flag answers, carried over to the operator's triage

Revision ID: 0033
Revises: 0031
Create Date: 2026-12-05 12:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("regulation_requests") as batch:
        batch.add_column(sa.Column("referrer_answers", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("regulation_requests") as batch:
        batch.drop_column("referrer_answers")
