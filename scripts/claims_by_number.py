"""How many gold claims a model found, apart for claims with and without a number.

Half the claims of real news hold no QUANTITY (8 % in the gold corpus); a claim counts as found
when a predicted claim overlaps it (the content-overlap view of `parsclaim evaluate`):

    parsclaim evaluate parsclaim/default_model .prep/real/test-r345.jsonl --predictions /tmp/pred.jsonl
    python scripts/claims_by_number.py .prep/real/test-r345.jsonl /tmp/pred.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def read(path: Path) -> dict[str, dict]:
    return {article["id"]: article for article in map(json.loads, path.read_text(encoding="utf-8").splitlines())
            if "claims" in article}


def count(gold: dict[str, dict], predicted: dict[str, dict]) -> dict[str, int]:
    counts = dict.fromkeys(("without_number", "without_number_found", "with_number", "with_number_found",
                            "predicted", "predicted_with_number"), 0)
    for article_id, article in gold.items():
        claims = predicted.get(article_id, {}).get("claims", [])
        counts["predicted"] += len(claims)
        counts["predicted_with_number"] += sum(bool(c.get("quantities")) for c in claims)
        for claim in article["claims"]:
            kind = "with_number" if claim.get("quantities") else "without_number"
            counts[kind] += 1
            counts[f"{kind}_found"] += any(c["start"] < claim["end"] and claim["start"] < c["end"] for c in claims)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path, help="gold JSONL (corpus format)")
    parser.add_argument("predicted", type=Path, help="`parsclaim evaluate --predictions` or `parsclaim tag` output")
    args = parser.parse_args(argv)
    for path in (args.gold, args.predicted):
        if not path.is_file():
            parser.error(f"{path}: no such file")
    c = count(read(args.gold), read(args.predicted))
    print(f"claims without a number found: {c['without_number_found']} of {c['without_number']}; "
          f"with one: {c['with_number_found']} of {c['with_number']}; "
          f"predicted: {c['predicted']} ({c['predicted_with_number']} with a number)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
