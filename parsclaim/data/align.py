"""Spans <-> token tags for both heads, with windows for long documents.

Encoding (training): spans are painted onto the characters, the whole text is
tokenized once with a fast tokenizer (offsets point into the raw text, see
`parsclaim.models.tokenizer`), each token takes the span that covers most of
its characters, and a token gets a label when it is the first sub-token of
its word *or* its span differs from the previous sub-token's (a span starts
or ends inside a word: cue "افزود" in "ویافزود", "۱۹" in "۱۹هزار" when the
tokenizer splits there). Other sub-tokens get IGNORE_INDEX, as in
transformers' run_ner.py. The token sequence is then cut into windows of
`max_length` tokens (with [CLS]/[SEP]) overlapping by `stride` tokens.

Decoding (inference) is the inverse. Window predictions are merged by
keeping, for each token, the window in which it lies farthest from an edge
(flair's "keep the middle"); the tags of the positions trained on form the
most probable valid IOB2 sequence (`parsclaim.models.decoding`); unlabelled
continuation sub-tokens inherit the tag of the previous labelled sub-token of
their word, B/I runs merge into spans, and a span ends at its last token's
end offset.

Label trust. A source without claims (CoNLL sentences, any article without a
`claims` key) gets claim labels IGNORE_INDEX: unknown, not "no claim". A
source whose annotation lacks some entity labels (PEYMA: no ROLE, no count
quantities; ARMAN also no DATE) marks those labels in `entity_untrusted`, a
per-window bitmask over ENTITY_LABELS. We chose a partial-label loss over
the simple "O -> -100" mask: the model's loss on an O token of such a source
is -log P(O or any tag of an untrusted label), so the token still teaches
"not PER/ORG/LOC" (masking O entirely would drop ~90 % of PEYMA's tokens and
leave only positives, making the model over-predict every label) while not
teaching "not a ROLE". With no negative evidence at all, a model trained on
PEYMA alone spreads QUANTITY over whole clauses, so a small share
(`untrusted_o_weight`, default 0.05) of the plain "it is O" loss is added
back on those tokens: a weak prior that trusted gold articles override. See
`parsclaim.models.modeling.partial_label_nll`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .schema import CLAIM_TAGS, ENTITY_LABELS, ENTITY_TAGS, IGNORE_INDEX, OUTSIDE

MIN_WINDOW = 8  # the fewest tokens a window may hold, [CLS] and [SEP] included

ENTITY_TAG_IDS = {tag: i for i, tag in enumerate(ENTITY_TAGS)}
CLAIM_TAG_IDS = {tag: i for i, tag in enumerate(CLAIM_TAGS)}
DATASET_COLUMNS = ("input_ids", "attention_mask", "entity_labels", "claim_labels", "entity_untrusted", "scheme_id")


@dataclass
class DocTokens:
    """One document tokenized without special tokens."""

    input_ids: list[int]
    offsets: list[tuple[int, int]]
    word_ids: list[int | None]


@dataclass
class AlignmentReport:
    articles: int = 0
    windows: int = 0
    spans: int = 0
    lost_to_truncation: int = 0  # no window holds all of the span's tokens
    unaligned: int = 0  # no token carries the span (it shares a token with another span)
    lost_examples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k != "lost_examples"} | {"lost_examples": self.lost_examples[:20]}


def untrusted_mask(labels: Iterable[str]) -> int:
    """Bitmask over ENTITY_LABELS of labels a source does not annotate."""
    labels = set(labels)
    unknown = labels - set(ENTITY_LABELS)
    if unknown:
        raise ValueError(f"unknown entity labels {sorted(unknown)}; expected some of {ENTITY_LABELS}")
    return sum(1 << i for i, label in enumerate(ENTITY_LABELS) if label in labels)


def untrusted_tag_ids(mask: int) -> list[int]:
    """Entity tag ids an O token of a source with this bitmask may really be."""
    labels = [label for i, label in enumerate(ENTITY_LABELS) if mask >> i & 1]
    return [ENTITY_TAG_IDS[f"{p}-{label}"] for label in labels for p in ("B", "I")]


def tokenize_documents(texts: Sequence[str], tokenizer) -> list[DocTokens]:
    if not getattr(tokenizer, "is_fast", False):
        raise TypeError("alignment needs a fast tokenizer (offset mappings and word ids)")
    encoded = tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True, truncation=False, verbose=False)
    return [
        DocTokens(encoded["input_ids"][i], [tuple(o) for o in encoded["offset_mapping"][i]], encoded.word_ids(i))
        for i in range(len(texts))
    ]


# ---------------------------------------------------------------- encoding

def article_spans(article: dict) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]] | None]:
    """(entity spans, claim spans or None when the source has no claim annotation)."""
    entities = [(e["start"], e["end"], e["label"]) for e in article["entities"]]
    if "claims" not in article:
        return entities, None
    claims = []
    for claim in article["claims"] or []:
        claims.append((claim["start"], claim["end"], "CLAIM"))
        if claim.get("cue"):
            claims.append((claim["cue"][0], claim["cue"][1], "CUE"))
    return entities, claims


def token_spans(doc: DocTokens, spans: list[tuple[int, int, str]], text_length: int) -> list[int]:
    """For each token, the index of the span covering most of its characters, or -1."""
    owner = [-1] * text_length
    for index, (start, end, _) in enumerate(spans):
        owner[start:end] = [index] * (end - start)
    result = []
    for start, end in doc.offsets:
        counts = Counter(o for o in owner[start:end] if o >= 0)
        result.append(min(counts, key=lambda o: (-counts[o], o)) if counts else -1)
    return result


def token_labels(doc: DocTokens, spans: list[tuple[int, int, str]], text_length: int, tag_ids: dict[str, int]) -> tuple[list[int], set[int]]:
    """Label ids per token (IGNORE_INDEX on unlabelled sub-tokens) and the set of spans that got a token."""
    owners = token_spans(doc, spans, text_length)
    labels, aligned = [], set()
    for t, owner in enumerate(owners):
        same_word = t > 0 and doc.word_ids[t] is not None and doc.word_ids[t] == doc.word_ids[t - 1]
        previous = owners[t - 1] if t > 0 else -1
        if same_word and owner == previous:
            labels.append(IGNORE_INDEX)  # a plain continuation sub-token
        elif owner < 0:
            labels.append(tag_ids[OUTSIDE])
        else:
            prefix = "I" if owner == previous else "B"
            labels.append(tag_ids[f"{prefix}-{spans[owner][2]}"])
            aligned.add(owner)
    return labels, aligned


def window_starts(n_tokens: int, capacity: int, stride: int) -> list[int]:
    """Start token of each window of `capacity` tokens overlapping by `stride`."""
    if not 0 <= stride < capacity:
        raise ValueError(f"stride {stride} must lie in [0, {capacity}) for windows of {capacity} tokens")
    starts = [0]
    while starts[-1] + capacity < n_tokens:
        starts.append(starts[-1] + capacity - stride)
    return starts


def _span_token_range(doc: DocTokens, start: int, end: int) -> tuple[int, int] | None:
    hits = [t for t, (s, e) in enumerate(doc.offsets) if s < end and start < e]
    return (hits[0], hits[-1]) if hits else None


def pack_windows(lengths: Sequence[int], capacity: int) -> list[list[int]]:
    """Windows (by index) grouped into rows of at most `capacity` tokens: each row takes the
    longest window left, then the shortest ones while they fit."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    rows, low, high = [], 0, len(order) - 1
    while low <= high:
        row, room = [order[high]], capacity - lengths[order[high]]
        high -= 1
        while low <= high and lengths[order[low]] <= room:
            row.append(order[low])
            room -= lengths[order[low]]
            low += 1
        rows.append(row)
    return rows


