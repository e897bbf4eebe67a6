"""Corpus IO and validation for the JSON Lines format of SPEC §2.

An article is kept as the plain dict it was read as (extra keys such as
`score` survive a round trip); `validate_article` checks it against the schema.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .schema import ENTITY_LABELS

REQUIRED_KEYS = ("id", "text", "entities")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a corpus file, located well enough to fix it."""

    path: str
    line: int
    article_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        who = f"article {self.article_id!r}" if self.article_id is not None else "article ?"
        return f"{where}: {who}: {self.field}: {self.message}"


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    """Yield (line number, article dict); raise ValueError naming the line on bad JSON. '-': stdin."""
    # utf-8-sig: a Windows editor's BOM is not JSON; stdin is read, never closed.
    opened = contextlib.nullcontext(sys.stdin) if str(path) == "-" else open(path, encoding="utf-8-sig")
    with opened as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{line_number}: invalid JSON: {error.msg}") from None
            yield line_number, record


def load_articles(path: str | Path) -> list[dict]:
    return [record for _, record in read_jsonl(path)]


ERROR_RECORDS = "error record(s) from parsclaim tag"
UNANNOTATED = "record(s) without text and entities (not tagged)"


def annotated_articles(path: str | Path, skipped: dict[str, int]) -> Iterator[dict]:
    """The records of a file that carry text and entities. `parsclaim tag`'s error records and
    raw text ({"id", "text"}) are counted in `skipped` instead: there is nothing to count or check."""
    for _, record in read_jsonl(path):
        if isinstance(record, dict) and isinstance(record.get("text"), str) and isinstance(record.get("entities"), list):
            yield record
        else:
            kind = ERROR_RECORDS if isinstance(record, dict) and "error" in record else UNANNOTATED
            skipped[kind] = skipped.get(kind, 0) + 1


def skipped_note(path: str | Path, skipped: dict[str, int]) -> str:
    return f"note: {path}: skipped " + ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items()))


def write_jsonl(articles: Iterable[dict], path: str | Path) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
            count += 1
    return count


def _span_problems(text: str, start, end, field: str) -> list[tuple[str, str]]:
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        return [(field, f"start/end must be integers, got {start!r}, {end!r}")]
    if not 0 <= start < end <= len(text):
        return [(field, f"span [{start}, {end}) out of range for text of length {len(text)}")]
    covered = text[start:end]
    if covered != covered.strip():
        return [(field, f"span [{start}, {end}) {covered!r} is padded with whitespace")]
    return []


