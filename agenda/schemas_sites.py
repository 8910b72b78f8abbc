"""Input schemas of an effector's consultation sites, as the coordination edits them. Both
coordinates or neither: the service checks the pair (a 422 naming the missing one)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from snp.identifiers import parse_phone
from snp.territory import parse_insee_code, parse_postal_code


def _text(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise ValueError("Ce champ ne peut pas être vide.")
    return text


def _phone(value: str | None) -> str | None:
    return None if value is None or not value.strip() else parse_phone(value)


def _postal(value: str | None) -> str | None:
    return None if value is None or not value.strip() else parse_postal_code(value)


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_text)]
Address = Annotated[str, Field(max_length=200), AfterValidator(lambda v: " ".join(v.split()))]
InseeCode = Annotated[
    str,
    Field(description="Code INSEE d'une commune du territoire."),
    AfterValidator(parse_insee_code),
]
PostalCode = Annotated[
    str | None,
    Field(description="Un code postal de la commune ; par défaut, le sien."),
    AfterValidator(_postal),
]
Phone = Annotated[
    str | None, Field(description="Téléphone du lieu (fixe ou portable)."), AfterValidator(_phone)
]
Latitude = Annotated[float | None, Field(ge=-90, le=90)]
Longitude = Annotated[float | None, Field(ge=-180, le=180)]


class SiteIn(BaseModel):
    """A new consultation site. The commune is one of the territory's (INSEE code); without
    coordinates the site stands at its commune's centre, « position approximative »."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    address_line: Address = ""
    insee_code: InseeCode
    postal_code: PostalCode = None
    latitude: Latitude = None
    longitude: Longitude = None
    phone: Phone = None


class SitePatch(BaseModel):
    """Only the fields sent change. `latitude` and `longitude` go together; both `null` put
    the site back at its commune's centre (approximate). `phone: null` clears the phone."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    address_line: Address | None = None
    insee_code: InseeCode | None = None
    postal_code: PostalCode = None
    latitude: Latitude = None
    longitude: Longitude = None
    phone: Phone = None
