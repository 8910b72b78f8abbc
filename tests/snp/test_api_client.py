"""The frontend's typed client is generated from the live OpenAPI schema, never stale."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from composition.openapi import schema

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def test_the_generated_typescript_types_match_the_api(tmp_path: Path) -> None:
    generator = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"
    if not generator.exists():
        pytest.fail("npm packages missing: run `make test` (it runs `npm ci` in frontend/).")
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    out = tmp_path / "schema.d.ts"
    subprocess.run(
        [str(generator), str(spec), "-o", str(out)], check=True, capture_output=True, cwd=FRONTEND
    )
    committed = (FRONTEND / "src" / "api" / "schema.d.ts").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, "stale client: run `make api-client`"
