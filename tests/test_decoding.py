"""Constrained IOB2 decoding (parsclaim.models.decoding)."""

import itertools
import math

import numpy as np
import pytest

from parsclaim.data.schema import CLAIM_TAGS, ENTITY_TAGS
from parsclaim.models import decoding

TAGS = ["O", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


def probs(*rows: dict) -> np.ndarray:
    """One row per position: {tag: prob}, the rest of the mass spread over the other tags."""
    out = []
    for row in rows:
        rest = (1 - sum(row.values())) / (len(TAGS) - len(row))
        out.append([row.get(tag, rest) for tag in TAGS])
    return np.array(out)


def best_valid_by_enumeration(log_probs: np.ndarray, tags) -> float:
    best = -math.inf
    for path in itertools.product(range(len(tags)), repeat=len(log_probs)):
        if decoding.is_valid(path, tags):
            best = max(best, sum(log_probs[t, i] for t, i in enumerate(path)))
    return best


def test_an_inside_tag_after_o_becomes_a_valid_span():
    # argmax: O I-ORG I-ORG; B-ORG is a close second at position 0
    p = probs({"O": 0.5, "B-ORG": 0.45}, {"I-ORG": 0.9}, {"I-ORG": 0.9})
    assert [TAGS[i] for i in p.argmax(-1)] == ["O", "I-ORG", "I-ORG"]
    assert [TAGS[i] for i in decoding.viterbi(np.log(p), TAGS)] == ["B-ORG", "I-ORG", "I-ORG"]


def test_a_label_switch_inside_a_span_takes_one_label():
    p = probs({"B-ORG": 0.9}, {"I-LOC": 0.5, "I-ORG": 0.4}, {"I-ORG": 0.9})
    assert [TAGS[i] for i in decoding.viterbi(np.log(p), TAGS)] == ["B-ORG", "I-ORG", "I-ORG"]


@pytest.mark.parametrize("seed", range(20))
def test_viterbi_finds_the_best_valid_sequence(seed):
    rng = np.random.default_rng(seed)
    log_probs = np.log(rng.dirichlet(np.ones(len(TAGS)) * 0.3, size=int(rng.integers(1, 6))))
    path = decoding.viterbi(log_probs, TAGS)
    assert decoding.is_valid(path, TAGS)
    assert sum(log_probs[t, i] for t, i in enumerate(path)) == pytest.approx(best_valid_by_enumeration(log_probs, TAGS))


def test_valid_argmax_is_kept_and_continuations_are_not_decoded():
    # tokens: w0 | w1 w1 | w2 ; the continuation of w1 says I-LOC, which is no tagged position
    p = probs({"B-ORG": 0.9}, {"I-ORG": 0.9}, {"I-LOC": 0.9}, {"O": 0.9})
    word_ids, offsets = [0, 1, 1, 2], [(0, 2), (3, 5), (5, 7), (8, 9)]
    assert decoding.decode(p, TAGS, word_ids, offsets).tolist() == p.argmax(-1).tolist()


def test_only_tagged_positions_are_rewritten():
    p = probs({"O": 0.9}, {"I-ORG": 0.6, "O": 0.3}, {"I-LOC": 0.9}, {"O": 0.9})
    word_ids, offsets = [0, 1, 1, 2], [(0, 2), (3, 5), (5, 7), (8, 9)]
    decoded = decoding.decode(p, TAGS, word_ids, offsets)
    assert [TAGS[i] for i in decoded] == ["O", "O", "I-LOC", "O"]  # position 2 keeps its argmax: it inherits
    assert decoding.decode(p, TAGS, word_ids, offsets, method="argmax").tolist() == p.argmax(-1).tolist()


def test_an_in_word_cue_takes_part_in_the_sequence():
    tags = list(CLAIM_TAGS)
    row = lambda **kw: [kw.get(tag.replace("-", "_"), 0.01) for tag in tags]  # noqa: E731
    p = np.array([row(O=0.9), row(B_CUE=0.9), row(I_CUE=0.5, O=0.4)])
    p = p / p.sum(-1, keepdims=True)
    word_ids, offsets = [0, 0, 1], [(0, 2), (2, 7), (8, 10)]  # "وی|افزود" then the next word
    decoded = [tags[i] for i in decoding.decode(p, tags, word_ids, offsets, inword_labels=("CUE",))]
    assert decoded == ["O", "B-CUE", "I-CUE"]
    # without the in-word label, the continuation is no position and I-CUE after O is refused
    decoded = [tags[i] for i in decoding.decode(p, tags, word_ids, offsets)]
    assert decoded[2] == "O"


def test_special_and_empty_tokens_are_skipped():
    p = probs({"O": 0.9}, {"B-ORG": 0.9}, {"I-ORG": 0.9})
    # an empty token between B-ORG and I-ORG must not break the span
    assert decoding.tagged_positions([None, 0, 1], [(0, 0), (0, 3), (4, 6)], p.argmax(-1)) == [1, 2]
    assert decoding.tagged_positions([0, 1, 2], [(0, 3), (3, 3), (4, 6)], p.argmax(-1)) == [0, 2]


def test_schema_tags_have_their_begin_tags():
    for tags in (ENTITY_TAGS, CLAIM_TAGS):
        begin = decoding.continues(tags)
        assert all(tags[b] == "B-" + tag[2:] for tag, b in zip(tags, begin) if b >= 0)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="viterbi"):
        decoding.decode(np.ones((1, len(TAGS))), TAGS, [0], [(0, 1)], method="greedy")


