"""Import of the CoNLL corpora (PEYMA, NSURL, ARMAN) into the corpus format.

Each sentence becomes one article whose text is its tokens joined by single
spaces; BIO tags become spans, mapped onto our labels. Quirks handled: a
line is split on its last TAB (else its last whitespace), so tokens that hold
spaces ("می دهد") stay one token; CRLF endings; a byte-order mark; `-DOCSTART-`
lines; PEYMA's original `B_PER` tags (read as `B-PER`); lines without a tag
are reported, never silently dropped, and `check_import` (load_conll,
import-conll) refuses a file none of whose tags the scheme knows (the wrong
scheme, or another tag set).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Source tag -> our label (None: no counterpart, becomes O).
SCHEMES: dict[str, dict[str, str | None]] = {
    "peyma": {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "DAT": "DATE", "TIM": "DATE", "MON": "QUANTITY", "PCT": "QUANTITY"},
    "arman": {"pers": "PER", "org": "ORG", "loc": "LOC", "fac": None, "pro": None, "event": None},
}


NO_SENTENCES = "no sentences (expected 'token<TAB>tag' lines, a blank line between sentences)"


@dataclass
class Sentence:
    tokens: list[str]
    tags: list[str]
    lines: list[int]  # each token's line number in the file (lines without a tag may come between)


@dataclass
class ImportReport:
    sentences: int = 0
    tokens: int = 0
    problems: list[str] = field(default_factory=list)
    unmapped: dict[str, int] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)  # tags the scheme does not know, read as O
    entities: int = 0  # spans mapped onto our labels


def split_line(line: str) -> tuple[str, str] | None:
    """'token<TAB>tag' -> (token, tag); the last TAB wins, else the last whitespace."""
    line = line.rstrip("\r\n")
    if "\t" in line:
        token, tag = line.rsplit("\t", 1)
    else:
        parts = line.rsplit(None, 1)
        if len(parts) != 2:
            return None
        token, tag = parts
    token, tag = token.strip(), tag.strip()
    if not token or not tag:
        return None
    return token, normalize_tag(tag)


def normalize_tag(tag: str) -> str:
    """PEYMA's original files write 'B_PER'; the NSURL release and ours 'B-PER'."""
    if tag[:2] in ("B_", "I_"):
        return tag[0] + "-" + tag[2:]
    return tag


def read_conll(path: str | Path, report: ImportReport | None = None) -> Iterator[Sentence]:
    report = report if report is not None else ImportReport()
    tokens: list[str] = []
    tags: list[str] = []
    lines: list[int] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("-DOCSTART-"):
                if tokens:
                    yield Sentence(tokens, tags, lines)
                    tokens, tags, lines = [], [], []
                continue
            pair = split_line(line)
            if pair is None:
                report.problems.append(f"{path}:{number}: line without a tag skipped: {line.strip()!r}")
                continue
            tokens.append(pair[0])
            tags.append(pair[1])
            lines.append(number)
    if tokens:
        yield Sentence(tokens, tags, lines)


def sentence_to_article(sentence: Sentence, article_id: str, scheme: str, source: str, report: ImportReport) -> dict:
    mapping = SCHEMES[scheme]
    text_parts: list[str] = []
    starts: list[int] = []
    position = 0
    for token in sentence.tokens:
        starts.append(position)
        text_parts.append(token)
        position += len(token) + 1
    text = " ".join(text_parts)

    entities: list[dict] = []
    current: dict | None = None
    for index, (token, tag) in enumerate(zip(sentence.tokens, sentence.tags)):
        prefix, _, source_label = tag.partition("-")
        if tag == "O" or prefix not in ("B", "I") or not source_label:
            if tag != "O":
                report.problems.append(f"line {sentence.lines[index]}: unknown tag {tag!r} read as O")
                report.unknown[tag] = report.unknown.get(tag, 0) + 1
            current = None
            continue
        if source_label not in mapping:
            report.problems.append(f"line {sentence.lines[index]}: unknown label {source_label!r} read as O")
            report.unknown[source_label] = report.unknown.get(source_label, 0) + 1
            current = None
            continue
        label = mapping[source_label]
        if label is None:
            report.unmapped[source_label] = report.unmapped.get(source_label, 0) + (prefix == "B")
            current = None
            continue
        end = starts[index] + len(token)
        # An I- after O or after another label starts a span (IOB2 repair).
        if prefix == "I" and current is not None and current["source_label"] == source_label:
            current["end"] = end
        else:
            if prefix == "I":
                report.problems.append(f"line {sentence.lines[index]}: {tag} without a B- before it starts a new span (IOB2 repair)")
            current = {"start": starts[index], "end": end, "label": label, "source_label": source_label}
            entities.append(current)
    for number, entity in enumerate(entities, start=1):
        entity["id"] = f"e{number}"
        del entity["source_label"]
    return {"id": article_id, "text": text, "source": source, "entities": [
        {"id": e["id"], "start": e["start"], "end": e["end"], "label": e["label"]} for e in entities
    ]}


