"""directory from public data: approximate site positions, communes' postal codes, import jobs

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(
            sa.Column(
                "position_approximate", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("communes") as batch:
        batch.add_column(sa.Column("postal_codes", sa.String(length=200), nullable=True))
    op.create_table(
        "directory_import_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("file_path", sa.String(length=500), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_bytes", sa.BigInteger(), nullable=False),
        sa.Column("bytes_read", sa.BigInteger(), nullable=False),
        sa.Column("lines_read", sa.Integer(), nullable=False),
        sa.Column("professions", sa.String(length=100), nullable=False),
        sa.Column("preview", sa.JSON(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=1000), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_directory_import_jobs_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_import_jobs")),
    )


def downgrade() -> None:
    op.drop_table("directory_import_jobs")
    with op.batch_alter_table("communes") as batch:
        batch.drop_column("postal_codes")
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("position_approximate")
