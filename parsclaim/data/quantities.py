"""QUANTITY normalization: Persian number expressions to (value, unit).

Deterministic and stdlib-only. Two entry points:

* ``parse_quantity(text)``: the text of one QUANTITY span ("۱۹هزار",
  "دو میلیون و سیصد هزار تومان", "۱۰ تا ۱۵ درصد") to a :class:`Quantity`.
  It never raises; input that is no quantity gives ``ok=False`` and a reason.
* ``find_quantities(text)``: rule-based QUANTITY spans in running text, with
  offsets into the caller's original string, following SPEC §1's boundary
  conventions (counted noun and approximators outside, unit and classifier
  words inside, numbers of time expressions, ordinals, ids and "یک" as an
  article excluded). It favours precision over recall.

Arithmetic is done in :class:`fractions.Fraction`, so "۱٫۲ میلیون" is exactly
1200000 and integral values come back as ``int`` (JSON ``19000``, not
``19000.0``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from fractions import Fraction
from typing import NamedTuple, Union

from .normalize import LINE_BREAK, SPLIT_DECIMAL

Number = Union[int, float]
Value = Union[Number, tuple[Number, Number], None]

# --------------------------------------------------------------------------
# Vocabulary (all keys are in normalized form: Persian ی ک, no ZWNJ)
# --------------------------------------------------------------------------

# Units: surface phrase -> (unit, kind). The ONE table of units. A unit of
# None is a counting word (classifier), inside the span but without a unit.
UNITS: dict[str, tuple[str | None, str]] = {
    # percent
    "درصد": ("percent", "percent"),
    "در صد": ("percent", "percent"),
    "%": ("percent", "percent"),
    "واحد درصد": ("percentage_point", "percent"),
    # money
    "ریال": ("rial", "money"),
    "تومان": ("toman", "money"),
    "تومن": ("toman", "money"),
    "دلار": ("usd", "money"),
    "دلار آمریکا": ("usd", "money"),
    "دلار امریکا": ("usd", "money"),
    "یورو": ("eur", "money"),
    "پوند": ("gbp", "money"),
    "درهم": ("aed", "money"),
    "یوان": ("cny", "money"),
    "یوآن": ("cny", "money"),
    "وون": ("krw", "money"),
    "روبل": ("rub", "money"),
    "لیر": ("try", "money"),
    "روپیه": ("inr", "money"),
    "دلار کانادا": ("cad", "money"),
    "دلار استرالیا": ("aud", "money"),
    "ین": ("jpy", "money"),
    "فرانک": ("chf", "money"),
    "رینگیت": ("myr", "money"),
    "رنگیت": ("myr", "money"),  # the spelling of some outlets ("۲۰ میلیارد رنگیت", real news)
    "افغانی": ("afn", "money"),
    "دینار": ("dinar", "money"),
    "بات": ("thb", "money"),  # Thai baht (real news, sixth round)
    # counts: people and classifiers (SPEC: counting words inside, unit null)
    "نفر": ("person", "count"),
    "باب": (None, "count"),
    "دستگاه": (None, "count"),
    "فقره": (None, "count"),
    "واحد": (None, "count"),
    "مورد": (None, "count"),
    "عدد": (None, "count"),
    "راس": (None, "count"),
    "قطعه": (None, "count"),
    "فروند": (None, "count"),
    "حلقه": (None, "count"),
    "قبضه": (None, "count"),
    "قلم": (None, "count"),
    "پرس": (None, "count"),
    "اصله": (None, "count"),  # trees
    "قلاده": (None, "count"),  # animals
    "نسخه": (None, "count"),
    "عنوان": (None, "count"),  # book titles, championships
    "جلد": (None, "count"),
    "مجلد": (None, "count"),  # volumes (of a court file: "۱۶ مجلد", real news)
    "جفت": (None, "count"),  # pairs (of gloves, shoes: real news)
    "تخته": (None, "count"),  # carpets, sheets
    "دانه": (None, "count"),
    "رشته": (None, "count"),
    "نخ": (None, "count"),
    "بسته": (None, "count"),
    "نفره": ("person", "count"),
    # multiplier
    "برابر": ("times", "multiplier"),
    # measures
    "تن": ("ton", "measure"),
    "کیلوگرم": ("kg", "measure"),
    "کیلو گرم": ("kg", "measure"),  # "4هزار و 112كيلو گرم" (real news)
    "کیلو": ("kg", "measure"),
    "گرم": ("g", "measure"),
    "میلیگرم": ("mg", "measure"),
    "میلی گرم": ("mg", "measure"),
    "هکتار": ("hectare", "measure"),
    "کیلومتر": ("km", "measure"),
    "کیلومتر مربع": ("km2", "measure"),
    "متر": ("m", "measure"),
    "سانتیمتر": ("cm", "measure"),
    "سانتی متر": ("cm", "measure"),
    "میلیمتر": ("mm", "measure"),
    "میلی متر": ("mm", "measure"),
    "متر مربع": ("m2", "measure"),
    "مترمربع": ("m2", "measure"),
    "متر مکعب": ("m3", "measure"),
    "مترمکعب": ("m3", "measure"),
    "فوت مکعب": ("ft3", "measure"),
    "لیتر": ("liter", "measure"),
    "میلی لیتر": ("ml", "measure"),
    "میلیلیتر": ("ml", "measure"),
    "بشکه": ("barrel", "measure"),
    "گالن": ("gallon", "measure"),
    "وات": ("w", "measure"),
    "کیلووات": ("kw", "measure"),
    "کیلوات": ("kw", "measure"),  # a common misspelling ("۱۵ میلیارد کیلوات ساعت")
    "مگاوات": ("mw", "measure"),
    "گیگاوات": ("gw", "measure"),
    "کیلووات ساعت": ("kwh", "measure"),
    "کیلوات ساعت": ("kwh", "measure"),
    "مگاوات ساعت": ("mwh", "measure"),
    "گیگاوات ساعت": ("gwh", "measure"),
    "درجه": ("degree", "measure"),
    "درجه سانتیگراد": ("celsius", "measure"),
    "درجه سانتی گراد": ("celsius", "measure"),
    "ریشتر": ("richter", "measure"),
    "اینچ": ("inch", "measure"),
    "اسب بخار": ("hp", "measure"),
    "گره": ("knot", "measure"),  # a ship's speed: "3/22 گره" (real news, sixth round)
}

# Whole-number words: word -> (value, place). A group (< 1000) is read from
# the highest place down: hundreds (3), tens/teens (2), units (1).
_ATOMS: dict[str, tuple[int, int]] = {"صفر": (0, 1)}
for _i, _w in enumerate("یک دو سه چهار پنج شش هفت هشت نه".split(), 1):
    _ATOMS[_w] = (_i, 1)
for _i, _w in enumerate("ده یازده دوازده سیزده چهارده پانزده شانزده هفده هجده نوزده".split(), 10):
    _ATOMS[_w] = (_i, 2)
for _i, _w in enumerate("بیست سی چهل پنجاه شصت هفتاد هشتاد نود".split(), 2):
    _ATOMS[_w] = (_i * 10, 2)
for _i, _w in enumerate("صد دویست سیصد چهارصد پانصد ششصد هفتصد هشتصد نهصد".split(), 1):
    _ATOMS[_w] = (_i * 100, 3)
_ATOMS.update({"یکصد": (100, 3), "پونصد": (500, 3), "شیش": (6, 1), "هیجده": (18, 2),
               "هیفده": (17, 2), "پونزده": (15, 2), "شونزده": (16, 2)})

# Scales. "تریلیون" is 10^12 in Iranian news ("۱۰ تریلیون ریال" = ده هزار
# میلیارد ریال); بیلیون/بیلیارد are the long-scale words num2fawords writes.
_SCALES: dict[str, int] = {
    "هزار": 10**3, "میلیون": 10**6, "ملیون": 10**6, "میلیارد": 10**9,
    "ملیارد": 10**9, "بیلیون": 10**12, "تریلیون": 10**12, "بیلیارد": 10**15,
}
# adjectival forms: "حقوق ۱۶ میلیونی", "پروژه ۲ میلیاردی"
_SCALES.update({w + "ی": v for w, v in list(_SCALES.items()) if w != "هزار"})

# Fraction denominators ("دو سوم" = 2/3). Alone they are ordinals.
_DENOMS: dict[str, int] = {
    "دوم": 2, "سوم": 3, "چهارم": 4, "پنجم": 5, "ششم": 6, "هفتم": 7, "هشتم": 8,
    "نهم": 9, "دهم": 10, "صدم": 100, "هزارم": 1000, "ربع": 4,
}
_HALF = "نیم"
_AND = "و"
_NEG = "منفی"
_RANGE_WORDS = frozenset({"تا", "الی", "الا"})
# "-" is a hyphen, a range dash or, glued to the digits after it, a minus sign ("-۲٫۵ درصد"); "−"
# (U+2212) and "–" normalize to it. The em dash and U+2010 normalize to "—": a range or a
# parenthesis ("—۸۰ میلیون نفر—"), never a sign.
_DASHES = frozenset({"-", "—"})
_MINUS = "-"

# Leading approximators that parse_quantity tolerates (SPEC keeps them
# outside the span, but a model may predict them inside).
_APPROX = ("حدود", "حدودا", "بیش از", "بیشتر از", "کمتر از", "کم تر از", "حداکثر",
           "حداقل", "بین", "زیر", "نزدیک به", "قریب به", "بالغ بر", "افزون بر",
           "بالای", "دست کم", "تقریبا", "فقط", "تنها", "بیش", "نزدیک")

_ORDINAL_WORDS = frozenset({"اول", "اولین", "نخست", "نخستین", "یکم", "یکمین"})

# Unit phrases as token tuples (matched longest first); adjectival "-ی" forms
# ("درصدی", "تومانی") are accepted on the last word, after "و" as "-یی", after a silent h as "-ای"
# ("یک میلیون بشکه‌ای": one token without the ZWNJ, two with it).
_UNIT_PHRASES: dict[tuple[str, ...], tuple[str | None, str]] = {}
for _k, _v in UNITS.items():
    _parts = tuple(_k.split(" "))
    _UNIT_PHRASES[_parts] = _v
    if _k != "%" and not _parts[-1].endswith("ی"):
        _UNIT_PHRASES.setdefault(_parts[:-1] + (_parts[-1] + "ی",), _v)
        if _parts[-1].endswith("و"):  # after a vowel as "-یی": "۱.۴ میلیارد یورویی"
            _UNIT_PHRASES.setdefault(_parts[:-1] + (_parts[-1] + "یی",), _v)
        if _parts[-1].endswith("ه"):
            _UNIT_PHRASES.setdefault(_parts[:-1] + (_parts[-1] + "ای",), _v)
            _UNIT_PHRASES.setdefault(_parts + ("ای",), _v)
_MAX_UNIT_LEN = max(len(p) for p in _UNIT_PHRASES)
_UNIT_FIRST = frozenset(p[0] for p in _UNIT_PHRASES)

# Words that may be glued together without space ("سیصدهزار", "دوبرابر").
_GLUE_VOCAB = frozenset(_ATOMS) | frozenset(_SCALES) | frozenset(_DENOMS) | {_HALF} | {
    p[0] for p in _UNIT_PHRASES if len(p) == 1}
_NUMERIC_WORDS = frozenset(_ATOMS) | frozenset(_SCALES) | {_HALF}
# Cheap pre-check so that only words starting like a number are segmented.
_NUMERIC_PREFIX_RE = re.compile("|".join(sorted(_NUMERIC_WORDS, key=len, reverse=True)))

# --------------------------------------------------------------------------
# Character normalization (1:1 where possible, so offsets map back)
# --------------------------------------------------------------------------

_CHAR_MAP = {ord(a): b for a, b in zip("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩０１２３４５６７８９", "012345678901234567890123456789")}  # fullwidth too
_CHAR_MAP.update({ord(a): b for a, b in {
    "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "أ": "ا", "إ": "ا",
    "ٱ": "ا", "٪": "%", "﹪": "%", "％": "%", "–": "-", "‐": "—", "−": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2002": " ", "\u2003": " ",
    "\u200d": "\u200c",
}.items()})
# Marks that carry no meaning here: diacritics, tatweel, bidi controls, BOM.
_DROP_RE = re.compile("[\u064b-\u065f\u0670\u0640\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")


def _normalize(text: str) -> tuple[str, list[int] | None]:
    """Normalized text and, if characters were dropped, a map to original indices."""
    norm = text.translate(_CHAR_MAP)
    if not _DROP_RE.search(norm):
        return norm, None
    keep = [i for i, c in enumerate(norm) if not _DROP_RE.match(c)]
    return "".join(norm[i] for i in keep), keep


# --------------------------------------------------------------------------
# Tokenization
# --------------------------------------------------------------------------

# A number may hold a line break after its decimal point (`SPLIT_DECIMAL`): "۱۴.\n۴" is 14.4.
_TOKEN_RE = re.compile(rf"(?P<num>[0-9]+(?:(?:[.,٫٬/]|[.٫]{SPLIT_DECIMAL})[0-9]+)*)|(?P<word>[^\W\d_]+)|(?P<sym>[^\s\w\u200c])")
_LATIN_RE = re.compile(r"[A-Za-z]")


class _Tok(NamedTuple):
    kind: str  # "num", "word", "latin", "sym"
    text: str
    start: int  # offsets into the normalized text
    end: int
    gap: str  # what separates it from the previous token ("" = glued)


def _segment(word: str) -> list[str] | None:
    """Split a glued word ("سیصدهزار") into vocabulary words, fewest parts."""
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, n + 1):
            piece = word[i:j]
            if piece in _GLUE_VOCAB:
                cand = best[i] + [piece]
                if best[j] is None or len(cand) < len(best[j]):
                    best[j] = cand
    parts = best[n]
    # glued number words need a scale, unit or fraction ("سیصدهزار"), so that
    # "سیده" is not read as سی + ده
    if parts and len(parts) > 1 and parts[0] in _NUMERIC_WORDS \
            and any(p not in _ATOMS for p in parts):
        return parts
    return None


def _tokenize(norm: str) -> list[_Tok]:
    toks: list[_Tok] = []
    prev_end = 0
    for m in _TOKEN_RE.finditer(norm):
        kind, text, start = m.lastgroup or "sym", m.group(), m.start()
        if kind == "num":
            text = text.replace("\n", "")
        gap = norm[prev_end:start]
        prev_end = m.end()
        if kind == "word" and _LATIN_RE.search(text):
            kind = "latin"
        if kind == "word" and text[-1:] == _AND and text[:-1] in _SCALES:  # "۱۳هزارو ۴۰۰": "و" glued to the scale
            toks += [_Tok("word", text[:-1], start, m.end() - 1, gap), _Tok("word", _AND, m.end() - 1, m.end(), "")]
            continue
        if kind == "word" and text not in _GLUE_VOCAB and text not in _UNIT_FIRST \
                and _NUMERIC_PREFIX_RE.match(text):
            parts = _segment(text)
            if parts:
                pos = start
                for k, part in enumerate(parts):
                    toks.append(_Tok("word", part, pos, pos + len(part), gap if k == 0 else ""))
                    pos += len(part)
                continue
        toks.append(_Tok(kind, text, start, m.end(), gap))
    return toks


def _is_minus(toks: list[_Tok], k: int) -> bool:
    """Is toks[k] a minus sign: "-" glued to the digits after it ("-۲٫۵ درصد", "(-۳")? Not when it is
    glued to a word, number or dash before it ("A-5", "۱۰-۱۵", "۱۴۰۲-۰۵-۰۱") or follows a number on
    the same line ("۱۰ -۱۵"): those are codes, dates and ranges. A spaced dash ("- ۶۰") is a list mark."""
    if toks[k].text != _MINUS or k + 1 >= len(toks) or toks[k + 1].kind != "num" or toks[k + 1].gap:
        return False
    if k == 0:
        return True
    prev, gap = toks[k - 1], toks[k].gap
    if not gap:
        return prev.kind == "sym" and prev.text not in _DASHES
    return prev.kind != "num" or bool(LINE_BREAK.search(gap))


# --------------------------------------------------------------------------
# The result type
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A parsed QUANTITY. ``ok=False`` means "not a quantity" (see ``reason``)."""

    value: Value
    unit: str | None
    kind: str  # count, percent, money, measure, multiplier, number, none
    ok: bool = True
    reason: str | None = None

    @property
    def is_range(self) -> bool:
        return isinstance(self.value, tuple)

    def to_json(self) -> dict:
        """The ``value``/``unit`` keys of a corpus QUANTITY entity (SPEC §2)."""
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"value": value, "unit": self.unit}