def make_windows(doc: DocTokens, tokenizer, max_length: int, stride: int) -> list[dict]:
    """Cut one tokenized document into model inputs with [CLS]/[SEP]; labels added by the caller."""
    capacity = max_length - 2
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    if cls is None or sep is None:
        raise ValueError("the tokenizer needs [CLS]/[SEP]-style special tokens (cls_token_id, sep_token_id)")
    windows = []
    for index, start in enumerate(window_starts(len(doc.input_ids), capacity, stride)):
        stop = min(start + capacity, len(doc.input_ids))
        windows.append({
            "window": index,
            "token_start": start,
            "input_ids": [cls] + doc.input_ids[start:stop] + [sep],
            "attention_mask": [1] * (stop - start + 2),
            "offsets": [(0, 0)] + doc.offsets[start:stop] + [(0, 0)],
            "word_ids": [None] + doc.word_ids[start:stop] + [None],
        })
    return windows


def encode_articles(articles: Sequence[dict], tokenizer, max_length: int = 256, stride: int = 64,
                    untrusted: Iterable[str] = (), report: AlignmentReport | None = None, scheme_id: int = 0) -> list[dict]:
    """Training windows for articles of one source; `untrusted` names entity labels the source lacks,
    `scheme_id` the entity head its labels train (0: the main one, see ParsclaimConfig.scheme_heads)."""
    report = report if report is not None else AlignmentReport()
    mask = untrusted_mask(untrusted)
    docs = tokenize_documents([a["text"] for a in articles], tokenizer)
    records = []
    for article, doc in zip(articles, docs):
        entity_spans, claim_spans = article_spans(article)
        entity_labels, entity_aligned = token_labels(doc, entity_spans, len(article["text"]), ENTITY_TAG_IDS)
        if claim_spans is None:
            claim_labels, claim_aligned = [IGNORE_INDEX] * len(doc.input_ids), set()
        else:
            claim_labels, claim_aligned = token_labels(doc, claim_spans, len(article["text"]), CLAIM_TAG_IDS)
        windows = make_windows(doc, tokenizer, max_length, stride)
        for window in windows:
            start, stop = window["token_start"], window["token_start"] + len(window["input_ids"]) - 2
            window["id"] = article["id"]
            window["entity_labels"] = [IGNORE_INDEX] + entity_labels[start:stop] + [IGNORE_INDEX]
            window["claim_labels"] = [IGNORE_INDEX] + claim_labels[start:stop] + [IGNORE_INDEX]
            window["entity_untrusted"] = mask
            window["scheme_id"] = scheme_id
        records += windows
        _count_losses(article, doc, windows, entity_spans, entity_aligned, report, max_length)
        if claim_spans is not None:
            _count_losses(article, doc, windows, claim_spans, claim_aligned, report, max_length)
        report.articles += 1
        report.windows += len(windows)
    return records


