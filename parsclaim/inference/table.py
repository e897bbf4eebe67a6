"""`parsclaim table`: tagged JSONL (from `parsclaim tag`, or gold corpus files) as a CSV/TSV table.

Rows: `claims` (the default) gives one row per claimed quantity, so a spreadsheet can sum or
compare the numbers each official claimed; a claim without a number still gets one row, with the
quantity columns empty. `officials` gives one row per official, `entities` one per entity.
Records `tag` wrote as errors, and untagged records (no entities, claims or officials: raw text
`tag` has not run on), are skipped and counted; input with nothing tagged is an error, not an
empty table. Streams: memory stays flat on any input.

A text cell that begins with =, +, -, @, TAB or CR is written with a ' before it (OWASP's advice
against CSV injection): Excel and LibreOffice would otherwise run it as a formula (an article id
`=HYPERLINK(...)`, a claim `- ۶۰ درصد`). Numbers, negative ones included, are written as they are.
An output that is also an input is refused before anything is opened.
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..arguments import ArgumentParser
from ..data.corpus import read_jsonl
from ..paths import refuse_input_as_output
from .view import ArticleView

COLUMNS: dict[str, list[str]] = {
    "claims": ["article_id", "claim_id", "claimant", "claimant_role", "claimant_organization", "cue", "claim",
               "quantity", "value", "value_to", "unit", "claim_start", "claim_end", "claim_score"],
    "officials": ["article_id", "official_id", "name", "roles", "organizations", "mentions", "claims"],
    "entities": ["article_id", "entity_id", "label", "text", "start", "end", "value", "value_to", "unit", "score"],
}
TAGGED_FIELDS = ("entities", "claims", "officials")
UNTAGGED = "untagged records (no entities, claims or officials)"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")  # ASCII digits: what a spreadsheet reads as a number


@dataclass
class TableArguments:
    output: str = field(default="-", metadata={"help": "CSV file ('-' = stdout); a name ending in .tsv is written tab-separated.", "aliases": ["-o"]})
    rows: str = field(default="claims", metadata={"help": "claims (one row per claimed quantity), officials, or entities."})
    tsv: bool = field(default=False, metadata={"help": "Tab-separated, whatever the output's name."})
    bom: bool = field(default=True, metadata={"help": "Begin a CSV file with a UTF-8 byte-order mark, which Excel needs to read Persian "
                                                      "(--no_bom for tools that do not expect one; never on stdout)."})

    def __post_init__(self) -> None:
        if self.rows not in COLUMNS:
            raise ValueError(f"--rows must be one of {', '.join(COLUMNS)}, not {self.rows!r}")


def quantity_columns(entity: dict | None) -> tuple:
    """(value, value_to, unit); value_to only for a range."""
    if entity is None or entity.get("value") is None:
        return "", "", (entity or {}).get("unit") or ""
    value = entity["value"]
    low, high = (value[0], value[-1]) if isinstance(value, list) else (value, "")
    return low, high, entity.get("unit") or ""


def claim_rows(article: ArticleView) -> Iterator[list]:
    article_id = article.record["id"]
    for claim in article.record.get("claims") or []:
        name, role, organization = article.claimant(claim.get("claimant"))
        cue = article.text[claim["cue"][0]:claim["cue"][1]] if claim.get("cue") else ""
        head = [article_id, claim["id"], name, role, organization, cue, article.text[claim["start"]:claim["end"]]]
        tail = [claim["start"], claim["end"], claim.get("score", "")]
        quantities = [article.entities[q] for q in claim.get("quantities") or [] if q in article.entities]
        for entity in quantities or [None]:
            surface = article.text[entity["start"]:entity["end"]] if entity else ""
            yield head + [surface, *quantity_columns(entity)] + tail


def official_rows(article: ArticleView) -> Iterator[list]:
    claimed = [c.get("claimant") for c in article.record.get("claims") or []]
    for official in article.officials.values():
        name, roles, organizations = article.claimant(official["id"])
        yield [article.record["id"], official["id"], name, roles, organizations,
               len(official.get("mentions") or []), claimed.count(official["id"])]


def entity_rows(article: ArticleView) -> Iterator[list]:
    for entity in article.entities.values():
        value_columns = quantity_columns(entity) if entity["label"] == "QUANTITY" else ("", "", "")
        yield [article.record["id"], entity["id"], entity["label"], article.surface(entity["id"]),
               entity["start"], entity["end"], *value_columns, entity.get("score", "")]


ROWS = {"claims": claim_rows, "officials": official_rows, "entities": entity_rows}


def spreadsheet_safe(cell):
    """The cell, with a ' before text a spreadsheet would run as a formula (CSV injection);
    a number, -2.5 as text included, stays a number."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def check_paths(inputs: list[str], output: str) -> None:
    """Refuse before anything is opened: opening the output truncates it, so an output that is also
    an input would be emptied before it is read; a missing input would fail after the header is out."""
    refuse_input_as_output(output, inputs)
    for path in inputs:
        if path != "-" and not Path(path).exists():
            raise ValueError(f"{path}: no such file")
        if path != "-" and Path(path).is_dir():
            raise ValueError(f"{path}: is a directory, not a JSONL file")


