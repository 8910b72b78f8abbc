"""How long an SMS really is: GSM 03.38 (7-bit) versus UCS-2, and the segments it costs.

A message made only of characters of the GSM 03.38 default alphabet travels in 7-bit septets:
160 per single SMS, 153 per segment once concatenated (the user data header takes 7). The ten
characters of the extension table (`€`, `[`, `]`, `{`, `}`, `\\`, `^`, `~`, `|`, form feed)
cost two septets (escape + character) and an escape pair is never split across segments.
One character outside both tables (`ê`, `ç`, `ô`, `œ`, an emoji...) switches the whole message
to UCS-2: 70 UTF-16 code units per single SMS, 67 per segment, surrogate pairs kept together.

French accents are treacherous: `é è ù à ì ò É Ç` are in the default alphabet, but `ê â ô î û ë
ï ç œ` are not. `to_gsm7` folds text (names, addresses) onto the default alphabet so that one
"François" does not halve the room a message has.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

# GSM 03.38 default alphabet, in table order (0x1B, the escape to the extension table, left out).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each costs the escape septet plus its own.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_SEGMENT = 160, 153
UCS2_SINGLE, UCS2_SEGMENT = 70, 67

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True, slots=True)
class SmsLength:
    encoding: Encoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def _pack(costs: list[int], per_segment: int) -> int:
    """Segments needed when units of `costs` may not be split across a segment boundary."""
    segments, used = 1, 0
    for cost in costs:
        if used + cost > per_segment:
            segments += 1
            used = 0
        used += cost
    return segments


def measure(text: str) -> SmsLength:
    """Encoding, length in units and number of SMS segments of `text`."""
    if is_gsm7(text):
        costs = [2 if c in GSM7_EXTENSION else 1 for c in text]
        single, segment = GSM7_SINGLE, GSM7_SEGMENT
        encoding: Encoding = "GSM-7"
    else:
        costs = [2 if ord(c) > 0xFFFF else 1 for c in text]
        single, segment = UCS2_SINGLE, UCS2_SEGMENT
        encoding = "UCS-2"
    units = sum(costs)
    if units == 0:
        return SmsLength(encoding, 0, 1)
    segments = 1 if units <= single else _pack(costs, segment)
    return SmsLength(encoding, units, segments)


# Letters and signs that have a close GSM 03.38 default-alphabet equivalent.
_FOLD = {
    "œ": "oe",
    "Œ": "OE",
    "’": "'",
    "‘": "'",
    "´": "'",
    "`": "'",
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "–": "-",
    "—": "-",
    "‐": "-",
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\t": " ",
    # The extension table costs double and some handsets render it badly: avoid it in values.
    "€": "EUR",
    "[": "(",
    "]": ")",
    "{": "(",
    "}": ")",
    "\\": "/",
    "|": "/",
    "~": "-",
    "^": "'",
    "\f": " ",
}


def to_gsm7(text: str) -> str:
    """`text` with every character in the GSM 03.38 default alphabet (accents dropped when the
    accented letter is not in it: `ê` -> `e`, `ç` -> `c`, `œ` -> `oe`; unknown signs -> `?`)."""
    out: list[str] = []
    for char in text:
        if char in GSM7_BASIC:
            out.append(char)
        elif char in _FOLD:
            out.append(_FOLD[char])
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(base if base and all(c in GSM7_BASIC for c in base) else "?")
    return "".join(out)