def _count_losses(article, doc, windows, spans, aligned, report: AlignmentReport, max_length: int) -> None:
    for index, (start, end, label) in enumerate(spans):
        report.spans += 1
        if index not in aligned:
            report.unaligned += 1
            continue
        first, last = _span_token_range(doc, start, end)
        if not any(w["token_start"] <= first and last < w["token_start"] + max_length - 2 for w in windows):
            report.lost_to_truncation += 1
            report.lost_examples.append(f"{article['id']}: {label} [{start}, {end}) spans {last - first + 1} tokens")


class WindowDataset:
    """Training windows as the model's columns, for the HF Trainer (a map-style dataset: a list
    with a length; no `datasets`/pyarrow needed to train)."""

    column_names = DATASET_COLUMNS

    def __init__(self, records: list[dict]):
        self.rows = [{column: record[column] for column in DATASET_COLUMNS} for record in records]

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> dict:
        return self.rows[index]


# ---------------------------------------------------------------- decoding

def merge_windows(windows: Sequence[tuple[int, Sequence]], n_tokens: int):
    """Per document token, the value from the window where it lies farthest from an edge
    (ties: the earlier window in `windows`; a token no window covers gets None, or zeros in an array).

    `windows` holds (token_start, values for the window's content tokens, no specials). Values
    that are numpy arrays ([tokens, ...] per window) merge into one array [n_tokens, ...]; any
    other values into a list.
    """
    margin = np.full(n_tokens, -1)
    choice = np.full(n_tokens, -1)
    for w, (start, values) in enumerate(windows):
        inner = np.arange(len(values))
        distance = np.minimum(inner, len(values) - 1 - inner)
        better = distance > margin[start : start + len(values)]  # strictly: a tie keeps the earlier window
        margin[start : start + len(values)][better] = distance[better]
        choice[start : start + len(values)][better] = w
    if windows and all(isinstance(values, np.ndarray) for _, values in windows):
        first = windows[0][1]
        merged = np.zeros((n_tokens, *first.shape[1:]), dtype=first.dtype)
        for w, (start, values) in enumerate(windows):  # each window's own range: linear in the text's length
            kept = np.flatnonzero(choice[start : start + len(values)] == w)
            merged[start + kept] = values[kept]
        return merged
    return [windows[c][1][t - windows[c][0]] if c >= 0 else None for t, c in enumerate(choice.tolist())]


