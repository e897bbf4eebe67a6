"""Tests for parsclaim.data.quantities: a case table, property tests, finder tests."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsclaim.data.quantities import (UNITS, Quantity, find_quantities, parse_quantity, quantity_in_context,
                                       readable_quantities)

ZWNJ = "\u200c"
NBSP = "\u00a0"
_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def fa(s: str) -> str:
    return s.translate(_FA)


def ar(s: str) -> str:
    return s.translate(_AR)


# --------------------------------------------------------------------------
# The table: (span text, value, unit)
# --------------------------------------------------------------------------

M, B, T = 10**6, 10**9, 10**12

PARSE_CASES: list[tuple[str, object, str | None]] = [
    # the failures of other libraries (issue 4)
    ("۱۹هزار", 19000, None),
    ("19 هزار", 19000, None),
    ("۱۹ هزار", 19000, None),
    ("19هزار", 19000, None),
    ("١٩ هزار", 19000, None),
    ("دو میلیون و سیصد هزار", 2300000, None),
    ("چهار صد", 400, None),
    ("چهار" + ZWNJ + "صد", 400, None),
    ("چهارصد", 400, None),
    ("۲٫۵ میلیون", 2500000, None),
    ("۲.۵ میلیون", 2500000, None),
    ("2.5 میلیون", 2500000, None),
    ("۲/۵ میلیون", 2500000, None),
    ("۲ میلیون و ۳۰۰ هزار", 2300000, None),
    ("2 میلیون و 300 هزار", 2300000, None),
    ("دو میلیون و ۳۰۰ هزار", 2300000, None),
    ("۲ میلیون و سیصد هزار", 2300000, None),
    ("۱۲ هزار میلیارد ریال", 12 * T, "rial"),
    ("دوازده هزار میلیارد ریال", 12 * T, "rial"),
    # plain digits, all scripts, separators
    ("0", 0, None),
    ("۰", 0, None),
    ("7", 7, None),
    ("۷", 7, None),
    ("٧", 7, None),
    ("200", 200, None),
    ("۲۰۰", 200, None),
    ("٢٠٠", 200, None),
    ("۲0۰", 200, None),
    ("1234567", 1234567, None),
    ("۱۲۳۴۵۶۷", 1234567, None),
    ("۱٬۲۳۴٬۵۶۷", 1234567, None),
    ("1,234,567", 1234567, None),
    ("۱,۲۳۴", 1234, None),
    ("12,500", 12500, None),
    ("1.000.000", 1000000, None),
    ("1,234.5", 1234.5, None),
    ("۱٬۲۳۴٫۵", 1234.5, None),
    ("۳٫۱۴", 3.14, None),
    ("3.14", 3.14, None),
    ("٣٫١٤", 3.14, None),
    ("۰٫۵", 0.5, None),
    ("۲/۵", 2.5, None),
    ("۱۲/۷۵", 12.75, None),
    ("۱,۵", 1.5, None),
    ("۲۰٫۰", 20, None),
    # number words 1..19
    ("یک", 1, None),
    ("دو", 2, None),
    ("سه", 3, None),
    ("چهار", 4, None),
    ("پنج", 5, None),
    ("شش", 6, None),
    ("هفت", 7, None),
    ("هشت", 8, None),
    ("نه", 9, None),
    ("ده", 10, None),
    ("یازده", 11, None),
    ("دوازده", 12, None),
    ("سیزده", 13, None),
    ("چهارده", 14, None),
    ("پانزده", 15, None),
    ("شانزده", 16, None),
    ("هفده", 17, None),
    ("هجده", 18, None),
    ("هیجده", 18, None),
    ("نوزده", 19, None),
    ("صفر", 0, None),
    # tens and compounds
    ("بیست", 20, None),
    ("سی", 30, None),
    ("چهل", 40, None),
    ("پنجاه", 50, None),
    ("شصت", 60, None),
    ("هفتاد", 70, None),
    ("هشتاد", 80, None),
    ("نود", 90, None),
    ("بیست و پنج", 25, None),
    ("سی و یک", 31, None),
    ("نود و نه", 99, None),
    ("چهل و هشت", 48, None),
    # hundreds: joined, split, ZWNJ, صد/یکصد
    ("صد", 100, None),
    ("یکصد", 100, None),
    ("یک صد", 100, None),
    ("دویست", 200, None),
    ("سیصد", 300, None),
    ("پانصد", 500, None),
    ("ششصد", 600, None),
    ("شش صد", 600, None),
    ("هفتصد", 700, None),
    ("هفت" + ZWNJ + "صد", 700, None),
    ("هشتصد", 800, None),
    ("نهصد", 900, None),
    ("نه صد", 900, None),
    ("صد و بیست", 120, None),
    ("یکصد و بیست و پنج", 125, None),
    ("سیصد و شصت و پنج", 365, None),
    ("چهار صد و دو", 402, None),
    ("نهصد و نود و نه", 999, None),
    # scales
    ("هزار", 1000, None),
    ("یک هزار", 1000, None),
    ("یکهزار", 1000, None),
    ("ده هزار", 10000, None),
    ("دههزار", 10000, None),
    ("صد هزار", 100000, None),
    ("صد" + ZWNJ + "هزار", 100000, None),
    ("سیصدهزار", 300000, None),
    ("بیست و پنج هزار", 25000, None),
    ("دو هزار و پانصد", 2500, None),
    ("میلیون", M, None),
    ("یک میلیون", M, None),
    ("ملیون", M, None),
    ("یک میلیارد", B, None),
    ("سه میلیارد", 3 * B, None),
    ("هزار میلیارد", T, None),
    ("یک تریلیون", T, None),
    ("۱۰ تریلیون ریال", 10 * T, "rial"),
    ("یک بیلیون", T, None),
    ("یک میلیون و دویست هزار و پانصد", 1200500, None),
    ("یک میلیارد و ۲۰۰ میلیون", 1200 * M, None),
    ("۱۲ هزار و ۵۰۰ میلیارد ریال", 12500 * B, "rial"),
    ("دویست و سی و چهار هزار و پانصد میلیارد", 234500 * B, None),
    ("۲ میلیون ۳۰۰ هزار", 2300000, None),
    ("سی و پنج هزار و ۲۰۰", 35200, None),
    ("۱۲۰۰ میلیارد", 1200 * B, None),
    ("۱٬۲۰۰ میلیارد تومان", 1200 * B, "toman"),
    ("۱٫۲ میلیون", 1200000, None),
    ("۰٫۵ میلیون", 500000, None),
    ("۳٫۷۵ میلیارد دلار", 3750 * M, "usd"),
    ("یک میلیون میلیارد", 10**15, None),
    # fractions
    ("نیم", 0.5, None),
    ("یک و نیم", 1.5, None),
    ("دو و نیم", 2.5, None),
    ("سه و نیم میلیون", 3500000, None),
    ("۳ و نیم میلیون", 3500000, None),
    ("یک میلیون و نیم", 1500000, None),
    ("نیم میلیون", 500000, None),
    ("یک سوم", 1 / 3, None),
    ("یک" + ZWNJ + "سوم", 1 / 3, None),
    ("دو سوم", 2 / 3, None),
    ("سه چهارم", 0.75, None),
    ("ربع", 0.25, None),
    ("یک ربع", 0.25, None),
    ("سه ربع", 0.75, None),
    ("یک و ربع", 1.25, None),
    ("دو دهم درصد", 0.2, "percent"),
    ("سه دهم", 0.3, None),
    # percents
    ("67 درصد", 67, "percent"),
    ("۶۷ درصد", 67, "percent"),
    ("٦٧ درصد", 67, "percent"),
    ("۲۰درصد", 20, "percent"),
    ("20درصد", 20, "percent"),
    ("۲۰٪", 20, "percent"),
    ("20%", 20, "percent"),
    ("۲۰ ٪", 20, "percent"),
    ("%۲۰", 20, "percent"),
    ("۲۰ در صد", 20, "percent"),
    ("۲۰ درصدی", 20, "percent"),
    ("بیست درصد", 20, "percent"),
    ("بیست و پنج درصد", 25, "percent"),
    ("صد درصد", 100, "percent"),
    ("نیم درصد", 0.5, "percent"),
    ("۰٫۵ درصد", 0.5, "percent"),
    ("۱٫۵ درصد", 1.5, "percent"),
    ("۲ واحد درصد", 2, "percentage_point"),
    # ranges
    ("۱۰ تا ۱۵ درصد", (10, 15), "percent"),
    ("10 تا 15 درصد", (10, 15), "percent"),
    ("۱۰ الی ۱۵ درصد", (10, 15), "percent"),
    ("۱۰-۱۵ درصد", (10, 15), "percent"),
    ("۱۰ - ۱۵", (10, 15), None),
    ("۱۰–۱۵٪", (10, 15), "percent"),
    ("۱۰ درصد تا ۱۵ درصد", (10, 15), "percent"),
    ("۲ تا ۳ میلیون", (2 * M, 3 * M), None),
    ("دو تا سه میلیون", (2 * M, 3 * M), None),
    ("۲ تا ۳ میلیون دلار", (2 * M, 3 * M), "usd"),
    ("۲ تا ۳ هزار میلیارد ریال", (2 * T, 3 * T), "rial"),
    ("۵۰۰ هزار تا ۲ میلیون تومان", (500000, 2 * M), "toman"),
    ("بیست تا سی نفر", (20, 30), "person"),
    ("۱٫۵ تا ۲ برابر", (1.5, 2), "times"),
    ("دو و نیم تا سه میلیون", (2500000, 3 * M), None),
    ("۱۰ تا ۱۲ میلیون و ۵۰۰ هزار", (10 * M, 12500000), None),
    # multipliers
    ("2 برابر", 2, "times"),
    ("۲ برابر", 2, "times"),
    ("دو برابر", 2, "times"),
    ("دوبرابر", 2, "times"),
    ("دو" + ZWNJ + "برابر", 2, "times"),
    ("سه برابر", 3, "times"),
    ("۱٫۵ برابر", 1.5, "times"),
    ("ده برابری", 10, "times"),
    # money
    ("۱۰۰ ریال", 100, "rial"),
    ("۵۰۰ هزار تومان", 500000, "toman"),
    ("پانصد هزار تومان", 500000, "toman"),
    ("۵۰ میلیون تومان", 50 * M, "toman"),
    ("۵۰ میلیون تومانی", 50 * M, "toman"),
    ("۵۰ میلیون تومن", 50 * M, "toman"),
    ("۳ میلیارد دلار", 3 * B, "usd"),
    ("سه میلیارد دلار", 3 * B, "usd"),
    ("۳ میلیارد دلار آمریکا", 3 * B, "usd"),
    ("۲۰۰ یورو", 200, "eur"),
    ("۱۰ هزار میلیارد ریال", 10 * T, "rial"),
    ("هزار میلیارد تومان", T, "toman"),
    ("۱,۲۰۰,۰۰۰ ریال", 1200000, "rial"),
    ("۱۵۰ هزار ریالی", 150000, "rial"),
    ("۱۰۰ پوند", 100, "gbp"),
    ("۵ میلیون درهم", 5 * M, "aed"),
    # counts and classifiers
    ("۱۰۰ باب", 100, None),
    ("100 باب", 100, None),
    ("صد باب", 100, None),
    ("۵ دستگاه", 5, None),
    ("۱۲ فقره", 12, None),
    ("۳۰۰ واحد", 300, None),
    ("۴۰ مورد", 40, None),
    ("۱۰ عدد", 10, None),
    ("۵۰۰ راس", 500, None),
    ("۵۰۰ رأس", 500, None),
    ("۲۰ قطعه", 20, None),
    ("۲۵ نفر", 25, "person"),
    ("دو نفر", 2, "person"),
    ("بیست و پنج نفر", 25, "person"),
    ("۳ هزار نفر", 3000, "person"),
    ("یک میلیون نفر", M, "person"),
    ("۲ میلیون و ۳۰۰ هزار نفر", 2300000, "person"),
    ("۱۲٬۵۰۰ نفر", 12500, "person"),
    ("۱۴۶ فروند", 146, None),
    ("۵۲ حلقه", 52, None),
    ("سه قبضه", 3, None),
    ("۱۱ قلم", 11, None),
    ("1.2 میلیون پرس", 1200000, None),
    ("۱۸۵ نفره", 185, "person"),
    ("۳٫۳ نفره", 3.3, "person"),
    ("۱۶ میلیونی", 16 * M, None),
    ("۲ میلیاردی", 2 * B, None),
    # measures
    ("۱۰ تن", 10, "ton"),
    ("۱۰ هزار تن", 10000, "ton"),
    ("۲۰ هکتار", 20, "hectare"),
    ("۲۰ هزار هکتار", 20000, "hectare"),
    ("۱۵ کیلومتر", 15, "km"),
    ("۵۰ متر", 50, "m"),
    ("۱۰۰ متر مربع", 100, "m2"),
    ("۱۰۰ مترمربع", 100, "m2"),
    ("۱۰۰ متر" + ZWNJ + "مربع", 100, "m2"),
    ("۵ میلیون متر مکعب", 5 * M, "m3"),
    ("۵ میلیون مترمکعب", 5 * M, "m3"),
    ("۳۰۰ مگاوات", 300, "mw"),
    ("۱۰ کیلووات ساعت", 10, "kwh"),
    ("۱۰ کیلووات" + ZWNJ + "ساعت", 10, "kwh"),
    ("۵۰ لیتر", 50, "liter"),
    ("۲ میلیون بشکه", 2 * M, "barrel"),
    ("۲٫۵ میلیون بشکه", 2500000, "barrel"),
    ("۳۰ کیلوگرم", 30, "kg"),
    ("۱۲ میلیمتر", 12, "mm"),
    ("۱۲ میلی متر", 12, "mm"),
    ("۴۰ درجه", 40, "degree"),
    ("۵٫۲ ریشتر", 5.2, "richter"),
    ("22.3 گره", 22.3, "knot"),
    ("3 میلیارد بات", 3 * 10**9, "thb"),
    ("۲۰ میلیارد رنگیت", 20 * 10**9, "myr"),
    ("۸۰ سانتیمتر", 80, "cm"),
    # Arabic letters, NBSP, ZWNJ, diacritics, tatweel
    ("يك ميليون", M, None),
    ("سي و يك", 31, None),
    ("۱۹" + NBSP + "هزار", 19000, None),
    ("67" + NBSP + "درصد", 67, "percent"),
    ("۲۰" + ZWNJ + "درصد", 20, "percent"),
    ("دو" + ZWNJ + "میلیون" + ZWNJ + "و" + ZWNJ + "سیصد" + ZWNJ + "هزار", 2300000, None),
    ("دومیلیون و سیصدهزار", 2300000, None),
    ("بیست\u064c و پنج", 25, None),
    ("پنجـاه درصد", 50, "percent"),
    ("  ۱۹هزار  ", 19000, None),
    # spoken decimals, negatives, right-to-left dash ranges, more currencies
    ("98 و سه دهم درصدی", 98.3, "percent"),
    ("یک و بیست و پنج صدم", 1.25, None),
    ("۲ و ۵ دهم", 2.5, None),
    ("منفی ۲٫۸ درصد", -2.8, "percent"),
    ("600-500 میلیارد تومان", (500 * B, 600 * B), "toman"),
    ("دو میلیارد و 600 میلیون رینگیت", 2600 * M, "myr"),
    ("۱۰۰ دلار کانادا", 100, "cad"),
    # approximators tolerated at the start
    ("حدود ۱۰ درصد", 10, "percent"),
    ("بیش از ۲ میلیون نفر", 2 * M, "person"),
    ("نزدیک به ۵۰۰ نفر", 500, "person"),
    # negatives
    ("منفی ۵ درجه", -5, "degree"),
    # groups written with spaces around the separator, as in tokenized corpora (PEYMA)
    ("۳۲ , ۳۹۰ ریال", 32390, "rial"),
    ("۱ , ۲۳۴ , ۵۶۷ دلار", 1234567, "usd"),
    ("۳۲ ٬ ۳۹۰ تومان", 32390, "toman"),
]

BAD_CASES: list[str] = [
    "۴ , ۵۶ ریال",  # not a group of three: a list or a typo, not a number
    "۳۲ ، ۳۹۰ ریال",  # the Persian comma separates list items
    "",
    "   ",
    "درصد",
    "%",
    "هزار هزار",
    "میلیون میلیون",
    "hello",
    "۱۲۳abc",
    "abc۱۲۳",
    "دومین",
    "سوم",
    "اولین",
    "یکم",
    "نخستین",
    "دهمین",
    "۱۴۰۲/۰۵/۱۲",
    "میلیونها",
    "هزاران",
    "چند",
    "و",
    "تا",
    "۱۰ تا",
    "تا ۱۰",
    "۱۵ تا ۱۰ درصد",
    "۱۰ و ۱۵",
    "پنج بیست",
    "بیست بیست",
    "یک یک",
    "۱,۲۳,۴",
    "برابر",
    "۱۹هزار سازمان",
    "بیست و",
    "و پنج",
    "۱۰ درصد تا ۱۵ دلار",
    "نیم نیم",
    "۱۰ سوم",
]


def _close(got: object, want: object) -> bool:
    if isinstance(want, tuple):
        return isinstance(got, tuple) and len(got) == 2 and all(_close(g, w) for g, w in zip(got, want))
    if isinstance(want, float) and not float(want).is_integer():
        return isinstance(got, float) and abs(got - want) <= 1e-12 * max(1, abs(want))
    return got == want and type(got) is int  # integral values come back as int


@pytest.mark.parametrize(("text", "value", "unit"), PARSE_CASES, ids=range(len(PARSE_CASES)))
def test_parse_table(text: str, value: object, unit: str | None) -> None:
    q = parse_quantity(text)
    assert q.ok, (text, q.reason)
    assert _close(q.value, value), (text, q.value, value)
    assert q.unit == unit, (text, q.unit)


# the same table with every Persian digit written in the other two scripts
_DIGIT_CASES = [(t, v, u) for t, v, u in PARSE_CASES if any("۰" <= c <= "۹" for c in t)]


@pytest.mark.parametrize(("text", "value", "unit"), _DIGIT_CASES, ids=range(len(_DIGIT_CASES)))
def test_parse_table_other_digit_scripts(text: str, value: object, unit: str | None) -> None:
    latin = text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    for variant in (latin, ar(latin)):
        q = parse_quantity(variant)
        assert q.ok and _close(q.value, value) and q.unit == unit, (variant, q)


@pytest.mark.parametrize("text", BAD_CASES, ids=range(len(BAD_CASES)))
def test_bad_input_is_not_a_quantity(text: str) -> None:
    q = parse_quantity(text)
    assert not q.ok and q.kind == "none" and q.value is None
    assert q.reason


def test_table_size() -> None:
    assert len(PARSE_CASES) + len(BAD_CASES) >= 200


@pytest.mark.parametrize("bad", [None, 12, b"\xd9\xa1", ["۱۲"]])
def test_non_string_input_does_not_raise(bad: object) -> None:
    assert not parse_quantity(bad).ok  # type: ignore[arg-type]
    assert find_quantities(bad) == []  # type: ignore[arg-type]


def test_kinds_and_json() -> None:
    assert parse_quantity("۱۹هزار").kind == "count"
    assert parse_quantity("۲۰ درصد").kind == "percent"
    assert parse_quantity("۵ میلیون تومان").kind == "money"
    assert parse_quantity("۲۰ هکتار").kind == "measure"
    assert parse_quantity("۲ برابر").kind == "multiplier"
    assert parse_quantity("۱۰۰ باب").kind == "count"
    q = parse_quantity("۱۰ تا ۱۵ درصد")
    assert q.is_range and q.to_json() == {"value": [10, 15], "unit": "percent"}
    assert json.dumps(parse_quantity("۱۹هزار").to_json()) == '{"value": 19000, "unit": null}'
    with pytest.raises(AttributeError):
        q.value = 3  # type: ignore[misc]  # frozen


def test_units_table_is_short_lowercase_english() -> None:
    for unit, kind in UNITS.values():
        assert unit is None or (unit.isascii() and unit == unit.lower() and " " not in unit)
        assert kind in {"count", "percent", "money", "measure", "multiplier"}


# --------------------------------------------------------------------------
# Property tests: integers written as Persian words parse back exactly
# --------------------------------------------------------------------------

def test_num2fawords_oracle_looks_right() -> None:
    """num2fawords writes یکصد, یک هزار and long-scale بیلیون (10^12), all fine to read."""
    from num2fawords import words

    assert words(400) == "چهارصد"
    assert words(19000) == "نوزده هزار"
    assert words(2300000) == "دو میلیون و سیصد هزار"
    assert words(1001) == "یک هزار و یک"
    assert words(10**12) == "یک بیلیون"  # = هزار میلیارد = تریلیون (10^12)
    assert words(10**15) == "یک بیلیارد"


@settings(max_examples=2000, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_num2fawords_roundtrip(n: int) -> None:
    from num2fawords import words

    q = parse_quantity(words(n))
    assert q.ok and q.value == n and type(q.value) is int, (n, words(n), q)


_ONES = "صفر یک دو سه چهار پنج شش هفت هشت نه ده یازده دوازده سیزده چهارده پانزده شانزده هفده هجده نوزده".split()
_TENS = [""] * 2 + "بیست سی چهل پنجاه شصت هفتاد هشتاد نود".split()
_HUNDREDS = ["", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد"]


def _group_words(n: int, draw) -> str:
    """1..999 in words, drawing the spelling variants news text uses."""
    h, r = divmod(n, 100)
    parts = []
    if h == 1:
        parts.append(draw(st.sampled_from(["صد", "یکصد", "یک صد"])))
    elif h in (4, 6, 7, 8, 9):  # the regular X+صد forms may be split
        sep = draw(st.sampled_from(["", " ", ZWNJ]))
        parts.append(_ONES[h] + sep + "صد")
    elif h:
        parts.append(_HUNDREDS[h])
    if r >= 20:
        parts.append(_TENS[r // 10])
        if r % 10:
            parts.append(_ONES[r % 10])
    elif r:
        parts.append(_ONES[r])
    return " و ".join(parts)


def _news_words(n: int, draw, digits: bool) -> str:
    """n in news style: "هزار میلیارد" for 10^12, groups as words or as digits."""
    if n == 0:
        return "صفر"
    scales = [(10**9, "میلیارد"), (10**6, "میلیون"), (10**3, "هزار"), (1, "")]
    parts = []
    rest = n
    for size, name in scales:
        count, rest = divmod(rest, size)
        if not count:
            continue
        if size == 10**9 and count >= 1000:
            head = _news_words(count, draw, digits)  # "دوازده هزار میلیارد"
        elif digits:
            head = draw(st.sampled_from([str(count), fa(str(count)), ar(str(count))]))
        elif count == 1 and size > 1 and draw(st.booleans()):
            head = ""  # "هزار" for یک هزار
        else:
            head = _group_words(count, draw)
        joiner = draw(st.sampled_from([" ", ZWNJ])) if head and name else ""
        parts.append((head + joiner + name).strip())
    return " و ".join(parts)


@settings(max_examples=2000, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.data())
def test_news_style_words_roundtrip(n: int, data) -> None:
    text = _news_words(n, data.draw, digits=False)
    q = parse_quantity(text)
    assert q.ok and q.value == n, (n, text, q)


@settings(max_examples=1000, deadline=None)
@given(st.integers(min_value=1, max_value=10**15), st.data())
def test_digits_and_scale_words_roundtrip(n: int, data) -> None:
    text = _news_words(n, data.draw, digits=True)  # "۲ میلیون و ۳۰۰ هزار"
    q = parse_quantity(text)
    assert q.ok and q.value == n, (n, text, q)


@settings(max_examples=1000, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from([",", "٬"]), st.sampled_from([fa, ar, str]))
def test_grouped_digits_roundtrip(n: int, sep: str, script) -> None:
    text = script(f"{n:,}".replace(",", sep))
    assert parse_quantity(text).value == n


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("۰۱۲۳۴۵۶۷۸۹0123456789٫٬,./-%٪ و تاهزارمیلیوندرصدنیمسومabc\u200c\u00a0\n")),
               max_size=40))
def test_never_raises(text: str) -> None:
    q = parse_quantity(text)
    assert isinstance(q, Quantity) and (q.ok or q.reason)
    for start, end, found in find_quantities(text):
        span = text[start:end]
        assert 0 <= start < end <= len(text) and span == span.strip()
        assert found.ok


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_on_any_text(text: str) -> None:
    assert isinstance(parse_quantity(text), Quantity)
    for start, end, _ in find_quantities(text):
        assert 0 <= start < end <= len(text)


# --------------------------------------------------------------------------
# find_quantities on sentences: (sentence, [(span, value, unit), ...])
# --------------------------------------------------------------------------

FIND_CASES: list[tuple[str, list[tuple[str, object, str | None]]]] = [
    # the seed article's conventions
    ("۱۹هزار سازمان مردمنهاد در کشور فعال هستند", [("۱۹هزار", 19000, None)]),
    ("19 هزار سازمان مردم نهاد در کشور فعال هستند", [("19 هزار", 19000, None)]),
    ("با اشاره به راهاندازی ۱۰۰ باب دفتر تسهیلگری", [("۱۰۰ باب", 100, None)]),
    ("67 درصد آنها فعال، 16 درصد نیمهفعال و 17 درصد غیرفعال هستند.",
     [("67 درصد", 67, "percent"), ("16 درصد", 16, "percent"), ("17 درصد", 17, "percent")]),
    ("این دفاتر را 2 برابر کرده و به 200 دفتر تسهیلگری برسانیم.",
     [("2 برابر", 2, "times"), ("200", 200, None)]),
    ("در 2 سال گذشته بهتأسی از فرمایشات", []),
    ("در این دفاتر تنها یک سازمان مردمنهاد فعالیت نداشته باشد", []),
    # approximators stay outside
    ("حدود ۱۰ درصد مردم", [("۱۰ درصد", 10, "percent")]),
    ("بیش از ۲ میلیون نفر شرکت کردند", [("۲ میلیون نفر", 2 * M, "person")]),
    ("حداکثر ۵۰۰ هزار تومان", [("۵۰۰ هزار تومان", 500000, "toman")]),
    ("بین ۱۰ تا ۱۵ درصد", [("۱۰ تا ۱۵ درصد", (10, 15), "percent")]),
    ("زیر ۵ درصد", [("۵ درصد", 5, "percent")]),
    ("نزدیک به ۳ هزار نفر", [("۳ هزار نفر", 3000, "person")]),
    # time expressions are DATE
    ("در ۱۸ ماه گذشته", []),
    ("در سال ۱۴۰۲ رشد کرد", []),
    ("۱۵ خرداد ۱۴۰۲", []),
    ("در تاریخ ۱۴۰۲/۰۵/۱۲ ثبت شد", []),
    ("ساعت ۱۰:۳۰ صبح", []),
    ("از ساعت ۸ تا ۱۰", []),
    ("طی ۲۴ ساعت گذشته", []),
    ("یک طرح ۳ ساله", []),
    ("سال‌های ۱۳۹۰ تا ۱۴۰۰", []),
    ("در سال 2023 میلادی", []),
    # ordinals, ids, labels
    ("دومین جلسه", []),
    ("فصل سوم کتاب", []),
    ("برای ۱۰مین بار", []),
    ("تلفن ۰۹۱۲۱۲۳۴۵۶۷ است", []),
    ("ماده ۱۰ قانون", []),
    ("شیوع COVID-19 در کشور", []),
    ("فاز ۲ پروژه", []),
    # the indefinite article and vague amounts
    ("یک سازمان جدید", []),
    ("یک نفر زخمی شد", []),
    ("یکی از مسئولان", []),
    ("میلیون‌ها نفر", []),
    ("چند هزار نفر", []),
    ("هزاران نفر", []),
    ("این دو گفتند", [("دو", 2, None)]),  # a bare number that counts is a QUANTITY
    ("هر سه گروه کارگری", [("سه", 3, None)]),
    ("نه تنها این", []),
    ("نیم ساعت بعد", []),
    # counted noun outside, units inside
    ("۵۰ تن از نمایندگان", [("۵۰ تن", 50, "person")]),
    ("۱۰ هزار تن گندم", [("۱۰ هزار تن", 10000, "ton")]),
    # "تن" counts people before a casualty word or after the people it counts, in the same sentence
    ("در این حادثه ۵ تن جان باختند", [("۵ تن", 5, "person")]),
    ("۲۰ تن کشته شدند", [("۲۰ تن", 20, "person")]),
    ("شمار قربانیان کرونا تا ۲۲ هزار تن در کانادا", [("۲۲ هزار تن", 22000, "person")]),
    ("كشته شدگان به ۴۵ تن رسيد", [("۴۵ تن", 45, "person")]),
    ("قربانیان سیل ۱۲ تن بود. تولید ۵ تن", [("۱۲ تن", 12, "person"), ("۵ تن", 5, "ton")]),
    ("قربانیان\n۵ تن", [("۵ تن", 5, "ton")]),
    ("وام ۱.۴ میلیارد یورویی", [("۱.۴ میلیارد یورویی", 1400000000, "eur")]),
    # IR-News breaks the line after every ".", decimal points too; a numbered list's "1376.\n10." is a break
    ("ارزش سهام ۴.\n۶۵ درصد سقوط کرد", [("۴.\n۶۵ درصد", 4.65, "percent")]),
    ("بانک ۱.\n۷ تریلیون ین داد", [("۱.\n۷ تریلیون ین", 1.7e12, "jpy")]),
    ("در سال 1376.\n10. جوادی", []),
    ("کشته شدند.\n۵ نفر زخمی", [("۵ نفر", 5, "person")]),
    # ... or a casualty word later in its clause, or "تن دیگر"; a clause ends at "و" or a number
    ("حدود ۱۵۲۵ تن تاکنون پس از ابتلا به این ویروس کشته شده اند", [("۱۵۲۵ تن", 1525, "person")]),
    ("بیش از ۶۵ هزار تن دیگر نیز", [("۶۵ هزار تن", 65000, "person")]),
    ("۲ تن مواد مخدر کشف و متهم دستگیر شد", [("۲ تن", 2, "ton")]),
    ("۴ میلیون تن کالا از بندر شهید رجایی حمل شد", [("۴ میلیون تن", 4 * M, "ton")]),
    ("تعداد زخمی\u200cها به ۴۰ تن رسید", [("۴۰ تن", 40, "person")]),  # the group word split at its ZWNJ
    ("تعداد فوتیها به ۷ تن رسید", [("۷ تن", 7, "person")]),
    ("صادرات گندم به ۵ هزار تن رسید", [("۵ هزار تن", 5000, "ton")]),
    ("سه میلیون تن از تولید فولاد کاست", [("سه میلیون تن", 3 * M, "ton")]),
    ("از این مقدار ۲۵۰ هزار تن از این مقدار", [("۲۵۰ هزار تن", 250000, "ton")]),
    ("سه وزیر حاضر بودند", [("سه", 3, None)]),
    ("بیست سازمان", [("بیست", 20, None)]),
    ("دو نفر کشته شدند", [("دو نفر", 2, "person")]),
    ("یک میلیون نفر", [("یک میلیون نفر", M, "person")]),
    ("یک درصد", [("یک درصد", 1, "percent")]),
    ("رشد ۲۰ درصدی", [("۲۰ درصدی", 20, "percent")]),
    ("۳ برابر شد", [("۳ برابر", 3, "times")]),
    ("۱۰۰۰ میلیارد ریال", [("۱۰۰۰ میلیارد ریال", T, "rial")]),
    ("سی و پنج هزار و ۲۰۰ تومان", [("سی و پنج هزار و ۲۰۰ تومان", 35200, "toman")]),
    ("دو میلیون و سیصد هزار نفر", [("دو میلیون و سیصد هزار نفر", 2300000, "person")]),
    ("۲ تا ۳ میلیون دلار", [("۲ تا ۳ میلیون دلار", (2 * M, 3 * M), "usd")]),
    ("۱۰ الی ۱۵ درصد", [("۱۰ الی ۱۵ درصد", (10, 15), "percent")]),
    ("۱۰-۱۵ درصد", [("۱۰-۱۵ درصد", (10, 15), "percent")]),
    ("به ترتیب ۱۰ و ۱۵ درصد", [("۱۵ درصد", 15, "percent")]),
    ("دو سوم جمعیت", [("دو سوم", 2 / 3, None)]),
    ("۱۲٬۵۰۰ نفر", [("۱۲٬۵۰۰ نفر", 12500, "person")]),
    ("۳٫۵ میلیارد دلار", [("۳٫۵ میلیارد دلار", 3500 * M, "usd")]),
    ("۳/۵ میلیارد دلار", [("۳/۵ میلیارد دلار", 3500 * M, "usd")]),
    ("۱۰۰ مترمکعب آب", [("۱۰۰ مترمکعب", 100, "m3")]),
    ("۵۰۰ مگاوات برق", [("۵۰۰ مگاوات", 500, "mw")]),
    ("نیم میلیون نفر", [("نیم میلیون نفر", 500000, "person")]),
    ("سال ۹۸ تورم ۴۰ درصد بود", [("۴۰ درصد", 40, "percent")]),
    ("۲۰ درصد در سال", [("۲۰ درصد", 20, "percent")]),
    ("۲۰درصد", [("۲۰درصد", 20, "percent")]),
    ("به 200 دفتر تسهیلگری", [("200", 200, None)]),
    ("١٩ هزار سازمان", [("١٩ هزار", 19000, None)]),
    ("يك ميليون نفر", [("يك ميليون نفر", M, "person")]),
    ("۲۰" + ZWNJ + "درصد", [("۲۰" + ZWNJ + "درصد", 20, "percent")]),
    ("۱۹" + NBSP + "هزار سازمان", [("۱۹" + NBSP + "هزار", 19000, None)]),
    ("دو" + ZWNJ + "برابر شد", [("دو" + ZWNJ + "برابر", 2, "times")]),
    # words that only look like numbers, codes, references
    ("عصر سه‌شنبه در جلسه", []),
    ("صبح امروز (سه شنبه) کلیات", []),
    ("سیده‌زهرا موسوی گفت", []),
    ("آیین اختتامیه بیست‌وسومین نمایشگاه", []),
    ("هتل‌های چهار و پنج ستاره", []),
    ("از طریق سامانه ۱۹۴ اطلاع دهند", []),
    ("جمعیت هلال‌احمر و اورژانس ۱۱۵", []),
    ("مرکز اورژانس (115) تردید نکنید", []),
    ("خط ۱۰ متروی تهران", []),
    ("تا سال ۷۴ یا ۷۵ در همین کاخ", []),
    ("در نظرسنجی ان بی سی", []),
    ("کد دستوری #۲*۰۲۱ * ۸۸۷۷ * را بگیرید", []),
    ("گیلان: 45البرز: 116مرکزی: 47سمنان", []),
    ("در مهر ۹۸ تصویب شد", []),
    ("کسب دست‌کم سی مدال طلا", [("سی", 30, None)]),
    ("یک مرد ۶۲ ساله جان باخت", [("۶۲", 62, None)]),
    ("در اواخر مهر 5 نفر دستگیر شدند", [("5 نفر", 5, "person")]),
    ("تا پایان شهریور ۱۲ مسیر جدید", [("۱۲", 12, None)]),
    ("مصرف برق ۱۴۵۰ اداره", [("۱۴۵۰", 1450, None)]),
    ("که نُه مرکز آن", [("نُه", 9, None)]),
    ("یک باب مدرسه", [("یک باب", 1, None)]),
    ("یک فروند هواپیما", [("یک فروند", 1, None)]),
    ("۱۴۶ فروند هواپیما", [("۱۴۶ فروند", 146, None)]),
    ("هواپیمای ۱۸۵ نفره", [("۱۸۵ نفره", 185, "person")]),
    ("حقوق ۱۶ میلیونی او", [("۱۶ میلیونی", 16 * M, None)]),
    ("۴۲۰ واحد مسکونی", [("۴۲۰ واحد", 420, None)]),
    ("هزینه‌ها منفی 2.8 درصد بوده", [("منفی 2.8 درصد", -2.8, "percent")]),
    ("حضور 98 و سه دهم درصدی در انتخابات", [("98 و سه دهم درصدی", 98.3, "percent")]),
    ("ماهانه 600-500 میلیارد تومان است", [("600-500 میلیارد تومان", (500 * B, 600 * B), "toman")]),
    ("شاخص کیفیت هوا به عدد 178 رسید", [("178", 178, None)]),
    # a line break ends a quantity
    ("تعداد ۲۰\nمیلیون", [("۲۰", 20, None)]),
]


@pytest.mark.parametrize(("sentence", "expected"), FIND_CASES, ids=range(len(FIND_CASES)))
def test_find_quantities(sentence: str, expected: list) -> None:
    found = [(sentence[s:e], q.value, q.unit) for s, e, q in find_quantities(sentence)]
    assert [f[0] for f in found] == [x[0] for x in expected], found
    for (_, got, unit), (_, want, want_unit) in zip(found, expected):
        assert _close(got, want) and unit == want_unit, (got, unit)


def test_find_offsets_point_into_original_text() -> None:
    # diacritics and bidi marks are dropped by the normalizer: offsets must not shift
    text = "گفت\u200f: بیست\u064c و پنج درصد از \u064eمردم ۱۹هزار نفر"
    spans = [text[s:e] for s, e, _ in find_quantities(text)]
    assert spans == ["بیست\u064c و پنج درصد", "۱۹هزار نفر"]


def test_find_on_seed_article() -> None:
    from pathlib import Path

    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "tasnim_ngo_article.jsonl"
    if not seed.exists():
        pytest.skip("seed not present")
    for line in seed.read_text(encoding="utf-8").splitlines():
        art = json.loads(line)
        gold = {(e["start"], e["end"]): (e.get("value"), e.get("unit"))
                for e in art["entities"] if e["label"] == "QUANTITY"}
        pred = {(s, e): q for s, e, q in find_quantities(art["text"])}
        assert set(pred) == set(gold)
        for span, (value, unit) in gold.items():
            assert pred[span].to_json() == {"value": value, "unit": unit}


@pytest.mark.parametrize("text, runs", [
    ("سوییس 32 , 390 ریال", ["32 , 390 ریال"]),
    ("کاهش 10.2 درصدی", ["10.2 درصدی"]),
    ("۱۹هزار نفر،", ["۱۹هزار نفر"]),
    ("۳ میلیون دلار و ۲۰۰ هزار یورو", ["۳ میلیون دلار", "۲۰۰ هزار یورو"]),
    ("۴۲۰ هزار جلد", []),  # no unit the parser knows
    ("ثانیه", []),
])
def test_readable_quantities_finds_the_longest_runs_with_a_unit(text, runs):
    assert [text[start:end] for start, end in readable_quantities(text)] == runs


def test_readable_quantities_gives_up_on_long_stretches():
    assert readable_quantities("۵ درصد " + "کلمه " * 60) == []


@pytest.mark.parametrize("text, value, unit", [
    ("۱۳هزارو ۴۰۰", 13400, None),  # "و" glued to the scale word, as typed in scraped news
    ("دو هزارو پانصد", 2500, None),
    ("۲ میلیونو ۳۰۰ هزار تومان", 2300000, "toman"),
])
def test_and_glued_to_a_scale_word(text, value, unit):
    quantity = parse_quantity(text)
    assert quantity.ok and quantity.value == value and quantity.unit == unit


def test_sahv_is_not_three_and():
    assert not parse_quantity("سهو").ok  # "oversight", not سه + و


@pytest.mark.parametrize("line_break", ["\n", "\r", "\u2029", "\r\n"])
def test_no_quantity_found_across_any_line_break(line_break):
    text = f"سال ۲۰{line_break}هزار تومان"
    assert [text[s:e] for s, e, _ in find_quantities(text)] == ["هزار تومان"]


@pytest.mark.parametrize("text, value, unit", [
    ("۵۰۰ هزار اصله", 500000, None),  # counting words (classifiers): inside the span, unit null (SPEC)
    ("۱۲ قلاده", 12, None),
    ("۱۱۲ هزار عنوان", 112000, None),
    ("۳۸ هزار نسخه", 38000, None),
    ("۱۶ مجلد", 16, None),
    ("یک\u200cهزار جفت", 1000, None),
    ("۴۰۰بسته", 400, None),
    ("یک میلیون بشکه\u200cای", 1000000, "barrel"),  # adjectival "-ای" after a silent h, with a ZWNJ
    ("۵۰۰ هزار بشكهاي", 500000, "barrel"),  # and glued, Arabic letters
    ("۲۰ درجه\u200cای", 20, "degree"),
])
def test_classifiers_and_adjectival_units(text, value, unit):
    quantity = parse_quantity(text)
    assert quantity.ok and quantity.value == value and quantity.unit == unit


def test_a_number_after_a_label_word_is_still_a_label():
    assert not parse_quantity("بسته ۵").ok  # "package no. 5", though "۵ بسته" counts packages


@pytest.mark.parametrize("text, expected", [
    ("دلار", False), ("اسکناس دلار", False), ("درصدی", False), ("ثانیه", False), ("برابر دلار", False),
    ("۵ دلار", True), ("سه میلیون", True), ("صدها نفر", True), ("میلیون\u200cها دلار", True), ("یک", True),
])
def test_has_number(text, expected):
    from parsclaim.data.quantities import has_number

    assert has_number(text) is expected


@pytest.mark.parametrize("text, value, unit", [
    ("۶۵/ ۵ میلیارد دلار", 65500000000, "usd"),  # the decimal slash written with a space
    ("۶۵ / ۵ میلیارد دلار", 65500000000, "usd"),
    ("۲ هزار یوآن", 2000, "cny"),
    ("یک هزار وون", 1000, "krw"),
    ("20 اینچ", 20, "inch"),
    ("700 اسب بخار", 700, "hp"),
])
def test_spaced_decimal_slash_and_more_units(text, value, unit):
    quantity = parse_quantity(text)
    assert quantity.ok and quantity.value == value and quantity.unit == unit


def test_a_date_with_spaced_slashes_is_not_a_decimal():
    assert not parse_quantity("۱۳۹۹ / ۰۵ / ۱۲").ok


def test_the_finder_takes_no_part_of_a_date_or_ratio_written_with_spaced_slashes():
    # it used to take the date's last number, "۱۲", as a count
    for text in ("تاریخ ۱۳۹۹ / ۰۵ / ۱۲ اعلام شد", "نسبت ۳ / ۴ است"):
        assert find_quantities(text) == []
    text = "در تاریخ ۱۳۹۹ / ۰۵ / ۱۲ حدود ۱۲ نفر آمدند"
    assert [text[start:end] for start, end, _ in find_quantities(text)] == ["۱۲ نفر"]


@pytest.mark.parametrize("text, value, unit", [
    ("-۵ درصد", -5, "percent"),
    ("−5 درصد", -5, "percent"),  # U+2212 MINUS SIGN
    ("-۲.۵ درصد", -2.5, "percent"),
    ("–۳ درجه", -3, "degree"),  # an en dash typed for the minus
    ("حدود -۲٫۵ درصد", -2.5, "percent"),
    ("-۵ تا -۳ درجه", (-5, -3), "degree"),
    ("-۲ تا ۳ میلیون دلار", (-2 * M, 3 * M), "usd"),
])
def test_a_minus_glued_to_the_number_is_its_sign(text, value, unit):
    quantity = parse_quantity(text)
    assert quantity.ok and _close(quantity.value, value) and quantity.unit == unit, quantity


@pytest.mark.parametrize("text, value", [
    ("۱۰-۱۵ درصد", (10, 15)), ("۱۰ -۱۵ درصد", (10, 15)), ("۱۰−۱۵ درصد", (10, 15)), ("۱۰—۱۵ درصد", (10, 15)),
    ("600-500 میلیارد تومان", (500 * B, 600 * B)),
])
def test_a_dash_between_two_numbers_is_still_a_range(text, value):
    quantity = parse_quantity(text)
    assert quantity.ok and _close(quantity.value, value), quantity


@pytest.mark.parametrize("text", ["- ۵ درصد", "—۸۰ میلیون نفر", "‐۵ درصد", "--۵ درصد", "منفی -۵ درصد"])
def test_a_spaced_dash_or_an_em_dash_is_no_sign(text):
    assert not parse_quantity(text).ok  # a list mark or a parenthesis ("—۸۰ میلیون نفر—")


@pytest.mark.parametrize("sentence, expected", [
    ("-۲.۵ درصد", [("-۲.۵ درصد", -2.5, "percent")]),
    ("نرخ تورم -۲.۵ درصد و رشد −۳ درصد بود", [("-۲.۵ درصد", -2.5, "percent"), ("−۳ درصد", -3, "percent")]),
    ("رشد (-۱٫۲ درصد) بود", [("-۱٫۲ درصد", -1.2, "percent")]),
    ("دما بین -۵ تا -۳ درجه بود", [("-۵ تا -۳ درجه", (-5, -3), "degree")]),
    ("نرخ\n-۴ درصد", [("-۴ درصد", -4, "percent")]),
    ("- ۶۰ درصد مردم", [("۶۰ درصد", 60, "percent")]),  # a list dash
    ("۱۰-۱۵ درصد", [("۱۰-۱۵ درصد", (10, 15), "percent")]),
    ("در تاریخ ۱۴۰۲-۰۵-۰۱ ثبت شد", []),
    ("با ۰۲۱-۸۸۷۷۶۶۵۵ تماس بگیرید", []),
    ("شیوع COVID-19 و مدل A-5", []),
])
def test_the_finder_reads_a_glued_minus_but_no_range_date_or_code(sentence, expected):
    found = [(sentence[s:e], q.value, q.unit) for s, e, q in find_quantities(sentence)]
    assert [f[0] for f in found] == [x[0] for x in expected], found
    for (_, got, unit), (_, want, want_unit) in zip(found, expected):
        assert _close(got, want) and unit == want_unit, (got, unit)


def test_fullwidth_digits_are_digits():
    # "１９ هزار مگاوات" read as 1000 (the digits dropped, "هزار" alone)
    assert parse_quantity("１９ هزار مگاوات") == parse_quantity("19 هزار مگاوات")
    text = "تولید １９ هزار مگاوات برق"
    assert [text[start:end] for start, end, _ in find_quantities(text)] == ["１９ هزار مگاوات"]


@pytest.mark.parametrize("text, value, unit", [
    ("2 بار", 2, None),
    ("یکبار", 1, None),
    ("12 گانه", 12, None),
    ("دوازده‌گانه", 12, None),
    ("119 هزار و 254 قوطي", 119254, None),
    ("24028 كارتن", 24028, None),
    ("500 هزار شاخه", 500000, None),
    ("10 بند", 10, None),
    ("4 یا 5 ریشتری", [4, 5], "richter"),
    ("۵۰۰ یا ۶۰۰", [500, 600], None),
    ("نیمی", 0.5, None),
    ("۵ درجه زیر صفر", -5, "degree"),
    ("۱۱درجه سانتی\u200cگراد زیر صفر", -11, "celsius"),
    ("۲۵ درجه بالای صفر", 25, "degree"),
    ("4هزار و 112كيلو گرم", 4112, "kg"),
    ("15 میلیارد کیلوات ساعت", 15 * 10**9, "kwh"),
    ("50 گالن", 50, "gallon"),
])
def test_spans_marked_as_quantity_read_counting_words_ranges_and_temperatures(text, value, unit):
    # all from real-news annotations (corpus/real, rounds 3-5)
    quantity = parse_quantity(text)
    assert quantity.ok, quantity.reason
    assert quantity.to_json() == {"value": value, "unit": unit}


@pytest.mark.parametrize("text", ["۵ نفر زیر صفر", "۱۰ درصد بار", "۵ یا ۳", "بار", "درجه زیر صفر"])
def test_what_a_span_reading_still_refuses(text):
    assert not parse_quantity(text).ok


@pytest.mark.parametrize("sentence", ["او دو بار به تهران رفت.", "قانون ۱۲ گانه تصویب شد.", "۵ یا ۶ روز بعد"])
def test_the_finder_does_not_look_for_what_only_a_span_reading_accepts(sentence):
    # the gold articles leave "N بار" and "N گانه" untagged; "یا" joins no range found in running text
    found = [sentence[start:end] for start, end, _ in find_quantities(sentence)]
    assert not any("بار" in span or "گانه" in span or "یا" in span for span in found)


@pytest.mark.parametrize("sentence, span, unit", [
    ("در این حادثه ۶۰ تن کشته شدند.", "۶۰ تن", "person"),
    ("از مجموع این تعداد ۱۱۲ تن زن و ۷۶۲۴ نفر مرد بودند.", "۱۱۲ تن", "person"),
    ("شمار قربانيًان به ۲۲ هزار تن رسید", "۲۲ هزار تن", "person"),  # a dropped diacritic before the span
    ("۶۰ تن گندم صادر شد.", "۶۰ تن", "ton"),
    ("قیمت ۶۰ درصد بالا رفت و ۲ نفر کشته شدند.", "۶۰ درصد", "percent"),
])
def test_quantity_in_context_reads_tan_as_people_where_the_sentence_says_so(sentence, span, unit):
    start = sentence.index(span)
    assert quantity_in_context(sentence, start, start + len(span)).unit == unit
    # ... and agrees with the finder where the finder finds the same span
    found = {(s, e): q for s, e, q in find_quantities(sentence)}
    if (start, start + len(span)) in found:
        assert found[(start, start + len(span))].unit == unit
