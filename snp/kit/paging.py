"""Pages of a list: the `limit`/`offset` query parameters and the `Page[T]` answer."""

# No `from __future__ import annotations`: FastAPI reads the dependency's annotations, which
# name `maximum` and `max_offset` from the enclosing call.

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar, TypeVarTuple

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True, slots=True)
class PageParams:
    """Which slice of a list: `limit` rows from `offset`."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def apply(self, query: Select[*Ts]) -> Select[*Ts]:
        return query.limit(self.limit).offset(self.offset)


def page_params(
    default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT, max_offset: int | None = None
) -> Callable[..., PageParams]:
    """A route dependency reading `limit` (1..maximum) and `offset` (0..max_offset) from the
    query."""

    def dependency(
        limit: Annotated[int, Query(ge=1, le=maximum)] = default,
        offset: Annotated[int, Query(ge=0, le=max_offset)] = 0,
    ) -> PageParams:
        return PageParams(limit, offset)

    return dependency


PageDep = Annotated[PageParams, Depends(page_params())]


class Page(BaseModel, Generic[T]):
    """One page of a list and the number of items in the whole list. Name a subclass per list
    (`class EffectorPage(Page[EffectorOut])`) so the API schema keeps a readable name."""

    items: list[T]
    total: int


async def count_rows(session: AsyncSession, query: Select[*tuple[Any, ...]]) -> int:
    """The number of rows `query` returns (its ordering and paging ignored)."""
    counted = query.order_by(None).limit(None).offset(None).subquery()
    return int(await session.scalar(select(func.count()).select_from(counted)) or 0)
