"""The kernel's toolkit, one way to do each small thing every package needs: pages of a list
(`Page[T]`, the `limit`/`offset` parameters), the distance between two points, the Paris zone."""

from snp.kit.geo import EARTH_RADIUS_KM, distance_km
from snp.kit.paging import Page, PageDep, PageParams, count_rows, page_params
from snp.kit.zones import PARIS

__all__ = [
    "EARTH_RADIUS_KM",
    "PARIS",
    "Page",
    "PageDep",
    "PageParams",
    "count_rows",
    "distance_km",
    "page_params",
]
