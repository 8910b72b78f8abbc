"""All-or-nothing CSV imports, streamed: rows are read one at a time from a text stream, every
error is counted, and the write is kept only when there is none.

Errors read `line N, column C: reason` (line 1 is the header), the format coordinators see in the
CLI and in the UI. A file may hold hundreds of thousands of bad rows: an `ErrorTally` keeps the
first `SHOWN_ERRORS` in full and a count per kind of error, so memory and output stay bounded.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar

from snp.errors import BusinessRuleError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CsvError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


SHOWN_ERRORS = 20


def error_kind(error: CsvError) -> str:
    """The kind an error is counted under: its column and reason, numbers left out."""
    return f"{error.column} : {re.sub(r'[0-9]+', 'N', error.reason)}"


class ErrorTally:
    """The errors of a streamed import: the first `shown` in full, and a count per kind."""

    def __init__(self, shown: int = SHOWN_ERRORS) -> None:
        self.shown = shown
        self.first: list[CsvError] = []
        self.kinds: Counter[str] = Counter()
        self.count = 0

    def add(self, error: CsvError) -> None:
        self.count += 1
        self.kinds[error_kind(error)] += 1
        if len(self.first) < self.shown:
            self.first.append(error)

    def extend(self, errors: Sequence[CsvError]) -> None:
        for error in errors:
            self.add(error)

    def __bool__(self) -> bool:
        return self.count > 0


class CsvImportError(Exception):
    """A file with errors: the first ones in full (`errors`), how many in all and of each kind."""

    def __init__(self, errors: list[CsvError], tally: ErrorTally | None = None) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors
        self.count = tally.count if tally is not None else len(errors)
        self.kinds: dict[str, int] = dict(tally.kinds) if tally is not None else {}

    @classmethod
    def of(cls, tally: ErrorTally) -> CsvImportError:
        return cls(tally.first, tally)


def error_lines(
    errors: Sequence[CsvError], count: int | None = None, kinds: dict[str, int] | None = None
) -> list[str]:
    """What a CLI prints of an import's errors, bounded whatever the file: the first
    `SHOWN_ERRORS` in full, then, when there are more, how many of each kind."""
    total = len(errors) if count is None else count
    lines = [str(e) for e in errors[:SHOWN_ERRORS]]
    if total > len(lines):
        lines.append(
            f"… {total} erreur(s) en tout, dont {total - len(lines)} non affichée(s). Par type :"
        )
        for kind, n in sorted((kinds or {}).items(), key=lambda item: (-item[1], item[0]))[
            :SHOWN_ERRORS
        ]:
            lines.append(f"  {n} × {kind}")
    return lines


def summary_lines(exc: CsvImportError) -> list[str]:
    return error_lines(exc.errors, exc.count, exc.kinds)


class CsvRejected(BusinessRuleError):
    """422 of a rejected file: its first errors as `{"loc": ["file", line, column], ...}`, then,
    when there are more, one entry per kind of error with its count."""

    def __init__(self, exc: CsvImportError, what: str) -> None:
        super().__init__(f"{exc.count} erreur(s) : {what}.", loc=["file"])
        self.errors = exc.errors
        self.count = exc.count
        self.kinds = exc.kinds

    def as_detail(self) -> list[dict[str, Any]]:
        detail: list[dict[str, Any]] = [
            {"loc": ["file", e.line, e.column], "msg": str(e), "type": "csv"} for e in self.errors
        ]
        if self.count > len(self.errors):
            detail += [
                {"loc": ["file"], "msg": f"{n} × {kind}", "type": "csv_summary"}
                for kind, n in sorted(self.kinds.items(), key=lambda item: -item[1])
            ]
        return detail


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
        raise CsvUnreadable(_NUL)
    return text


_NUL = "Fichier illisible : il contient des caractères nuls (pas un CSV)."
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)


def sniff_encoding(raw: BinaryIO, chunk_bytes: int = 1 << 20) -> str:
    """The encoding `decode` would choose for a binary file, read by chunks from where it is
    (constant memory): "utf-8-sig", else "cp1252"; `CsvUnreadable` for a NUL byte or a byte
    neither knows. The file is read to its end: seek back before reading it as text."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    offset = 0
    while chunk := raw.read(chunk_bytes):
        if b"\x00" in chunk:
            raise CsvUnreadable(_NUL)
        if is_utf8:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                is_utf8 = False
        if not is_utf8:
            for byte in _CP1252_UNDEFINED:
                at = chunk.find(bytes([byte]))
                if at >= 0:
                    position = offset + at + 1
                    raise CsvUnreadable(
                        f"Fichier illisible : octet 0x{byte:02X} en position {position}, "
                        "ni UTF-8 ni Windows-1252. Enregistrez-le en « CSV UTF-8 »."
                    )
        offset += len(chunk)
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    return "utf-8-sig" if is_utf8 else "cp1252"


