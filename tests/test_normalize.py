from hypothesis import given, settings
from hypothesis import strategies as st

from parsclaim.data.normalize import DROPPED, SPACES, normalize, tokenizer_normalizer

PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآأؤئءيكىة"
DIGITS = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789٫٬"
mixed_text = st.text(alphabet=st.sampled_from(list(PERSIAN + DIGITS + SPACES + DROPPED + "abcXYZ .,:،؛!?\n\t%٪")), max_size=60)

BACKEND = tokenizer_normalizer()


def test_examples():
    result = normalize("ويافزود: ۱۹هزار سازمان‌هاي\u00a0كشور ٢٫٥")
    assert result.text == "ویافزود: 19هزار سازمانهای کشور 2.5"


@settings(max_examples=1500, deadline=None)
@given(mixed_text)
def test_python_and_tokenizer_normalizers_agree(text):
    assert normalize(text).text == BACKEND.normalize_str(text)


@settings(max_examples=1500, deadline=None)
@given(mixed_text, st.data())
def test_any_span_of_the_normalized_text_maps_back_exactly(text, data):
    result = normalize(text)
    if not result.text:
        return
    start = data.draw(st.integers(0, len(result.text) - 1))
    end = data.draw(st.integers(start + 1, len(result.text)))
    original_start, original_end = result.to_original(start, end)
    # The original characters, normalized again, give exactly the span.
    assert normalize(text[original_start:original_end]).text == result.text[start:end]
    # And the mapped span starts and ends on characters that survived normalization.
    assert normalize(text[original_start]).text and normalize(text[original_end - 1]).text


@settings(max_examples=500, deadline=None)
@given(mixed_text)
def test_normalization_is_idempotent(text):
    once = normalize(text).text
    assert normalize(once).text == once


def test_line_start_after_any_line_break():
    from parsclaim.data.normalize import line_start

    text = "ab\ncd\u2029ef\r\ngh\rij"
    assert [line_start(text, i) for i in range(len(text) + 1)] == [0, 0, 0, 3, 3, 3, 6, 6, 6, 9, 10, 10, 10, 13, 13, 13]
    assert line_start("no break", 5) == 0 and line_start("", 0) == 0


def test_a_decimal_split_by_a_newline_is_not_a_line_break():
    """IR-News breaks the line after every ".", decimal points included ("۱۴.\n۴ تریلیون ین")."""
    from parsclaim.data.normalize import line_breaks

    assert line_breaks("ارزش ۴.\n۶۵ درصد") == line_breaks("به 453.\n5 روبل") == []
    assert line_breaks("کشته شدند.\n۵ نفر") == [10]  # the point ends a word
    assert line_breaks("سال 1376.\n10. جوادی") == [9]  # a numbered list
    assert line_breaks("۱۴.\r\n۴ درصد") == [3, 4] and line_breaks("۱۴.\n\n۴ درصد") == [3, 4]