def inference_tags(tags: Sequence[str], word_ids: Sequence[int | None], inword_labels: Iterable[str] = ()) -> list[str | None]:
    """Keep the tags of positions the model was trained on: a word's first sub-token, and a
    continuation that opens a span of one of `inword_labels` inside the word (the cue in
    "ویافزود"); other continuations become None (inherit their word's tag).

    Continuation sub-tokens are trained only where a gold span starts inside a word, so
    their tags elsewhere are noise: trusting every B- there splits "بانک صادرات" or
    "سنایچ" into fragments. `parsclaim.models.decoding.tagged_positions` applies the same
    rule to tag ids before Viterbi decoding: change both together."""
    allowed = {f"B-{label}" for label in inword_labels}
    kept: list[str | None] = []
    for t, tag in enumerate(tags):
        continuation = t > 0 and word_ids[t] is not None and word_ids[t] == word_ids[t - 1]
        kept.append(tag if not continuation or tag in allowed else None)
    return kept


def decode_spans(tags: Sequence[str | None], offsets: Sequence[tuple[int, int]], word_ids: Sequence[int | None],
                 scores: Sequence[float] | None = None, starts: Sequence[bool] | None = None) -> list[dict]:
    """Token tags (None = inherit from the word's previous labelled sub-token) -> spans in the raw text.
    A token that `starts` a line (`decoding.line_starts`) opens a new span even when tagged I-X."""
    spans: list[dict] = []
    current: dict | None = None
    resolved: str = OUTSIDE
    for t, tag in enumerate(tags):
        if word_ids[t] is None or offsets[t][1] <= offsets[t][0]:
            continue  # special or empty token
        if tag is None:
            same_word = t > 0 and word_ids[t] == word_ids[t - 1]
            tag = ("I-" + resolved[2:]) if same_word and resolved != OUTSIDE else OUTSIDE
        resolved = tag
        score = scores[t] if scores is not None else 1.0
        if tag == OUTSIDE:
            current = None
        elif (tag.startswith("I-") and current is not None and current["label"] == tag[2:]
              and not (starts is not None and starts[t])):
            current["end"] = offsets[t][1]
            current["_scores"].append(score)
        else:  # B-, or an I- that cannot continue (IOB2 repair)
            current = {"start": offsets[t][0], "end": offsets[t][1], "label": tag[2:], "_scores": [score]}
            spans.append(current)
    for span in spans:
        values = span.pop("_scores")
        span["score"] = sum(values) / len(values)
    return spans
