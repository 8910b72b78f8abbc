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


# Plain ALTER TABLE (no batch copy): SQLite adds and (3.35+) drops a column in place, and a
# batch copy of this table would lose its expression index (lower(family_name), 0025).


def upgrade() -> None:
    op.add_column("regulation_requests", sa.Column("referrer_answers", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("regulation_requests", "referrer_answers")
