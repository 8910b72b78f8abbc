"""Effectors (volunteer professionals) and their consultation sites. Private to `agenda`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    sites: Mapped[list[Site]] = relationship(
        back_populates="effector", order_by="Site.id", cascade="all, delete-orphan"
    )


class Site(Base):
    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("effector_id", "name"),)

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

    effector: Mapped[Effector] = relationship(back_populates="sites")