def _fail(reason: str) -> Quantity:
    return Quantity(None, None, "none", ok=False, reason=reason)


class _NotNumber(Exception):
    """Internal: the tokens are no number expression (message = reason)."""


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------

_GROUPED_RE = re.compile(r"[0-9]{1,3}(?:[,٬][0-9]{3})+")


def _digits_value(s: str) -> Fraction:
    """Digit string with Persian/Latin separators to an exact value."""
    if s.count("/") > 1 or ("/" in s and re.search(r"[.,٫٬]", s)):
        raise _NotNumber("date-like digits")
    if "٫" in s or "/" in s:  # unambiguous decimal separators
        int_part, _, frac = s.replace("/", "٫").partition("٫")
        if "٫" in frac or "." in int_part:
            raise _NotNumber("malformed number")
        return _grouped(int_part) + _decimal_fraction(frac)
    if "." in s and ("," in s or "٬" in s):  # 1,234.5 style (or 1.234,5)
        dec = "." if s.rfind(".") > max(s.rfind(","), s.rfind("٬")) else ","
        int_part, _, frac = s.rpartition(dec)
        return _grouped(int_part.replace(".", ",")) + _decimal_fraction(frac)
    if "." in s:
        if s.count(".") == 1:
            int_part, _, frac = s.partition(".")
            return Fraction(int(int_part)) + _decimal_fraction(frac)
        return _grouped(s.replace(".", ","))  # 1.000.000
    if "," in s or "٬" in s:
        if _GROUPED_RE.fullmatch(s):
            return _grouped(s)
        if s.count(",") == 1 and "٬" not in s:  # "۱,۵" typed for ۱٫۵
            int_part, _, frac = s.partition(",")
            return Fraction(int(int_part)) + _decimal_fraction(frac)
        raise _NotNumber("malformed digit grouping")
    return Fraction(int(s))


