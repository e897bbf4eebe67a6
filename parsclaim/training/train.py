"""`parsclaim train`: fine-tune the two-head model on any mix of our articles and CoNLL corpora.

    python -m parsclaim.training.train --train conll:peyma:../shared/corpora/peyma/train.conll \\
        jsonl:corpus/gold.jsonl@3 --encoder scratch --tokenizer runs/tok --output_dir runs/ner
    python -m parsclaim.training.train config.yaml

Steps, each a function: load sources (CoNLL -> articles, per-source label
trust), split dev (JSONL `split` field; a seeded share of each CoNLL source),
resample by weight, encode into windows (`parsclaim.data.align`), build the
tokenizer and model (a Hub/local encoder or a scratch BERT), train with the HF
Trainer (dev each epoch, strict IOB2 span F1 as seqeval computes it, best checkpoint kept), save.

Label trust: a CoNLL source does not annotate ROLE, count quantities (nor
DATE for ARMAN), so its O tokens may be those; they are trained with the
partial-label loss described in `parsclaim.data.align` (--untrusted_o_weight).

Scheme heads: with --scheme_heads peyma arman, windows of those corpora train
their own entity head (`parsclaim.models.scheme_heads`) instead of the main
one; --only_scheme_heads freezes everything else, so our schema's scores stay.
"""

from __future__ import annotations

import json
import logging
import random
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from transformers import AutoTokenizer, BertConfig, PreTrainedTokenizerFast, Trainer, TrainerCallback, TrainingArguments, set_seed

from ..data import align
from ..data.conll import SCHEMES, load_conll
from ..data.corpus import REQUIRED_KEYS, read_jsonl
from ..data.schema import CLAIM_TAGS, ENTITY_LABELS, ENTITY_TAGS, IGNORE_INDEX
from ..evaluate.iob2 import strict_report
from ..inference.extractor import cpu_has_native_bf16
from ..models.configuration import ParsclaimConfig
from ..models.modeling import ParsclaimForTokenClassification
from ..models.tokenizer import add_persian_normalizer
from ..paths import local_model_folder
from .args import DEFAULT_ENCODER, SCRATCH, DataArguments, ModelArguments, SourceSpec, TrainArguments, is_local, parse_args

log = logging.getLogger("parsclaim.train")
# JSONL articles imported from a CoNLL corpus keep its trust through their `source` field.
CONLL_SOURCE_SCHEMES = {"peyma": "peyma", "nsurl600k": "peyma", "arman": "arman"}


def untrusted_labels(scheme: str | None) -> list[str]:
    """Entity labels a CoNLL scheme leaves unannotated: unmapped ones, and QUANTITY (counts are never tagged)."""
    if scheme is None:
        return []
    mapped = {label for label in SCHEMES[scheme].values() if label}
    return [label for label in ENTITY_LABELS if label not in mapped or label == "QUANTITY"]


# ------------------------------------------------------------------ data

def load_jsonl_source(path: str) -> list[dict]:
    """Annotated articles of a JSONL source; a raw article (id + text, no entities) cannot train or score anything."""
    articles = []
    for line, article in read_jsonl(path):
        if not isinstance(article, dict):
            raise ValueError(f"{path}:{line}: expected a JSON object (an article), got {type(article).__name__}")
        missing = [key for key in REQUIRED_KEYS if key not in article]
        if missing:
            raise ValueError(f"{path}:{line}: article {article.get('id', '?')!r} has no {', '.join(missing)}: a source needs "
                             f"annotated articles ({', '.join(REQUIRED_KEYS)}; check with `parsclaim data validate {path}`), "
                             f"not raw ones")
        if not isinstance(article["text"], str) or not isinstance(article["entities"], list):
            raise ValueError(f"{path}:{line}: article {article['id']!r}: text must be a string and entities a list "
                             f"(check with `parsclaim data validate {path}`)")
        articles.append(article)
    if not articles:
        raise ValueError(f"{path}: no articles")
    return articles


