"""The composition root: the only package that imports every other to assemble the platform.

`app` builds the FastAPI application, `cli` the `snp` command, `demo` the demo territory, and
`migrations` holds the one Alembic history of every package's tables.
"""
