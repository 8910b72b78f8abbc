"""agenda slots bookings templates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:45:16.829600
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effector_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["effector_id"],
            ["effectors.id"],
            name=op.f("fk_absences_effector_id_effectors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
    )
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absences_effector_id"), ["effector_id"], unique=False)

    op.create_table(
        "availability_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effector_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.String(length=20), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("include_public_holidays", sa.Boolean(), nullable=False),
        sa.Column("kind_amb", sa.Boolean(), nullable=False),
        sa.Column("kind_hh", sa.Boolean(), nullable=False),
        sa.Column("kind_vr", sa.Boolean(), nullable=False),
        sa.Column("vis_snp", sa.Boolean(), nullable=False),
        sa.Column("vis_cpts", sa.Boolean(), nullable=False),
        sa.Column("vis_pro", sa.Boolean(), nullable=False),
        sa.Column("vis_public", sa.Boolean(), nullable=False),
        sa.Column("shared_with_sas", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["effector_id"],
            ["effectors.id"],
            name=op.f("fk_availability_templates_effector_id_effectors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_availability_templates_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_templates")),
    )
    with op.batch_alter_table("availability_templates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_availability_templates_effector_id"), ["effector_id"], unique=False
        )

    op.create_table(
        "slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effector_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind_amb", sa.Boolean(), nullable=False),
        sa.Column("kind_hh", sa.Boolean(), nullable=False),
        sa.Column("kind_vr", sa.Boolean(), nullable=False),
        sa.Column("vis_snp", sa.Boolean(), nullable=False),
        sa.Column("vis_cpts", sa.Boolean(), nullable=False),
        sa.Column("vis_pro", sa.Boolean(), nullable=False),
        sa.Column("vis_public", sa.Boolean(), nullable=False),
        sa.Column("shared_with_sas", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("held_by", sa.String(length=100), nullable=True),
        sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source_key", sa.String(length=300), nullable=True),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["effector_id"],
            ["effectors.id"],
            name=op.f("fk_slots_effector_id_effectors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_slots_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["availability_templates.id"],
            name=op.f("fk_slots_template_id_availability_templates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slots")),
        sa.UniqueConstraint(
            "effector_id", "source_key", name=op.f("uq_slots_effector_id_source_key")
        ),
    )
    with op.batch_alter_table("slots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_slots_effector_id_start_at", ["effector_id", "start_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_slots_hold_expires_at"), ["hold_expires_at"], unique=False
        )
        batch_op.create_index("ix_slots_site_id_start_at", ["site_id", "start_at"], unique=False)
        batch_op.create_index(
            "ix_slots_open_start_at",
            ["start_at", "id"],
            unique=False,
            sqlite_where=sa.text("status IN ('free', 'held')"),
            postgresql_where=sa.text("status IN ('free', 'held')"),
        )
        batch_op.create_index(batch_op.f("ix_slots_template_id"), ["template_id"], unique=False)

    op.create_table(
        "appointments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("effector_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("patient_label", sa.String(length=40), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("booked_by_user_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_by", sa.String(length=16), nullable=True),
        sa.Column("cancel_reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booked_by_user_id"],
            ["users.id"],
            name=op.f("fk_appointments_booked_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["effector_id"],
            ["effectors.id"],
            name=op.f("fk_appointments_effector_id_effectors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_appointments_site_id_sites"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["slots.id"],
            name=op.f("fk_appointments_slot_id_slots"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_appointments_effector_id_start_at", ["effector_id", "start_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_appointments_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_appointments_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_appointments_live_slot",
            ["slot_id"],
            unique=True,
            sqlite_where=sa.text("status = 'booked'"),
            postgresql_where=sa.text("status = 'booked'"),
        )

    with op.batch_alter_table("effectors", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ics_subscription_url", sa.String(length=1000), nullable=True)
        )
        batch_op.add_column(sa.Column("ics_subscription_site_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("ics_last_fetched_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("ics_last_error", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("ics_feed_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_effectors_ics_feed_token"), ["ics_feed_token"]
        )


def downgrade() -> None:

    with op.batch_alter_table("effectors", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_effectors_ics_feed_token"), type_="unique")
        batch_op.drop_column("ics_feed_token")
        batch_op.drop_column("ics_last_error")
        batch_op.drop_column("ics_last_fetched_at")
        batch_op.drop_column("ics_subscription_site_id")
        batch_op.drop_column("ics_subscription_url")

    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_appointments_live_slot",
            sqlite_where=sa.text("status = 'booked'"),
            postgresql_where=sa.text("status = 'booked'"),
        )
        batch_op.drop_index(batch_op.f("ix_appointments_status"))
        batch_op.drop_index(batch_op.f("ix_appointments_request_id"))
        batch_op.drop_index("ix_appointments_effector_id_start_at")

    op.drop_table("appointments")
    with op.batch_alter_table("slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slots_template_id"))
        batch_op.drop_index(
            "ix_slots_open_start_at",
            sqlite_where=sa.text("status IN ('free', 'held')"),
            postgresql_where=sa.text("status IN ('free', 'held')"),
        )
        batch_op.drop_index("ix_slots_site_id_start_at")
        batch_op.drop_index(batch_op.f("ix_slots_hold_expires_at"))
        batch_op.drop_index("ix_slots_effector_id_start_at")

    op.drop_table("slots")
    with op.batch_alter_table("availability_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_availability_templates_effector_id"))

    op.drop_table("availability_templates")
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absences_effector_id"))

    op.drop_table("absences")
