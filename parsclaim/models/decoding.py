"""Constrained IOB2 decoding: the most probable tag sequence that IOB2 allows.

Taking each token's most probable tag can give sequences IOB2 forbids ("O I-ORG",
"B-ORG I-LOC"); `align.decode_spans` repairs them after the fact by opening a new
span, which splits one entity into fragments or invents one. Viterbi over the
positions the heads were trained to tag (a word's first sub-token, and an in-word
cue) instead picks the best sequence in which every I-X follows B-X or I-X. The
transitions are hard constraints, not learned scores: where the per-token argmax
is already valid it is the answer, so only texts with a forbidden transition pay
for the search. A line break is a hard boundary too: no span runs on across one (none of the
gold corpus's 13 k entities and 2 k claims does, while the heads, reading "\n" as a space, ran
bibliography entries and table rows together), so the first word of a line cannot be I-X.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from ..data.normalize import line_breaks

DECODINGS = ("viterbi", "argmax")
DECODING_HELP = "viterbi (the most probable valid IOB2 tag sequence) or argmax (each token's best tag, invalid runs repaired)."


def check_decoding(method: str, option: str = "decoding") -> None:
    """One error for every entry point (`option`: how the caller spells it, e.g. "--decoding")."""
    if method not in DECODINGS:
        raise ValueError(f"{option} must be one of {', '.join(DECODINGS)}, not {method!r}")


def tagged_positions(word_ids: Sequence[int | None], offsets: Sequence[tuple[int, int]], best: Sequence[int],
                     inword_ids: Iterable[int] = ()) -> list[int]:
    """Positions whose tag counts (see `align.inference_tags`): a word's first sub-token, or a
    continuation whose best tag opens an in-word span; never special or empty tokens.
    `word_ids` may also be an integer array with -1 for no word."""
    n = len(word_ids)
    words = (word_ids if isinstance(word_ids, np.ndarray)
             else np.fromiter((-1 if word is None else word for word in word_ids), dtype=np.int64, count=n))
    spans = np.asarray(offsets, dtype=np.int64).reshape(n, 2)
    first = np.ones(n, dtype=bool)
    first[1:] = words[1:] != words[:-1]
    inword = np.isin(np.asarray(best), list(inword_ids))
    return np.flatnonzero((words >= 0) & (spans[:, 1] > spans[:, 0]) & (first | inword)).tolist()


def line_starts(text: str, offsets: Sequence[tuple[int, int]]) -> np.ndarray:
    """For each token: does a line break lie between it and the token before it (special and empty
    tokens, offsets (0, 0), are skipped)? Such a token cannot continue a span."""
    spans = np.asarray(offsets, dtype=np.int64).reshape(len(offsets), 2)
    breaks = np.array(line_breaks(text), dtype=np.int64)
    real = spans[:, 1] > spans[:, 0]
    if not len(breaks) or not real.any():
        return np.zeros(len(spans), dtype=bool)
    previous_end = np.concatenate(([0], np.maximum.accumulate(np.where(real, spans[:, 1], 0))[:-1]))
    return real & (np.searchsorted(breaks, spans[:, 0]) > np.searchsorted(breaks, previous_end))


@lru_cache(maxsize=None)
def _begin_of(tags: tuple[str, ...]) -> np.ndarray:
    index = {tag: i for i, tag in enumerate(tags)}
    begin = np.array([index[f"B-{tag[2:]}"] if tag.startswith("I-") else -1 for tag in tags])
    begin.setflags(write=False)  # shared by every call
    return begin


def continues(tags: Sequence[str]) -> np.ndarray:
    """For each tag the index of the B- tag it must follow, -1 for tags that may start anywhere."""
    return _begin_of(tuple(tags))


def is_valid(path: Sequence[int], tags: Sequence[str], starts: Sequence[bool] | None = None) -> bool:
    """Every I-X follows B-X or I-X, and none is at a line start (`starts`, per position)."""
    path = np.asarray(path, dtype=np.int64)
    begin = continues(tags)[path]
    previous = np.concatenate(([-1], path[:-1]))
    inside = begin >= 0
    if starts is not None and bool(np.any(inside & np.asarray(starts, dtype=bool))):
        return False
    return bool(np.all((previous[inside] == begin[inside]) | (previous[inside] == path[inside])))


def viterbi(log_probs: np.ndarray, tags: Sequence[str]) -> list[int]:
    """Best IOB2-valid tag sequence for per-position log-probabilities [positions, tags]."""
    return viterbi_many([log_probs], tags)[0]


# Positions (sequences x longest) decoded in one block: bounds the padded arrays' memory.
BLOCK_POSITIONS = 1 << 20


def viterbi_many(sequences: Sequence[np.ndarray], tags: Sequence[str]) -> list[list[int]]:
    """`viterbi` for many sequences at once, each [positions, tags]: one vectorized step per
    position of the longest in a block (a Python loop per sequence made Viterbi the largest
    post-processing cost of the Extractor). Ties break as they would alone: the first best tag,
    and an I-X continues from I-X rather than B-X when both score the same."""
    paths: list[list[int]] = [[] for _ in sequences]
    order = sorted((i for i, s in enumerate(sequences) if len(s)), key=lambda i: len(sequences[i]))
    block: list[int] = []
    for i in order:  # similar lengths share a block: little padding
        if block and (len(block) + 1) * len(sequences[i]) > BLOCK_POSITIONS:
            _viterbi_block([sequences[j] for j in block], tags, paths, block)
            block = []
        block.append(i)
    if block:
        _viterbi_block([sequences[j] for j in block], tags, paths, block)
    return paths


def _viterbi_block(sequences: list[np.ndarray], tags: Sequence[str], paths: list[list[int]], indices: list[int]) -> None:
    begin = continues(tags)
    inside = np.flatnonzero(begin >= 0)
    start_of = begin[inside]
    lengths = np.array([len(s) for s in sequences])
    count, longest, k = len(sequences), int(lengths.max()), len(tags)
    log_probs = np.zeros((count, longest, k), dtype=np.result_type(*sequences))
    for row, sequence in enumerate(sequences):
        log_probs[row, : len(sequence)] = sequence
    score = np.where(begin >= 0, -np.inf, log_probs[:, 0]).astype(log_probs.dtype)
    back = np.zeros((longest, count, k), dtype=np.int8 if k < 128 else np.int64)
    for t in range(1, longest):
        incoming = np.repeat(score.argmax(1)[:, None], k, axis=1)
        # I-X continues from B-X or I-X, whichever scored higher
        from_inside = score[:, inside] >= score[:, start_of]
        incoming[:, inside] = np.where(from_inside, inside, start_of)
        back[t] = incoming
        stepped = log_probs[:, t] + np.take_along_axis(score, incoming, axis=1)
        score = np.where((t < lengths)[:, None], stepped, score)  # finished sequences keep their last score
    rows = np.arange(count)
    tag = score.argmax(1)
    path = np.zeros((count, longest), dtype=np.int64)
    for t in range(longest - 1, 0, -1):
        running = t < lengths
        path[running, t] = tag[running]
        tag = np.where(running, back[t, rows, tag], tag)
    path[:, 0] = tag
    for row, index in enumerate(indices):
        paths[index] = path[row, : lengths[row]].tolist()


def decode(probs: np.ndarray, tags: Sequence[str], word_ids: Sequence[int | None], offsets: Sequence[tuple[int, int]],
           inword_labels: Iterable[str] = (), method: str = "viterbi", starts: Sequence[bool] | None = None) -> np.ndarray:
    """Per-token tag ids from per-token probabilities [tokens, tags]; with "viterbi" the tagged
    positions form a valid IOB2 sequence (other positions keep their argmax: they inherit) with
    no I-X on a token that `starts` a line (`line_starts`)."""
    return decode_many([(probs, word_ids, offsets)], tags, inword_labels, method, None if starts is None else [starts])[0]


def decode_many(items: Sequence[tuple[np.ndarray, Sequence[int | None], Sequence[tuple[int, int]]]], tags: Sequence[str],
                inword_labels: Iterable[str] = (), method: str = "viterbi",
                starts: Sequence[Sequence[bool]] | None = None) -> list[np.ndarray]:
    """`decode` for many texts, (probs, word_ids, offsets) each, with their `line_starts` if given;
    their Viterbi searches run together. (With "argmax", `align.decode_spans` cuts spans at line starts.)"""
    check_decoding(method)
    inword_tags = {f"B-{label}" for label in inword_labels}
    inword_ids = [i for i, tag in enumerate(tags) if tag in inword_tags]
    decoded = [probs.argmax(-1) for probs, _, _ in items]
    if method == "argmax":
        return decoded
    inside = continues(tags) >= 0
    searched: list[tuple[int, list[int]]] = []
    log_probs: list[np.ndarray] = []
    for index, ((probs, word_ids, offsets), best) in enumerate(zip(items, decoded)):
        positions = tagged_positions(word_ids, offsets, best, inword_ids) if len(best) else []
        cut = None if starts is None else np.asarray(starts[index], dtype=bool)[positions]
        if not is_valid(best[positions], tags, cut):
            searched.append((index, positions))
            with np.errstate(divide="ignore"):
                scores = np.log(probs[positions])
            if cut is not None and cut.any():
                scores[np.ix_(cut, inside)] = -np.inf
            log_probs.append(scores)
    paths = viterbi_many(log_probs, tags)
    for (index, positions), path in zip(searched, paths):
        decoded[index] = decoded[index].copy()
        decoded[index][positions] = path
    return decoded
