"""All-or-nothing CSV imports: read every row, collect every error, write only when none.

Errors read `line N, column C: reason` (line 1 is the header), the format coordinators see in the
CLI and in the UI, so one fix-and-retry cycle is enough.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from snp.errors import BusinessRuleError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CsvError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


class CsvImportError(Exception):
    def __init__(self, errors: list[CsvError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


PRINTED_ERRORS = 50


def error_lines(errors: Sequence[CsvError], limit: int = PRINTED_ERRORS) -> list[str]:
    """What a CLI prints of an import's errors: the first `limit`, then how many more."""
    lines = [str(e) for e in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"… et {len(errors) - limit} autre(s) erreur(s) non affichée(s).")
    return lines


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int
    values: dict[str, str]


class CsvUnreadable(BusinessRuleError):
    """A file that is not text in a known encoding: 422 on `file`, said in French."""

    def __init__(self, msg: str) -> None:
        super().__init__(msg, loc=["file"])


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM, as spreadsheets write it), else Windows-1252; anything else
    (a byte Windows-1252 leaves undefined, such as 0x81, or a NUL byte) is refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise CsvUnreadable(
                f"Fichier illisible : octet 0x{data[exc.start]:02X} en position {exc.start + 1}, "
                "ni UTF-8 ni Windows-1252. Enregistrez-le en « CSV UTF-8 »."
            ) from None
    if "\x00" in text:
        raise CsvUnreadable("Fichier illisible : il contient des caractères nuls (pas un CSV).")
    return text


def read_rows(text: str, columns: Sequence[str]) -> tuple[list[CsvRow], list[CsvError]]:
    """Rows keyed by the expected columns; `;` is accepted as separator (French Excel)."""
    sample = text.split("\n", 1)[0]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error:
        return [], [CsvError(1, "*", "en-tête illisible (guillemets ou fins de ligne)")]
    errors = [
        CsvError(1, name, "colonne manquante dans l'en-tête")
        for name in columns
        if name not in header
    ]
    errors += [
        CsvError(1, name, "colonne inconnue") for name in header if name and name not in columns
    ]
    if errors:
        return [], errors
    rows: list[CsvRow] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:  # a stray quote or line break: say where, then stop reading
            errors.append(
                CsvError(reader.line_num, "*", "ligne illisible (guillemets ou fins de ligne)")
            )
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            errors.append(CsvError(line, "*", f"{len(cells)} valeurs pour {len(header)} colonnes"))
            continue
        rows.append(CsvRow(line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    if not rows and not errors:
        errors.append(CsvError(2, "*", "le fichier ne contient aucune ligne de données"))
    return rows, errors


class RowChecker:
    """Collects errors while converting one row's cells; `check` returns None on failure."""

    def __init__(self, row: CsvRow, errors: list[CsvError]) -> None:
        self.row = row
        self.errors = errors

    def cell(self, column: str) -> str:
        return self.row.values.get(column, "")

    def required(self, column: str) -> str | None:
        value = self.cell(column)
        if not value:
            self.errors.append(CsvError(self.row.line, column, "valeur obligatoire"))
            return None
        return value

    def check(self, column: str, parse: Callable[[str], T], *, optional: bool = False) -> T | None:
        value = self.cell(column)
        if not value:
            if not optional:
                self.errors.append(CsvError(self.row.line, column, "valeur obligatoire"))
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.errors.append(CsvError(self.row.line, column, str(exc)))
            return None


def iter_checked(rows: list[CsvRow], errors: list[CsvError]) -> Iterator[RowChecker]:
    for row in rows:
        yield RowChecker(row, errors)


def parse_float_in(low: float, high: float, what: str) -> Callable[[str], float]:
    def parse(value: str) -> float:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise ValueError(f"{what} : nombre attendu") from None
        if not low <= number <= high:
            raise ValueError(f"{what} hors limites ({low} à {high})")
        return number

    return parse
