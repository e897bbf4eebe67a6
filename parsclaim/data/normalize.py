"""Persian character normalization that never loses track of the original text.

One table drives both implementations: `normalize` (pure Python, with a map
from each normalized character back to its source index) and
`tokenizer_normalizer` (the same rules as a `tokenizers` normalizer, which
keeps offset alignment, so a fast tokenizer's `offset_mapping` points into the
caller's raw text and a plain `pipeline()` user gets the same normalization).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from tokenizers import Regex, normalizers

_DIGITS = "0-9۰-۹٠-٩"
# Some scraped sources break the line after every ".", decimal points included: IR-News writes all
# its 2,030 decimals "۱۴.\n۴ تریلیون ین". Such a "\n" (after "<digit>.", before digits that do not end
# in "." or ")" as a numbered list's do: "1376.\n10. جوادی") is part of the number, not a break.
SPLIT_DECIMAL = rf"(?<=[{_DIGITS}][.٫])\n(?=[{_DIGITS}]+(?![{_DIGITS}.٫)]))"
# What str.splitlines splits at, but a split decimal. No entity or claim runs on across a line break
# (none of the gold corpus's does), and paragraphs begin after one: "\r\n", a lone "\r" or U+2029 as well as "\n".
LINE_BREAK = re.compile(rf"(?!{SPLIT_DECIMAL})[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@lru_cache(maxsize=4)  # asked for every mention of one article
def line_breaks(text: str) -> list[int]:
    """Where the text's line breaks are, in order."""
    return [m.start() for m in LINE_BREAK.finditer(text)]


def line_start(text: str, pos: int) -> int:
    """Where the line holding `pos` begins."""
    breaks = line_breaks(text)
    before = bisect_left(breaks, pos)
    return breaks[before - 1] + 1 if before else 0

# Characters replaced one-for-one.
_ONE_TO_ONE: dict[str, str] = {
    "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
    "\u0649": "\u06cc",  # alef maksura -> Persian yeh
    "\u0643": "\u06a9",  # Arabic kaf -> keheh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
}
for _digit in range(10):
    _ONE_TO_ONE[chr(0x06F0 + _digit)] = str(_digit)  # Persian digits
    _ONE_TO_ONE[chr(0x0660 + _digit)] = str(_digit)  # Arabic-Indic digits

# Space-like characters: one ASCII space each, so words stay apart.
SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Dropped: ZWNJ (scraped text has none, so clean text must match it), other
# zero-width and bidi controls, keshide, Arabic diacritics.
DROPPED = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
    "\u0640"
    + "".join(chr(c) for c in range(0x064B, 0x0656))
    + "\u0670"
)

_TABLE: dict[int, str] = {ord(k): v for k, v in _ONE_TO_ONE.items()}
_TABLE.update({ord(c): " " for c in SPACES})
_TABLE.update({ord(c): "" for c in DROPPED})


@dataclass(frozen=True)
class NormalizedText:
    """Normalized text plus, for each of its characters, the index it came from."""

    text: str
    source_index: tuple[int, ...]
    original: str

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span [start, end) of the normalized text to the original text."""
        if start >= end:
            raise ValueError(f"empty span [{start}, {end})")
        return self.source_index[start], self.source_index[end - 1] + 1


def normalize(text: str, lowercase: bool = True) -> NormalizedText:
    out: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        replacement = _TABLE.get(ord(char), char)
        if lowercase:
            replacement = replacement.lower()
        for piece in replacement:
            out.append(piece)
            index.append(position)
    return NormalizedText("".join(out), tuple(index), text)


def _char_class(chars: str) -> str:
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in chars) + "]"


def tokenizer_normalizer(lowercase: bool = True) -> normalizers.Normalizer:
    """The same rules as `normalize`, as an offset-preserving `tokenizers` normalizer."""
    by_target: dict[str, str] = {}
    for source, target in _ONE_TO_ONE.items():
        by_target[target] = by_target.get(target, "") + source
    steps: list[normalizers.Normalizer] = [
        normalizers.Replace(Regex(_char_class(sources)), target) for target, sources in by_target.items()
    ]
    steps.append(normalizers.Replace(Regex(_char_class(SPACES)), " "))
    steps.append(normalizers.Replace(Regex(_char_class(DROPPED)), ""))
    if lowercase:
        steps.append(normalizers.Lowercase())
    return normalizers.Sequence(steps)
