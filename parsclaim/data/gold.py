"""Build the gold corpus: markup files -> scraped variants -> train/dev/test JSONL.

A third of the articles in each domain are served "as scraped", the way news
sites deliver text: ZWNJ stripped (or turned into a space), Arabic ي/ك, NBSP
between some words, the headline duplicated in the other digit script, and
site boilerplate with an ad list (brands are ORG, no claims) at the end. The
rewrite happens on the markup tree, so every gold offset stays exact.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections import defaultdict
from pathlib import Path

from ..paths import refuse_input_as_output
from .corpus import write_jsonl
from .markup import Node, convert_file, split_articles

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
TO_LATIN = str.maketrans(PERSIAN_DIGITS, "0123456789")
TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)

NAVIGATION = [
    "پربیننده‌ترین اخبار استان‌ها", "اخبار روز استان‌ها", "آخرین خبرهای روز", "پربحث‌ترین‌ها",
    "برگزیده عکس", "اخبار اقتصادی", "ورزشی", "بین‌الملل", "سیاسی", "فرهنگی",
]
AD_BRANDS = [
    "همراه اول", "ایرانسل", "رایتل", "دیجی‌کالا", "اسنپ", "تپسی", "بانک ملت", "بانک سپه", "فلای تو دی",
    "پاکسان", "مادیران", "گلرنگ", "شهر خبر", "علی‌بابا", "تخفیفان", "کاله", "میهن", "سن‌ایچ", "ایران خودرو",
]


def _stable_random(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


def _map_text(nodes: list[Node], change) -> list[Node]:
    out = []
    for node in nodes:
        if node.kind == "text":
            out.append(Node("text", text=change(node.text)))
        else:
            out.append(Node(node.kind, head=node.head, children=_map_text(node.children, change)))
    return out


def _headline(nodes: list[Node]) -> tuple[list[Node], list[Node]]:
    """Split the node list at the first paragraph break: (headline nodes, rest)."""
    for index, node in enumerate(nodes):
        if node.kind == "text" and "\n" in node.text:
            head, _, tail = node.text.partition("\n")
            return nodes[:index] + [Node("text", text=head)], [Node("text", text="\n" + tail)] + nodes[index + 1 :]
    return nodes, []


def scrape(article_id: str):
    """The as-scraped rewrite for one article, deterministic in its id."""
    rng = _stable_random(article_id)
    zwnj = "" if rng.random() < 0.7 else " "
    arabic = rng.random() < 0.5

    def letters(text: str) -> str:
        text = text.replace("\u200c", zwnj)
        if arabic:
            text = text.replace("ی", "ي").replace("ک", "ك")
        return "".join("\u00a0" if ch == " " and rng.random() < 0.04 else ch for ch in text)

    def transform(nodes: list[Node]) -> list[Node]:
        headline, rest = _headline(nodes)
        head_text = "".join(_flat(headline))
        other_script = TO_LATIN if any(ch in PERSIAN_DIGITS for ch in head_text) else TO_PERSIAN
        duplicate = _map_text(headline, lambda t: t.translate(other_script))
        # Boilerplate is scraped too: no ZWNJ, the same as the article body.
        brands = [b.replace("\u200c", zwnj) for b in rng.sample(AD_BRANDS, k=rng.randint(5, 10))]
        navigation = [n.replace("\u200c", zwnj) for n in rng.sample(NAVIGATION, k=3)]
        tail = "\n\nانتهای پیام/" + rng.choice("عمحرک") + "\n\n" + "\n".join(navigation) + "\nتبلیغات\n"
        boilerplate = [Node("text", text=tail)]
        for index, brand in enumerate(brands):
            boilerplate.append(Node("entity", head="ORG", children=[Node("text", text=brand)]))
            if index < len(brands) - 1:
                boilerplate.append(Node("text", text="\n"))
        spaced = headline + [Node("text", text="\n\n\n")] + duplicate + rest
        return _map_text(spaced, letters) + boilerplate

    return transform


def _flat(nodes: list[Node]):
    for node in nodes:
        if node.kind == "text":
            yield node.text
        else:
            yield from _flat(node.children)


def choose_scraped(metas: list[dict]) -> set[str]:
    """Every third article of each domain (in a stable hashed order) is served as scraped."""
    by_domain: dict[str, list[str]] = defaultdict(list)
    for meta in metas:
        by_domain[meta.get("domain", "")].append(meta["id"])
    chosen = set()
    for ids in by_domain.values():
        ordered = sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
        chosen.update(ordered[::3])
    return chosen


def assign_splits(articles: list[dict], dev: float = 0.15, test: float = 0.15) -> None:
    """70/15/15 by article, stratified by (domain, scraped)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for article in articles:
        groups[article.get("domain", ""), article["scraped"]].append(article)
    for key, members in sorted(groups.items()):
        members.sort(key=lambda a: hashlib.sha256(("split" + a["id"]).encode()).hexdigest())
        n_test = round(len(members) * test)
        n_dev = round(len(members) * dev)
        for index, article in enumerate(members):
            article["split"] = "test" if index < n_test else "dev" if index < n_test + n_dev else "train"


def convert(sources: list[Path]) -> tuple[list[dict], list[str]]:
    """(articles with their split assigned, problems) from markup files."""
    metas = [meta for path in sources for meta, _ in split_articles(path.read_text(encoding="utf-8"))]
    scraped = choose_scraped(metas)
    articles, problems = [], []
    for path in sources:
        converted, file_problems = convert_file(path, lambda meta: scrape(meta["id"]) if meta.get("id") in scraped else None)
        problems += file_problems
        for article in converted:
            article["scraped"] = article["id"] in scraped
        articles += converted
    ids = [a["id"] for a in articles]
    problems += [f"duplicate article id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    assign_splits(articles)
    return articles, problems


def refuse_empty(articles: list[dict], sources: list, output_dir: Path) -> None:
    # Zero articles (an empty folder, a wrong path) must not empty an existing corpus.
    if not articles:
        raise ValueError(f"no articles in {' '.join(map(str, sources))} (expected *.txt markup files "
                         f"with '### id: ...' headers); nothing written to {output_dir}")


def write_splits(articles: list[dict], sources: list[Path], output_dir: Path) -> dict[str, int]:
    for split in ("train", "dev", "test"):
        refuse_input_as_output(output_dir / f"{split}.jsonl", sources)
    output_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for split in ("train", "dev", "test"):
        chosen = sorted((a for a in articles if a["split"] == split), key=lambda a: a["id"])
        counts[split] = write_jsonl(chosen, output_dir / f"{split}.jsonl")
    return counts


def source_files(sources: list[str]) -> list[Path]:
    files: list[Path] = []
    for source in map(Path, sources):
        if not source.exists():
            raise ValueError(f"{source}: no such file or folder")
        files += sorted(source.glob("*.txt")) if source.is_dir() else [source]
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parsclaim data build-gold", description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", help="markup files or folders of *.txt markup files")
    # Both spellings: every other parsclaim command writes options with underscores.
    parser.add_argument("-o", "--output-dir", "--output_dir", required=True)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    files = source_files(args.sources)
    articles, problems = convert(files)
    for problem in problems:
        print(problem, file=sys.stderr)
    refuse_empty(articles, args.sources, Path(args.output_dir))
    counts = write_splits(articles, files, Path(args.output_dir))
    print(f"{sum(counts.values())} articles: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f"; {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