def load_source(source: SourceSpec) -> list[dict]:
    if source.kind == "conll":
        articles = load_conll(source.path, source.scheme, source=source.name)
    else:
        articles = load_jsonl_source(source.path)
    for article in articles:
        scheme = source.scheme or CONLL_SOURCE_SCHEMES.get(article.get("source", ""))
        article["_scheme"] = scheme if scheme and "claims" not in article else None
        article["_untrusted"] = untrusted_labels(article["_scheme"])
    return articles


def split_dev(articles: list[dict], source: SourceSpec, data: DataArguments, seed: int) -> tuple[list[dict], list[dict]]:
    """(train, dev): JSONL by its `split` field, CoNLL by a seeded held-out share."""
    if source.kind == "jsonl" and data.use_split_field:
        train = [a for a in articles if a.get("split") not in ("dev", "test")]
        return train, [a for a in articles if a.get("split") == "dev"]
    if source.kind == "conll" and data.dev_fraction > 0:
        order = list(range(len(articles)))
        random.Random(seed).shuffle(order)
        cut = int(round(len(articles) * data.dev_fraction))
        dev_ids = set(order[:cut])
        return [a for i, a in enumerate(articles) if i not in dev_ids], [articles[i] for i in sorted(dev_ids)]
    return articles, []


def resample(articles: list[dict], weight: float, seed: int) -> list[dict]:
    """Repeat a source int(weight) times plus a seeded random share of the fraction."""
    whole, fraction = int(weight), weight - int(weight)
    extra = random.Random(seed).sample(articles, int(round(len(articles) * fraction))) if fraction else []
    return articles * whole + extra


def encode(groups: list[list[dict]], tokenizer, data: DataArguments, max_length: int, report: align.AlignmentReport,
           config: ParsclaimConfig) -> list[dict]:
    """Windows of every article, each with its source's label trust and scheme head id (0: the main heads)."""
    records = []
    for articles in groups:
        by_kind: dict[tuple, list[dict]] = {}
        for article in articles:
            by_kind.setdefault((tuple(article["_untrusted"]), article["_scheme"]), []).append(article)
        for (untrusted, scheme), members in by_kind.items():
            scheme_id = config.scheme_id(scheme) if scheme in config.scheme_heads else 0
            records += align.encode_articles(members, tokenizer, max_length, data.stride, untrusted, report, scheme_id)
    return records


def load_data(data: DataArguments, seed: int) -> tuple[list[list[dict]], list[list[dict]], list[dict]]:
    """(train article groups, dev article groups, per-source summary); raises ValueError for a source that would
    train nothing, and when there is no dev data."""
    train_groups, dev_groups, summary = [], [], []
    for source in data.sources("train"):
        articles = load_source(source)
        train, dev = split_dev(articles, source, data, seed)
        if not train and source.kind == "jsonl":
            splits = ", ".join(f"split={name}: {sum(a.get('split') == name for a in articles)}" for name in ("dev", "test"))
            raise ValueError(f"--train jsonl:{source.path}: none of its {len(articles)} articles is in the train split "
                             f"({splits}); give it as --dev, or pass --no_use_split_field to train on all of them")
        if not train:
            raise ValueError(f"--train conll:{source.scheme}:{source.path}: --dev_fraction {data.dev_fraction} holds out all "
                             f"its {len(articles)} sentences; lower it")
        train_groups.append(resample(train, source.weight, seed))
        dev_groups.append(dev)
        summary.append({"name": source.name, "kind": source.kind, "scheme": source.scheme, "path": source.path, "weight": source.weight,
                        "untrusted": sorted({l for a in articles for l in a["_untrusted"]}),
                        "train_articles": len(train_groups[-1]), "dev_articles": len(dev)})
        log.info("source %s: %d train (weight %s), %d dev", source.name, len(train_groups[-1]), source.weight, len(dev))
    if not any(train_groups):
        raise ValueError("no training articles: every --train source has weight 0")
    for source in data.sources("dev"):
        dev_groups.append(load_source(source))
    if not any(dev_groups):
        raise ValueError("no dev data: give --dev sources, --dev_fraction > 0 with a CoNLL source, or JSONL articles with split=dev")
    return train_groups, dev_groups, summary


