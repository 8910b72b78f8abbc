"""indicators: the ACI contract, its indicators, national figures, operator hours; an index of
the booked requests whose patient did not come

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


MISSED_SQL = "outcome = 'slot_booked' AND appointment_status IN ('noshow', 'cancelled')"


def upgrade() -> None:
    # Booked requests whose patient did not come or cancelled: no emergency visit avoided.
    op.create_index(
        "ix_ind_requests_missed_received_date",
        "ind_requests",
        ["received_date", "origin", "would_go_to_ed"],
        sqlite_where=sa.text(MISSED_SQL),
        postgresql_where=sa.text(MISSED_SQL),
    )
    op.create_table(
        "aci_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("cpts_size", sa.Integer(), nullable=False),
        sa.Column("operator_hour_cost", sa.Float(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aci_contracts")),
    )
    op.create_table(
        "aci_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("contract_year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("calculation", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["aci_contracts.id"],
            name=op.f("fk_aci_indicators_contract_id_aci_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aci_indicators")),
        sa.UniqueConstraint(
            "contract_id",
            "contract_year",
            "code",
            name=op.f("uq_aci_indicators_contract_id_contract_year_code"),
        ),
    )
    op.create_index(
        "ix_aci_indicators_contract_id_contract_year",
        "aci_indicators",
        ["contract_id", "contract_year"],
    )
    op.create_table(
        "aci_contract_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["aci_contracts.id"],
            name=op.f("fk_aci_contract_versions_contract_id_aci_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aci_contract_versions")),
        sa.UniqueConstraint(
            "contract_id", "version", name=op.f("uq_aci_contract_versions_contract_id_version")
        ),
    )
    op.create_table(
        "aci_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("contract_year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("figure_date", sa.Date(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aci_figures")),
        sa.UniqueConstraint(
            "code", "contract_year", name=op.f("uq_aci_figures_code_contract_year")
        ),
    )
    op.create_table(
        "aci_operator_hours",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_aci_operator_hours")),
    )


def downgrade() -> None:
    op.drop_index("ix_ind_requests_missed_received_date", table_name="ind_requests")
    op.drop_table("aci_operator_hours")
    op.drop_table("aci_figures")
    op.drop_table("aci_contract_versions")
    op.drop_index("ix_aci_indicators_contract_id_contract_year", table_name="aci_indicators")
    op.drop_table("aci_indicators")
    op.drop_table("aci_contracts")
