"""Tag a seeded sample of raw news and count what no gold article has: a probe for real-text failures.

    python bench/raw_probe.py --raw ../shared/corpora/raw/irnews_shessam.txt --n 200 --seed 11 --output OUT.json

Articles are the raw file's blank-line-separated blocks of over 600 characters. Counted, on the
Extractor's output: entities, claims and cues across a line break (the gold corpus has none),
QUANTITY entities the parser cannot read (listed by text); and on the entity head's own spans,
before the Extractor's post-processing, QUANTITY spans holding no number at all.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
from pathlib import Path

from parsclaim.data.normalize import LINE_BREAK
from parsclaim.data.quantities import has_number
from parsclaim.inference.extractor import Extractor


def sample_articles(raw: Path, n: int, seed: int) -> list[str]:
    blocks = [block.strip() for block in raw.read_text(encoding="utf-8").split("\n\n") if len(block.strip()) > 600]
    return random.Random(seed).sample(blocks, min(n, len(blocks)))


def probe(extractor: Extractor, texts: list[str]) -> dict:
    articles = extractor.extract(texts)
    across = collections.Counter()
    unreadable = collections.Counter()
    for article in articles:
        text = article["text"]
        spans = [("entity", e["start"], e["end"]) for e in article["entities"]]
        spans += [("claim", c["start"], c["end"]) for c in article["claims"]]
        spans += [("cue", *c["cue"]) for c in article["claims"] if c.get("cue")]
        across.update(kind for kind, start, end in spans if LINE_BREAK.search(text, start, end))
        unreadable.update(text[e["start"]:e["end"]] for e in article["entities"]
                          if e["label"] == "QUANTITY" and e.get("value") is None)
    numberless = collections.Counter()
    for text, prediction in zip(texts, extractor._predict(texts, None)):
        numberless.update(text[s["start"]:s["end"]] for s in prediction.entity_spans()
                          if s["label"] == "QUANTITY" and not has_number(text[s["start"]:s["end"]]))
    quantities = sum(e["label"] == "QUANTITY" for a in articles for e in a["entities"])
    return {
        "articles": len(articles), "entities": sum(len(a["entities"]) for a in articles),
        "claims": sum(len(a["claims"]) for a in articles), "quantities": quantities,
        "spans_across_a_line_break": dict(across),
        "quantities_unreadable": sum(unreadable.values()), "quantities_unreadable_by_text": dict(unreadable.most_common()),
        "head_quantities_without_a_number": sum(numberless.values()),
        "head_quantities_without_a_number_by_text": dict(numberless.most_common()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=Path("../shared/corpora/raw/irnews_shessam.txt"))
    parser.add_argument("--model", default="parsclaim/default_model")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    report = {"raw": args.raw.name, "seed": args.seed,
              **probe(Extractor.from_pretrained(args.model), sample_articles(args.raw, args.n, args.seed))}
    shown = json.dumps(report, ensure_ascii=False, indent=2)
    if args.output:
        args.output.write_text(shown + "\n", encoding="utf-8")
    print(shown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