def encode_data(train_groups: list[list[dict]], dev_groups: list[list[dict]], data: DataArguments, tokenizer, max_length: int,
                config: ParsclaimConfig):
    reports = {"train": align.AlignmentReport(), "dev": align.AlignmentReport()}
    train_records = encode(train_groups, tokenizer, data, max_length, reports["train"], config)
    dev_records = encode(dev_groups, tokenizer, data, max_length, reports["dev"], config)
    for name, report in reports.items():
        log.info("%s alignment: %s", name, json.dumps(report.as_dict(), ensure_ascii=False))
    if not train_records or not dev_records:
        raise ValueError(f"no {'training' if not train_records else 'dev'} windows: the articles have no tokens")
    return align.WindowDataset(train_records), align.WindowDataset(dev_records), reports


# ------------------------------------------------------------------ model

def ensure_persian_normalizer(tokenizer: PreTrainedTokenizerFast) -> PreTrainedTokenizerFast:
    from tokenizers import Tokenizer, models

    from ..data.normalize import tokenizer_normalizer

    probe = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    probe.normalizer = tokenizer_normalizer()
    ours = json.dumps(json.loads(probe.to_str())["normalizer"])
    current = json.dumps(json.loads(tokenizer.backend_tokenizer.to_str())["normalizer"])
    return tokenizer if ours[1:-1] in current else add_persian_normalizer(tokenizer)


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def build_tokenizer(args: ModelArguments):
    source = args.tokenizer or args.encoder
    folder = local_model_folder(source)  # the bundled model by its name loads from any folder, as the model does
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(folder or source), **({} if args.tokenizer else {"revision": args.encoder_revision}))
    except OSError as error:  # a Hub id that is not reachable, or not there (local folders are checked before)
        option = "--tokenizer" if args.tokenizer else "--encoder"
        default = " (the default)" if source == DEFAULT_ENCODER else ""
        where = "" if is_local(source) else " from the Hub or the Hugging Face cache"
        hint = "" if is_local(source) else "; offline, give a local model folder (or --encoder scratch --tokenizer DIR)"
        raise OSError(f"{option} {source}{default}: cannot load its tokenizer{where} ({one_line(error)}){hint}") from None
    if not tokenizer.is_fast:
        raise ValueError(f"{source}: a fast tokenizer (tokenizer.json) is needed for offsets")
    return ensure_persian_normalizer(tokenizer) if args.add_persian_normalizer else tokenizer


def build_model(args: ModelArguments, tokenizer) -> ParsclaimForTokenClassification:
    heads = {"entity_loss_weight": args.entity_loss_weight, "claim_loss_weight": args.claim_loss_weight, "head_dropout": args.head_dropout,
             "untrusted_o_weight": args.untrusted_o_weight}
    if args.encoder == SCRATCH:
        encoder = BertConfig(vocab_size=len(tokenizer), hidden_size=args.hidden_size, num_hidden_layers=args.num_layers,
                             num_attention_heads=args.num_heads, intermediate_size=args.intermediate_size or 4 * args.hidden_size,
                             max_position_embeddings=args.max_position_embeddings, pad_token_id=tokenizer.pad_token_id)
        model = ParsclaimForTokenClassification(ParsclaimConfig.from_encoder(encoder, **heads))
    else:
        model = ParsclaimForTokenClassification.from_pretrained(args.encoder, revision=args.encoder_revision, **heads)
    model.tokenizer = tokenizer
    if args.scheme_heads:
        model.add_scheme_heads(args.scheme_heads, args.scheme_head_layers)
    if args.only_scheme_heads:
        if not model.config.scheme_heads:
            raise ValueError("--only_scheme_heads: the model has no scheme heads; add some with --scheme_heads")
        for name, parameter in model.named_parameters():
            parameter.requires_grad = name.startswith("scheme_heads.")
    if args.train_top_layers is not None:
        freeze_below_top_layers(model, args.train_top_layers)
    return model


