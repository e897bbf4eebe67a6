"""False positives of an ARMAN head on ARMAN dev, and how many overlap ARMAN's fac/pro/event spans.

    python docs/runs/2026-11-29-cpu-arman-extra-labels-not-adopted/false_positives.py PRED.jsonl [...]

PRED.jsonl: `parsclaim evaluate MODEL conll:arman:.prep/split/arman/dev.conll --predictions PRED.jsonl`.
Needs the patch of this folder applied (load_conll keeps fac/pro/event as `extra_entities`).
"""

import json
import sys
from collections import Counter

from parsclaim.data.conll import load_conll

gold = {a["id"]: a for a in load_conll(".prep/split/arman/dev.conll", "arman")}
for path in sys.argv[1:]:
    predicted = {json.loads(line)["id"]: json.loads(line) for line in open(path, encoding="utf-8")}
    false_positives, missed, on_extra = Counter(), Counter(), 0
    for article_id, article in gold.items():
        truth = {(e["start"], e["end"], e["label"]) for e in article["entities"]}
        found = {(e["start"], e["end"], e["label"]) for e in predicted[article_id]["entities"] if e["label"] in ("PER", "ORG", "LOC")}
        extras = [(e["start"], e["end"]) for e in article.get("extra_entities", [])]
        for start, end, label in found - truth:
            false_positives[label] += 1
            on_extra += any(start < e and s < end for s, e in extras)
        missed.update(label for _, _, label in truth - found)
    print(f"{path}: false positives {sum(false_positives.values())} {dict(false_positives)}, "
          f"{on_extra} of them on fac/pro/event spans; missed {sum(missed.values())} {dict(missed)}")