def import_conll(path: str | Path, scheme: str, source: str | None = None, report: ImportReport | None = None) -> Iterator[dict]:
    """Yield one article per sentence of a CoNLL file."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    report = report if report is not None else ImportReport()
    source = source or Path(path).parent.name or scheme
    # the file's name in the id too: split/peyma/train.conll and dev.conll would share ids otherwise
    prefix = f"{source}-{Path(path).stem}"
    for number, sentence in enumerate(read_conll(path, report), start=1):
        report.sentences += 1
        report.tokens += len(sentence.tokens)
        article = sentence_to_article(sentence, f"{prefix}-{number:05d}", scheme, source, report)
        report.entities += len(article["entities"])
        yield article


def load_conll(path: str | Path, scheme: str, source: str | None = None, max_shown: int = 5) -> list[dict]:
    """All articles of a CoNLL file; problems go to stderr, and a file whose tags the scheme
    does not know at all is an error (a silent 0.00 F1 or an untrained label otherwise)."""
    report = ImportReport()
    articles = list(import_conll(path, scheme, source=source, report=report))
    check_import(path, scheme, report)
    if report.problems:
        print(f"warning: {path}: {len(report.problems)} problem line(s) in {report.sentences} sentences, e.g.:", file=sys.stderr)
        for problem in report.problems[:max_shown]:
            print(f"  {problem}", file=sys.stderr)
        if report.unknown:
            counts = ", ".join(f"{tag} {n}" for tag, n in sorted(report.unknown.items(), key=lambda item: -item[1])[:max_shown])
            print(f"  tags read as O because {scheme} does not know them: {counts}", file=sys.stderr)
    return articles


def check_import(path: str | Path, scheme: str, report: ImportReport, spell=lambda scheme, path: f"conll:{scheme}:{path}") -> None:
    """Raise ValueError after an import that found no sentences, or no tag the scheme knows.
    `spell(scheme, path)` writes the suggested fix the way the caller's user would type it."""
    if not report.sentences:
        raise ValueError(f"{path}: {NO_SENTENCES}")
    if report.unknown and not report.entities + sum(report.unmapped.values()):
        labels = sorted(report.unknown)[:8]
        raise ValueError(f"{path}: none of its tags belongs to the {scheme} scheme (found {', '.join(labels)}; "
                         f"{scheme} knows {', '.join(sorted(SCHEMES[scheme]))}); "
                         f"is it another corpus? e.g. {spell(_guess_scheme(labels, scheme), path)}")


def read_sentences(path: str | Path, report: ImportReport) -> list[Sentence]:
    """Every sentence of a file that must be CoNLL; one without sentences or without a single
    BIO tag (JSONL, plain text) is an error rather than an empty or garbage result."""
    sentences = list(read_conll(path, report))
    if not sentences:
        raise ValueError(f"{path}: {NO_SENTENCES}")
    if not any(is_bio_tag(tag) for sentence in sentences for tag in sentence.tags):
        raise ValueError(f"{path}: not a CoNLL file: no line ends in a BIO tag (O, B-X, I-X)")
    return sentences


def is_bio_tag(tag: str) -> bool:
    return tag == "O" or (tag[:2] in ("B-", "I-") and len(tag) > 2)


def _guess_scheme(labels: list[str], wrong: str) -> str:
    for scheme, mapping in SCHEMES.items():
        if scheme != wrong and any(label in mapping for label in labels):
            return scheme
    return "peyma|arman"
