"""Score predicted articles against gold ones (both in the corpus format of SPEC §2).

`score(gold, predicted)` returns a plain JSON-serialisable dict:

- entities: the main numbers are character-exact span matches on (start, end,
  label); seqeval's strict IOB2 numbers on a whitespace-word BIO encoding are
  reported beside them (`seqeval_word_strict`) for comparison with published
  NER results. The word view cannot see spans that start or end inside a word.
- claims: content exact and overlap F1 (greedy one-to-one by largest overlap),
  cue exact F1.
- attribution: over gold claims found by overlap, whether the predicted
  claimant denotes the same person/entity (ids differ between files, so
  claimants are compared by their mention spans).
- quantities: value + unit exact match on gold QUANTITY spans predicted exactly.
- officials: name–role and role–org links, and whole clusters, as span pairs/sets.
- windows: the `meta` counters predictions may carry.

Entity micro F1 and claim content overlap F1 carry `ci95`: a 95 % bootstrap interval over
articles (sentences, for CoNLL data), which says how much a score owes to which texts happen to
be in the split (a 10 % dev split of a few hundred texts moves by a point or more).

An empty gold set matched by an empty prediction scores 1.0: nothing to find,
nothing wrongly found, so gold against itself is 1.0 everywhere.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

import numpy as np
from ..data.schema import ENTITY_LABELS, OUTSIDE
from .iob2 import strict_report

Span = tuple[int, int]
MISSED, SPURIOUS = "missed", "spurious"
WORD = re.compile(r"\S+")  # Python's \s covers NBSP, so "\xa0" separates words too


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    """Precision/recall/F1 from counts; an empty gold and empty prediction is perfect."""
    precision = tp / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    recall = tp / n_gold if n_gold else (1.0 if n_pred == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "predicted": n_pred, "gold": n_gold}


BOOTSTRAP_RESAMPLES = 1000


def bootstrap_f1_interval(per_article: list[tuple[int, int, int]], resamples: int = BOOTSTRAP_RESAMPLES,
                          level: float = 0.95, seed: int = 0) -> list[float] | None:
    """Percentile interval of micro F1 when the articles are drawn again with replacement.

    `per_article`: (tp, predicted, gold) of each article. Seeded, so a report is reproducible;
    None for fewer than two articles."""
    if len(per_article) < 2:
        return None
    counts = np.asarray(per_article, dtype=np.int64)
    rng = np.random.default_rng(seed)
    f1s = np.empty(resamples)
    for r in range(resamples):
        weights = np.bincount(rng.integers(0, len(counts), len(counts)), minlength=len(counts))
        tp, pred, gold = weights @ counts
        f1s[r] = 2 * tp / (pred + gold) if pred + gold else 1.0
    low, high = np.quantile(f1s, [(1 - level) / 2, (1 + level) / 2])
    return [float(low), float(high)]


class _Counts:
    """tp / predicted / gold accumulated over articles, and kept per article for the interval."""

    def __init__(self) -> None:
        self.tp = self.pred = self.gold = 0
        self.per_article: list[tuple[int, int, int]] = []

    def add(self, gold: set, pred: set) -> None:
        self.add_counts(len(gold & pred), len(pred), len(gold))

    def add_counts(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold
        self.per_article.append((tp, pred, gold))

    def result(self) -> dict:
        return prf(self.tp, self.pred, self.gold)

    def result_with_interval(self) -> dict:
        return {**self.result(), "ci95": bootstrap_f1_interval(self.per_article)}


# --- entities -----------------------------------------------------------------


def _entity_set(article: dict) -> set[tuple[int, int, str]]:
    return {(e["start"], e["end"], e["label"]) for e in article.get("entities") or []}


def word_bio(text: str, entities: list[dict]) -> list[str]:
    """IOB2 tag per whitespace word: B on the first word an entity touches, I on the rest.

    A word touched by two entities keeps the first one's tag (the word view loses the other).
    """
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    tags = [OUTSIDE] * len(words)
    for entity in sorted(entities, key=lambda e: (e["start"], e["end"])):
        touched = [i for i, (ws, we) in enumerate(words) if ws < entity["end"] and entity["start"] < we]
        if not touched or any(tags[i] != OUTSIDE for i in touched):
            continue
        for n, i in enumerate(touched):
            tags[i] = ("B-" if n == 0 else "I-") + entity["label"]
    return tags


def _seqeval(gold_tags: list[list[str]], pred_tags: list[list[str]]) -> dict:
    """seqeval's strict IOB2 report (`iob2.strict_report`), on our labels."""
    if not any(t != OUTSIDE for seq in gold_tags + pred_tags for t in seq):
        return {"per_label": {}, "micro": prf(0, 0, 0)}
    report = strict_report(gold_tags, pred_tags)
    return {"per_label": {k: report["per_label"][k] for k in ENTITY_LABELS if k in report["per_label"]}, "micro": report["micro"]}


