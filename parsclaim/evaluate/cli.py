"""`parsclaim evaluate MODEL DATA...`: score a model on gold JSONL or CoNLL data.

DATA is our JSONL corpus, or a CoNLL file given as `conll:peyma:PATH` /
`conll:arman:PATH` (or with `--scheme`). CoNLL corpora annotate fewer things
than our schema: no ROLE, no claims, and (PEYMA) only money and percent
quantities. They are scored on what they annotate: predicted ROLE spans and
claims are dropped, and for PEYMA only predicted quantities that parse as
money or percent are kept. A model with an entity head for that scheme (see
`ParsclaimConfig.scheme_heads`) is scored with it unless --no_scheme_heads;
the report names the head.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..arguments import ArgumentParser
from ..data.conll import SCHEMES, load_conll
from ..data.corpus import load_articles, validate_article, write_jsonl
from ..data.quantities import parse_quantity
from ..models.decoding import DECODING_HELP, check_decoding
from ..paths import refuse_input_as_output
from .metrics import score
from .report import render_markdown

# What each CoNLL scheme can be scored on: the labels its mapping produces, and the
# quantity kinds it tags (PEYMA: MON and PCT only; ARMAN: none).
SCHEME_VIEW = {
    scheme: {"labels": {label for label in mapping.values() if label}, "quantity_kinds": {"money", "percent"} if scheme == "peyma" else set()}
    for scheme, mapping in SCHEMES.items()
}


@dataclass
class EvaluateArguments:
    output_dir: str | None = field(default=None, metadata={"help": "Write report.json and report.md here."})
    predictions: str | None = field(default=None, metadata={"help": "Also write what the model predicted to this JSONL file."})
    predicted: bool = field(default=False, metadata={"help": "MODEL is a prediction JSONL file to score, not a model."})
    scheme: str | None = field(default=None, metadata={"help": "Read plain DATA paths that are CoNLL (.conll, or any file that is not JSON, such as ARMAN's test_fold1.txt) with this scheme (peyma or arman)."})
    device: str = field(default="auto", metadata={"help": "auto, cpu or cuda."})
    batch_size: int = field(default=32, metadata={"help": "Windows per forward pass."})
    revision: str | None = field(default=None, metadata={"help": "Hub revision of MODEL."})
    precision: str = field(default="float32", metadata={"help": "float32 (reference scores), bfloat16, int8 (CPU) or auto."})
    max_length: int | None = field(default=None, metadata={"help": "Tokens per window (default: the model's window_length)."})
    stride: int | None = field(default=None, metadata={"help": "Window overlap in tokens (default: the model's window_stride)."})
    decoding: str = field(default="viterbi", metadata={"help": DECODING_HELP})
    compile: bool = field(default=False, metadata={"help": "Compile the model first, as `parsclaim tag --compile` does (to check that compiled inference scores the same)."})
    scheme_heads: bool = field(default=True, metadata={"help": "Tag a CoNLL corpus with the model's entity head for its scheme when it has one (--no_scheme_heads: always the main head)."})

    def __post_init__(self) -> None:
        if self.scheme is not None and self.scheme not in SCHEMES:
            raise ValueError(f"--scheme must be one of {', '.join(SCHEMES)}")
        check_decoding(self.decoding, "--decoding")
        if self.output_dir is not None and Path(self.output_dir).exists() and not Path(self.output_dir).is_dir():
            raise ValueError(f"--output_dir {self.output_dir} is a file, not a folder")


def load_gold(spec: str, default_scheme: str | None) -> tuple[list[dict], str | None]:
    """(articles, scheme or None for our JSONL) for one DATA argument; empty or unannotated data is refused."""
    articles, scheme = _read_gold(spec, default_scheme)
    if not articles:
        raise ValueError(f"{spec}: no articles to score")
    unannotated = sum("entities" not in article for article in articles)
    if unannotated:
        raise ValueError(f"{spec}: {unannotated} of {len(articles)} articles have no annotation (no 'entities'): "
                         "score gold data; tag raw text with `parsclaim tag`")
    check_ids(spec, articles)
    if scheme is None:  # our JSONL; CoNLL articles are built by our importer
        check_valid(spec, articles)
    return articles, scheme


def check_ids(source: str, articles: list[dict]) -> None:
    """Articles are matched by id: a repeated id would score one article against another's predictions."""
    seen, repeated = set(), []
    for article in articles:
        if article["id"] in seen:
            repeated.append(article["id"])
        seen.add(article["id"])
    if repeated:
        raise ValueError(f"{source}: {len(repeated)} repeated article id(s) ({', '.join(map(str, repeated[:5]))}): ids must be unique")


def check_valid(source: str, articles: list[dict]) -> None:
    """Spans out of range, unknown labels, null offsets: refused with the first problems, not scored."""
    problems = [(article.get("id"), field, message) for article in articles for field, message in validate_article(article)]
    if problems:
        shown = "; ".join(f"{i} {field}: {message}" for i, field, message in problems[:3])
        raise ValueError(f"{source}: {len(problems)} problem(s), e.g. {shown} (`parsclaim data validate {source}` lists them all)")


