"""front desk: find a patient's requests again (phone, birth date, start of the family name)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 09:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "regulation_requests"


def upgrade() -> None:
    op.create_index("ix_regulation_requests_phone", TABLE, ["phone"])
    op.create_index("ix_regulation_requests_birth_date", TABLE, ["birth_date"])
    if op.get_bind().dialect.name == "postgresql":
        # text_pattern_ops: `LIKE 'dup%'` uses the index whatever the database's collation.
        op.execute(
            "CREATE INDEX ix_regulation_requests_family_name_lower "
            f"ON {TABLE} (lower(family_name) text_pattern_ops)"
        )
    else:
        op.create_index(
            "ix_regulation_requests_family_name_lower", TABLE, [sa.text("lower(family_name)")]
        )


def downgrade() -> None:
    op.drop_index("ix_regulation_requests_family_name_lower", table_name=TABLE)
    op.drop_index("ix_regulation_requests_birth_date", table_name=TABLE)
    op.drop_index("ix_regulation_requests_phone", table_name=TABLE)
