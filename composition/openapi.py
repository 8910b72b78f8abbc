"""Dump the OpenAPI schema the UI client is made from: `python -m composition.openapi FILE`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from composition.app import create_app
from snp.settings import Settings


def schema() -> dict[str, Any]:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"), start_scheduler=False)
    return app.openapi()


def main() -> None:
    text = json.dumps(schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