def freeze_below_top_layers(model: ParsclaimForTokenClassification, top_layers: int) -> None:
    """Leave only the top encoder layers (none: 0) and the main heads trainable; a scheme head at least that deep reads
    the hidden states below them, so it gives exactly what it gave. A main head whose loss weight is 0 stays frozen
    too: it would learn nothing, and weight decay alone would still shrink it."""
    layers = model.encoder.config.num_hidden_layers
    if top_layers > layers:
        raise ValueError(f"--train_top_layers {top_layers}: the encoder has only {layers} layers")
    heads = tuple(f"{prefix}." for _, prefix in weighted_main_heads(model.config.entity_loss_weight, model.config.claim_loss_weight))
    shallow = [scheme for scheme in model.config.scheme_heads if model.config.head_layers(scheme) < top_layers]
    if shallow:
        log.warning("--train_top_layers %d: the %s head(s) read the output of a layer that trains, so their scores will move",
                    top_layers, ", ".join(shallow))
    trainable = tuple(f"{model.base_model_prefix}.encoder.layer.{i}." for i in range(layers - top_layers, layers)) + heads
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name.startswith(trainable)


def weighted_main_heads(entity_loss_weight: float, claim_loss_weight: float) -> list[tuple[str, str]]:
    """(name, parameter prefix) of the main heads whose loss counts: the ones a --train_top_layers stage trains."""
    return [(name, prefix) for name, prefix, weight in (("entity", "classifier", entity_loss_weight),
                                                        ("claim", "claim_classifier", claim_loss_weight)) if weight > 0]


def trained_parts(args: ModelArguments) -> str | None:
    """What a --train_top_layers stage trains, in words for the card (None: everything)."""
    if args.train_top_layers is None:
        return None
    heads = [name for name, _ in weighted_main_heads(args.entity_loss_weight, args.claim_loss_weight)]
    heads_text = "the main heads" if len(heads) == 2 else f"the {heads[0]} head"
    layers = args.train_top_layers
    return f"the encoder's top {layers} layer{'s' if layers > 1 else ''} and {heads_text}" if layers else heads_text


def training_history(config: ParsclaimConfig, summary: list[dict], only_scheme_heads: bool = False,
                     trained: str | None = None) -> list[dict]:
    """Earlier stages' sources (training went on from a fine-tuned model) and this stage's, numbered, for the card;
    each says which entity head it trained and whether everything else stayed frozen."""
    earlier = [dict(s, stage=s.get("stage", 1)) for s in config.training_data or []]
    stage = 1 + max((s["stage"] for s in earlier), default=0)
    now = [{k: s[k] for k in ("name", "kind", "scheme", "untrusted", "weight")} for s in summary]
    for source in now:
        source["stage"] = stage
        source["head"] = source["scheme"] if source["scheme"] in config.scheme_heads else "main"
        if source["head"] != "main":
            source["head_layers"] = config.head_layers(source["head"])
        source["only_scheme_heads"] = only_scheme_heads
        if trained:
            source["trained"] = trained
    return earlier + now


def check_only_scheme_heads(data: DataArguments, config: ParsclaimConfig) -> None:
    """With frozen main heads, a source without a scheme head would train nothing: say so before any work."""
    headless = [f"{s.name} ({s.scheme or 'our schema'})" for s in data.sources("train") if s.scheme not in config.scheme_heads]
    if headless:
        raise ValueError(f"--only_scheme_heads trains scheme heads ({', '.join(config.scheme_heads)}) only, but "
                         f"{', '.join(headless)} has none: drop it or add --scheme_heads for its scheme")


