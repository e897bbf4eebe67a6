#!/usr/bin/env python3
"""Measure the quantity module against gold QUANTITY entities of JSONL corpora.

For each file (SPEC §2 format) it reports
  * find_quantities span precision / recall / F1 (exact start and end), and
  * value+unit exact match of each gold QUANTITY span read in its text (`quantity_in_context`,
    as the Extractor reads a predicted span) on the gold QUANTITY spans that
    carry a gold ``value`` or ``unit``.

    python scripts/quantity_report.py /work/shared/seed/tasnim_ngo_article.jsonl
    python scripts/quantity_report.py corpus/*.jsonl --errors
    python scripts/quantity_report.py peyma.jsonl --kinds percent,money   # corpora tagging only MON/PCT
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from parsclaim.data.quantities import find_quantities, quantity_in_context  # noqa: E402


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    parsed: int = 0  # gold spans with a gold value/unit
    exact: int = 0  # ... whose parse matches value and unit
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("tp", "fp", "fn", "parsed", "exact"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors


def same_value(got: object, want: object) -> bool:
    """Numeric equality that treats a range tuple and a JSON list alike."""
    if isinstance(want, (list, tuple)):
        return isinstance(got, (list, tuple)) and len(got) == len(want) and all(
            same_value(g, w) for g, w in zip(got, want))
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
    return got == want


def score_article(art: dict, kinds: set[str] | None) -> Tally:
    text = art["text"]
    tally = Tally()
    gold = [e for e in art.get("entities", []) if e.get("label") == "QUANTITY"]
    gold_spans = {(e["start"], e["end"]) for e in gold}
    pred_spans = {(s, e) for s, e, q in find_quantities(text) if kinds is None or q.kind in kinds}
    tally.tp = len(gold_spans & pred_spans)
    tally.fp = len(pred_spans - gold_spans)
    tally.fn = len(gold_spans - pred_spans)
    where = art.get("id", "?")
    for s, e in sorted(pred_spans - gold_spans):
        tally.errors.append(f"{where} FP   {text[s:e]!r} @{s}-{e}")
    for s, e in sorted(gold_spans - pred_spans):
        tally.errors.append(f"{where} FN   {text[s:e]!r} @{s}-{e}")
    for ent in gold:
        if "value" not in ent and "unit" not in ent:
            continue
        tally.parsed += 1
        span = text[ent["start"]: ent["end"]]
        q = quantity_in_context(text, ent["start"], ent["end"])
        if q.ok and same_value(q.value, ent.get("value")) and q.unit == ent.get("unit"):
            tally.exact += 1
        else:
            got = q.to_json() if q.ok else f"not a quantity ({q.reason})"
            tally.errors.append(f"{where} PARSE {span!r}: got {got}, gold "
                                f"{ {'value': ent.get('value'), 'unit': ent.get('unit')} }")
    return tally


def score_file(path: Path, kinds: set[str] | None) -> Tally:
    total = Tally()
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                art = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path}:{n}: skipped, not JSON ({exc})", file=sys.stderr)
                continue
            total.add(score_article(art, kinds))
    return total


def pct(num: int, den: int) -> str:
    return f"{100 * num / den:6.1f}" if den else "     -"


def row(name: str, t: Tally) -> str:
    p = t.tp / (t.tp + t.fp) if t.tp + t.fp else 0.0
    r = t.tp / (t.tp + t.fn) if t.tp + t.fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return (f"{name[:40]:40} {t.tp + t.fn:5} {t.tp + t.fp:5} {pct(t.tp, t.tp + t.fp)} "
            f"{pct(t.tp, t.tp + t.fn)} {100 * f1:6.1f}   {t.exact:4}/{t.parsed:<4} {pct(t.exact, t.parsed)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", type=Path, help="JSONL corpus files")
    ap.add_argument("--errors", action="store_true", help="list false positives/negatives and parse misses")
    ap.add_argument("--kinds", help="only count predicted quantities of these kinds (comma-separated, "
                                    "e.g. percent,money for corpora that tag only MON/PCT)")
    args = ap.parse_args(argv)
    kinds = set(args.kinds.split(",")) if args.kinds else None

    print(f"{'file':40} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}   {'value+unit exact':>16}")
    total = Tally()
    for path in args.paths:
        if not path.exists():
            print(f"{path}: not found", file=sys.stderr)
            continue
        t = score_file(path, kinds)
        print(row(path.name, t))
        total.add(t)
    if len(args.paths) > 1:
        print(row("TOTAL", total))
    if args.errors:
        for line in total.errors:
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
