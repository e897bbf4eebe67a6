#!/usr/bin/env python3
"""Score the officials and attribution rules alone: run them on the gold entities and claims.

`parsclaim evaluate` scores the rules on the model's entities, so a rule's own misses and the
model's are mixed. This feeds the rules the annotated spans instead:

    python scripts/officials_on_gold_entities.py corpus/dev.jsonl .prep/real/train.jsonl
    python scripts/officials_on_gold_entities.py .prep/real/train.jsonl --show   # every missed pair
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from parsclaim.data.corpus import load_articles  # noqa: E402
from parsclaim.evaluate.metrics import official_links, score  # noqa: E402
from parsclaim.inference.officials import attribute_claims, build_officials  # noqa: E402


def with_rules(article: dict) -> dict:
    """The article with officials and claimants from the rules, on its own entities and claim spans."""
    officials = build_officials(article["text"], article["entities"])
    claims = [{k: v for k, v in claim.items() if k not in ("claimant", "quantities")} for claim in article["claims"]]
    return {**article, "officials": officials,
            "claims": attribute_claims(article["text"], article["entities"], officials, claims)}


def show_differences(gold: dict, predicted: dict) -> None:
    text = gold["text"]
    gold_pairs, predicted_pairs = official_links(gold)[0], official_links(predicted)[0]
    for kind, pairs in (("missed", gold_pairs - predicted_pairs), ("extra", predicted_pairs - gold_pairs)):
        for name, role in sorted(pairs):
            print(f"  {gold['id']}: {kind} {text[name[0]:name[1]]!r} – {text[role[0]:role[1]]!r}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path, help="Gold JSONL files (corpus format).")
    parser.add_argument("--show", action="store_true", help="Print each missed and extra name–role pair.")
    args = parser.parse_args(argv)
    results = {}
    for path in args.files:
        gold = load_articles(path)
        predicted = [with_rules(article) for article in gold]
        if args.show:
            for g, p in zip(gold, predicted):
                show_differences(g, p)
        report = score(gold, predicted)
        officials = report["officials"]
        results[str(path)] = {
            **{link: round(100 * officials[link]["f1"], 2) for link in ("name_role", "role_org", "clusters")},
            "attribution": round(100 * report["attribution"]["accuracy"], 2),
        }
        print(f"{path}: {json.dumps(results[str(path)])}")
    return results


if __name__ == "__main__":
    main()