def validate_article(article: dict) -> list[tuple[str, str]]:
    """Return (field, message) for every problem in one article; [] when valid."""
    if not isinstance(article, dict):
        return [("record", f"expected a JSON object, got {type(article).__name__}")]
    if "error" in article and "text" not in article:
        return [("error", f"an error record from parsclaim tag: {article['error']}")]
    problems: list[tuple[str, str]] = []
    for key in REQUIRED_KEYS:
        if key not in article:
            problems.append((key, "required key is missing"))
    if problems:
        return problems
    text = article["text"]
    if not isinstance(text, str):
        return [("text", f"must be a string, got {type(text).__name__}")]
    if not isinstance(article["id"], str) or not article["id"]:
        problems.append(("id", "must be a non-empty string"))

    entities = article["entities"]
    if not isinstance(entities, list):
        return problems + [("entities", "must be a list")]
    entity_by_id: dict[str, dict] = {}
    spans: list[tuple[int, int, str]] = []
    for index, entity in enumerate(entities):
        field = f"entities[{index}]"
        if not isinstance(entity, dict) or not {"id", "start", "end", "label"} <= entity.keys():
            problems.append((field, "needs id, start, end and label"))
            continue
        if not _is_id(entity["id"]):
            problems.append((field, f"id must be a non-empty string, got {entity['id']!r}"))
            continue
        field = f"entities[{index}] ({entity['id']})"
        if entity["id"] in entity_by_id:
            problems.append((field, f"duplicate entity id {entity['id']!r}"))
        entity_by_id[entity["id"]] = entity
        if entity["label"] not in ENTITY_LABELS:
            problems.append((field, f"unknown label {entity['label']!r}; expected one of {', '.join(ENTITY_LABELS)}"))
        span_problems = _span_problems(text, entity["start"], entity["end"], field)
        problems += span_problems
        if not span_problems:
            spans.append((entity["start"], entity["end"], entity["id"]))
        if entity["label"] == "QUANTITY" and "value" in entity:
            problems += _value_problems(entity["value"], field)
    spans.sort()
    for (start_a, end_a, id_a), (start_b, end_b, id_b) in zip(spans, spans[1:]):
        if start_b < end_a:
            problems.append(("entities", f"{id_a} [{start_a}, {end_a}) overlaps {id_b} [{start_b}, {end_b})"))

    official_ids = set()
    for index, official in enumerate(_list(article, "officials", problems)):
        field = f"officials[{index}]"
        if not isinstance(official, dict) or "id" not in official:
            problems.append((field, "needs an id"))
            continue
        if not _is_id(official["id"]):
            problems.append((field, f"id must be a non-empty string, got {official['id']!r}"))
            continue
        field = f"officials[{index}] ({official['id']})"
        if official["id"] in official_ids or official["id"] in entity_by_id:
            problems.append((field, f"duplicate id {official['id']!r}"))
        official_ids.add(official["id"])
        problems += _official_problems(official, entity_by_id, field)

    claim_ids = set()
    for index, claim in enumerate(_list(article, "claims", problems)):
        field = f"claims[{index}]"
        if not isinstance(claim, dict) or not {"id", "start", "end"} <= claim.keys():
            problems.append((field, "needs id, start and end"))
            continue
        if not _is_id(claim["id"]):
            problems.append((field, f"id must be a non-empty string, got {claim['id']!r}"))
            continue
        field = f"claims[{index}] ({claim['id']})"
        if claim["id"] in claim_ids:
            problems.append((field, f"duplicate claim id {claim['id']!r}"))
        claim_ids.add(claim["id"])
        problems += _claim_problems(claim, text, entity_by_id, official_ids, field)
    return problems


def _is_id(value) -> bool:
    return isinstance(value, str) and bool(value)


def _list(article: dict, key: str, problems: list[tuple[str, str]]) -> list:
    """article[key] as a list; null or absent is []; anything else is a problem, read as []."""
    value = article.get(key)
    if value is None or isinstance(value, list):
        return value or []
    problems.append((key, f"must be a list, got {type(value).__name__}"))
    return []


