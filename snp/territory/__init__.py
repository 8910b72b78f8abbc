"""The CPTS and its communes."""

from snp.territory.schemas import (
    CommuneOut,
    CommunesPreview,
    CptsOut,
    ImportReport,
    TerritoryOut,
)
from snp.territory.service import (
    CommuneData,
    commune_codes,
    get_cpts,
    get_territory,
    import_communes_csv,
    import_communes_file,
    list_communes,
    parse_communes_csv,
    parse_insee_code,
    parse_postal_code,
    set_cpts,
    set_territory_area,
    upsert_communes,
)

__all__ = [
    "CommuneData",
    "CommuneOut",
    "CommunesPreview",
    "CptsOut",
    "ImportReport",
    "TerritoryOut",
    "commune_codes",
    "get_cpts",
    "get_territory",
    "import_communes_csv",
    "import_communes_file",
    "list_communes",
    "parse_communes_csv",
    "parse_insee_code",
    "parse_postal_code",
    "set_cpts",
    "set_territory_area",
    "upsert_communes",
]
