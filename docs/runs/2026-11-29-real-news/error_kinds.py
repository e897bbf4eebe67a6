"""Count entity and claim errors on real news by kind (gold and predictions in the corpus JSONL format).

    python docs/runs/2026-11-29-real-news/error_kinds.py .prep/real/real.jsonl PREDICTIONS.jsonl [--show N]

Entities: a gold span not predicted is a *boundary* error when a prediction of the same label
overlaps it, a *label* error when only other labels overlap, else *missed*; a prediction overlapping
no gold span is *spurious*. Claims: gold claims no predicted claim overlaps, by whether they hold a
QUANTITY; predicted claims overlapping no gold one. --show prints examples (raw text: not for the repo).
"""

from __future__ import annotations

import argparse
import collections
import json
import random


def load(path):
    with open(path, encoding="utf-8") as handle:
        return {record["id"]: record for record in map(json.loads, handle)}


def overlaps(a, b):
    return a["start"] < b["end"] and b["start"] < a["end"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold")
    parser.add_argument("predictions")
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    gold, predicted = load(args.gold), load(args.predictions)
    kinds, examples = collections.Counter(), collections.defaultdict(list)
    for article_id, article in gold.items():
        text, guess = article["text"], predicted[article_id]
        key = lambda e: (e["start"], e["end"], e["label"])  # noqa: E731
        exact = {key(e) for e in article["entities"]} & {key(e) for e in guess["entities"]}
        for entity in article["entities"]:
            if key(entity) in exact:
                continue
            near = [p for p in guess["entities"] if key(p) not in exact and overlaps(p, entity)]
            kind = "missed" if not near else "boundary" if any(p["label"] == entity["label"] for p in near) else "label"
            kinds[("entity", kind, entity["label"])] += 1
            examples[(kind, entity["label"])].append(text[entity["start"]:entity["end"]])
        for entity in guess["entities"]:
            if key(entity) not in exact and not any(overlaps(entity, g) for g in article["entities"]):
                kinds[("entity", "spurious", entity["label"])] += 1
                examples[("spurious", entity["label"])].append(text[entity["start"]:entity["end"]])
        for claim in article["claims"]:
            if not any(overlaps(claim, p) for p in guess["claims"]):
                kinds[("claim", "missed", "with a QUANTITY" if claim["quantities"] else "without a QUANTITY")] += 1
        for claim in guess["claims"]:
            if not any(overlaps(claim, g) for g in article["claims"]):
                kinds[("claim", "spurious", "with a number" if claim["quantities"] else "without a number")] += 1
    print("| what | kind | label | count |\n|---|---|---|---|")
    for (what, kind, label), count in sorted(kinds.items()):
        print(f"| {what} | {kind} | {label} | {count} |")
    rng = random.Random(1)
    for (kind, label), found in sorted(examples.items()) if args.show else []:
        print(kind, label, rng.sample(found, min(args.show, len(found))))


if __name__ == "__main__":
    main()
