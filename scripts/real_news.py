#!/usr/bin/env python3
"""Real news articles from ../shared/corpora/raw, annotated by reference (stand-off).

The raw texts may not be copied into this repository, so `corpus/real/annotations.jsonl`
holds only where each article is (raw file, blank-line block number, SHA-256 of its text)
and its spans; `build` puts the text back from ../shared and checks the hash.

    python scripts/real_news.py select -o /tmp/real/in            # pick articles to annotate
    python scripts/real_news.py check /tmp/real/markup/batch_1.txt --source /tmp/real/in
    python scripts/real_news.py standoff /tmp/real/markup/*.txt --source /tmp/real/in \\
        -o corpus/real/annotations.jsonl
    python scripts/real_news.py build -o .prep/real/real.jsonl    # what `parsclaim evaluate` reads
    python scripts/real_news.py table                             # the datasheet's contents table
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from parsclaim.data.corpus import load_articles, validate_article, write_jsonl  # noqa: E402
from parsclaim.data.markup import convert_file  # noqa: E402
from parsclaim.data.schema import ENTITY_LABELS  # noqa: E402
from parsclaim.inference.officials import REPORTED_BY, normalize  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "corpora" / "raw"
CONLL = REPO.parent / "shared" / "corpora"
SOURCES = {"fars": "langml_farsnews.txt", "irnews": "irnews_shessam.txt"}
REPORTED_SPEECH = re.compile(r"(گفت|افزود|اظهار|بیان|بيان|تصريح|تصریح|خاطرنشان|خاطر نشان)[^\n:]{0,20}:")
SHINGLE = 40
SPEECH_MARKS = (":", "،", ",")
FOLD = str.maketrans({"ي": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", **{d: str(i % 10) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")}})


def blocks(path: Path) -> list[str]:
    """Articles of a raw file: blank-line-separated blocks, stripped (numbered from 0)."""
    text = path.read_text(encoding="utf-8")
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fold(text: str) -> str:
    """Spelling-blind form for overlap tests (Arabic/Persian letters, digits, spacing)."""
    text = text.translate(FOLD)
    return re.sub(r"[\s\u200c\u00a0]+", "", text)


def labelled_shingles(corpora: Path) -> set[int]:
    """Hashes of every 40-character stretch of the labelled CoNLL sentences."""
    shingles: set[int] = set()
    for path in sorted(corpora.glob("*/train.conll")):
        words: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            if line.strip():
                words.append(line.split("\t")[0])
                continue
            sentence = fold("".join(words))
            shingles.update(hash(sentence[i : i + SHINGLE]) for i in range(0, max(1, len(sentence) - SHINGLE + 1), 8))
            words = []
    return shingles


def overlaps(text: str, shingles: set[int]) -> bool:
    folded = fold(text)
    return any(hash(folded[i : i + SHINGLE]) in shingles for i in range(max(1, len(folded) - SHINGLE + 1)))


def select(args: argparse.Namespace) -> int:
    shingles = labelled_shingles(args.corpora)
    taken_before = {record["id"] for path in args.skip for record in load_articles(path)}
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for prefix, count in (("fars", args.fars), ("irnews", args.irnews)):
        candidates = [
            (number, text) for number, text in enumerate(blocks(args.raw / SOURCES[prefix]))
            if args.min_chars <= len(text) <= args.max_chars and REPORTED_SPEECH.search(text) and re.search(r"[0-9۰-۹]", text)
        ]
        random.Random(args.seed).shuffle(candidates)
        taken = 0
        for number, text in candidates:
            if taken == count:
                break
            article_id = f"{prefix}-{number:05d}"
            if article_id in taken_before or overlaps(text, shingles):
                continue
            (out / f"{article_id}.txt").write_text(text + "\n", encoding="utf-8")
            manifest.append({"id": article_id, "file": SOURCES[prefix], "block": number, "sha256": digest(text)})
            taken += 1
    write_jsonl(manifest, out / "manifest.jsonl")
    print(f"{len(manifest)} articles in {out} (manifest.jsonl)")
    return 0


def within_guidelines(text: str, claim: dict) -> bool:
    """A claim of the kinds the gold corpus and the seed mark (corpus/GUIDELINES.md §3).

    Those are: speech after its cue and a colon (or comma), "به گزارش X، ...", a headline or lead
    without a cue, and "X: ..." without a cue. The annotators of real news also marked claims
    reported without a colon ("از ... خبر داد", "با اشاره به اینکه ...", "گفت ..."), the outlet's
    own narrative and speech that goes on without a new cue; those are kept apart.
    """
    cue = claim.get("cue")
    if cue:
        if cue[1] > claim["start"]:
            return False
        # compared as the Extractor's attribution compares it: a ZWNJ typed inside ("به \u200cگزارش") is the same cue
        return normalize(text[cue[0]:cue[1]]) == REPORTED_BY or text[cue[1]:claim["start"]].strip().startswith(SPEECH_MARKS)
    before_on_its_line = text[text.rfind("\n", 0, claim["start"]) + 1 : claim["start"]].strip()
    if before_on_its_line.endswith(":"):  # "X: ..."
        return True
    headline_or_lead = text.count("\n", 0, claim["start"]) <= 1
    return headline_or_lead and not before_on_its_line


def read_manifest(folder: Path) -> dict[str, dict]:
    return {r["id"]: r for r in load_articles(folder / "manifest.jsonl")}


def converted(paths: list[str], source: Path) -> tuple[list[dict], list[str]]:
    """Articles of markup files, with problems: markup, validation, text not the raw article's."""
    manifest = read_manifest(source)
    articles, problems = [], []
    for path in paths:
        found, found_problems = convert_file(path)
        problems += found_problems
        for article in found:
            where = manifest.get(article["id"])
            if where is None:
                problems.append(f"{path}: article {article['id']!r}: id not in {source}/manifest.jsonl")
            elif digest(article["text"]) != where["sha256"]:
                original = (source / f"{article['id']}.txt").read_text(encoding="utf-8").strip()
                at = next((i for i, (a, b) in enumerate(zip(article["text"], original)) if a != b), min(len(article["text"]), len(original)))
                problems.append(
                    f"{path}: article {article['id']!r}: text differs from the original at character {at}: "
                    f"markup gives {article['text'][max(0, at - 20):at + 20]!r}, original has {original[max(0, at - 20):at + 20]!r}"
                )
            else:
                articles.append(article)
    return articles, problems