def open_text(path: Path) -> TextIO:
    """A file opened as a text stream in the encoding it is written in (see `sniff_encoding`)."""
    with path.open("rb") as raw:
        encoding = sniff_encoding(raw)
    return path.open(encoding=encoding, newline="")


def text_stream(raw: BinaryIO) -> io.TextIOWrapper:
    """A seekable binary file (an upload) read as text in the encoding it is written in."""
    start = raw.tell()
    encoding = sniff_encoding(raw)
    raw.seek(start)
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


def normalise_header(name: str) -> str:
    """A column name compared without case, accents or punctuation: `Code_commune_INSEE` and
    `code commune insee` are `code_commune_insee`."""
    text = unicodedata.normalize("NFKD", name.strip().lstrip("\ufeff"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def guess_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "|", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


class CsvStream:
    """A CSV read row by row from a text stream: the header first, then `rows()`."""

    def __init__(self, stream: TextIO | Iterable[str], delimiter: str | None = None) -> None:
        lines: Iterable[str] = stream
        if delimiter is None:
            iterator = iter(stream)
            first = next(iterator, "")
            delimiter = guess_delimiter(first)
            lines = chain([first], iterator)
        self.reader = csv.reader(lines, delimiter=delimiter)
        self.header: list[str] = []
        self.header_error: CsvError | None = None
        try:
            self.header = [h.strip().lstrip("\ufeff") for h in next(self.reader, [])]
        except csv.Error:
            self.header_error = CsvError(1, "*", "en-tête illisible (guillemets ou fins de ligne)")

    def rows(self, width: int | None = None) -> Iterator[CsvRow | CsvError]:
        """Each non-empty row keyed by the header, or the error that stops it; `width` is the
        number of cells expected (the header's by default)."""
        header = self.header
        expected = len(header) if width is None else width
        reader = self.reader
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:  # a stray quote or line break: say where, then stop reading
                yield CsvError(
                    reader.line_num, "*", "ligne illisible (guillemets ou fins de ligne)"
                )
                return
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != expected:
                yield CsvError(
                    reader.line_num, "*", f"{len(cells)} valeurs pour {expected} colonnes"
                )
                continue
            yield CsvRow(
                reader.line_num, {h: c.strip() for h, c in zip(header, cells, strict=False)}
            )


def header_errors(header: Sequence[str], columns: Sequence[str]) -> list[CsvError]:
    errors = [
        CsvError(1, name, "colonne manquante dans l'en-tête")
        for name in columns
        if name not in header
    ]
    return errors + [
        CsvError(1, name, "colonne inconnue") for name in header if name and name not in columns
    ]


def stream_rows(stream: TextIO, columns: Sequence[str], tally: ErrorTally) -> Iterator[CsvRow]:
    """The rows of a CSV with exactly `columns` (`;` accepted as separator, as French Excel
    writes it); every problem goes to `tally`."""
    lines = iter(stream)
    first = next(lines, "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    csv_stream = CsvStream(chain([first], lines), delimiter)
    if csv_stream.header_error is not None:
        tally.add(csv_stream.header_error)
        return
    problems = header_errors(csv_stream.header, columns)
    if problems:
        tally.extend(problems)
        return
    seen = False
    for item in csv_stream.rows():
        if isinstance(item, CsvError):
            tally.add(item)
        else:
            seen = True
            yield item
    if not seen and not tally:
        tally.add(CsvError(2, "*", "le fichier ne contient aucune ligne de données"))


def read_rows(text: str, columns: Sequence[str]) -> tuple[list[CsvRow], list[CsvError]]:
    """Every row of a small file held in memory (see `stream_rows` for large ones)."""
    tally = ErrorTally(shown=1_000_000)
    rows = list(stream_rows(io.StringIO(text, newline=""), columns, tally))
    return rows, tally.first


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
