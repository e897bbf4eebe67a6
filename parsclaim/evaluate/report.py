"""Markdown rendering of the report dict that `metrics.score` returns."""

from __future__ import annotations

import json
from pathlib import Path


def _pct(x: float) -> str:
    return f"{100 * x:.2f}"


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def _with_interval(m: dict) -> str:
    """F1, and its bootstrap interval where the report has one (`metrics.bootstrap_f1_interval`)."""
    interval = m.get("ci95")
    return _pct(m["f1"]) + (f" (95 % CI {_pct(interval[0])}–{_pct(interval[1])})" if interval else "")


def _prf_row(name: str, m: dict) -> list:
    return [name, _pct(m["precision"]), _pct(m["recall"]), _pct(m["f1"]), m.get("gold", "")]


def render_markdown(report: dict, title: str = "Evaluation report") -> str:
    a = report["articles"]
    ent, claims, attr, qty, off = (report[k] for k in ("entities", "claims", "attribution", "quantities", "officials"))
    out = [f"# {title}", "", f"Articles: {a['gold']} gold, {a['predicted']} predicted.", ""]
    if a["missing_predictions"]:
        out += [f"Missing predictions (scored as empty): {', '.join(a['missing_predictions'])}", ""]
    if a["text_mismatch"]:
        out += [f"**Warning**: predicted text differs from gold for {', '.join(a['text_mismatch'])}; offsets may not line up.", ""]

    # A CoNLL corpus annotates entities only: its claim and official scores would be vacuous.
    data = report.get("data") or {}
    entities_only = data.get("scheme", "parsclaim") != "parsclaim"
    if data.get("decoding"):
        out += [f"Model run with {data['decoding']} decoding, {data['precision']} weights.", ""]
    if entities_only:
        head = f"; entities from the model's {data['entity_head']} entity head" if data.get("entity_head") else ""
        out += [f"Scored on what `{data['scheme']}` annotates: {data.get('view', 'entities only')}{head}.", ""]
    summary = [
        ["entity F1 (exact character spans, micro)", _with_interval(ent["exact"]["micro"])],
        ["entity F1 (seqeval strict IOB2 on words, micro)", _pct(ent["seqeval_word_strict"]["micro"]["f1"])],
    ]
    if not entities_only:
        summary += [
            ["claim content F1, exact", _pct(claims["content_exact"]["f1"])],
            ["claim content F1, overlap", _with_interval(claims["content_overlap"])],
            ["cue F1, exact", _pct(claims["cue_exact"]["f1"])],
            [f"attribution accuracy ({attr['correct']}/{attr['found']} found claims)", _pct(attr["accuracy"])],
            [f"quantity value+unit ({qty['correct']}/{qty['found']} exactly found)", _pct(qty["accuracy"])],
            ["officials name–role link F1", _pct(off["name_role"]["f1"])],
        ]
    out += ["## Summary", ""]
    out += _table(["metric", "score"], summary)
    out += ["95 % CI: the articles (CoNLL: sentences) drawn again with replacement, 1,000 times (seeded): "
            "how far the score could move on another sample of the same kind of text.", ""]

    out += ["## Entities", "", "Main numbers: exact (start, end, label) matches on character offsets.", ""]
    rows = [_prf_row(label, m) for label, m in ent["exact"]["per_label"].items() if m["gold"] or m["predicted"]]
    out += _table(["label", "P", "R", "F1", "gold"], rows + [_prf_row("**micro**", ent["exact"]["micro"])])
    out += [
        "seqeval, strict mode, IOB2, on a whitespace-word BIO encoding (a span that starts or ends",
        "inside a word is widened to whole words; comparable with published NER scores):",
        "",
    ]
    seq = ent["seqeval_word_strict"]
    rows = [_prf_row(label, m) for label, m in seq["per_label"].items() if m.get("gold") or m.get("predicted")]
    out += _table(["label", "P", "R", "F1", "gold"], rows + [_prf_row("**micro**", seq["micro"])])

    conf = ent["confusion"]
    out += ["Confusion (rows: gold label, columns: predicted label for the same boundaries):", ""]
    rows = [[r] + [conf["counts"].get(r, {}).get(c, "") for c in conf["columns"]] for r in conf["rows"]]
    out += _table(["gold \\ predicted", *conf["columns"]], rows)
    if entities_only:
        return "\n".join(out)

    out += ["## Claims", ""]
    out += _table(["span", "P", "R", "F1", "gold"], [_prf_row(k.replace("_", " "), m) for k, m in claims.items()])
    out += [
        f"Attribution: {attr['correct']} of {attr['found']} found gold claims have the right claimant "
        f"({attr['gold_claims']} gold claims; end to end {_pct(attr['end_to_end'])}).",
        "",
        "## Quantities",
        "",
        f"{qty['gold_quantities']} gold quantities, {qty['gold_with_value']} with a parsed value; "
        f"{qty['found']} of those predicted with exact boundaries, {qty['correct']} with the right value and unit "
        f"(accuracy {_pct(qty['accuracy'])}, end to end {_pct(qty['end_to_end'])}).",
        "",
        "## Officials",
        "",
    ]
    out += _table(["links", "P", "R", "F1", "gold"], [_prf_row(k.replace("_", "–"), m) for k, m in off.items()])
    w = report["windows"]
    if w["windows"]:
        out += ["## Windows", "", f"{w['windows']} windows, {w['truncated_spans']} spans cut by window boundaries.", ""]
    else:  # the Extractor's windows overlap and cover every token: nothing is truncated at inference
        out += ["## Windows", "", "Predictions carry no window counts; gold spans lost to truncation are counted at training time (metrics.json, `alignment`).", ""]
    return "\n".join(out)


def write_report(report: dict, stem: str | Path) -> tuple[Path, Path]:
    """Write STEM.json and STEM.md; return both paths."""
    stem = Path(stem)
    json_path, md_path = stem.with_suffix(".json"), stem.with_suffix(".md")
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    md_path.write_text(render_markdown(report), encoding="utf-8")
    return json_path, md_path
