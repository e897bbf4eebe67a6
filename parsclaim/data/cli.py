"""`parsclaim data ...`: validate, import, count and check corpus files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..paths import refuse_input_as_output
from .conll import SCHEMES, ImportReport, check_import, import_conll, read_sentences
from .consistency import check_consistency
from .corpus import annotated_articles, skipped_note, validate_file, write_jsonl
from .stats import corpus_stats, format_stats


def cmd_validate(args: argparse.Namespace) -> int:
    total = 0
    for path in args.files:
        try:
            problems = validate_file(path)
        except (OSError, UnicodeDecodeError) as error:
            print(f"{path}: cannot read: {error}")
            total += 1
            continue
        for problem in problems:
            print(problem)
        total += len(problems)
    print(f"{len(args.files)} file(s), {total} problem(s)", file=sys.stderr)
    return 1 if total else 0


def cmd_import_conll(args: argparse.Namespace) -> int:
    refuse_input_as_output(args.output, [args.file])
    report = ImportReport()
    # Read it all before opening the output: a wrong --scheme must not leave all-O data behind.
    articles = list(import_conll(args.file, args.scheme, source=args.source, report=report))
    check_import(args.file, args.scheme, report, spell=lambda scheme, _: f"--scheme {scheme}")
    count = write_jsonl(articles, args.output)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    dropped = ", ".join(f"{label} {n}" for label, n in sorted(report.unmapped.items()))
    print(f"{count} sentences, {report.tokens} tokens -> {args.output}; {len(report.problems)} problem line(s) reported"
          + (f"; no counterpart (written as O): {dropped}" if dropped else ""), file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    rows = [corpus_stats(path) for path in args.files]
    for row in rows:
        if row["skipped"]:
            print(skipped_note(row["file"], row["skipped"]), file=sys.stderr)
    print(json.dumps(rows, ensure_ascii=False, indent=1) if args.json else format_stats(rows))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    articles = []
    for path in args.files:
        skipped: dict[str, int] = {}
        articles += annotated_articles(path, skipped)
        if skipped:
            print(skipped_note(path, skipped), file=sys.stderr)
    report = check_consistency(articles, min_count=args.min_count)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(f"## Surface strings with more than one label ({len(report['conflicts'])})")
    for item in report["conflicts"]:
        print(f"- {item['surface']}: " + ", ".join(f"{l} ×{n} (e.g. {', '.join(item['examples'][l])})" for l, n in item["labels"].items()))
    print(f"\n## Occurrences left unlabelled that are labelled elsewhere ({len(report['unlabelled'])} strings)")
    for item in report["unlabelled"]:
        print(f"- {item['surface']}: {item['count']} unlabelled, labelled {item['label_elsewhere']} elsewhere (e.g. {', '.join(item['examples'])})")
    return 0


def cmd_split_conll(args: argparse.Namespace) -> int:
    """Deterministic train/dev split of a CoNLL file by a hash of each sentence's text."""
    import hashlib

    if not 0 < args.dev_fraction < 1:
        raise ValueError(f"--dev-fraction must lie between 0 and 1 (exclusive), got {args.dev_fraction}")
    out = Path(args.output_dir)
    for name in ("train.conll", "dev.conll"):
        refuse_input_as_output(out / name, [args.file])
    report = ImportReport()
    # Read it all before opening the outputs: a missing or non-CoNLL input leaves no empty files.
    sentences = read_sentences(args.file, report)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    counts = {"train": 0, "dev": 0}
    with open(out / "train.conll", "w", encoding="utf-8") as train, open(out / "dev.conll", "w", encoding="utf-8") as dev:
        for sentence in sentences:
            digest = hashlib.sha256(" ".join(sentence.tokens).encode()).digest()
            split = "dev" if int.from_bytes(digest[:4], "big") / 2**32 < args.dev_fraction else "train"
            target = dev if split == "dev" else train
            target.write("".join(f"{token}\t{tag}\n" for token, tag in zip(sentence.tokens, sentence.tags)) + "\n")
            counts[split] += 1
    print(f"{counts['train']} train, {counts['dev']} dev sentences -> {out}; "
          f"{len(report.problems)} line(s) without a tag skipped", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parsclaim data", description="Corpus tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check JSONL corpus files against the schema")
    p.add_argument("files", nargs="+")
    p.set_defaults(run=cmd_validate)
    p = sub.add_parser("import-conll", help="convert a CoNLL corpus to JSONL with the label mapping")
    p.add_argument("file")
    p.add_argument("--scheme", required=True, choices=sorted(SCHEMES))
    p.add_argument("--source", help="source name written into each record (default: the file's folder name)")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(run=cmd_import_conll)
    p = sub.add_parser("stats", help="documents, tokens, labels, claims and officials per file")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_stats)
    p = sub.add_parser("split-conll", help="deterministic train/dev split of a CoNLL file (by sentence hash)")
    p.add_argument("file")
    # Both spellings: every other parsclaim command writes options with underscores.
    p.add_argument("--dev-fraction", "--dev_fraction", type=float, default=0.1)
    p.add_argument("-o", "--output-dir", "--output_dir", required=True)
    p.set_defaults(run=cmd_split_conll)
    sub.add_parser("build-gold", help="convert gold markup (corpus/src) into train/dev/test JSONL", add_help=False)
    p = sub.add_parser("check", help="consistency: strings labelled differently or left unlabelled")
    p.add_argument("files", nargs="+")
    p.add_argument("--min-count", "--min_count", type=int, default=2, help="only strings labelled at least this often count for 'unlabelled'")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["build-gold"]:
        from .gold import main as build_gold

        return build_gold(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