def check(args: argparse.Namespace) -> int:
    articles, problems = converted(args.files, args.source)
    for problem in problems:
        print(problem)
    for article in articles:
        labels = [e["label"] for e in article["entities"]]
        counts = ", ".join(f"{label} {labels.count(label)}" for label in sorted(set(labels)))
        print(f"{article['id']}: {counts}; officials {len(article['officials'])}; claims {len(article['claims'])}")
    print(f"{len(articles)} article(s) ok, {len(problems)} problem(s)")
    return 1 if problems else 0


def standoff(args: argparse.Namespace) -> int:
    articles, problems = converted(args.files, args.source)
    if problems:
        print("\n".join(problems))
        return 1
    manifest = read_manifest(args.source)
    before = load_articles(args.output) if Path(args.output).is_file() else []
    splits = {r["id"]: r["split"] for r in before}  # articles annotated before keep their half
    annotated_now = {a["id"] for a in articles}
    records = [r for r in before if r["id"] not in annotated_now]
    # new articles: half of each source for training, half held out, by a hash of the id (no seed)
    for prefix in sorted({a["id"].split("-")[0] for a in articles if a["id"] not in splits}):
        ranked = sorted((a["id"] for a in articles if a["id"].split("-")[0] == prefix and a["id"] not in splits), key=digest)
        splits |= {article_id: "train" if rank < len(ranked) // 2 else "test" for rank, article_id in enumerate(ranked)}
    for article in sorted(articles, key=lambda a: a["id"]):
        where = manifest[article["id"]]
        kept = {k: v for k, v in article.items() if k not in ("id", "text", "claims")}
        claims = [c for c in article["claims"] if within_guidelines(article["text"], c)]
        beyond = [c for c in article["claims"] if c not in claims]
        records.append({"id": article["id"], "file": where["file"], "block": where["block"], "sha256": where["sha256"],
                        "split": splits[article["id"]], "round": args.round, **kept, "claims": claims, "claims_beyond_guidelines": beyond})
    records.sort(key=lambda r: r["id"])
    write_jsonl(records, args.output)
    print(f"{len(records)} articles -> {args.output}")
    return 0


def build(args: argparse.Namespace) -> int:
    records = load_articles(args.annotations)
    missing = sorted({r["file"] for r in records if not (args.raw / r["file"]).is_file()})
    if missing:
        print(f"error: {', '.join(missing)} not in {args.raw}: the texts are read from ../shared/corpora/raw (--raw)", file=sys.stderr)
        return 2
    texts_of = {name: blocks(args.raw / name) for name in {r["file"] for r in records}}  # each raw file read once
    articles, problems = [], []
    for record in records:
        texts = texts_of[record["file"]]
        text = texts[record["block"]] if record["block"] < len(texts) else ""
        if digest(text) != record["sha256"]:
            problems.append(f"{record['id']}: block {record['block']} of {args.raw / record['file']} is not the annotated text")
            continue
        if args.split and record["split"] != args.split or args.round and record["round"] not in args.round:
            continue
        article = {"id": record["id"], "text": text, "source": Path(record["file"]).stem, **{k: v for k, v in record.items() if k not in ("id", "file", "block", "sha256", "round", "claims_beyond_guidelines")}}
        if args.all_claims:
            article["claims"] = sorted(article["claims"] + record["claims_beyond_guidelines"], key=lambda c: c["start"])
        problems += [f"{record['id']}: {field}: {message}" for field, message in validate_article(article)]
        articles.append(article)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(articles, args.output)
    print(f"{len(articles)} articles -> {args.output}")
    return 0


def table(args: argparse.Namespace) -> int:
    """The contents table of corpus/real/README.md, from the stand-off file alone (no raw text)."""
    records = load_articles(args.annotations)
    groups = [(split, [r for r in records if r["split"] == split]) for split in ("train", "test")]
    groups += [(f"(round {n}, both halves)", [r for r in records if r["round"] == n]) for n in sorted({r["round"] for r in records})]
    groups.append(("all", records))
    columns = ["split", "articles", "Fars", "entities", *ENTITY_LABELS, "officials", "claims", "without a QUANTITY", "beyond"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for name, group in groups:
        labels = [e["label"] for r in group for e in r["entities"]]
        claims = [c for r in group for c in r["claims"]]
        counts = [len(group), sum(r["id"].startswith("fars-") for r in group), len(labels), *(labels.count(label) for label in ENTITY_LABELS),
                  sum(len(r["officials"]) for r in group), len(claims), sum(not c["quantities"] for c in claims),
                  sum(len(r["claims_beyond_guidelines"]) for r in group)]
        print(f"| {name} | " + " | ".join(f"{n:,}" for n in counts) + " |")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    chooser = commands.add_parser("select", help="pick raw articles with reported speech and numbers")
    chooser.add_argument("-o", "--output", required=True, help="folder for <id>.txt and manifest.jsonl")
    chooser.add_argument("--raw", type=Path, default=RAW)
    chooser.add_argument("--corpora", type=Path, default=CONLL, help="articles sharing a 40-character stretch with these CoNLL files are skipped")
    chooser.add_argument("--fars", type=int, default=32)
    chooser.add_argument("--irnews", type=int, default=16)
    chooser.add_argument("--min_chars", type=int, default=500)
    chooser.add_argument("--max_chars", type=int, default=2200)
    chooser.add_argument("--seed", type=int, default=2026)
    chooser.add_argument("--skip", nargs="*", default=[], help="JSONL files (a manifest, annotations.jsonl) whose ids are not taken again")
    for name, function in (("check", check), ("standoff", standoff)):
        sub = commands.add_parser(name, help=f"{name} markup files of selected articles")
        sub.add_argument("files", nargs="+")
        sub.add_argument("--source", type=Path, required=True, help="the folder `select` wrote")
        if name == "standoff":
            sub.add_argument("-o", "--output", required=True)
            sub.add_argument("--round", type=int, default=1, help="annotation round of these files (recorded per article)")
        sub.set_defaults(function=function)
    builder = commands.add_parser("build", help="stand-off annotations + raw text -> corpus JSONL")
    builder.add_argument("--annotations", default=str(REPO / "corpus" / "real" / "annotations.jsonl"))
    builder.add_argument("--raw", type=Path, default=RAW)
    builder.add_argument("-o", "--output", required=True)
    builder.add_argument("--split", choices=("train", "test"), help="only this half (default: all articles)")
    builder.add_argument("--round", type=int, nargs="+", help="only articles of these annotation rounds (1-5: 48 each, 6-8: 64 each; corpus/real/README.md says which ones the default model trained on)")
    builder.add_argument("--all_claims", action="store_true", help="also the claims beyond the gold corpus's guidelines (`within_guidelines`)")
    tabler = commands.add_parser("table", help="the datasheet's contents table (counts per split and round)")
    tabler.add_argument("--annotations", default=str(REPO / "corpus" / "real" / "annotations.jsonl"))
    tabler.set_defaults(function=table)
    chooser.set_defaults(function=select)
    builder.set_defaults(function=build)
    args = parser.parse_args(argv)
    return args.function(args)


if __name__ == "__main__":
    sys.exit(main())