def _confusion(gold: set, pred: set, table: dict[str, Counter]) -> None:
    """Gold label vs predicted label for identical boundaries, plus missed/spurious."""
    pred_at = {(s, e): label for s, e, label in pred}
    gold_at = {(s, e): label for s, e, label in gold}
    for span, label in gold_at.items():
        table[label][pred_at.get(span, MISSED)] += 1
    for span, label in pred_at.items():
        if span not in gold_at:
            table[SPURIOUS][label] += 1


# --- claims and attribution -----------------------------------------------------


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_by_overlap(gold: list[Span], pred: list[Span]) -> dict[int, int]:
    """Greedy one-to-one matching of overlapping spans, largest overlap first: {gold index: pred index}."""
    pairs = sorted(
        ((_overlap(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if _overlap(g, p) > 0),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in matched and pi not in used:
            matched[gi] = pi
            used.add(pi)
    return matched


def denotation(article: dict, claimant: str | None):
    """What a claimant id refers to, independent of ids: None, ("official", spans) or ("entity", spans)."""
    if claimant is None:
        return None
    spans = {e["id"]: (e["start"], e["end"]) for e in article.get("entities") or []}
    for official in article.get("officials") or []:
        if official.get("id") == claimant:
            return ("official", {spans[m] for m in official.get("mentions") or [] if m in spans})
    if claimant in spans:
        return ("entity", {spans[claimant]})
    return ("dangling", set())


def same_claimant(gold, pred) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if gold[0] != pred[0] or gold[0] == "dangling":
        return False
    return any(_overlap(g, p) for g in gold[1] for p in pred[1])


# --- quantities -------------------------------------------------------------------


def same_value(gold, pred) -> bool:
    """Numbers equal within 1e-9 relative; ranges compared as pairs."""
    if isinstance(gold, (list, tuple)) or isinstance(pred, (list, tuple)):
        return (
            isinstance(gold, (list, tuple))
            and isinstance(pred, (list, tuple))
            and len(gold) == len(pred)
            and all(same_value(g, p) for g, p in zip(gold, pred))
        )
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (gold, pred)):
        return False
    return math.isclose(gold, pred, rel_tol=1e-9, abs_tol=0.0)


# --- officials ------------------------------------------------------------------


def official_links(article: dict) -> tuple[set, set, set]:
    """(name–role pairs, role–org pairs, clusters) as spans, so ids do not matter."""
    by_id = {e["id"]: e for e in article.get("entities") or []}

    def spans(ids: Iterable[str], label: str | None = None) -> list[Span]:
        return [(by_id[i]["start"], by_id[i]["end"]) for i in ids if i in by_id and (label is None or by_id[i]["label"] == label)]

    name_role, role_org, clusters = set(), set(), set()
    for official in article.get("officials") or []:
        names = spans(official.get("mentions") or [], "PER")
        roles = spans(official.get("roles") or [])
        orgs = spans(official.get("orgs") or [])
        name_role |= {(n, r) for n in names for r in roles}
        role_org |= {(r, o) for r in roles for o in orgs}
        clusters.add(frozenset(spans(official.get("mentions") or [])))
    return name_role, role_org, clusters


# --- the whole report -------------------------------------------------------------


def score(gold: list[dict], predicted: list[dict]) -> dict:
    """Compare predictions with gold articles, matched by id; a missing prediction counts as empty."""
    pred_by_id = {p["id"]: p for p in predicted}
    gold_ids = {g["id"] for g in gold}
    missing = [g["id"] for g in gold if g["id"] not in pred_by_id]
    text_mismatch = [g["id"] for g in gold if g["id"] in pred_by_id and pred_by_id[g["id"]].get("text", g["text"]) != g["text"]]

    per_label = {label: _Counts() for label in ENTITY_LABELS}
    micro = _Counts()
    confusion: dict[str, Counter] = {label: Counter() for label in (*ENTITY_LABELS, SPURIOUS)}
    gold_tags: list[list[str]] = []
    pred_tags: list[list[str]] = []
    content_exact, content_overlap, cue_exact = _Counts(), _Counts(), _Counts()
    attribution = Counter(gold_claims=0, found=0, correct=0)
    quantities = Counter(gold_quantities=0, gold_with_value=0, found=0, correct=0)
    name_role, role_org, clusters = _Counts(), _Counts(), _Counts()
    windows = Counter(windows=0, truncated_spans=0)

    for g in gold:
        p = pred_by_id.get(g["id"]) or {"id": g["id"], "text": g["text"], "entities": []}

        gold_ents, pred_ents = _entity_set(g), _entity_set(p)
        micro.add(gold_ents, pred_ents)
        for label, counts in per_label.items():
            counts.add({x for x in gold_ents if x[2] == label}, {x for x in pred_ents if x[2] == label})
        _confusion(gold_ents, pred_ents, confusion)
        gold_tags.append(word_bio(g["text"], g.get("entities") or []))
        pred_tags.append(word_bio(g["text"], p.get("entities") or []))

        gold_claims, pred_claims = g.get("claims") or [], p.get("claims") or []
        gold_spans = [(c["start"], c["end"]) for c in gold_claims]
        pred_spans = [(c["start"], c["end"]) for c in pred_claims]
        content_exact.add(set(gold_spans), set(pred_spans))
        matched = match_by_overlap(gold_spans, pred_spans)
        content_overlap.add_counts(len(matched), len(pred_spans), len(gold_spans))
        cue_exact.add({tuple(c["cue"]) for c in gold_claims if c.get("cue")}, {tuple(c["cue"]) for c in pred_claims if c.get("cue")})

        attribution["gold_claims"] += len(gold_claims)
        for gi, pi in matched.items():
            attribution["found"] += 1
            wanted = denotation(g, gold_claims[gi].get("claimant"))
            got = denotation(p, pred_claims[pi].get("claimant"))
            attribution["correct"] += same_claimant(wanted, got)

        pred_quantities = {(e["start"], e["end"]): e for e in p.get("entities") or [] if e["label"] == "QUANTITY"}
        for e in g.get("entities") or []:
            if e["label"] != "QUANTITY":
                continue
            quantities["gold_quantities"] += 1
            if e.get("value") is None:
                continue
            quantities["gold_with_value"] += 1
            hit = pred_quantities.get((e["start"], e["end"]))
            if hit is None:
                continue
            quantities["found"] += 1
            quantities["correct"] += same_value(e["value"], hit.get("value")) and e.get("unit") == hit.get("unit")

        for counts, gold_set, pred_set in zip((name_role, role_org, clusters), official_links(g), official_links(p)):
            counts.add(gold_set, pred_set)

        meta = p.get("meta") or {}
        windows["windows"] += int(meta.get("windows", 0) or 0)
        windows["truncated_spans"] += int(meta.get("truncated_spans", 0) or 0)

    def ratio(num: int, den: int, total: int) -> float:
        # nothing found although there was something to find is a failure, not a vacuous 1.0
        return num / den if den else (1.0 if total == 0 else 0.0)

    labels = list(ENTITY_LABELS)
    return {
        "articles": {
            "gold": len(gold),
            "predicted": len(predicted),
            "missing_predictions": missing,
            "extra_predictions": sorted(set(pred_by_id) - gold_ids),
            "text_mismatch": text_mismatch,
        },
        "entities": {
            "exact": {"per_label": {k: c.result() for k, c in per_label.items()}, "micro": micro.result_with_interval()},
            "seqeval_word_strict": _seqeval(gold_tags, pred_tags),
            "confusion": {
                "rows": [*labels, SPURIOUS],
                "columns": [*labels, MISSED],
                "counts": {row: dict(confusion[row]) for row in (*labels, SPURIOUS)},
            },
        },
        "claims": {
            "content_exact": content_exact.result(),
            "content_overlap": content_overlap.result_with_interval(),
            "cue_exact": cue_exact.result(),
        },
        "attribution": {
            **dict(attribution),
            "accuracy": ratio(attribution["correct"], attribution["found"], attribution["gold_claims"]),
            "end_to_end": ratio(attribution["correct"], attribution["gold_claims"], attribution["gold_claims"]),
        },
        "quantities": {
            **dict(quantities),
            "accuracy": ratio(quantities["correct"], quantities["found"], quantities["gold_with_value"]),
            "end_to_end": ratio(quantities["correct"], quantities["gold_with_value"], quantities["gold_with_value"]),
        },
        "officials": {"name_role": name_role.result(), "role_org": role_org.result(), "clusters": clusters.result()},
        "windows": dict(windows),
    }
