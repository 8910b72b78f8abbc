"""The indicators read model: one row per request, per appointment, per effector-commune-hour.

Private to `indicators`. Filled by event handlers in the emitter's transaction
(`handlers.py`) and recomputable at any time from the source packages (`rebuild.py`).
It holds NO patient identity: ids of the source records, times, bands and codes only.

Paris-local calendar fields (`*_date`, `*_hour`, `*_week`) are computed once on write, so the
queries group and filter on plain indexed columns, identically on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from snp.db import Base, UTCDateTime

MISSED_SQL = "outcome = 'slot_booked' AND appointment_status IN ('noshow', 'cancelled')"


class IndRequest(Base):
    """A regulation request as the indicators see it (no identity)."""

    __tablename__ = "ind_requests"
    # Covering indexes: each dashboard query over a period reads one index only (index-only
    # scans on PostgreSQL), a fraction of the table's size.
    __table_args__ = (
        Index(
            "ix_ind_requests_received_date_origin",
            "received_date",
            "origin",
            "channel",
            "outcome",
            "would_go_to_ed",
        ),
        Index(
            "ix_ind_requests_received_date_hour", "received_date", "received_hour", "commune_insee"
        ),
        Index(
            "ix_ind_requests_outcome_received_date",
            "outcome",
            "received_date",
            "appointment_status",
            "consultation_minutes",
        ),
        Index("ix_ind_requests_received_date_callback", "received_date", "callback_minutes"),
        Index("ix_ind_requests_commune_insee_received_date", "commune_insee", "received_date"),
        Index("ix_ind_requests_effector_id_received_date", "effector_id", "received_date"),
        # The booked requests whose patient did not come or cancelled (a few %): they avoided
        # no emergency visit (`queries.without_missed_consultations`, index-only).
        Index(
            "ix_ind_requests_missed_received_date",
            "received_date",
            "origin",
            "would_go_to_ed",
            sqlite_where=text(MISSED_SQL),
            postgresql_where=text(MISSED_SQL),
        ),
    )

    request_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_date: Mapped[date] = mapped_column(Date)  # Europe/Paris
    received_hour: Mapped[int] = mapped_column(Integer)  # Europe/Paris, 0-23
    origin: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))  # phone, form, sas
    commune_insee: Mapped[str | None] = mapped_column(String(5))
    age_band: Mapped[str | None] = mapped_column(String(40))
    priority: Mapped[str | None] = mapped_column(String(2))
    orientation: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(32))
    protocol_version: Mapped[int | None] = mapped_column(Integer)
    triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    oriented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_callback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Minutes from receipt to the first call-back attempt, rounded up.
    callback_minutes: Mapped[int | None] = mapped_column(Integer)
    would_go_to_ed: Mapped[bool | None] = mapped_column(Boolean)
    effector_id: Mapped[int | None] = mapped_column(Integer)
    appointment_id: Mapped[str | None] = mapped_column(String(36))
    consultation_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What became of the appointment (booked, fulfilled, noshow, cancelled, rescheduled).
    appointment_status: Mapped[str | None] = mapped_column(String(16))
    # Minutes from receipt to the consultation, rounded up (so <= 1440 means within 24 h).
    consultation_minutes: Mapped[int | None] = mapped_column(Integer)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class IndAppointment(Base):
    """A booked appointment and its outcome (the consultation log, as the indicators see it)."""

    __tablename__ = "ind_appointments"
    __table_args__ = (
        Index(
            "ix_ind_appointments_start_date_status",
            "start_date",
            "status",
            "effector_id",
            "after_care",
            "satisfaction",
        ),
        Index("ix_ind_appointments_effector_id_start_date", "effector_id", "start_date"),
        Index("ix_ind_appointments_request_id", "request_id"),
        # The rare consultations over the weekly SNP fee cap, found without scanning the rest.
        Index("ix_ind_appointments_fee_rank_start_date", "fee_rank", "start_date", "effector_id"),
    )

    appointment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    request_id: Mapped[int | None] = mapped_column(Integer)
    effector_id: Mapped[int] = mapped_column(Integer)
    site_commune: Mapped[str | None] = mapped_column(String(5))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    start_date: Mapped[date] = mapped_column(Date)  # Europe/Paris
    start_hour: Mapped[int] = mapped_column(Integer)  # Europe/Paris
    start_week: Mapped[date] = mapped_column(Date)  # Monday of the Paris week
    kind: Mapped[str] = mapped_column(String(3))
    # The request's origin (regulation's codes) when it serves a request, else agenda's origin.
    origin: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    cancelled_by: Mapped[str | None] = mapped_column(String(16))
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    after_care: Mapped[str | None] = mapped_column(String(16))
    request_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Minutes from the request's receipt to the appointment, rounded up.
    delay_minutes: Mapped[int | None] = mapped_column(Integer)
    # The patient's declared médecin traitant is this effector (no SNP fee then).
    own_patient: Mapped[bool] = mapped_column(Boolean, default=False)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    # Rank of this SNP fee candidate (fulfilled, regulated, not the effector's own patient,
    # within 48 h) among its effector's candidates of the Paris week, by (start_at, id); NULL
    # for the others. Kept on write (`sync`), so the cap is a plain comparison at query time.
    fee_rank: Mapped[int | None] = mapped_column(Integer)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class IndSupply(Base):
    """Slots offered by one effector in one commune during one Paris hour of one day."""

    __tablename__ = "ind_supply"
    __table_args__ = (
        Index(
            "ix_ind_supply_day_commune_insee",
            "day",
            "commune_insee",
            "hour",
            "effector_id",
            "offered",
            "booked",
            "free",
            "recurring",
            "imported",
        ),
    )

    effector_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    commune_insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    offered: Mapped[int] = mapped_column(Integer, default=0)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    free: Mapped[int] = mapped_column(Integer, default=0)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Among the offered: from a weekly recurring availability, from a calendar import (the
    # rest were entered one by one).
    recurring: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    imported: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


# -- monthly rollups -----------------------------------------------------------------------------
# Counts per Paris month (`month` = its first day) of the rows above, so that a dashboard over
# whole months reads a few thousand rows instead of millions. Exact, because the rows above have
# one writer: `sync` adds each row's new contribution and subtracts its old one in the same
# transaction, `rebuild.refresh_supply` recounts the months it replaces, `rebuild.rollups`
# recomputes everything. Keys are NOT NULL (upserts need a unique key): '' stands for "none".
# A row whose counts all fall to 0 is deleted, so maintained and rebuilt tables are identical.


class IndRequestMonth(Base):
    """Requests per month, origin, channel, outcome ('' = open) and ED intent."""

    __tablename__ = "ind_request_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    origin: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(32), primary_key=True)
    would_go_to_ed: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    requests: Mapped[int] = mapped_column(Integer)


class IndRequestDelay(Base):
    """Delay histograms per month, in whole minutes: `consultation` counts the slot-oriented
    requests by minutes to the consultation that took place (-1: none took place), `callback`
    the requests by minutes to the first call-back. Exact nearest-rank percentiles."""

    __tablename__ = "ind_request_delays"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    minutes: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    requests: Mapped[int] = mapped_column(Integer)


class IndHourMonth(Base):
    """Demand (requests received) and supply (slots) per month and Paris hour."""

    __tablename__ = "ind_hour_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    requests: Mapped[int] = mapped_column(Integer)
    offered: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer)
    free: Mapped[int] = mapped_column(Integer)


class IndCommuneMonth(Base):
    """Demand (patients' commune, '' = unknown) and supply (sites' commune) per month."""

    __tablename__ = "ind_commune_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    commune_insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    requests: Mapped[int] = mapped_column(Integer)
    offered: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer)
    free: Mapped[int] = mapped_column(Integer)


class IndAppointmentMonth(Base):
    """Appointments per month (Paris start day), status, after-care ('' = none), fee class
    (`own`: the effector's own patient, `candidate`: regulated within 48 h, `other`) and
    satisfaction score (0 = no answer)."""

    __tablename__ = "ind_appointment_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    after_care: Mapped[str] = mapped_column(String(16), primary_key=True)
    fee_class: Mapped[str] = mapped_column(String(16), primary_key=True)
    satisfaction: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    appointments: Mapped[int] = mapped_column(Integer)


class IndEffectorMonth(Base):
    """Per effector and month: appointments (any status), booked (booked, fulfilled or no-show),
    seen, no-shows, SNP fee candidates among the seen, and slots offered (in all, from a weekly
    recurring availability, from a calendar import)."""

    __tablename__ = "ind_effector_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    effector_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    appointments: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer)
    seen: Mapped[int] = mapped_column(Integer)
    noshows: Mapped[int] = mapped_column(Integer)
    fee_candidates: Mapped[int] = mapped_column(Integer)
    offered: Mapped[int] = mapped_column(Integer)
    recurring: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    imported: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


# -- the ACI contract ------------------------------------------------------------------------
# Entered by the coordinators (never derived from patients): the contract signed with the CPAM
# and the ARS, its indicators per contract year, the national figures they enter or import, and
# the operator hours of the orientation service. Every save of the contract keeps a snapshot.


class AciContract(Base):
    """The CPTS's ACI contract (one per platform)."""

    __tablename__ = "aci_contracts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signed_on: Mapped[date] = mapped_column(Date)
    cpts_size: Mapped[int] = mapped_column(Integer)  # 1-4
    # Gross cost of one operator hour (€), for the orientation envelope's cost per request.
    operator_hour_cost: Mapped[float] = mapped_column(Float, default=0.0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[int | None] = mapped_column(Integer)


class AciIndicator(Base):
    """One indicator chosen for one contract year, with its written definition."""

    __tablename__ = "aci_indicators"
    __table_args__ = (
        UniqueConstraint("contract_id", "contract_year", "code"),
        Index("ix_aci_indicators_contract_id_contract_year", "contract_id", "contract_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("aci_contracts.id", ondelete="CASCADE"))
    contract_year: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)
    calculation: Mapped[str] = mapped_column(Text)
    # "entered" (CPAM/ARS figures typed or imported) or "platform" (`metric` computed here).
    source: Mapped[str] = mapped_column(String(16))
    metric: Mapped[str | None] = mapped_column(String(40))
    baseline: Mapped[float] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)  # % of the variable part
    direction: Mapped[str] = mapped_column(String(16))  # increasing, decreasing


class AciContractVersion(Base):
    """A snapshot of the contract and its indicators as saved (history, never changed)."""

    __tablename__ = "aci_contract_versions"
    __table_args__ = (UniqueConstraint("contract_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("aci_contracts.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    saved_by: Mapped[int | None] = mapped_column(Integer)
    snapshot: Mapped[str] = mapped_column(Text)  # JSON


class AciFigure(Base):
    """A national indicator's figure for one contract year, as given by the CPAM or the ARS."""

    __tablename__ = "aci_figures"
    __table_args__ = (UniqueConstraint("code", "contract_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    contract_year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200))
    figure_date: Mapped[date] = mapped_column(Date)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entered_by: Mapped[int | None] = mapped_column(Integer)


class AciOperatorHours(Base):
    """Operator hours of the orientation service in one Paris month (first day)."""

    __tablename__ = "aci_operator_hours"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    hours: Mapped[float] = mapped_column(Float)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entered_by: Mapped[int | None] = mapped_column(Integer)