def check_main_heads_only(data: DataArguments, config: ParsclaimConfig) -> None:
    """With frozen scheme heads, a source that goes through one would train nothing: say so before any work."""
    frozen = [f"{s.name} ({s.scheme})" for s in data.sources("train") if s.scheme in config.scheme_heads]
    if frozen:
        raise ValueError(f"--train_top_layers trains the main heads only, but {', '.join(frozen)} goes through its frozen "
                         f"scheme head: drop it (or train that head with --only_scheme_heads in another stage)")


# ------------------------------------------------------------------ trainer pieces

class Collator:
    """Pads windows: ids with [PAD], mask with 0, labels with IGNORE_INDEX."""

    def __init__(self, pad_id: int):
        self.pad = {"input_ids": pad_id, "attention_mask": 0, "entity_labels": IGNORE_INDEX, "claim_labels": IGNORE_INDEX}

    def __call__(self, rows: list[dict]) -> dict[str, torch.Tensor]:
        width = max(len(r["input_ids"]) for r in rows)
        batch = {key: torch.tensor([r[key] + [value] * (width - len(r[key])) for r in rows]) for key, value in self.pad.items()}
        batch["entity_untrusted"] = torch.tensor([r["entity_untrusted"] for r in rows])
        batch["scheme_id"] = torch.tensor([r["scheme_id"] for r in rows])
        return batch


def argmax_logits(logits, labels):
    return tuple(l.argmax(-1) for l in logits)


def head_scores(predictions: np.ndarray, labels: np.ndarray, tags: list[str], prefix: str) -> dict[str, float]:
    gold, pred = [], []
    for p_row, l_row in zip(predictions, labels):
        keep = l_row != IGNORE_INDEX
        if keep.any():
            gold.append([tags[i] for i in l_row[keep]])
            pred.append([tags[i] for i in p_row[keep]])
    if not gold:
        return {}
    micro = strict_report(gold, pred)["micro"]
    return {f"{prefix}_precision": micro["precision"], f"{prefix}_recall": micro["recall"], f"{prefix}_f1": micro["f1"]}


def compute_metrics(eval_pred) -> dict[str, float]:
    """Strict IOB2 span scores on labelled tokens of each dev window (overlapping windows count twice)."""
    (entity_pred, claim_pred), (entity_gold, claim_gold) = eval_pred.predictions, eval_pred.label_ids
    metrics = {"entity_f1": 0.0, "claim_f1": 0.0} | head_scores(entity_pred, entity_gold, ENTITY_TAGS, "entity")
    return metrics | head_scores(claim_pred, claim_gold, CLAIM_TAGS, "claim")


class LogFileCallback(TrainerCallback):
    """Every Trainer log record as one JSON line in train.log."""

    def __init__(self, path: Path):
        self.path = path

    def on_log(self, args, state, control, logs=None, **kwargs):
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"step": state.global_step, "epoch": state.epoch, **(logs or {})}) + "\n")


def trainer_arguments(train: TrainArguments) -> TrainingArguments:
    return TrainingArguments(
        output_dir=train.output_dir, num_train_epochs=train.epochs, max_steps=train.max_steps,
        per_device_train_batch_size=train.batch_size, per_device_eval_batch_size=train.batch_size,
        gradient_accumulation_steps=train.gradient_accumulation_steps, learning_rate=train.learning_rate,
        warmup_steps=train.warmup_ratio,  # a float < 1 is a ratio
        weight_decay=train.weight_decay, seed=train.seed, data_seed=train.seed,
        eval_strategy="epoch", save_strategy="epoch", logging_steps=train.logging_steps, save_total_limit=train.save_total_limit,
        load_best_model_at_end=True, metric_for_best_model=train.best_model_metric, greater_is_better=True,
        label_names=["entity_labels", "claim_labels"], remove_unused_columns=False, report_to=[], bf16=train.bf16,
        use_cpu=train.bf16 and not torch.cuda.is_available(),  # transformers refuses CPU bf16 unless told
        dataloader_num_workers=train.dataloader_num_workers, dataloader_pin_memory=torch.cuda.is_available(),
    )  # checkpoints are safetensors: transformers 5 writes nothing else


