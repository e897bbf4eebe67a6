"""Strict IOB2 span scores, computed as seqeval's `mode="strict", scheme=IOB2` computes them
(checked against seqeval on random tag sequences in tests/test_iob2.py), without seqeval and the
scikit-learn and SciPy it imports.

A span starts at a B- tag and goes on over the I- tags of its label that follow; an I- tag that
continues no span of its label belongs to none (strict mode; seqeval's default, conlleval's rule,
would start a span there). Scores are micro averages over sequences: precision = found / predicted,
recall = found / gold, 0 where a count is 0 (seqeval's zero_division=0).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

Span = tuple[str, int, int]  # (label, first tag, one past the last)


def strict_spans(tags: Sequence[str]) -> set[Span]:
    spans: set[Span] = set()
    label, start = None, 0
    for position, tag in enumerate([*tags, "O"]):
        if label is not None and tag != f"I-{label}":
            spans.add((label, start, position))
            label = None
        if tag.startswith("B-"):
            label, start = tag[2:], position
    return spans


def scores(tp: int, predicted: int, gold: int) -> dict:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": gold}


def strict_report(gold_sequences: Sequence[Sequence[str]], predicted_sequences: Sequence[Sequence[str]]) -> dict:
    """{"per_label": {label: scores}, "micro": scores} over the labels found in gold or predictions."""
    if len(gold_sequences) != len(predicted_sequences):
        raise ValueError(f"{len(gold_sequences)} gold sequences but {len(predicted_sequences)} predicted")
    found, predicted, gold = Counter(), Counter(), Counter()
    for gold_tags, predicted_tags in zip(gold_sequences, predicted_sequences):
        if len(gold_tags) != len(predicted_tags):
            raise ValueError(f"a sequence of {len(gold_tags)} gold tags has {len(predicted_tags)} predicted")
        truth, guess = strict_spans(gold_tags), strict_spans(predicted_tags)
        found.update(label for label, _, _ in truth & guess)
        predicted.update(label for label, _, _ in guess)
        gold.update(label for label, _, _ in truth)
    per_label = {label: scores(found[label], predicted[label], gold[label]) for label in sorted(set(gold) | set(predicted))}
    micro = scores(sum(found.values()), sum(predicted.values()), sum(gold.values()))
    return {"per_label": per_label, "micro": micro}
