"""Counts per corpus file: documents, tokens, entities per label, claims, officials."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .corpus import annotated_articles
from .schema import ENTITY_LABELS


def corpus_stats(path: str | Path) -> dict:
    labels: Counter = Counter()
    stats = {"file": str(path), "documents": 0, "tokens": 0, "claims": 0, "claims_with_cue": 0, "officials": 0, "quantities_with_value": 0}
    skipped: dict[str, int] = {}
    for article in annotated_articles(path, skipped):
        stats["documents"] += 1
        stats["tokens"] += len(article["text"].split())
        labels.update(entity["label"] for entity in article["entities"])
        stats["quantities_with_value"] += sum(1 for e in article["entities"] if e["label"] == "QUANTITY" and e.get("value") is not None)
        claims = article.get("claims") or []
        stats["claims"] += len(claims)
        stats["claims_with_cue"] += sum(1 for c in claims if c.get("cue"))
        stats["officials"] += len(article.get("officials") or [])
    stats["entities"] = {label: labels.get(label, 0) for label in ENTITY_LABELS}
    stats["skipped"] = skipped  # error records and raw text: not documents of this corpus
    return stats


def format_stats(rows: list[dict]) -> str:
    header = ["file", "docs", "tokens", *ENTITY_LABELS, "claims", "cues", "officials"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    total = Counter()
    for row in rows:
        values = [row["documents"], row["tokens"], *row["entities"].values(), row["claims"], row["claims_with_cue"], row["officials"]]
        total.update(dict(enumerate(values)))
        lines.append("| " + " | ".join([Path(row["file"]).name] + [f"{v:,}" for v in values]) + " |")
    if len(rows) > 1:
        lines.append("| total | " + " | ".join(f"{total[i]:,}" for i in range(len(header) - 1)) + " |")
    return "\n".join(lines)
