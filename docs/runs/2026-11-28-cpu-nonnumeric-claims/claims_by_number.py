"""Claim recall split by whether the gold claim holds a QUANTITY (overlap match), and predicted claims by the same split.

    python claims_by_number.py PREDICTIONS.jsonl GOLD.jsonl [GOLD.jsonl ...]
"""
import collections
import json
import sys

gold = {a["id"]: a for path in sys.argv[2:] for a in map(json.loads, open(path, encoding="utf-8"))}
predicted = {a["id"]: a for a in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
counts = collections.Counter()
for article_id, article in gold.items():
    prediction = predicted[article_id]
    spans = [(c["start"], c["end"]) for c in prediction["claims"]]
    for claim in article["claims"]:
        kind = "with number" if claim["quantities"] else "without number"
        counts[kind, "gold"] += 1
        counts[kind, "found"] += any(start < claim["end"] and claim["start"] < end for start, end in spans)
    for claim in prediction["claims"]:
        counts["with number" if claim.get("quantities") else "without number", "predicted"] += 1
for kind in ("with number", "without number"):
    print(f"{kind}: {counts[kind, 'found']}/{counts[kind, 'gold']} gold claims found, {counts[kind, 'predicted']} predicted")
