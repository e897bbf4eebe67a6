"""The annotation schema: the single source of truth for every label list.

Spans are the truth in the data; BIO tags are only the model's encoding of
them, derived here and nowhere else.
"""

from __future__ import annotations

ENTITY_LABELS: tuple[str, ...] = ("PER", "ROLE", "ORG", "LOC", "DATE", "QUANTITY")
CLAIM_LABELS: tuple[str, ...] = ("CUE", "CLAIM")

OUTSIDE = "O"
IGNORE_INDEX = -100  # positions the loss skips (non-first sub-tokens, special tokens)


def bio_labels(span_labels: tuple[str, ...]) -> list[str]:
    """IOB2 tag set for a tuple of span labels: O first, then B-/I- per label."""
    tags = [OUTSIDE]
    for label in span_labels:
        tags += [f"B-{label}", f"I-{label}"]
    return tags


ENTITY_TAGS: list[str] = bio_labels(ENTITY_LABELS)
CLAIM_TAGS: list[str] = bio_labels(CLAIM_LABELS)


def label2id(tags: list[str]) -> dict[str, int]:
    return {tag: i for i, tag in enumerate(tags)}


def id2label(tags: list[str]) -> dict[int, str]:
    return dict(enumerate(tags))


def tag_label(tag: str) -> str | None:
    """'B-ORG' -> 'ORG'; 'O' -> None."""
    return None if tag == OUTSIDE else tag[2:]
