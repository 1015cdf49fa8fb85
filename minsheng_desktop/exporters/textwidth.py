"""How wide a text is, in full-width characters: the measure the table layouts and the letter's title use."""

from __future__ import annotations

import re
import unicodedata


def text_width(text: str) -> float:
    """Width in full-width characters: CJK counts 1, Latin and digits 0.5."""
    if text.isascii():
        return len(text) * 0.5
    kinds = list(map(unicodedata.east_asian_width, text))
    return (len(kinds) + kinds.count("W") + kinds.count("F")) * 0.5


# Advance widths of the printable ASCII characters in em: the wider of Times New Roman (the Latin font the
# documents name) and DejaVu Serif (what LibreOffice puts in its place on a Linux without it), so that a layout
# planned with them fits on either.
_ASCII_EM = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (0.32, 0.4, 0.46, 0.84, 0.64, 0.95, 0.89, 0.27, 0.39, 0.39, 0.5, 0.84, 0.32, 0.34, 0.32, 0.34,
     *(0.64,) * 10, 0.34, 0.34, 0.84, 0.84, 0.84, 0.54, 1.0,
     0.72, 0.73, 0.77, 0.8, 0.73, 0.69, 0.8, 0.87, 0.4, 0.4, 0.75, 0.66, 1.02, 0.88, 0.82, 0.67, 0.82, 0.75, 0.69,
     0.67, 0.84, 0.72, 1.03, 0.71, 0.66, 0.69, 0.39, 0.34, 0.39, 0.84, 0.5, 0.5,
     0.6, 0.64, 0.56, 0.64, 0.59, 0.37, 0.64, 0.64, 0.32, 0.31, 0.61, 0.32, 0.95, 0.64, 0.6, 0.64, 0.64, 0.48,
     0.51, 0.4, 0.64, 0.56, 0.86, 0.56, 0.56, 0.53, 0.64, 0.34, 0.64, 0.84)))


AUTOSPACE = 0.2  # LibreOffice puts this much (in em) between Chinese and Latin letters or digits, asked or not


_LATIN_RUN = re.compile(r"[0-9A-Za-z]+")
_EM_BY_BYTE = [_ASCII_EM.get(chr(b), 0.64) for b in range(128)]


def layout_width(text: str) -> float:
    """Width in full-width characters as a table cell lays it out: CJK 1, Latin by its advance width, and the
    space LibreOffice adds where Chinese meets Latin letters or digits (taken at both ends of every run of
    them: at most a fifth of a character too much). Quick: this measures every cell of a 1,000-row export."""
    latin = text.encode("ascii", "ignore")
    if not latin:
        return float(len(text))
    width = sum(map(_EM_BY_BYTE.__getitem__, latin))
    if len(latin) == len(text):
        return width
    return len(text) - len(latin) + width + 2 * AUTOSPACE * len(_LATIN_RUN.findall(text))