def _read_gold(spec: str, default_scheme: str | None) -> tuple[list[dict], str | None]:
    if spec.startswith("conll:"):
        parts = spec.split(":", 2)
        if len(parts) < 3 or parts[1] not in SCHEMES:
            raise ValueError(f"{spec}: write conll:SCHEME:PATH with SCHEME one of {', '.join(SCHEMES)}")
        _, scheme, path = parts
        return load_conll(path, scheme), scheme
    if spec.startswith("jsonl:"):
        return load_articles(spec[len("jsonl:"):]), None
    if spec.endswith(".conll") or looks_like_conll(spec):
        if default_scheme is None:
            raise ValueError(f"{spec}: a CoNLL file needs --scheme peyma|arman (or write conll:peyma:{spec} or conll:arman:{spec})")
        return load_conll(spec, default_scheme), default_scheme
    return load_articles(spec), None


def looks_like_conll(path: str) -> bool:
    """ARMAN's folds are .txt: a first line that is 'token<TAB or space>tag', not JSON, reads as CoNLL."""
    if path.endswith(".jsonl") or not Path(path).is_file():
        return False
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        first = next((line for line in handle if line.strip()), "")
    return not first.lstrip().startswith("{") and len(first.split()) >= 2


def restrict_to_scheme(article: dict, scheme: str) -> dict:
    """A prediction seen through what a CoNLL corpus annotates."""
    view = SCHEME_VIEW[scheme]
    entities = []
    for entity in article["entities"]:
        if entity["label"] not in view["labels"]:
            continue
        if entity["label"] == "QUANTITY" and parse_quantity(article["text"][entity["start"]:entity["end"]]).kind not in view["quantity_kinds"]:
            continue
        entities.append(entity)
    return {**article, "entities": entities, "officials": [], "claims": []}


def evaluate(model: str, data: list[str], args: EvaluateArguments) -> dict:
    reports = {}
    # Every DATA argument is read before the model loads, so a bad path fails at once.
    golds = {spec: load_gold(spec, args.scheme) for spec in data}
    extractor = None
    predicted_by_id = {}
    if args.predictions:
        refuse_input_as_output(args.predictions, [model, *(spec.rsplit(":", 1)[-1] for spec in data)], "--predictions")
    unmatched = 0
    if args.predicted:
        predicted_by_id = load_predictions(model)
        gold_ids = {a["id"] for gold, _ in golds.values() for a in gold}
        unmatched = sum(i not in gold_ids for i in predicted_by_id)
        if unmatched:
            print(f"parsclaim evaluate: note: {unmatched} prediction(s) in {model} match no gold article", file=sys.stderr)
    else:
        from ..inference.extractor import Extractor

        extractor = Extractor.from_pretrained(model, revision=args.revision, device=args.device, batch_size=args.batch_size,
                                              max_length=args.max_length, stride=args.stride, precision=args.precision,
                                              decoding=args.decoding, compile=args.compile)
    all_predictions = []
    for spec, (gold, scheme) in golds.items():
        head = None
        if extractor is not None:
            head = scheme if args.scheme_heads and scheme in extractor.model.config.scheme_heads else None
            predicted = extractor.extract([a["text"] for a in gold], ids=[a["id"] for a in gold], entity_scheme=head)
        else:
            predicted = [predicted_by_id[a["id"]] for a in gold if a["id"] in predicted_by_id]
        all_predictions += predicted
        if scheme is not None:
            predicted = [restrict_to_scheme(p, scheme) for p in predicted]
        report = score(gold, predicted)
        report["data"] = {"source": spec, "scheme": scheme or "parsclaim", "articles": len(gold),
                          "view": f"entities only, labels {sorted(SCHEME_VIEW[scheme]['labels'])}" if scheme else "full",
                          "entity_head": head or ("main" if extractor is not None else None),
                          "decoding": args.decoding if extractor is not None else None, "precision": args.precision if extractor is not None else None,
                          "compiled": args.compile if extractor is not None else None,
                          "predictions_matching_no_gold": unmatched if extractor is None else None}
        reports[spec] = report
    if args.predictions:
        Path(args.predictions).parent.mkdir(parents=True, exist_ok=True)
        write_jsonl(all_predictions, args.predictions)
    return reports


def load_predictions(path: str) -> dict[str, dict]:
    """A prediction file by id. `tag`'s error records are left out (they count as missing predictions);
    an empty file, a repeated id or an invalid article is refused."""
    articles = load_articles(path)
    if not articles:
        raise ValueError(f"{path}: no predictions to score")
    tagged = [a for a in articles if not (isinstance(a, dict) and "error" in a and "entities" not in a)]
    if len(tagged) < len(articles):
        print(f"parsclaim evaluate: note: {len(articles) - len(tagged)} error record(s) in {path} count as missing "
              "predictions", file=sys.stderr)
    articles = tagged
    check_ids(path, articles)
    check_valid(path, articles)
    return {a["id"]: a for a in articles}


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(EvaluateArguments, prog="parsclaim evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("model", help="model directory or Hub id; or a prediction JSONL with --predicted")
    parser.add_argument("data", nargs="+", help="gold JSONL files, or conll:peyma|arman:PATH")
    try:
        args, extra = parser.parse_args_into_dataclasses(args=argv)
        reports = evaluate(extra.model, extra.data, args)
    except (ValueError, OSError) as error:
        print(f"parsclaim evaluate: error: {error}", file=sys.stderr)
        return 2
    markdown = "\n\n".join(render_markdown(r, title=f"Evaluation: {spec}") for spec, r in reports.items())
    if args.output_dir:
        out = Path(args.output_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.json").write_text(json.dumps(reports, ensure_ascii=False, indent=2), encoding="utf-8")
        (out / "report.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
