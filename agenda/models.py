"""Effectors (volunteer professionals) and their consultation sites. Private to `agenda`."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snp.db import Base, UTCDateTime, utcnow


class Effector(Base):
    __tablename__ = "effectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    # RPPS (11 digits) for physicians; ADELI (9 digits) accepted for other professions.
    national_id: Mapped[str] = mapped_column(String(11), unique=True)
    national_id_kind: Mapped[str] = mapped_column(String(8), default="RPPS")
    family_name: Mapped[str] = mapped_column(String(120), index=True)
    given_name: Mapped[str] = mapped_column(String(120))
    profession: Mapped[str] = mapped_column(String(64), default="Médecin")
    specialty_code: Mapped[str] = mapped_column(String(16), default="SM54")
    specialty_text: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    min_patient_age_months: Mapped[int | None] = mapped_column(Integer)
    home_visits: Mapped[bool] = mapped_column(Boolean, default=False)
    home_visit_radius_km: Mapped[float | None] = mapped_column(Float)
    teleconsultation: Mapped[bool] = mapped_column(Boolean, default=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    # Optional calendar the effector publishes SNP availability in, refreshed by a job.
    ics_subscription_url: Mapped[str | None] = mapped_column(String(1000))
    ics_subscription_site_id: Mapped[int | None] = mapped_column(Integer)
    ics_last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ics_last_error: Mapped[str | None] = mapped_column(String(500))
    # Secret of the effector's booked-appointments ICS feed; regenerating it revokes the old URL.
    ics_feed_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # The sites the effector consults in now; a removed site that carries history (past slots
    # or appointments) stays in `all_sites`, inactive, so that the history keeps its place.
    sites: Mapped[list[Site]] = relationship(
        back_populates="effector",
        primaryjoin="and_(Effector.id == Site.effector_id, Site.active.is_(True))",
        order_by="Site.id",
        cascade="all, delete-orphan",
    )
    all_sites: Mapped[list[Site]] = relationship(
        primaryjoin="Effector.id == Site.effector_id", order_by="Site.id", viewonly=True
    )

    def removed_site_names(self) -> frozenset[str]:
        """Names of the sites the coordination removed (load `all_sites` first): the imports
        leave them removed rather than bring them back."""
        return frozenset(s.name for s in self.all_sites if not s.active)


class Site(Base):
    __tablename__ = "sites"
    __table_args__ = (
        UniqueConstraint("effector_id", "name"),
        # The free-slot search near a point: the sites of the bounding box (migration 0008).
        Index("ix_sites_latitude_longitude", "latitude", "longitude"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    effector_id: Mapped[int] = mapped_column(
        ForeignKey("effectors.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    address_line: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(5))
    city: Mapped[str] = mapped_column(String(120))
    insee_code: Mapped[str] = mapped_column(String(5), index=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    # Prefixed as in FHIR: 1+FINESS, 3+SIRET, 4+RPPS rang, 0+ADELI rang.
    structure_id: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20))
    # The commune's centre stands for the address (imported without coordinates): every
    # distance to this site says « position approximative » until a geocoder refines it.
    position_approximate: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # False once the coordination removed it while it carried past slots (see `all_sites`).
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    effector: Mapped[Effector] = relationship(back_populates="sites")


class SlotStatus(StrEnum):
    FREE = "free"
    HELD = "held"
    BOOKED = "booked"


# A slot that may be taken: free, or held (then free again once its hold expires).
OPEN_SLOT_SQL = "status IN ('free', 'held')"


class Slot(Base):
    """A bookable SNP time window of one effector at one site.

    Booking transitions are conditional UPDATEs on `status` (free -> held -> booked), so one slot
    yields at most one live appointment whatever the concurrency.
    """

    __tablename__ = "slots"
    __table_args__ = (
        UniqueConstraint("effector_id", "source_key"),
        # An effector's calendar, overlap checks, and the free-slot search by effectors.
        Index("ix_slots_effector_id_start_at", "effector_id", "start_at"),
        # The free-slot search near a point: sites in the bounding box, then their slots.
        Index("ix_slots_site_id_start_at", "site_id", "start_at"),
        # The free-slot search over a window (no effectors, no distance): only open slots.
        # Queries must repeat OPEN_SLOT_SQL literally for SQLite to use this partial index.
        Index(
            "ix_slots_open_start_at",
            "start_at",
            "id",  # the search's order: the first page is read straight from the index
            sqlite_where=text(OPEN_SLOT_SQL),
            postgresql_where=text(OPEN_SLOT_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    effector_id: Mapped[int] = mapped_column(ForeignKey("effectors.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Consultation kinds (SAS serviceType codes): at the practice, home visit, teleconsultation.
    kind_amb: Mapped[bool] = mapped_column(Boolean, default=True)
    kind_hh: Mapped[bool] = mapped_column(Boolean, default=False)
    kind_vr: Mapped[bool] = mapped_column(Boolean, default=False)
    # Visibility (SAS TRE_R314 codes); default SNP + CPTS.
    vis_snp: Mapped[bool] = mapped_column(Boolean, default=True)
    vis_cpts: Mapped[bool] = mapped_column(Boolean, default=True)
    vis_pro: Mapped[bool] = mapped_column(Boolean, default=False)
    vis_public: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_with_sas: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=SlotStatus.FREE)
    held_by: Mapped[str | None] = mapped_column(String(100))
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Where the slot comes from: manual, template:<id>, ics:<uid>:<recurrence-id>:<start>.
    # Re-materialising or re-importing inserts on conflict do nothing: idempotent.
    source_key: Mapped[str | None] = mapped_column(String(300))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("availability_templates.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    FULFILLED = "fulfilled"
    NOSHOW = "noshow"
    TO_REBOOK = "to_rebook"  # its slot was removed: back to the regulation queue


class AfterCare(StrEnum):
    """What followed a consultation that took place (the consultation log)."""

    EMERGENCY = "emergency"  # sent on to the emergency department
    HOSPITALISED = "hospitalised"


class Appointment(Base):
    """A patient booked into a slot. Patient identity stays in `regulation`; here only the
    minimum the effector's calendar shows (initials and age)."""

    __tablename__ = "appointments"
    __table_args__ = (
        # At most one live appointment per slot, enforced by the database itself.
        Index(
            "uq_appointments_live_slot",
            "slot_id",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
        Index("ix_appointments_effector_id_start_at", "effector_id", "start_at"),
        # The consultation log's "to report" list: appointments still booked, oldest first.
        Index("ix_appointments_status_start_at", "status", "start_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID, also our SAS identifier
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("slots.id", ondelete="SET NULL"))
    effector_id: Mapped[int] = mapped_column(ForeignKey("effectors.id", ondelete="CASCADE"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(3), default="AMB")
    status: Mapped[str] = mapped_column(String(16), default=AppointmentStatus.BOOKED, index=True)
    # The regulation request this appointment serves (regulation's id; no cross-package FK).
    request_id: Mapped[int | None] = mapped_column(Integer, index=True)
    patient_label: Mapped[str | None] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(16), default="operator")
    booked_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    cancelled_by: Mapped[str | None] = mapped_column(String(16))
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    # The consultation log (`agenda.service.outcomes`): fulfilled/noshow is in `status`; what
    # followed the consultation (AfterCare), and who recorded the outcome last, when.
    after_care: Mapped[str | None] = mapped_column(String(16))
    outcome_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AvailabilityTemplate(Base):
    """Weekly recurring availability (RRULE semantics), materialised as slots over a horizon."""

    __tablename__ = "availability_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    effector_id: Mapped[int] = mapped_column(
        ForeignKey("effectors.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    # RFC 5545 BYDAY list, e.g. "TU" or "MO,TH".
    weekdays: Mapped[str] = mapped_column(String(20))
    start_time: Mapped[time] = mapped_column(Time)  # Europe/Paris wall-clock time
    end_time: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    # Further ranges the same days, "HH:MM-HH:MM,HH:MM-HH:MM" (migration 0026).
    more_ranges: Mapped[str | None] = mapped_column(String(200))
    every_weeks: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    include_public_holidays: Mapped[bool] = mapped_column(Boolean, default=False)
    kind_amb: Mapped[bool] = mapped_column(Boolean, default=True)
    kind_hh: Mapped[bool] = mapped_column(Boolean, default=False)
    kind_vr: Mapped[bool] = mapped_column(Boolean, default=False)
    vis_snp: Mapped[bool] = mapped_column(Boolean, default=True)
    vis_cpts: Mapped[bool] = mapped_column(Boolean, default=True)
    vis_pro: Mapped[bool] = mapped_column(Boolean, default=False)
    vis_public: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_with_sas: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AvailabilityOverride(Base):
    """Changed hours on one date (a « date override »): on `day` the weekly patterns open
    nothing, and these ranges (Europe/Paris wall clock, "HH:MM-HH:MM,..."; none = no hours that
    day) open slots at `site_id` instead. One per effector and date."""

    __tablename__ = "availability_overrides"
    __table_args__ = (
        # One override per effector and date; also the materialiser's read by effector and day.
        UniqueConstraint("effector_id", "day"),
        # The hourly job reads every override of the horizon, all effectors.
        Index("ix_availability_overrides_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    effector_id: Mapped[int] = mapped_column(ForeignKey("effectors.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    ranges: Mapped[str | None] = mapped_column(String(200))
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    kind_amb: Mapped[bool] = mapped_column(Boolean, default=True)
    kind_hh: Mapped[bool] = mapped_column(Boolean, default=False)
    kind_vr: Mapped[bool] = mapped_column(Boolean, default=False)
    vis_snp: Mapped[bool] = mapped_column(Boolean, default=True)
    vis_cpts: Mapped[bool] = mapped_column(Boolean, default=True)
    vis_pro: Mapped[bool] = mapped_column(Boolean, default=False)
    vis_public: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_with_sas: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Absence(Base):
    """Dates an effector is away: the free slots inside are removed, booked ones kept. With
    `start_time` and `end_time` (Europe/Paris wall clock) only those hours of each day (a
    half-day); without, the whole days."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    effector_id: Mapped[int] = mapped_column(
        ForeignKey("effectors.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)  # inclusive
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DirectoryImportJob(Base):
    """One import of the Annuaire Santé extraction: previewed, then applied, in the background.

    The uploaded file waits on disk (`file_path`) until the job is applied or discarded; the page
    polls the progress (`bytes_read` of `file_bytes`, `lines_read`).
    """

    __tablename__ = "directory_import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # previewing -> ready -> applying -> done; failed; discarded
    status: Mapped[str] = mapped_column(String(16))
    file_path: Mapped[str] = mapped_column(String(500))
    file_name: Mapped[str] = mapped_column(String(200))
    file_bytes: Mapped[int] = mapped_column(BigInteger)
    bytes_read: Mapped[int] = mapped_column(BigInteger, default=0)
    lines_read: Mapped[int] = mapped_column(Integer, default=0)
    # Comma-separated professions kept: gp, nurse, pharmacist.
    professions: Mapped[str] = mapped_column(String(100))
    preview: Mapped[dict[str, object] | None] = mapped_column(JSON)
    report: Mapped[dict[str, object] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(String(1000))
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CaldavLink(Base):
    """The CalDAV calendar an effector keeps (one per effector): its busy times are read and
    free SNP slots over them withdrawn; optionally the booked SNP appointments are written to it.
    The app password is stored encrypted (Fernet, key `SNP_CALDAV_KEY`), never returned."""

    __tablename__ = "caldav_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    effector_id: Mapped[int] = mapped_column(
        ForeignKey("effectors.id", ondelete="CASCADE"), unique=True
    )
    url: Mapped[str] = mapped_column(String(1000))
    username: Mapped[str] = mapped_column(String(200))
    password_encrypted: Mapped[str] = mapped_column(String(2000))
    write_bookings: Mapped[bool] = mapped_column(Boolean, default=False)
    last_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaldavBusy(Base):
    """A busy time read from an effector's CalDAV calendar at the last synchronisation."""

    __tablename__ = "caldav_busy"
    __table_args__ = (Index("ix_caldav_busy_effector_id_start_at", "effector_id", "start_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    effector_id: Mapped[int] = mapped_column(ForeignKey("effectors.id", ondelete="CASCADE"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
