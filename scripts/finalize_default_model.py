"""Write the bundled default model: float16 weights, and a card carrying measured scores.

    python scripts/finalize_default_model.py MODEL_DIR REPORT_JSON [REPORT_JSON ...]

Reads a fine-tuned model directory and the report.json files written by
`parsclaim evaluate ... --output_dir` (e.g. one with the scheme heads, one with
--no_scheme_heads), and saves the model to parsclaim/default_model (float16
halves the size). The card lists every training stage (`parsclaim train`
keeps the history of the model it went on from) and each score with the
entity head that produced it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from parsclaim.models.configuration import _version
from parsclaim.models.modeling import load_model_and_tokenizer

TARGET = Path(__file__).resolve().parents[1] / "parsclaim" / "default_model"
REAL_NEWS_FILES = {  # .prep/real/ file stem -> what it holds (corpus/real/README.md: which rounds a model trained on)
    "test": "test halves of all rounds",
    "heldout48": "test half of rounds 1-2",
    "test-r345": "test halves of rounds 3-5",
    "round3": "round 3",
    "round6": "round 6 (64 articles, both halves; the default model never trained on it)",
}
SHOWN = {  # report key -> label on the card
    ("entities", "exact"): "entity F1, exact spans (micro)",
    ("entities", "seqeval_word_strict"): "entity F1, seqeval strict IOB2 on words (micro)",
}


def card_metrics(reports: dict) -> dict:
    metrics = {}
    for source, report in reports.items():
        path = Path(source.split(":")[-1])
        if source.startswith("conll:"):
            name = path.parent.name + "/" + path.stem
        elif path.parent.name == "real":  # `scripts/real_news.py build ... -o .prep/real/NAME.jsonl`
            name = f"real news, corpus/real {REAL_NEWS_FILES.get(path.stem, path.stem)}"
        else:
            name = path.name
        if report["data"]["scheme"] != "parsclaim":
            name += f" ({report['data'].get('entity_head', 'main')} head)"
        for (section, view), label in SHOWN.items():
            metrics[f"{name}: {label}"] = round(report[section][view]["micro"]["f1"], 4)
        if report["data"]["scheme"] == "parsclaim":
            metrics[f"{name}: claim content F1, exact"] = round(report["claims"]["content_exact"]["f1"], 4)
            metrics[f"{name}: claim content F1, overlap"] = round(report["claims"]["content_overlap"]["f1"], 4)
            metrics[f"{name}: cue F1, exact"] = round(report["claims"]["cue_exact"]["f1"], 4)
            metrics[f"{name}: attribution accuracy"] = round(report["attribution"]["accuracy"], 4)
            metrics[f"{name}: quantity value+unit exact"] = round(report["quantities"]["accuracy"], 4)
            metrics[f"{name}: officials name-role link F1"] = round(report["officials"]["name_role"]["f1"], 4)
    return metrics


def main(argv: list[str] | None = None) -> int:
    import json

    model_dir, *report_paths = argv if argv is not None else sys.argv[1:]
    if not report_paths:
        raise SystemExit(__doc__)
    model, tokenizer = load_model_and_tokenizer(model_dir)
    model.config.parsclaim_version = _version()
    # The encoder saw 128-token sequences for 90% of its pretraining: 128-token windows read
    # best (first stage, gold dev entity F1 0.797 at 512, 0.883 at 256, 0.930 at 128;
    # `parsclaim evaluate --max_length N --stride S` reproduces the sweep).
    model.config.window_length, model.config.window_stride = 128, 32
    names = {"train": "parsclaim gold corpus (corpus/train.jsonl)",
             "real/train-r12345": "real news, the training half of corpus/real's rounds 1-5 (scripts/real_news.py build --split train --round 1 2 3 4 5)",
             "real/all-r1234578": "real news, corpus/real's rounds 1-5, 7 and 8, both halves (scripts/real_news.py build --round 1 2 3 4 5 7 8)"}
    for source in model.config.training_data or []:
        source["name"] = names.get(source["name"], source["name"])
    metrics = {}
    for path in report_paths:
        metrics |= card_metrics(json.loads(Path(path).read_text(encoding="utf-8")))
    model.half().save_pretrained(TARGET, tokenizer=tokenizer, metrics=metrics, card_name="parsclaim/default_model")
    print(f"wrote {TARGET} with {len(metrics)} metrics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