def _id_list(value, field: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(the id strings in value, problems): a reference list of another shape is reported, never a crash."""
    if value is None:
        return [], []
    if not isinstance(value, list):
        return [], [(field, f"must be a list of ids, got {value!r}")]
    return [v for v in value if _is_id(v)], [(field, f"must hold id strings, got {v!r}") for v in value if not _is_id(v)]


def _value_problems(value, field: str) -> list[tuple[str, str]]:
    def is_number(x) -> bool:
        return isinstance(x, (int, float)) and not isinstance(x, bool)

    if value is None or is_number(value):
        return []
    if isinstance(value, list) and len(value) == 2 and all(is_number(v) for v in value):
        return []
    return [(field + ".value", f"must be a number, a [low, high] pair or null, got {value!r}")]


def _official_problems(official: dict, entity_by_id: dict, field: str) -> list[tuple[str, str]]:
    problems = []
    if not official.get("mentions"):
        problems.append((field + ".mentions", "an official needs at least one mention"))
    refs = {}
    # Tuples, not sets: a label of the wrong type (a list) must compare unequal, not crash.
    for key, allowed in (("mentions", ("PER", "ROLE")), ("roles", ("ROLE",)), ("orgs", ("ORG",))):
        refs[key], bad = _id_list(official.get(key), f"{field}.{key}")
        problems += bad
        for ref in refs[key]:
            if ref not in entity_by_id:
                problems.append((f"{field}.{key}", f"dangling entity id {ref!r}"))
            elif entity_by_id[ref]["label"] not in allowed:
                problems.append((f"{field}.{key}", f"{ref!r} is {entity_by_id[ref]['label']}, expected {'/'.join(allowed)}"))
    mentions = refs["mentions"]
    name = official.get("name")
    if name is not None:
        if not _is_id(name):
            problems.append((field + ".name", f"must be an entity id or null, got {name!r}"))
        elif name not in entity_by_id:
            problems.append((field + ".name", f"dangling entity id {name!r}"))
        elif entity_by_id[name]["label"] != "PER":
            problems.append((field + ".name", f"{name!r} is {entity_by_id[name]['label']}, expected PER"))
        elif name not in mentions:
            problems.append((field + ".name", f"{name!r} is not among the mentions"))
    for ref in refs["roles"]:
        if ref not in mentions:
            problems.append((field + ".roles", f"{ref!r} is not among the mentions"))
    return problems


def _claim_problems(claim: dict, text: str, entity_by_id: dict, official_ids: set, field: str) -> list[tuple[str, str]]:
    problems = _span_problems(text, claim["start"], claim["end"], field)
    spanned = not problems
    cue = claim.get("cue")
    if cue is not None:
        if not isinstance(cue, list) or len(cue) != 2:
            problems.append((field + ".cue", f"must be [start, end] or null, got {cue!r}"))
        else:
            problems += _span_problems(text, cue[0], cue[1], field + ".cue")
            if not problems and cue[0] < claim["end"] and claim["start"] < cue[1]:
                problems.append((field + ".cue", f"cue {cue} overlaps the claim content"))
    claimant = claim.get("claimant")
    if claimant is not None and not _is_id(claimant):
        problems.append((field + ".claimant", f"must be an official or entity id or null, got {claimant!r}"))
    elif claimant is not None and claimant not in official_ids and claimant not in entity_by_id:
        problems.append((field + ".claimant", f"dangling id {claimant!r} (neither an official nor an entity)"))
    quantities, bad = _id_list(claim.get("quantities"), field + ".quantities")
    problems += bad
    for ref in quantities:
        entity = entity_by_id.get(ref)
        if entity is None:
            problems.append((field + ".quantities", f"dangling entity id {ref!r}"))
        elif entity["label"] != "QUANTITY":
            problems.append((field + ".quantities", f"{ref!r} is {entity['label']}, expected QUANTITY"))
        # A bad span (the claim's or the entity's) is reported where it is; "outside" means nothing then.
        elif spanned and not _span_problems(text, entity["start"], entity["end"], "") and \
                not (claim["start"] <= entity["start"] and entity["end"] <= claim["end"]):
            problems.append((field + ".quantities", f"{ref!r} [{entity['start']}, {entity['end']}) lies outside the claim"))
    return problems


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem in one JSONL file, including bad JSON and ids repeated across lines."""
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    articles = 0
    # utf-8-sig: the other commands read a file with a BOM (read_jsonl), so validate must too.
    with open(path, encoding="utf-8-sig") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            articles += 1
            try:
                article = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(Problem(str(path), line_number, None, "json", f"invalid JSON: {error.msg} (column {error.colno})"))
                continue
            article_id = article.get("id") if isinstance(article, dict) else None
            for field, message in validate_article(article):
                problems.append(Problem(str(path), line_number, article_id, field, message))
            if isinstance(article_id, str):
                if article_id in seen_ids:
                    problems.append(Problem(str(path), line_number, article_id, "id", f"duplicate article id (first on line {seen_ids[article_id]})"))
                seen_ids.setdefault(article_id, line_number)
    if not articles:
        problems.append(Problem(str(path), 1, None, "file", "no articles"))
    return problems
