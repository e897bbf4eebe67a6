"""Check an edit of gold markup that may only add claims: the text and entities must stay as they were.

    python scripts/check_markup_edit.py corpus/src/batch_A.txt [--against HEAD]

Compares each article of the file with the version at --against (a git revision): fails if the markup
does not parse, an article's plain text or entities changed, or a claim that was there is gone; prints
every claim added ("+ id [claimant | cue] content"). Used for the eighth session's relabelling of claims
without a number (docs/runs/2026-11-28-cpu-nonnumeric-claims/).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from parsclaim.data.markup import convert_file, split_articles, to_article


def articles(source: str) -> dict[str, dict]:
    return {meta["id"]: to_article(meta["id"], body, meta) for meta, body in split_articles(source)}


def entity_keys(article: dict) -> list[tuple]:
    return sorted((e["start"], e["end"], e["label"], str(e.get("value")), str(e.get("unit"))) for e in article["entities"])


def compare(old: dict[str, dict], new: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(added claims as lines, problems)."""
    added, problems = [], []
    if old.keys() != new.keys():
        problems.append(f"article ids differ: {sorted(old.keys() ^ new.keys())}")
    for article_id in old.keys() & new.keys():
        before, after = old[article_id], new[article_id]
        if before["text"] != after["text"]:
            problems.append(f"{article_id}: plain text changed (add markup only, never edit words)")
            continue
        if entity_keys(before) != entity_keys(after):
            problems.append(f"{article_id}: entities changed")
        old_spans = {(c["start"], c["end"]) for c in before["claims"]}
        new_spans = {(c["start"], c["end"]) for c in after["claims"]}
        if not old_spans <= new_spans:
            problems.append(f"{article_id}: claims removed or changed: {[after['text'][s:e][:60] for s, e in old_spans - new_spans]}")
        text = after["text"]
        for claim in after["claims"]:
            if (claim["start"], claim["end"]) not in old_spans:
                cue = text[claim["cue"][0]:claim["cue"][1]] if claim.get("cue") else "-"
                added.append(f"+ {article_id} [{claim['claimant']} | {cue}] {text[claim['start']:claim['end']]}")
    return sorted(added), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="a markup file inside the repository, e.g. corpus/src/batch_A.txt")
    parser.add_argument("--against", default="HEAD", help="git revision holding the version before the edit")
    args = parser.parse_args(argv)
    path = Path(args.path).resolve()
    root = Path(subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path.parent, capture_output=True, text=True,
                               check=True).stdout.strip())
    old_source = subprocess.run(["git", "show", f"{args.against}:{path.relative_to(root).as_posix()}"], cwd=root,
                                capture_output=True, text=True, check=True).stdout
    added, problems = compare(articles(old_source), articles(path.read_text(encoding="utf-8")))
    problems += convert_file(path)[1]
    print("\n".join(added + [f"{len(added)} claims added"] + [f"PROBLEM: {p}" for p in problems]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
