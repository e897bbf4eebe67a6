"""Typed arguments of `parsclaim train`, parsed by HfArgumentParser.

Data sources are strings, one per source, so that any mix fits in one list:

    jsonl:PATH[@WEIGHT]            our corpus format (SPEC §2)
    conll:SCHEME:PATH[@WEIGHT]     a CoNLL corpus, SCHEME = peyma | arman

WEIGHT (default 1) resamples a source's articles: 2 repeats it, 0.5 keeps a
seeded half. A single .json/.yaml/.yml argument is read as a config file
whose keys are the option names (`train: [conll:peyma:..., jsonl:...]`).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..data.conll import SCHEMES
from ..paths import local_model_folder, looks_local, same_file

DESCRIPTION = """Fine-tune parsclaim's two-head (entities + claims) token classifier.

sources (--train, --dev): jsonl:PATH[@WEIGHT] (our corpus format) or
conll:peyma|arman:PATH[@WEIGHT] (CoNLL corpora; their O tokens do not count
against the labels they never annotate). WEIGHT resamples a source.
A single .json/.yaml argument is read as a config file of these options."""
DEFAULT_ENCODER = "HooshvareLab/bert-fa-base-uncased"
SCRATCH = "scratch"
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt")  # a fast tokenizer is read from either


def is_local(name: str) -> bool:
    """A folder name rather than a Hub id; a Windows path too, where --encoder checks a folder."""
    return looks_local(name) or "\\" in name


def check_model_folder(option: str, name: str, needs_tokenizer: bool) -> None:
    """A local --encoder/--tokenizer folder, checked before anything is loaded (a Hub id is checked when loaded)."""
    path = Path(name)
    if not path.exists():
        raise ValueError(f"{option} {name}: no such folder (give a model folder, or a Hub id such as {DEFAULT_ENCODER})")
    if not path.is_dir():
        raise ValueError(f"{option} {name} is a file, not a model folder")
    if option == "--encoder" and not (path / "config.json").is_file():
        raise ValueError(f"{option} {name} is not a model folder: no config.json (expected a base encoder or a parsclaim "
                         f"model saved with save_pretrained)")
    if needs_tokenizer and not any((path / file).is_file() for file in TOKENIZER_FILES):
        hint = "; pass --tokenizer DIR" if option == "--encoder" else ""
        raise ValueError(f"{option} {name} has no tokenizer ({' or '.join(TOKENIZER_FILES)}){hint}")


def saved_scheme_heads(encoder: str) -> list[str]:
    """The scheme heads of a local parsclaim model folder ([] for a base encoder)."""
    from ..models.configuration import PARSCLAIM_KEY

    path = Path(encoder) / "config.json"
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"--encoder {encoder}: config.json is not valid JSON ({error})") from None
    ours = config.get(PARSCLAIM_KEY) if isinstance(config, dict) else None
    return list(ours.get("scheme_heads") or []) if isinstance(ours, dict) else []


@dataclass(frozen=True)
class SourceSpec:
    kind: str  # "jsonl" | "conll"
    path: str
    scheme: str | None = None
    weight: float = 1.0

    @property
    def name(self) -> str:
        path = Path(self.path)
        if self.kind == "conll":
            return path.parent.name
        # the gold corpus's splits by their stem; another folder's "train.jsonl" (corpus/real's half) with its folder
        return path.stem if path.parent.name in ("corpus", "") else f"{path.parent.name}/{path.stem}"

    @classmethod
    def parse(cls, spec: str) -> SourceSpec:
        body, _, weight = spec.rpartition("@") if "@" in spec else (spec, "", "1")
        kind, _, rest = body.partition(":")
        try:
            weight_value = float(weight)
        except ValueError:
            raise ValueError(f"source {spec!r}: weight {weight!r} is not a number") from None
        if weight_value < 0:
            raise ValueError(f"source {spec!r}: weight must be >= 0")
        if kind == "jsonl" and rest:
            return cls("jsonl", rest, None, weight_value)
        if kind == "conll":
            scheme, _, path = rest.partition(":")
            if scheme in SCHEMES and path:
                return cls("conll", path, scheme, weight_value)
        raise ValueError(f"bad source {spec!r}: expected jsonl:PATH[@W] or conll:{'|'.join(SCHEMES)}:PATH[@W]")


@dataclass
class DataArguments:
    train: list[str] = field(default_factory=list, metadata={"help": "Training sources: jsonl:PATH[@W] or conll:peyma|arman:PATH[@W]."})
    dev: list[str] = field(default_factory=list, metadata={"help": "Dev sources in the same form (used whole)."})
    dev_fraction: float = field(default=0.1, metadata={"help": "Share of each CoNLL training source held out as dev (seeded)."})
    use_split_field: bool = field(default=True, metadata={"help": "JSONL articles with split=dev go to dev, split=test are never trained on."})
    max_length: int = field(default=256, metadata={"help": "Tokens per window, [CLS]/[SEP] included."})
    stride: int = field(default=64, metadata={"help": "Tokens shared by consecutive windows of a long document."})

    def __post_init__(self) -> None:
        if not self.train:
            raise ValueError("give at least one --train source (jsonl:PATH or conll:peyma:PATH)")
        for spec in self.train + self.dev:
            source = SourceSpec.parse(spec)
            if not Path(source.path).is_file():
                raise ValueError(f"source {spec!r}: no such file {source.path}")
        if not 0 <= self.dev_fraction < 1:
            raise ValueError("--dev_fraction must lie in [0, 1)")
        if not 0 <= self.stride < self.max_length - 2:
            raise ValueError(f"--stride must lie in [0, {self.max_length - 2}) for --max_length {self.max_length}")

    def sources(self, which: str = "train") -> list[SourceSpec]:
        return [SourceSpec.parse(s) for s in getattr(self, which)]


@dataclass
class ModelArguments:
    encoder: str = field(default=DEFAULT_ENCODER, metadata={"help": f"Hub id or local directory of a base encoder or a parsclaim model, or '{SCRATCH}' for a new BERT (needs --tokenizer). The default, ParsBERT, needs the Hub."})
    encoder_revision: str | None = field(default=None, metadata={"help": "Hub revision (tag, branch or commit) to pin the encoder to."})
    tokenizer: str | None = field(default=None, metadata={"help": "Tokenizer directory; default: the encoder's. Required with --encoder scratch."})
    add_persian_normalizer: bool = field(default=True, metadata={"help": "Prepend parsclaim's Persian normalizer to the tokenizer's if it lacks it."})
    hidden_size: int = field(default=256, metadata={"help": "Scratch encoder width."})
    num_layers: int = field(default=4, metadata={"help": "Scratch encoder layers."})
    num_heads: int = field(default=4, metadata={"help": "Scratch encoder attention heads."})
    intermediate_size: int = field(default=0, metadata={"help": "Scratch encoder feed-forward size (0: 4 x hidden)."})
    max_position_embeddings: int = field(default=512, metadata={"help": "Scratch encoder's longest window."})
    entity_loss_weight: float = field(default=1.0, metadata={"help": "Weight of the entity head's loss."})
    claim_loss_weight: float = field(default=1.0, metadata={"help": "Weight of the claim head's loss."})
    head_dropout: float = field(default=0.1, metadata={"help": "Dropout before both heads."})
    untrusted_o_weight: float = field(default=0.05, metadata={"help": "On O tokens of a source that lacks some labels, the weight of the plain 'it is O' loss added to the partial-label loss (0: those labels get no negative evidence there, 1: plain cross-entropy)."})
    scheme_heads: list[str] = field(default_factory=list, metadata={"help": f"Give these CoNLL schemes ({'|'.join(SCHEMES)}) their own entity head, a copy of the encoder's top layers: their sources then train that head instead of the main one, which keeps our schema's conventions."})
    scheme_head_layers: int | None = field(default=None, metadata={"help": "Layers of the --scheme_heads: a new head copies the encoder's top N (default 1); a head the model already has is deepened to N by copying the encoder layers below its own, so it starts from what it gave (default: as it is)."})
    only_scheme_heads: bool = field(default=False, metadata={"help": "Train the scheme heads only: the encoder and the main heads stay exactly as loaded (every --train source needs a scheme head)."})
    train_top_layers: int | None = field(default=None, metadata={"help": "Train only the encoder's top N layers (0: none) and the main heads (not one whose loss weight is 0): embeddings, the layers below and the scheme heads stay exactly as loaded (every --train source needs to go through the main heads). A scheme head at least N layers deep reads hidden states below them, so its scores cannot move."})

    def __post_init__(self) -> None:
        if self.encoder == SCRATCH and not self.tokenizer:
            raise ValueError("--encoder scratch needs --tokenizer DIR (e.g. the output of parsclaim.training.pretrain --prepare_only)")
        if self.hidden_size % self.num_heads:
            raise ValueError(f"--hidden_size {self.hidden_size} is not divisible by --num_heads {self.num_heads}")
        if min(self.entity_loss_weight, self.claim_loss_weight) < 0 or self.entity_loss_weight + self.claim_loss_weight == 0:
            raise ValueError("loss weights must be >= 0 and not both 0")
        if not 0 <= self.untrusted_o_weight <= 1:
            raise ValueError("--untrusted_o_weight must lie in [0, 1]")
        unknown = [s for s in self.scheme_heads if s not in SCHEMES]
        if unknown:
            raise ValueError(f"--scheme_heads {' '.join(unknown)}: not a CoNLL scheme ({', '.join(SCHEMES)})")
        if self.scheme_head_layers is not None and self.scheme_head_layers < 1:
            raise ValueError("--scheme_head_layers must be >= 1")
        if self.scheme_head_layers is not None and not self.scheme_heads:
            raise ValueError("--scheme_head_layers applies to the heads named by --scheme_heads; name them")
        if self.train_top_layers is not None and self.train_top_layers < 0:
            raise ValueError("--train_top_layers must be >= 0")
        if self.train_top_layers is not None and self.only_scheme_heads:
            raise ValueError("--train_top_layers trains the main path, --only_scheme_heads the scheme heads: choose one")
        if self.tokenizer and is_local(self.tokenizer):
            check_model_folder("--tokenizer", self.tokenizer, needs_tokenizer=True)
        if self.encoder != SCRATCH and is_local(self.encoder):
            check_model_folder("--encoder", self.encoder, needs_tokenizer=not self.tokenizer)
        if self.only_scheme_heads and not self.scheme_heads:
            if self.encoder == SCRATCH or (is_local(self.encoder) and not saved_scheme_heads(self.encoder)):
                raise ValueError(f"--only_scheme_heads: the model ({self.encoder}) has no scheme heads; add some with --scheme_heads")


@dataclass
class TrainArguments:
    output_dir: str = field(default="", metadata={"help": "Where model, tokenizer, card, metrics.json and train.log go."})
    epochs: float = field(default=3.0, metadata={"help": "Training epochs (dev evaluation after each)."})
    max_steps: int = field(default=-1, metadata={"help": "Stop after this many steps (overrides --epochs when > 0)."})
    batch_size: int = field(default=16, metadata={"help": "Windows per device batch."})
    gradient_accumulation_steps: int = field(default=1, metadata={"help": "Batches per optimizer step."})
    learning_rate: float = field(default=5e-5, metadata={"help": "Peak learning rate (linear decay)."})
    warmup_ratio: float = field(default=0.1, metadata={"help": "Share of steps spent warming up."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay."})
    seed: int = field(default=42, metadata={"help": "Seed for data splits, sampling, initialization and shuffling."})
    logging_steps: int = field(default=50, metadata={"help": "Steps between log lines."})
    save_total_limit: int = field(default=2, metadata={"help": "Checkpoints kept (the best is always kept)."})
    resume_from_checkpoint: str | None = field(default=None, metadata={"help": "A checkpoint directory, or 'last' for the newest in --output_dir."})
    bf16: bool = field(default=False, metadata={"help": "bfloat16 mixed precision (a GPU, or a CPU with native bfloat16: AVX512-BF16/AMX; emulated and slow elsewhere)."})
    dataloader_num_workers: int = field(default=0, metadata={"help": "Data-loading worker processes."})
    best_model_metric: str = field(default="entity_f1", metadata={"help": "Dev score that picks the checkpoint kept: entity_f1, or claim_f1 for a stage that trains the claims (train-time strict IOB2 on dev windows)."})

    def __post_init__(self) -> None:
        if not self.output_dir:
            raise ValueError("--output_dir is required")
        if self.best_model_metric not in ("entity_f1", "claim_f1"):
            raise ValueError(f"--best_model_metric {self.best_model_metric}: choose entity_f1 or claim_f1")
        if self.epochs <= 0 and self.max_steps <= 0:
            raise ValueError("set --epochs > 0 or --max_steps > 0")
        if self.batch_size < 1 or self.gradient_accumulation_steps < 1:
            raise ValueError("--batch_size and --gradient_accumulation_steps must be >= 1")
        if not 0 <= self.warmup_ratio < 1:
            raise ValueError("--warmup_ratio must lie in [0, 1)")
        if self.learning_rate <= 0:
            raise ValueError("--learning_rate must be > 0")
        output = Path(self.output_dir)
        if output.exists() and not output.is_dir():
            raise ValueError(f"--output_dir {self.output_dir} is a file, not a folder")
        if self.resume_from_checkpoint == "last":
            from transformers.trainer_utils import get_last_checkpoint

            if not output.is_dir() or get_last_checkpoint(str(output)) is None:
                raise ValueError(f"--resume_from_checkpoint last: no checkpoint-N folder in {self.output_dir} to resume from; "
                                 f"drop the option to start anew")
        elif self.resume_from_checkpoint is not None and not Path(self.resume_from_checkpoint).is_dir():
            raise ValueError(f"--resume_from_checkpoint {self.resume_from_checkpoint}: no such checkpoint folder "
                             f"(give one, or 'last' for the newest in --output_dir)")


def check_together(data: DataArguments, model: ModelArguments, train: TrainArguments) -> None:
    """Checks across the argument groups; ValueError like a __post_init__ check."""
    folder = local_model_folder(model.encoder) if model.encoder != SCRATCH else None
    if folder is not None and same_file(folder, train.output_dir):
        raise ValueError(f"--output_dir {train.output_dir} is the --encoder folder: training would overwrite the model it "
                         f"starts from; choose another --output_dir")


ALL_ARGUMENTS = (DataArguments, ModelArguments, TrainArguments)


def parse_args(argv: list[str] | None = None) -> tuple[DataArguments, ModelArguments, TrainArguments]:
    """Command-line options, or one .json/.yaml/.yml config file."""
    import sys

    from ..arguments import ArgumentParser

    argv = sys.argv[1:] if argv is None else list(argv)
    parser = ArgumentParser(ALL_ARGUMENTS, prog="parsclaim train", description=DESCRIPTION,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    try:
        if len(argv) == 1 and argv[0].endswith((".json", ".yaml", ".yml")):
            path = Path(argv[0]).resolve()
            if path.suffix == ".json":
                groups = tuple(parser.parse_json_file(str(path), allow_extra_keys=False))
            else:
                groups = tuple(parser.parse_yaml_file(str(path), allow_extra_keys=False))
        else:
            groups = tuple(parser.parse_args_into_dataclasses(args=argv))
        check_together(*groups)
        return groups
    except ValueError as error:  # a __post_init__ check: show it with the usage, exit 2
        parser.error(str(error))
