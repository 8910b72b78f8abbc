from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from snp.deps import get_database, public

router = APIRouter(tags=["health"])


@router.get("/healthz", dependencies=[Depends(public)])
async def healthz(request: Request) -> JSONResponse:
    """Liveness and database status, for load balancers and docker-compose healthchecks."""
    database = get_database(request)
    try:
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        db_status = "ok"
    except Exception:  # a down database is the answer, not an error
        db_status = "unavailable"
    code = 200 if db_status == "ok" else 503
    return JSONResponse(
        {
            "status": "ok" if code == 200 else "degraded",
            "database": db_status,
            "dialect": database.dialect,
        },
        status_code=code,
    )