# ------------------------------------------------------------------ main

def setup_logging(output_dir: Path) -> None:
    """Log to OUTPUT/train.log and the console; calling main() twice in a process does not double lines."""
    output_dir.mkdir(parents=True, exist_ok=True)
    file_handler = logging.FileHandler(output_dir / "train.log", encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("%(message)s"))
    for name, handlers in (("parsclaim", [file_handler]), ("transformers.trainer", [file_handler]), ("parsclaim.train", [console])):
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if getattr(h, "_parsclaim", False)]:
            logger.removeHandler(old)
            old.close()
        for handler in handlers:
            handler._parsclaim = True
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    data, model_args, train = parse_args(argv)
    output_dir = Path(train.output_dir)
    setup_logging(output_dir)
    if train.bf16 and not torch.cuda.is_available() and not cpu_has_native_bf16():
        # Measured on a 2-core AMD EPYC: 35 s per step of 16 x 128 tokens in bfloat16 against 1.2 s in float32.
        log.warning("--bf16 on a CPU without native bfloat16 (no AVX512-BF16/AMX): emulated, about 30x slower than float32; drop --bf16")
    set_seed(train.seed)
    started = time.time()
    try:  # the data first: a source that cannot train is found before the model is loaded
        train_groups, dev_groups, summary = load_data(data, train.seed)
        tokenizer = build_tokenizer(model_args)
        model = build_model(model_args, tokenizer)
        if model_args.only_scheme_heads:
            check_only_scheme_heads(data, model.config)
        if model_args.train_top_layers is not None:
            check_main_heads_only(data, model.config)
        max_length = min(data.max_length, model.encoder.config.max_position_embeddings)
        train_set, dev_set, reports = encode_data(train_groups, dev_groups, data, tokenizer, max_length, model.config)
    except (ValueError, OSError) as error:  # missing or malformed data, a model that does not load: the message, not a traceback
        log.error("parsclaim train: error: %s", one_line(error))
        return 2
    model.config.training_data = training_history(model.config, summary, model_args.only_scheme_heads,
                                                   trained_parts(model_args))
    # Inference reads the windows the model was trained on unless told otherwise.
    model.config.window_length, model.config.window_stride = max_length, data.stride
    log.info("%d train / %d dev windows, %.1f M parameters", len(train_set), len(dev_set), model.num_parameters() / 1e6)
    trainer = Trainer(model=model, args=trainer_arguments(train), train_dataset=train_set, eval_dataset=dev_set,
                      data_collator=Collator(tokenizer.pad_token_id or 0), processing_class=tokenizer,
                      compute_metrics=compute_metrics, preprocess_logits_for_metrics=argmax_logits,
                      callbacks=[LogFileCallback(output_dir / "train.log")])
    resume = train.resume_from_checkpoint
    trainer.train(resume_from_checkpoint=True if resume == "last" else resume)
    dev_metrics = trainer.evaluate()
    model.save_pretrained(output_dir, tokenizer=tokenizer, metrics={k: v for k, v in dev_metrics.items() if isinstance(v, (int, float))})
    result = {"dev": dev_metrics, "sources": summary, "alignment": {k: r.as_dict() for k, r in reports.items()},
              "train_windows": len(train_set), "dev_windows": len(dev_set), "seconds": round(time.time() - started, 1),
              "best_checkpoint": trainer.state.best_model_checkpoint,
              "arguments": {"data": asdict(data), "model": asdict(model_args), "train": asdict(train)}}
    (output_dir / "metrics.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    log.info("dev: %s; model written to %s", json.dumps({k: round(v, 4) for k, v in dev_metrics.items() if isinstance(v, float)}), output_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
