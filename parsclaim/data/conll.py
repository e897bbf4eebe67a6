"""Import of the CoNLL corpora (PEYMA, NSURL, ARMAN) into the corpus format.

Each sentence becomes one article whose text is its tokens joined by single
spaces; BIO tags become spans, mapped onto our labels. Quirks handled: a
line is split on its last TAB (else its last whitespace), so tokens that hold
spaces ("می دهد") stay one token; CRLF endings; lines without a tag are
reported, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Source tag -> our label (None: no counterpart, becomes O).
SCHEMES: dict[str, dict[str, str | None]] = {
    "peyma": {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "DAT": "DATE", "TIM": "DATE", "MON": "QUANTITY", "PCT": "QUANTITY"},
    "arman": {"pers": "PER", "org": "ORG", "loc": "LOC", "fac": None, "pro": None, "event": None},
}


@dataclass
class Sentence:
    tokens: list[str]
    tags: list[str]
    first_line: int


@dataclass
class ImportReport:
    sentences: int = 0
    tokens: int = 0
    problems: list[str] = field(default_factory=list)
    unmapped: dict[str, int] = field(default_factory=dict)


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
    return token, tag


def read_conll(path: str | Path, report: ImportReport | None = None) -> Iterator[Sentence]:
    report = report if report is not None else ImportReport()
    tokens: list[str] = []
    tags: list[str] = []
    first = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                if tokens:
                    yield Sentence(tokens, tags, first)
                    tokens, tags = [], []
                continue
            pair = split_line(line)
            if pair is None:
                report.problems.append(f"{path}:{number}: line without a tag skipped: {line.strip()!r}")
                continue
            if not tokens:
                first = number
            tokens.append(pair[0])
            tags.append(pair[1])
    if tokens:
        yield Sentence(tokens, tags, first)


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
                report.problems.append(f"line {sentence.first_line + index}: unknown tag {tag!r} read as O")
            current = None
            continue
        if source_label not in mapping:
            report.problems.append(f"line {sentence.first_line + index}: unknown label {source_label!r} read as O")
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
                report.problems.append(f"line {sentence.first_line + index}: {tag} without a B- before it starts a new span (IOB2 repair)")
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
    for number, sentence in enumerate(read_conll(path, report), start=1):
        report.sentences += 1
        report.tokens += len(sentence.tokens)
        yield sentence_to_article(sentence, f"{source}-{number:05d}", scheme, source, report)