def test_viterbi_many_gives_each_sequence_its_own_best_path(monkeypatch):
    rng = np.random.default_rng(7)
    sequences = [np.log(rng.dirichlet(np.ones(len(TAGS)) * 0.3, size=n)).astype(np.float32) for n in (5, 0, 1, 12, 3, 9)]
    sequences[3][4, 2] = -np.inf  # a probability that underflowed to 0
    alone = [decoding.viterbi(s, TAGS) if len(s) else [] for s in sequences]
    for s, path in zip(sequences, alone):
        assert len(path) == len(s) and (not path or decoding.is_valid(path, TAGS))
        if 0 < len(s) <= 5:
            assert sum(s[t, i] for t, i in enumerate(path)) == pytest.approx(best_valid_by_enumeration(s, TAGS))
    assert decoding.viterbi_many(sequences, TAGS) == alone
    monkeypatch.setattr(decoding, "BLOCK_POSITIONS", 12)  # several blocks, one of a single sequence
    assert decoding.viterbi_many(sequences, TAGS) == alone


def test_decode_many_equals_decode_one_by_one():
    rng = np.random.default_rng(3)
    items = []
    for n in (4, 7, 1):
        p = rng.dirichlet(np.ones(len(TAGS)) * 0.3, size=n)
        word_ids = sorted(rng.integers(0, n, size=n).tolist())
        offsets = [(2 * w, 2 * w + 1) for w in word_ids]
        items.append((p, word_ids, offsets))
    for method in decoding.DECODINGS:
        many = decoding.decode_many(items, TAGS, method=method)
        assert [m.tolist() for m in many] == [decoding.decode(p, TAGS, w, o, method=method).tolist() for p, w, o in items]


def test_line_starts_mark_the_first_token_after_any_line_break():
    text = "علی رضا\nدانشگاه تهران\r\nوزارت\u2028نفت"
    words = [(0, 3), (4, 7), (8, 15), (16, 21), (23, 28), (29, 32)]
    offsets = [(0, 0), *words, (0, 0)]  # [CLS] ... [SEP]
    assert decoding.line_starts(text, offsets).tolist() == [False, False, False, True, False, True, True, False]
    # sub-tokens of one word never start a line; no break, no start
    assert decoding.line_starts("ab\ncd", [(0, 1), (1, 2), (3, 4), (4, 5)]).tolist() == [False, False, True, False]
    assert not decoding.line_starts("ab cd", [(0, 2), (3, 5)]).any()
    assert decoding.line_starts("", []).tolist() == []
    # a decimal split by a newline ("۱۴.\n۴ تریلیون", IR-News) may be one span; a new line of text may not
    assert decoding.line_starts("۱۴.\n۴ ین.\nب", [(0, 2), (2, 3), (4, 5), (6, 8), (8, 9), (10, 11)]).tolist() == \
        [False, False, False, False, False, True]


def test_viterbi_does_not_continue_a_span_across_a_line_break():
    # "دانشگاه پیام نور\nمحمود": the head runs the ORG on into the next line (I-ORG at its first word)
    p = probs({"B-ORG": 0.9}, {"I-ORG": 0.9}, {"I-ORG": 0.6, "B-LOC": 0.3})
    word_ids, offsets = [0, 1, 2], [(0, 2), (3, 5), (6, 8)]
    assert [TAGS[i] for i in decoding.decode(p, TAGS, word_ids, offsets)] == ["B-ORG", "I-ORG", "I-ORG"]
    starts = [False, False, True]
    path = [TAGS[i] for i in decoding.decode(p, TAGS, word_ids, offsets, starts=starts)]
    assert path == ["B-ORG", "I-ORG", "B-LOC"]  # the best tag that may start there
    assert decoding.is_valid([TAGS.index(t) for t in path], TAGS, starts)
    assert not decoding.is_valid([1, 2, 2], TAGS, starts)
    # decode_many gives what decode gives, with and without line starts
    many = decoding.decode_many([(p, word_ids, offsets)] * 2, TAGS, starts=[starts, [False] * 3])
    assert [TAGS[i] for i in many[0]] == path and [TAGS[i] for i in many[1]] == ["B-ORG", "I-ORG", "I-ORG"]


def test_spans_are_cut_at_line_starts_with_argmax_decoding_too():
    from parsclaim.data import align

    text = "1417ق.\n31 کتاب"
    offsets, word_ids = [(0, 6), (7, 9), (10, 14)], [0, 1, 2]
    tags = ["B-QUANTITY", "I-QUANTITY", "O"]
    assert [(s["start"], s["end"]) for s in align.decode_spans(tags, offsets, word_ids)] == [(0, 9)]
    starts = decoding.line_starts(text, offsets).tolist()
    assert [(s["start"], s["end"], s["label"]) for s in align.decode_spans(tags, offsets, word_ids, starts=starts)] == [
        (0, 6, "QUANTITY"), (7, 9, "QUANTITY")]