def read_tagged(paths: list[str], skipped: dict[str, int]) -> Iterator[ArticleView]:
    for path in paths:
        for number, record in read_jsonl(path):
            if isinstance(record, dict) and "error" in record:
                skipped["error records"] = skipped.get("error records", 0) + 1
            elif not isinstance(record, dict) or not isinstance(record.get("text"), str) or "id" not in record:
                raise ValueError(f"{path}:{number}: not a tagged article (needs 'id' and 'text'; "
                                 f"tag raw text first with `parsclaim tag`)")
            elif not any(key in record for key in TAGGED_FIELDS):
                # raw text `tag` has not run on: it has no rows, and would pass for an article with none
                skipped[UNTAGGED] = skipped.get(UNTAGGED, 0) + 1
            else:
                yield ArticleView(record)


def write_table(paths: list[str], args: TableArguments) -> tuple[int, int, dict[str, int]]:
    """(articles, rows, skipped) after writing the table."""
    skipped: dict[str, int] = {}
    tagged = read_tagged(paths, skipped)
    # Read up to the first tagged article before the output is opened or the header written, so that
    # input with nothing tagged (or a bad first line) leaves no header-only table behind.
    first = next(tagged, None)
    if first is None and skipped.get(UNTAGGED):
        raise ValueError(f"nothing to table: {skipped[UNTAGGED]} record(s) in {', '.join(paths)} have no entities, "
                         f"claims or officials; run `parsclaim tag` on them first and table its output")
    tsv = args.tsv or args.output.endswith(".tsv")
    to_stdout = args.output == "-"
    if not to_stdout:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    encoding = "utf-8-sig" if args.bom and not tsv and not to_stdout else "utf-8"
    handle = sys.stdout if to_stdout else open(args.output, "w", encoding=encoding, newline="")
    articles = rows = 0
    try:
        writer = csv.writer(handle, delimiter="\t" if tsv else ",", lineterminator="\n")
        writer.writerow(COLUMNS[args.rows])
        for article in itertools.chain([] if first is None else [first], tagged):
            articles += 1
            for row in ROWS[args.rows](article):
                writer.writerow([spreadsheet_safe(cell) for cell in row])  # every row kind, CSV and TSV
                rows += 1
    finally:
        if not to_stdout:
            handle.close()
    return articles, rows, skipped


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(TableArguments, prog="parsclaim table", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help="JSONL files written by `parsclaim tag` (or gold corpus files); - for stdin")
    try:
        args, extra = parser.parse_args_into_dataclasses(args=argv)
        check_paths(extra.inputs, args.output)
        articles, rows, skipped = write_table(extra.inputs, args)
    except (ValueError, OSError) as error:
        print(f"parsclaim table: error: {error}", file=sys.stderr)
        return 2
    note = "".join(f", {n} {what} skipped" for what, n in skipped.items())
    print(f"{articles} article(s), {rows} {args.rows} row(s){note} -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
