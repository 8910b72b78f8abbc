"""The CPTS itself and the communes of its territory."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from snp.db import Base


class Cpts(Base):
    """One row: the CPTS this instance serves."""

    __tablename__ = "cpts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    finess: Mapped[str] = mapped_column(String(9))
    phone: Mapped[str] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    # The territory it serves (set at first start; the communes are imported afterwards).
    territory_name: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(3))
    size_class: Mapped[int | None]


class Commune(Base):
    __tablename__ = "communes"

    insee_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    postal_code: Mapped[str] = mapped_column(String(5), index=True)
    # Every postal code of the commune, space-separated (the official files list several).
    postal_codes: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
