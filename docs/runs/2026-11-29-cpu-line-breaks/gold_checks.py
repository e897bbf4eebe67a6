"""Counts on the gold corpus quoted in the README (twelfth session), from the repository root:

    python docs/runs/2026-11-29-cpu-line-breaks/gold_checks.py

entities and claims across a line break; QUANTITY entities with no number at all; QUANTITY
entities the quantity parser cannot read, per split.
"""
from parsclaim.data.corpus import load_articles
from parsclaim.data.normalize import LINE_BREAK
from parsclaim.data.quantities import has_number, parse_quantity

entities = claims = across = quantities = numberless = 0
for split in ("train", "dev", "test"):
    unreadable = []
    for article in load_articles(f"corpus/{split}.jsonl"):
        text = article["text"]
        entities += len(article["entities"])
        claims += len(article.get("claims") or [])
        across += sum(bool(LINE_BREAK.search(text, s["start"], s["end"])) for s in article["entities"] + (article.get("claims") or []))
        for entity in article["entities"]:
            if entity["label"] == "QUANTITY":
                surface = text[entity["start"]:entity["end"]]
                quantities += 1
                numberless += not has_number(surface)
                if parse_quantity(surface).value is None:
                    unreadable.append(surface)
    print(f"{split}: QUANTITY entities the parser cannot read: {len(unreadable)} {unreadable}")
print(f"{entities} entities and {claims} claims, {across} across a line break")
print(f"{quantities} QUANTITY entities, {numberless} without a number")
