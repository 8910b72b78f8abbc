"""indicators: monthly rollups and stored SNP fee ranks

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 15:00:00.000000

The fee ranks and the rollups are filled here from the read model's rows (plain SQL, as
`indicators.rollups.rebuild_all` computes them at this revision), since the write path
from now on only adds deltas to them. `snp indicators rebuild` recomputes them at any time.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUPPLY = ("requests", "offered", "booked", "free")
CANDIDATE = (
    "status = 'fulfilled' AND NOT own_patient AND delay_minutes IS NOT NULL "
    "AND delay_minutes <= 2880"
)
BACKFILL = [
    """UPDATE ind_appointments SET fee_rank = ranked.rank FROM (
        SELECT appointment_id AS aid, row_number() OVER (
            PARTITION BY effector_id, start_week ORDER BY start_at, appointment_id) AS rank
        FROM ind_appointments WHERE {candidate}) AS ranked
    WHERE ind_appointments.appointment_id = ranked.aid""",
    """INSERT INTO ind_request_months
    SELECT {m_req}, origin, channel, COALESCE(outcome, ''), COALESCE(would_go_to_ed, false),
        count(*)
    FROM ind_requests GROUP BY 1, 2, 3, 4, 5""",
    """INSERT INTO ind_request_delays
    SELECT {m_req}, 'consultation', CASE WHEN appointment_status = 'fulfilled'
        AND consultation_minutes IS NOT NULL THEN consultation_minutes ELSE -1 END, count(*)
    FROM ind_requests WHERE outcome = 'slot_booked' GROUP BY 1, 2, 3""",
    """INSERT INTO ind_request_delays
    SELECT {m_req}, 'callback', callback_minutes, count(*)
    FROM ind_requests WHERE callback_minutes IS NOT NULL GROUP BY 1, 2, 3""",
    """INSERT INTO ind_hour_months
    SELECT m, k, sum(r), sum(o), sum(b), sum(f) FROM (
        SELECT {m_req} AS m, received_hour AS k, 1 AS r, 0 AS o, 0 AS b, 0 AS f
        FROM ind_requests
        UNION ALL SELECT {m_day}, hour, 0, offered, booked, free FROM ind_supply) AS parts
    GROUP BY m, k HAVING sum(r) <> 0 OR sum(o) <> 0 OR sum(b) <> 0 OR sum(f) <> 0""",
    """INSERT INTO ind_commune_months
    SELECT m, k, sum(r), sum(o), sum(b), sum(f) FROM (
        SELECT {m_req} AS m, COALESCE(commune_insee, '') AS k, 1 AS r, 0 AS o, 0 AS b, 0 AS f
        FROM ind_requests
        UNION ALL SELECT {m_day}, commune_insee, 0, offered, booked, free FROM ind_supply
    ) AS parts
    GROUP BY m, k HAVING sum(r) <> 0 OR sum(o) <> 0 OR sum(b) <> 0 OR sum(f) <> 0""",
    """INSERT INTO ind_appointment_months
    SELECT {m_start}, status, COALESCE(after_care, ''),
        CASE WHEN own_patient THEN 'own' WHEN delay_minutes <= 2880 THEN 'candidate'
            ELSE 'other' END,
        COALESCE(satisfaction, 0), count(*)
    FROM ind_appointments GROUP BY 1, 2, 3, 4, 5""",
    """INSERT INTO ind_effector_months
    SELECT m, e, sum(a), sum(bk), sum(s), sum(n), sum(c), sum(o) FROM (
        SELECT {m_start} AS m, effector_id AS e, 1 AS a,
            CASE WHEN status IN ('booked', 'fulfilled', 'noshow') THEN 1 ELSE 0 END AS bk,
            CASE WHEN status = 'fulfilled' THEN 1 ELSE 0 END AS s,
            CASE WHEN status = 'noshow' THEN 1 ELSE 0 END AS n,
            CASE WHEN {candidate} THEN 1 ELSE 0 END AS c, 0 AS o
        FROM ind_appointments
        UNION ALL SELECT {m_day}, effector_id, 0, 0, 0, 0, 0, offered FROM ind_supply) AS parts
    GROUP BY m, e
    HAVING sum(a) <> 0 OR sum(bk) <> 0 OR sum(s) <> 0 OR sum(n) <> 0 OR sum(c) <> 0
        OR sum(o) <> 0""",
]


def _backfill() -> None:
    if op.get_bind().dialect.name == "postgresql":
        month = "CAST(date_trunc('month', {}) AS DATE)"
    else:
        month = "date({}, 'start of month')"
    names = {
        "candidate": CANDIDATE,
        "m_req": month.format("received_date"),
        "m_day": month.format("day"),
        "m_start": month.format("start_date"),
    }
    for statement in BACKFILL:
        op.execute(statement.format(**names))


def _counts(*names: str) -> list[sa.Column[int]]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def upgrade() -> None:
    with op.batch_alter_table("ind_appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fee_rank", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_ind_appointments_fee_rank_start_date",
            ["fee_rank", "start_date", "effector_id"],
        )
    op.create_table(
        "ind_request_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("would_go_to_ed", sa.Boolean(), nullable=False),
        *_counts("requests"),
        sa.PrimaryKeyConstraint(
            "month",
            "origin",
            "channel",
            "outcome",
            "would_go_to_ed",
            name=op.f("pk_ind_request_months"),
        ),
    )
    op.create_table(
        "ind_request_delays",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("minutes", sa.Integer(), autoincrement=False, nullable=False),
        *_counts("requests"),
        sa.PrimaryKeyConstraint("month", "kind", "minutes", name=op.f("pk_ind_request_delays")),
    )
    op.create_table(
        "ind_hour_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), autoincrement=False, nullable=False),
        *_counts(*SUPPLY),
        sa.PrimaryKeyConstraint("month", "hour", name=op.f("pk_ind_hour_months")),
    )
    op.create_table(
        "ind_commune_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        *_counts(*SUPPLY),
        sa.PrimaryKeyConstraint("month", "commune_insee", name=op.f("pk_ind_commune_months")),
    )
    op.create_table(
        "ind_appointment_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("after_care", sa.String(length=16), nullable=False),
        sa.Column("fee_class", sa.String(length=16), nullable=False),
        sa.Column("satisfaction", sa.Integer(), autoincrement=False, nullable=False),
        *_counts("appointments"),
        sa.PrimaryKeyConstraint(
            "month",
            "status",
            "after_care",
            "fee_class",
            "satisfaction",
            name=op.f("pk_ind_appointment_months"),
        ),
    )
    op.create_table(
        "ind_effector_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("effector_id", sa.Integer(), autoincrement=False, nullable=False),
        *_counts("appointments", "booked", "seen", "noshows", "fee_candidates", "offered"),
        sa.PrimaryKeyConstraint("month", "effector_id", name=op.f("pk_ind_effector_months")),
    )
    _backfill()


def downgrade() -> None:
    for table in (
        "ind_effector_months",
        "ind_appointment_months",
        "ind_commune_months",
        "ind_hour_months",
        "ind_request_delays",
        "ind_request_months",
    ):
        op.drop_table(table)
    with op.batch_alter_table("ind_appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_ind_appointments_fee_rank_start_date")
        batch_op.drop_column("fee_rank")