def _grouped(s: str) -> Fraction:
    if "," in s or "٬" in s:
        if not _GROUPED_RE.fullmatch(s):
            raise _NotNumber("malformed digit grouping")
        s = s.replace(",", "").replace("٬", "")
    if not s.isdigit():
        raise _NotNumber("malformed number")
    return Fraction(int(s))


def _decimal_fraction(frac: str) -> Fraction:
    if not frac.isdigit():
        raise _NotNumber("malformed decimal")
    return Fraction(int(frac), 10 ** len(frac))


def _is_ordinal(word: str) -> bool:
    if word in _ORDINAL_WORDS or word in _DENOMS:
        return True
    for suffix in ("مین", "ین", "م"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and (stem in _ATOMS or stem in _SCALES or stem in _DENOMS):
            return True
    return False


def _number(toks: list[_Tok]) -> Fraction:
    """Value of one number expression (no unit, no range); raises _NotNumber.

    Scales are applied with a stack of (value, scale) segments: a scale pops
    and absorbs the smaller-scale segments before it, so "دو میلیون و سیصد
    هزار" = 2e6 + 3e5 while "۱۲ هزار میلیارد" = (12 * 1000) * 1e9.
    """
    if not toks:
        raise _NotNumber("no number")
    sign = 1
    if toks[0].text == _NEG or _is_minus(toks, 0):
        sign, toks = -1, toks[1:]
    decimal = _spoken_decimal(toks)
    if decimal is not None:
        return sign * decimal
    segs: list[tuple[Fraction, int]] = []
    group: Fraction | None = None
    place = 9  # lowest place used in the current group
    group_digits = False  # current group is a digit string (nothing may join it)
    closed = False  # a fraction ended the group: only a scale may follow
    done = False  # "... میلیون و نیم": nothing may follow
    extra = Fraction(0)
    last: str | None = None  # kind of the previous token
    for tok in toks:
        t = tok.text
        if done:
            raise _NotNumber(f"unexpected {t!r} after fraction")
        if tok.kind == "num":
            if group is not None or last not in (None, "and", "scale"):
                raise _NotNumber("two numbers without a scale")
            group, place, group_digits, last = _digits_value(t), 0, True, "num"
        elif t == _AND:
            if last in (None, "and"):
                raise _NotNumber("misplaced 'و'")
            last = "and"
        elif t == "صد" and group is not None and last == "word" and place == 1 \
                and not closed and 1 <= group <= 9:
            group, place, last = group * 100, 3, "word"  # "چهار صد", "یک صد"
        elif t in _ATOMS:
            value, p = _ATOMS[t]
            if group is None:
                if last not in (None, "and", "scale"):
                    raise _NotNumber("misplaced number word")
                group, place = Fraction(value), p
            elif closed or group_digits or p >= place or last not in ("and", "word"):
                raise _NotNumber(f"{t!r} cannot follow the number before it")
            else:
                group, place = group + value, p
            last = "word"
        elif t in _SCALES:
            scale = _SCALES[t]
            popped = Fraction(0)
            had_pop = False
            while segs and segs[-1][1] < scale:
                popped += segs.pop()[0]
                had_pop = True
            if segs and segs[-1][1] <= scale:
                raise _NotNumber("repeated scale")
            if group is not None:
                base = group + popped
            elif had_pop:
                base = popped  # "هزار میلیارد"
            elif last is None or (last == "and" and segs):
                base = Fraction(1)  # "هزار نفر", "یک میلیون و هزار"
            else:
                raise _NotNumber("scale without a number")
            segs.append((base * scale, scale))
            group, place, group_digits, closed, last = None, 9, False, False, "scale"
        elif t == _HALF or (t == "ربع" and last in (None, "and")):
            part = Fraction(1, 2) if t == _HALF else Fraction(1, 4)
            if last is None:
                group, closed = part, True  # "نیم میلیون"
            elif last == "and" and group is not None and not closed:
                group, closed = group + part, True  # "سه و نیم"
            elif last == "and" and group is None and segs:
                extra, done = Fraction(segs[-1][1]) * part, True  # "یک میلیون و نیم"
            else:
                raise _NotNumber("misplaced fraction")
            last = "half"
        elif t in _DENOMS:
            d = _DENOMS[t]
            if group is None or closed or last not in ("word", "num") \
                    or group.denominator != 1 or not 0 < group < d:
                raise _NotNumber("ordinal")
            group, closed, last = group / d, True, "denom"
        elif tok.kind == "word" and _is_ordinal(t):
            raise _NotNumber("ordinal")
        else:
            raise _NotNumber(f"unexpected token {t!r}")
    if last == "and":
        raise _NotNumber("dangling 'و'")
    if group is None and not segs:
        raise _NotNumber("no number")
    return sign * (sum((v for v, _ in segs), Fraction(0)) + (group or 0) + extra)


def _spoken_decimal(toks: list[_Tok]) -> Fraction | None:
    """"۹۸ و سه دهم" = 98.3: a whole number, "و", then a fraction in words."""
    if len(toks) < 4 or toks[-1].text not in _DENOMS or toks[-1].text == "ربع":
        return None
    d = _DENOMS[toks[-1].text]
    for k, tok in enumerate(toks[:-2]):
        if tok.text != _AND or k == 0:
            continue
        try:
            whole, part = _number(toks[:k]), _number(toks[k + 1: -1])
        except _NotNumber:
            continue
        if part.denominator == 1 and 0 < part < d:
            return whole + part / d
    return None


def _scale_suffix(toks: list[_Tok]) -> list[_Tok]:
    """The scale words right after the first number ("۳ هزار میلیارد" -> هزار میلیارد)."""
    i = 0
    while i < len(toks) and toks[i].text not in _SCALES:
        if toks[i].text in (_AND,):
            return []
        i += 1
    j = i
    while j < len(toks) and toks[j].text in _SCALES:
        j += 1
    return toks[i:j]


def _as_number(x: Fraction) -> Number:
    return int(x) if x.denominator == 1 else float(x)


# --------------------------------------------------------------------------
# Quantity parsing on tokens (shared by parse_quantity and find_quantities)
# --------------------------------------------------------------------------


def _match_unit_at_end(toks: list[_Tok]) -> tuple[int, tuple[str | None, str] | None]:
    """Longest unit phrase ending the token list: (its length, (unit, kind))."""
    for n in range(min(_MAX_UNIT_LEN, len(toks)), 0, -1):
        key = tuple(t.text for t in toks[-n:])
        if key in _UNIT_PHRASES:
            return n, _UNIT_PHRASES[key]
    return 0, None


def _split_range(toks: list[_Tok], range_words: frozenset[str] = _RANGE_WORDS) -> tuple[list[list[_Tok]], bool]:
    """The sides of a range, and whether a dash separated them."""
    for i, tok in enumerate(toks):
        is_sep = tok.text in range_words or (
            tok.text in _DASHES and 0 < i < len(toks) - 1
            and toks[i - 1].kind == "num" and toks[i + 1].kind == "num")
        if is_sep:
            return [toks[:i], toks[i + 1:]], tok.text in _DASHES
    return [toks], False


def _parse_tokens(toks: list[_Tok], range_words: frozenset[str] = _RANGE_WORDS) -> Quantity:
    if not toks:
        return _fail("empty")
    unit_info: tuple[str | None, str] | None = None
    if toks[0].text == "%" and len(toks) > 1:  # "%۲۰" as typed in RTL text
        toks, unit_info = toks[1:], UNITS["%"]
    n, found = _match_unit_at_end(toks)
    if found:
        if unit_info and found != unit_info:
            return _fail("two different units")
        unit_info, toks = found, toks[: len(toks) - n]
    if not toks:
        return _fail("no number")
    try:
        sides, dashed = _split_range(toks, range_words)
        if len(sides) == 2:
            left, right = sides
            # a unit may repeat on the left end: "۱۰ درصد تا ۱۵ درصد"
            ln, lfound = _match_unit_at_end(left)
            if lfound:
                if lfound != unit_info:
                    return _fail("range ends have different units")
                left = left[: len(left) - ln]
            if not any(t.text in _SCALES for t in left):
                left = left + _scale_suffix(right)  # "۲ تا ۳ میلیون"
            low, high = _number(left), _number(right)
            if dashed and low > high:  # "600-500" typed in right-to-left text
                low, high = high, low
            if not low < high:
                return _fail("range is not increasing")
            value: Value = (_as_number(low), _as_number(high))
            integral = low.denominator == 1 and high.denominator == 1
        else:
            x = _number(toks)
            value, integral = _as_number(x), x.denominator == 1
    except _NotNumber as exc:
        return _fail(str(exc))
    if unit_info is None:
        return Quantity(value, None, "count" if integral else "number")
    return Quantity(value, unit_info[0], unit_info[1])


def _strip_approximators(toks: list[_Tok]) -> list[_Tok]:
    for phrase in _APPROX:
        words = phrase.split(" ")
        if len(toks) > len(words) and [t.text for t in toks[: len(words)]] == words:
            return toks[len(words):]
    return toks


# Tokenized corpora (PEYMA) write "۳۲,۳۹۰" as "32 , 390"; inside one QUANTITY span
# that is a grouped number, not a list.
_SPACED_GROUPS_RE = re.compile(r"(?<![0-9.,٫٬])[0-9]{1,3}(?: ?[,٬] ?[0-9]{3})+(?![0-9])")
# News text writes the decimal slash with a space too ("۶۵/ ۵ میلیارد دلار" = 65.5 billion); one
# slash only, so that a date ("۱۳۹۹ / ۰۵ / ۱۲") stays what it is.
_SPACED_DECIMAL_RE = re.compile(r"(?<![0-9/])(?<!/ )[0-9]+(?: /|/ | / )[0-9]+(?![0-9])(?! ?/)")


def has_number(text: str) -> bool:
    """Does the text hold a number at all: digits, a number word, or a vague one ("صدها", "میلیون‌ها")?
    A currency or unit word alone ("دلار") is no QUANTITY (none of the gold corpus's is)."""
    return any(tok.kind == "num" or (tok.kind == "word" and _NUMERIC_PREFIX_RE.match(tok.text))
               for tok in _tokenize(_normalize(text)[0]))


def parse_quantity(text: str) -> Quantity:
    """Parse the text of a QUANTITY span. Never raises: bad input gives ok=False."""
    if not isinstance(text, str):
        return _fail("not a string")
    return _parse_text(text)


@lru_cache(maxsize=4096)  # the Extractor parses each QUANTITY span twice (fit, then value); Quantity is frozen
def _parse_text(text: str) -> Quantity:
    try:
        norm, _ = _normalize(text)
        norm = _SPACED_DECIMAL_RE.sub(lambda m: m.group().replace(" ", ""), norm)
        toks = _tokenize(_SPACED_GROUPS_RE.sub(lambda m: m.group().replace(" ", ""), norm))
        if not toks:
            return _fail("empty")
        return _parse_span(_strip_approximators(toks))
    except Exception as exc:  # defensive: a parser bug must not stop a batch job
        return _fail(f"internal error: {exc!r}")


# What parse_quantity reads in a span that a model or an annotator marked as QUANTITY, but
# find_quantities never looks for: the gold articles leave "دو بار" and "۱۲ گانه" untagged, while
# the real-news annotators tagged them and a few containers and counted things (GUIDELINES §4c:
# counting words, unit null).
_SPAN_CLASSIFIERS = frozenset("بار گانه قوطی کارتن بطری مجموعه قالب شعله شاخه بند".split())
# "X یا Y" of one magnitude is one range ("۴ یا ۵ ریشتری", "چهار یا پنج تن"; GUIDELINES §4c).
_SPAN_RANGE_WORDS = _RANGE_WORDS | {"یا"}
_ZERO = "صفر"
_BELOW, _ABOVE = "زیر", "بالای"  # "۵ درجه زیر صفر" = -5 degrees
_HALF_OF = "نیمی"  # "نیمی از ..." = half of
_TEMPERATURE_UNITS = frozenset({"degree", "celsius"})


def _parse_span(toks: list[_Tok]) -> Quantity:
    if len(toks) > 2 and toks[-1].text == _ZERO and toks[-2].text in (_BELOW, _ABOVE):
        quantity = _parse_span(toks[:-2])
        if not quantity.ok or quantity.unit not in _TEMPERATURE_UNITS or quantity.is_range:
            return _fail("'صفر' after something other than a temperature")
        if toks[-2].text == _BELOW:
            return Quantity(-quantity.value, quantity.unit, quantity.kind)
        return quantity
    if len(toks) == 1 and toks[0].text == _HALF_OF:
        return Quantity(0.5, None, "number")
    last = toks[-1]
    if last.kind == "word" and len(toks) > 1 and last.text in _SPAN_CLASSIFIERS:
        quantity = _parse_tokens(toks[:-1], _SPAN_RANGE_WORDS)
        return quantity if not quantity.ok or quantity.unit is None else _fail("a unit before a counting word")
    if last.kind == "word":  # glued: "یکبار", "دوازدهگانه"
        for word in _SPAN_CLASSIFIERS:
            stem = last.text[: -len(word)]
            if last.text.endswith(word) and (stem in _ATOMS or stem in _SCALES):
                return _parse_span(toks[:-1] + [last._replace(text=stem, end=last.start + len(stem)),
                                                 _Tok("word", word, last.start + len(stem), last.end, "")])
    return _parse_tokens(toks, _SPAN_RANGE_WORDS)


# --------------------------------------------------------------------------
# Finding quantities in running text
# --------------------------------------------------------------------------

# A number right before these is part of a time expression (DATE).
_TIME_AFTER = frozenset("""
ثانیه دقیقه ساعت روز روزه شب شبانه شبانهروز هفته ماه ماهه سال ساله سالگی سالی دهه قرن سده
هزاره صبح ظهر عصر بامداد بعدازظهر شامگاه ثانیهای دقیقهای ساعته ساعتی روزی هفتهای ماهی
فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند ژانویه فوریه مارس آوریل
مه می ژوئن ژوئیه جولای اوت اگوست سپتامبر اکتبر نوامبر دسامبر محرم صفر ربیع ربیعالاول
ربیعالثانی جمادی جمادیالاول جمادیالثانی رجب شعبان رمضان شوال ذیقعده ذیالقعده ذیحجه ذیالحجه
شمسی میلادی قمری هجری شنبه
""".split())
# ... and these are ratings or names rather than counts ("پنج ستاره").
_NOT_COUNTED = frozenset({"ستاره"})
# "یک مرد ۶۲ ساله": an age is a quantity, other "N ساله" are durations (DATE).
_AGE_NOUNS = frozenset("مرد زن کودک دختر پسر جوان نوجوان فرد سالمند پیرمرد پیرزن کودکی نوزاد".split())
# A number right after these is a year, a clock time, a label or an id.
_LABEL_BEFORE = frozenset("""
سال سالهای سالها دهه قرن سده ساعت تاریخ روز ماده بند تبصره اصل شماره صفحه کد پلاک فاز مرحله
ردیف فصل بخش جدول شکل نمودار منطقه ناحیه کوچه خیابان طبقه اتاق سوره آیه پرواز دوره نسخه
ویرایش نوبت قطعنامه بسته کلاس پایه سری نوع تلفن کدپستی جاده بزرگراه آزادراه ایستگاه سکو گیت
ترمینال هفته دور رتبه رده شبکه کانال کووید کوید پروتکل قانون برنامه اصلاحیه مصوبه بخشنامه
سامانه اورژانس خط مترو پیامک یورو درجه
""".split())
# After a month name a bare number is a (short) year: "مهر ۹۸".
_MONTHS = frozenset("""
فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند ژانویه فوریه مارس آوریل
ژوئن ژوئیه جولای اوت اگوست سپتامبر اکتبر نوامبر دسامبر
""".split())
_VAGUE_BEFORE = frozenset({"چند", "چندین", "دهها", "صدها", "هزاران", "میلیونها", "میلیاردها"})
_PLURAL_OR_ORDINAL = frozenset({"ها", "های", "هایی", "ام", "امین", "مین", "م", "ین", "ی", "ای"})
# Single number words too ambiguous to stand alone ("نه" = no, "یک" = a).
_AMBIGUOUS_WORDS = frozenset({"یک", "نه", "صفر", _HALF, "ربع"})
# Counting words that are never nouns themselves ("یک باب" counts, "یک دستگاه" need not).
_PURE_CLASSIFIERS = frozenset({"باب", "فقره", "راس", "قطعه", "فروند", "حلقه", "قبضه"})
_ID_SYMS = frozenset("/:+#@_.-—*")
_CODE_SYMS = frozenset("*#")  # USSD codes "#۱*۱۴۲۰*۴#", even with spaces
# Latin letter names: "ان بی سی" is NBC, not thirty.
_LETTER_NAMES = frozenset("ان بی ام ای دی اس تی جی پی اف اچ کیو وی ایکس".split())
_YEAR_RE = re.compile(r"13[4-9][0-9]|14[0-2][0-9]|19[5-9][0-9]|20[0-4][0-9]")
_CHAIN_WORDS = frozenset({"یا", "و", "تا", "الی", "،", ",", "-", "—"})


def _is_numeric_tok(tok: _Tok) -> bool:
    return tok.kind == "num" or tok.text in _NUMERIC_WORDS or tok.text == "ربع"


def _candidate_ends(toks: list[_Tok], i: int) -> list[int]:
    """Token indices where a quantity starting at toks[i] may end, longest first."""
    n = len(toks)
    ends: list[int] = []

    def breaks(j: int) -> bool:  # no quantity crosses a line break
        return LINE_BREAK.search(toks[j].gap)

    def number_run(j: int) -> int:
        start = j
        while j < n and not (j > start and breaks(j)):
            t = toks[j]
            after_number = j > start and (toks[j - 1].kind == "num" or toks[j - 1].text in _ATOMS)
            if _is_numeric_tok(t) or (t.text in _DENOMS and after_number):
                j += 1
                ends.append(j)
            elif t.text == _AND and j > start and j + 1 < n and _is_numeric_tok(toks[j + 1]) \
                    and not breaks(j + 1):
                j += 1
            else:
                break
        return j

    j = i
    if toks[j].text == "%":
        j += 1
    j = number_run(j)
    if j == i:
        return []
    j = _unit_run(toks, j, ends)
    is_sep = j < n and (toks[j].text in _RANGE_WORDS or (toks[j].text in _DASHES and toks[j - 1].kind == "num"))
    if is_sep and not breaks(j):
        k = j + 1
        if toks[j].text in _RANGE_WORDS and k + 1 < n and not breaks(k) and _is_minus(toks, k):
            k += 1  # a negative upper end: "-۵ تا -۳ درجه"
        if k < n and not breaks(k) and _is_numeric_tok(toks[k]):
            k = number_run(k)
            _unit_run(toks, k, ends)
    return sorted(set(ends), reverse=True)


def _unit_run(toks: list[_Tok], j: int, ends: list[int]) -> int:
    for m in range(min(_MAX_UNIT_LEN, len(toks) - j), 0, -1):
        if any(LINE_BREAK.search(toks[j + q].gap) for q in range(m)):
            continue
        if tuple(t.text for t in toks[j: j + m]) in _UNIT_PHRASES:
            ends.append(j + m)
            return j + m
    return j


class _Ctx(NamedTuple):
    """A candidate span toks[i:e] and what surrounds it, for the filters below."""

    span: list[_Tok]
    prev: _Tok | None
    nxt: _Tok | None
    prev_word: str | None  # the word before, "سال های" joined, None across a line break
    has_digits: bool
    has_scale: bool
    has_unit: bool
    strong_unit: bool  # percent, money, measure or multiplier


def _context(toks: list[_Tok], i: int, e: int, q: Quantity) -> _Ctx:
    span = toks[i:e]
    prev = toks[i - 1] if i > 0 else None
    prev_word = prev.text if prev is not None and not LINE_BREAK.search(span[0].gap) else None
    if prev_word in ("ها", "های") and i > 1:
        prev_word = toks[i - 2].text + prev_word  # "سال های ۱۳۹۰"
    return _Ctx(span, prev, toks[e] if e < len(toks) else None, prev_word,
                has_digits=any(t.kind == "num" for t in span),
                has_scale=any(t.text in _SCALES for t in span),
                has_unit=q.unit is not None or _match_unit_at_end(span)[0] > 0,
                strong_unit=q.kind in ("percent", "money", "measure", "multiplier"))


def _is_code(c: _Ctx) -> bool:
    """Ids, phone numbers, years, dates, clock times, references, tables run together."""
    span, prev, nxt = c.span, c.prev, c.nxt
    if prev is not None and not span[0].gap and (
            prev.kind in ("latin", "num") or prev.text in _ID_SYMS or (prev.kind == "word" and span[0].kind == "num")):
        return True
    if (prev is not None and prev.text in _CODE_SYMS) or (nxt is not None and nxt.text in _CODE_SYMS):
        return True
    if nxt is not None and not nxt.gap and (nxt.kind in ("latin", "num") or nxt.text in _ID_SYMS or (
            nxt.kind == "word" and nxt.text not in _UNIT_FIRST and nxt.text not in _GLUE_VOCAB)):
        return True  # "۱۰م", "116مرکزی", "۱۰:۳۰"
    if nxt is not None and nxt.gap == "\u200c" and (nxt.text in _PLURAL_OR_ORDINAL or (
            span[-1].kind == "word" and nxt.kind == "word" and nxt.text not in _GLUE_VOCAB)):
        return True  # "میلیون‌ها", "۱۰‌ام", "سه‌شنبه", "بیست‌وسومین"
    if not c.has_unit and prev is not None and prev.text == "(" and not span[0].gap \
            and nxt is not None and nxt.text == ")" and not nxt.gap:
        return True  # "(۱۱۵)"
    if not c.has_digits:
        return False
    digits = next(t.text for t in span if t.kind == "num")
    if len(digits) > 1 and digits[0] == "0" and digits[1] not in ".٫/":
        return True  # phone numbers, codes
    bare = not c.has_unit and not c.has_scale
    return bare and (re.fullmatch(r"[0-9]{8,}", digits) is not None or _YEAR_RE.fullmatch(digits) is not None
                     or (c.prev_word in _MONTHS and re.fullmatch(r"[89][0-9]|0[0-9]", digits) is not None))


def _is_date_or_label(c: _Ctx) -> bool:
    """Numbers of time expressions (DATE), labels ("ماده ۱۰") and vague amounts."""
    if not c.strong_unit and c.prev_word in _LABEL_BEFORE:
        return True
    if c.prev_word in _VAGUE_BEFORE:
        return True  # "چند هزار"
    nxt = c.nxt
    if not c.has_unit and nxt is not None and not LINE_BREAK.search(nxt.gap):
        if nxt.text in _TIME_AFTER and not (nxt.text == "ساله" and c.prev_word in _AGE_NOUNS):
            return True  # "۱۸ ماه گذشته", "۱۵ خرداد", but "مرد ۶۲ ساله"
        if nxt.text in _NOT_COUNTED:
            return True
    return False


def _is_weak_word_number(c: _Ctx, q: Quantity, explicit: bool) -> bool:
    """Number words that are an article, a homograph or not counting anything."""
    span, nxt = c.span, c.nxt
    if c.has_digits:
        return False
    if not c.has_unit and len(span) == 1 and span[0].text in _SCALES:
        return True  # a bare "میلیون"
    if c.has_scale:
        return False
    if q.value == 1 and not c.strong_unit and span[-1].text not in _PURE_CLASSIFIERS:
        return True  # "یک" as an article, also "یک نفر", but "یک باب" counts
    if c.has_unit:
        return False
    if len(span) == 1 and span[0].text in _AMBIGUOUS_WORDS and not explicit:
        return True
    if len(span) == 1 and span[0].text == "سی" and (
            c.prev_word in _LETTER_NAMES or (nxt is not None and nxt.text in _LETTER_NAMES)):
        return True  # "ان بی سی"
    return nxt is None or nxt.kind != "word" or LINE_BREAK.search(nxt.gap) or nxt.text in ("تا", "از")


def _rejected(toks: list[_Tok], i: int, e: int, q: Quantity, explicit: bool = False,
              after_rejected: bool = False) -> bool:
    """SPEC boundary conventions and precision filters for the span toks[i:e].

    ``explicit``: the original span carries a vowel mark ("نُه"), so an
    otherwise ambiguous word is surely the number. ``after_rejected``: the
    span follows "یا"/"و"/"تا" after a rejected number ("سال ۷۴ یا ۷۵").
    """
    if (i >= 2 and toks[i - 1].text == "/" and _is_numeric_tok(toks[i - 2])) or (
            e + 1 < len(toks) and toks[e].text == "/" and _is_numeric_tok(toks[e + 1])):
        return True  # a part of a date or ratio written with spaces, "۱۳۹۹ / ۰۵ / ۱۲", "۳ / ۴"
    c = _context(toks, i, e, q)
    if after_rejected and not c.strong_unit:
        return True
    if _is_code(c) or _is_date_or_label(c) or _is_weak_word_number(c, q, explicit):
        return True
    # "۱۰ و ۱۵ درصد", "چهار و پنج ستاره": the unit of the first number comes later
    return not c.has_unit and not c.has_scale and c.nxt is not None and c.nxt.text in (_AND, "یا", "،", ",") \
        and e + 1 < len(toks) and _is_numeric_tok(toks[e + 1])


# "تن" also counts people: before a casualty or arrest word ("۵ تن جان باختند"), or where the
# sentence has just named the people counted ("شمار قربانیان به ۲۲ هزار تن رسید"). Tokens never hold
# a ZWNJ ("کشته‌شدگان" is "کشته" + "شدگان"); the glued forms are scraped text written without one.
_PERSON_TON_NEXT = ("جان", "کشته", "زخمی", "مجروح", "مصدوم", "فوت", "دستگیر", "بازداشت", "اعدام", "شهید",
                    "ناپدید", "مفقود", "آواره", "مبتلا")
_PERSON_GROUPS = ("قربانیان", "باختگان", "مبتلایان", "کشتهشدگان", "کشتگان", "مجروحان", "زخمیها", "زخمیان",
                  "مصدومان", "درگذشتگان", "فوتیها", "بازداشتشدگان", "دستگیرشدگان", "زندانیان", "شهدا",
                  "آوارگان", "پناهجویان", "مهاجران", "تلفات", "ناپدیدشدگان", "مفقودان", "بیماران", "شدگان")
_PERSON_GROUP_WINDOW = 12  # tokens before the number, within its sentence
# ... or a casualty word later in its clause: "۱۵۲۵ تن تاکنون پس از ابتلا به این ویروس کشته و ..."
# (the clause ends at "و", a number or the sentence's end: "۲ تن مواد مخدر کشف و متهم دستگیر شد").
# The same words as right after "تن", but not "جان" (a life saved), not "شهید" (ports and streets
# named for one: "۴ میلیون تن کالا از بندر شهید رجایی") and "فوت" only whole (not "فوتبال");
# "جان باختند" counts by its verb.
_PERSON_TON_LATER = tuple(w for w in _PERSON_TON_NEXT if w not in ("جان", "شهید", "فوت")) + ("فوتی", "باخت")
_PERSON_TON_LATER_WINDOW = 10
_SENTENCE_ENDS = (".", "!", "?", "؟", ":")


# "۳ میلیون تن از تولید فولاد کاست": "از" followed by what was weighed
_MASS_AFTER_AZ = ("تولید", "محصول", "کالا", "صادرات", "واردات", "ذخایر", "ذخیره", "ظرفیت", "مصرف", "گندم",
                  "برنج", "سهمیه", "بار", "زباله", "فولاد", "نفت", "مقدار", "میزان", "کل")


def _mass_after_az(toks: list[_Tok], k: int) -> bool:
    if k < len(toks) and toks[k].text in ("این", "آن"):
        k += 1
    return k < len(toks) and toks[k].text.startswith(_MASS_AFTER_AZ)


def _person_ton(toks: list[_Tok], i: int, e: int, q: Quantity) -> Quantity:
    """'۵۰ تن از نمایندگان', '۵ تن جان باختند', 'قربانیان به ۲۲ هزار تن' count people, not tons."""
    if q.unit != "ton" or toks[e - 1].text != "تن":
        return q
    nxt = toks[e].text if e < len(toks) and not LINE_BREAK.search(toks[e].gap) else ""
    if nxt == "از" and not _mass_after_az(toks, e + 1) or nxt.startswith(_PERSON_TON_NEXT) or nxt == "دیگر" \
            or nxt in _AGE_NOUNS:  # "۱۱۲ تن زن و ۷۶۲۴ نفر مرد"
        return Quantity(q.value, "person", "count")
    for k in range(e, min(len(toks), e + _PERSON_TON_LATER_WINDOW)):
        if toks[k].text in _SENTENCE_ENDS or toks[k].text == _AND or toks[k].kind == "num" or LINE_BREAK.search(toks[k].gap):
            break
        if toks[k].text.startswith(_PERSON_TON_LATER) or toks[k].text == "فوت":
            return Quantity(q.value, "person", "count")
    for k in range(i - 1, max(-1, i - 1 - _PERSON_GROUP_WINDOW), -1):
        if toks[k].text in _SENTENCE_ENDS or LINE_BREAK.search(toks[k + 1].gap):
            break
        # "زخمی‌ها" arrives as "زخمی" + "ها" with the ZWNJ as their gap: the group word is the two joined
        joined = toks[k - 1].text + toks[k].text if k and toks[k].gap == "\u200c" else ""
        if toks[k].text in _PERSON_GROUPS or joined in _PERSON_GROUPS:
            return Quantity(q.value, "person", "count")
    return q


def quantity_in_context(text: str, start: int, end: int) -> Quantity:
    """parse_quantity of text[start:end], read in its sentence: "۶۰ تن کشته شدند" counts people
    (unit "person"), as find_quantities reads it. For QUANTITY spans that came from a model."""
    quantity = parse_quantity(text[start:end])
    if quantity.unit != "ton":
        return quantity
    norm, keep = _normalize(text)
    if keep is not None:  # original offsets -> normalized ones
        start, end = bisect_left(keep, start), bisect_left(keep, end)
    toks = _tokenize(norm)
    first = next((k for k, tok in enumerate(toks) if tok.start >= start), None)
    last = next((k for k in range(len(toks) - 1, -1, -1) if toks[k].end <= end), None)
    if first is None or last is None or last < first:
        return quantity
    return _person_ton(toks, first, last + 1, quantity)


def find_quantities(text: str) -> list[tuple[int, int, Quantity]]:
    """QUANTITY spans in running text: (start, end, Quantity), offsets into ``text``."""
    if not isinstance(text, str) or not text:
        return []
    norm, keep = _normalize(text)
    toks = _tokenize(norm)
    out: list[tuple[int, int, Quantity]] = []
    rejected_ends: set[int] = set()  # token index after each rejected number
    i = 0
    while i < len(toks):
        tok = toks[i]
        if not (_is_numeric_tok(tok) or (tok.text == "%" and i + 1 < len(toks) and toks[i + 1].kind == "num")):
            i += 1
            continue
        for e in _candidate_ends(toks, i):
            if i > 0 and _is_minus(toks, i - 1):
                # parsed with the sign, so that a range reads both ends signed: "-۵ تا -۳ درجه"
                q = _parse_tokens(toks[i - 1:e])  # "-۲٫۵ درصد"
                if q.ok:
                    i -= 1
            else:
                q = _parse_tokens(toks[i:e])
                if q.ok and i > 0 and toks[i - 1].text == _NEG and not LINE_BREAK.search(toks[i].gap):
                    neg = _parse_tokens(toks[i - 1:e])  # "منفی ۲٫۸ درصد"
                    if neg.ok:
                        i, q = i - 1, neg
            if q.ok:
                start, end = toks[i].start, toks[e - 1].end
                if keep is not None:
                    start, end = keep[start], keep[end - 1] + 1
                explicit = keep is not None and "\u064f" in text[start:end]
                chained = i >= 2 and toks[i - 1].text in _CHAIN_WORDS and (i - 1) in rejected_ends
                if _rejected(toks, i, e, q, explicit, chained):
                    rejected_ends.add(e)
                else:
                    out.append((start, end, _person_ton(toks, i, e, q)))
                i = e
                break
        else:
            i += 1
    return out


# Numbers with their inner separators, words, and single punctuation marks: the cut points
# for `readable_quantities`.
_RUN_TOKEN_RE = re.compile(r"[0-9۰-۹٠-٩０-９]+(?:[.,٫٬/][0-9۰-۹٠-٩０-９]+)*|[^\s0-9۰-۹٠-٩０-９،,.;:!?؟«»()\"']+|\S")
_MAX_RUN_TOKENS = 40


def readable_quantities(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Runs of whole tokens in text[start:end] that parse as a quantity with a unit: the longest
    first, then the same on either side of it. For a predicted span that swallowed its
    neighbours ("۳۸ هزار و ۹۱۷ ریال و یورو", "سوییس 32 , 390 ریال"); [] for long stretches."""
    end = len(text) if end is None else end
    tokens = [(start + m.start(), start + m.end()) for m in _RUN_TOKEN_RE.finditer(text[start:end])]
    if len(tokens) > _MAX_RUN_TOKENS:
        return []
    best: tuple[int, int] | None = None
    for i in range(len(tokens)):
        for j in range(len(tokens) - 1, i - 1, -1):
            if best is not None and tokens[j][1] - tokens[i][0] <= best[1] - best[0]:
                break
            quantity = parse_quantity(text[tokens[i][0] : tokens[j][1]])
            if quantity.ok and quantity.unit is not None:
                best = (tokens[i][0], tokens[j][1])
                break
    if best is None:
        return []
    return readable_quantities(text, start, best[0]) + [best] + readable_quantities(text, best[1], end)
