"""Constrained IOB2 decoding: the most probable tag sequence that IOB2 allows.

Taking each token's most probable tag can give sequences IOB2 forbids ("O I-ORG",
"B-ORG I-LOC"); `align.decode_spans` repairs them after the fact by opening a new
span, which splits one entity into fragments or invents one. Viterbi over the
positions the heads were trained to tag (a word's first sub-token, and an in-word
cue) instead picks the best sequence in which every I-X follows B-X or I-X. The
transitions are hard constraints, not learned scores: where the per-token argmax
is already valid it is the answer, so only texts with a forbidden transition pay
for the search.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

DECODINGS = ("viterbi", "argmax")
DECODING_HELP = "viterbi (the most probable valid IOB2 tag sequence) or argmax (each token's best tag, invalid runs repaired)."


def check_decoding(method: str, option: str = "decoding") -> None:
    """One error for every entry point (`option`: how the caller spells it, e.g. "--decoding")."""
    if method not in DECODINGS:
        raise ValueError(f"{option} must be one of {', '.join(DECODINGS)}, not {method!r}")


def tagged_positions(word_ids: Sequence[int | None], offsets: Sequence[tuple[int, int]], best: Sequence[int],
                     inword_ids: Iterable[int] = ()) -> list[int]:
    """Positions whose tag counts (see `align.inference_tags`): a word's first sub-token, or a
    continuation whose best tag opens an in-word span; never special or empty tokens."""
    n = len(word_ids)
    words = np.fromiter((-1 if word is None else word for word in word_ids), dtype=np.int64, count=n)
    spans = np.asarray(offsets, dtype=np.int64).reshape(n, 2)
    first = np.ones(n, dtype=bool)
    first[1:] = words[1:] != words[:-1]
    inword = np.isin(np.asarray(best), list(inword_ids))
    return np.flatnonzero((words >= 0) & (spans[:, 1] > spans[:, 0]) & (first | inword)).tolist()


@lru_cache(maxsize=None)
def _begin_of(tags: tuple[str, ...]) -> np.ndarray:
    index = {tag: i for i, tag in enumerate(tags)}
    begin = np.array([index[f"B-{tag[2:]}"] if tag.startswith("I-") else -1 for tag in tags])
    begin.setflags(write=False)  # shared by every call
    return begin


def continues(tags: Sequence[str]) -> np.ndarray:
    """For each tag the index of the B- tag it must follow, -1 for tags that may start anywhere."""
    return _begin_of(tuple(tags))


def is_valid(path: Sequence[int], tags: Sequence[str]) -> bool:
    """Every I-X follows B-X or I-X."""
    path = np.asarray(path, dtype=np.int64)
    begin = continues(tags)[path]
    previous = np.concatenate(([-1], path[:-1]))
    inside = begin >= 0
    return bool(np.all((previous[inside] == begin[inside]) | (previous[inside] == path[inside])))


def viterbi(log_probs: np.ndarray, tags: Sequence[str]) -> list[int]:
    """Best IOB2-valid tag sequence for per-position log-probabilities [positions, tags]."""
    n, k = log_probs.shape
    if n == 0:
        return []
    begin = continues(tags)
    inside = np.flatnonzero(begin >= 0)
    start_of = begin[inside]
    score = np.where(begin >= 0, -np.inf, log_probs[0])
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        best_prev = int(score.argmax())
        incoming = np.full(k, best_prev)
        # I-X continues from B-X or I-X, whichever scored higher
        from_inside = score[inside] >= score[start_of]
        incoming[inside] = np.where(from_inside, inside, start_of)
        back[t] = incoming
        score = log_probs[t] + score[incoming]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def decode(probs: np.ndarray, tags: Sequence[str], word_ids: Sequence[int | None], offsets: Sequence[tuple[int, int]],
           inword_labels: Iterable[str] = (), method: str = "viterbi") -> np.ndarray:
    """Per-token tag ids from per-token probabilities [tokens, tags]; with "viterbi" the tagged
    positions form a valid IOB2 sequence (other positions keep their argmax: they inherit)."""
    check_decoding(method)
    best = probs.argmax(-1)
    if method == "argmax" or len(best) == 0:
        return best
    inword_tags = {f"B-{label}" for label in inword_labels}
    inword_ids = [i for i, tag in enumerate(tags) if tag in inword_tags]
    positions = tagged_positions(word_ids, offsets, best, inword_ids)
    if is_valid(best[positions], tags):
        return best
    with np.errstate(divide="ignore"):
        path = viterbi(np.log(probs[positions]), tags)
    best = best.copy()
    best[positions] = path
    return best
