"""SAS second pass: national ids as received, accounts without e-mail, terms of use,
« mot de passe oublié » requests, refused pushes kept with the platform's answer

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-05 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sas_practitioner_accounts", schema=None) as batch_op:
        batch_op.alter_column(
            "national_id",
            existing_type=sa.String(length=12),
            type_=sa.String(length=64),
            existing_nullable=True,
        )
        batch_op.add_column(
            sa.Column("has_email", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("family_name", sa.String(length=120), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("given_name", sa.String(length=120), nullable=False, server_default="")
        )
    with op.batch_alter_table("sas_appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identifier_system", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("booked_by_user_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_sas_appointments_booked_by_user_id"), ["booked_by_user_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sas_appointments_booked_by_user_id_users"),
            "users",
            ["booked_by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("sas_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_response", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "sas_terms_acceptances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sas_terms_acceptances_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sas_terms_acceptances")),
        sa.UniqueConstraint(
            "user_id", "version", name=op.f("uq_sas_terms_acceptances_user_id_version")
        ),
    )
    with op.batch_alter_table("sas_terms_acceptances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sas_terms_acceptances_user_id"), ["user_id"], unique=False
        )
    op.create_table(
        "sas_password_requests",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sas_password_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_sas_password_requests")),
    )


def downgrade() -> None:
    op.drop_table("sas_password_requests")
    with op.batch_alter_table("sas_terms_acceptances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sas_terms_acceptances_user_id"))
    op.drop_table("sas_terms_acceptances")
    with op.batch_alter_table("sas_outbox", schema=None) as batch_op:
        batch_op.drop_column("rejected_at")
        batch_op.drop_column("last_response")
    with op.batch_alter_table("sas_appointments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_sas_appointments_booked_by_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_sas_appointments_booked_by_user_id"))
        batch_op.drop_column("booked_by_user_id")
        batch_op.drop_column("identifier_system")
    with op.batch_alter_table("sas_practitioner_accounts", schema=None) as batch_op:
        batch_op.drop_column("given_name")
        batch_op.drop_column("family_name")
        batch_op.drop_column("has_email")
        batch_op.alter_column(
            "national_id",
            existing_type=sa.String(length=64),
            type_=sa.String(length=12),
            existing_nullable=True,
        )
