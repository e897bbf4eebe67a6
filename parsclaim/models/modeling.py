"""The two-head token classifier: any HF encoder, one pass per window, entity + claim heads.

Weights are named so that plain transformers finds them: the encoder under
its own `base_model_prefix` ("bert." for BERT) and the entity head as
"classifier." (what BertForTokenClassification expects); the claim head is
"claim_classifier.", which plain transformers ignores. Together with the
config layout (see `configuration.py`) that makes
`pipeline("token-classification", model=DIR)` run the entity head.

Loading never executes pickles or remote code: weights are read with
`safetensors` only, a Hub id is fetched with `huggingface_hub.snapshot_download`
(respecting `revision` and `HF_HUB_OFFLINE`), and a base encoder is loaded with
`use_safetensors=True`.

    model, tokenizer = load_model_and_tokenizer("path/or/hub-id", revision=None)
    for doc in model.predict(["متن خبر ..."], tokenizer):
        doc.entity_spans(), doc.claim_spans()  # [{"start", "end", "label", "score"}] in the raw text
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file
from torch import nn
from transformers import AutoModel, AutoTokenizer, PreTrainedModel
from transformers.utils import ModelOutput

from ..data import align
from ..data.schema import CLAIM_LABELS, ENTITY_LABELS, IGNORE_INDEX
from ..paths import local_model_folder, looks_local
from . import decoding as decoding_methods
from .configuration import LOAD_HINT, OWN_SCHEME, PARSCLAIM_KEY, ParsclaimConfig
from .scheme_heads import SchemeHead

# Only a reporting verb glued to its pronoun ("ویافزود") starts a span inside a word.
CLAIM_INWORD_LABELS = ("CUE",)


@dataclass
class ParsclaimOutput(ModelOutput):
    loss: torch.Tensor | None = None
    entity_logits: torch.Tensor | None = None
    claim_logits: torch.Tensor | None = None
    hidden_states: tuple[torch.Tensor, ...] | None = None
    attentions: tuple[torch.Tensor, ...] | None = None


def partial_label_nll(logits: torch.Tensor, labels: torch.Tensor, extra: torch.Tensor | None = None,
                      o_weight: float = 0.0, outside_id: int = 0) -> torch.Tensor:
    """Mean -log P(allowed tags) over labelled positions; plain cross-entropy when `extra` is None.

    `extra` [batch, tags] adds tags an O label may really be (labels the source does not annotate);
    `o_weight` adds that much of the plain "it is O" loss back on those forgiven positions, so a
    source that never shows a label still gives a weak prior against it (0: no prior at all).
    A batch with no labelled position gives 0 (with a graph), not NaN.
    """
    valid = labels != IGNORE_INDEX
    if not valid.any():
        return logits.sum() * 0.0
    logits = logits.float()
    log_z = torch.logsumexp(logits, -1)
    allowed = nn.functional.one_hot(labels.clamp(min=0), logits.shape[-1]).bool()
    if extra is None:
        return (log_z - (logits * allowed).sum(-1))[valid].mean()
    forgiven = (labels == outside_id) & extra.any(-1)[:, None]
    allowed |= forgiven[..., None] & extra[:, None, :]
    nll = log_z - torch.logsumexp(logits.masked_fill(~allowed, float("-inf")), -1)
    nll = nll + o_weight * forgiven * (log_z - logits[..., outside_id])
    return nll[valid].mean()


def _build_encoder(encoder_config) -> PreTrainedModel:
    try:
        return AutoModel.from_config(encoder_config, add_pooling_layer=False)
    except TypeError:  # encoders without a pooler option
        return AutoModel.from_config(encoder_config)


class ParsclaimForTokenClassification(PreTrainedModel):
    config_class = ParsclaimConfig
    base_model_prefix = "encoder"  # replaced per instance by the encoder's own prefix ("bert", "roberta", ...)

    def __init__(self, config: ParsclaimConfig, encoder: PreTrainedModel | None = None):
        super().__init__(config)
        encoder = encoder if encoder is not None else _build_encoder(config.encoder_config())
        self.base_model_prefix = encoder.base_model_prefix
        setattr(self, self.base_model_prefix, encoder)
        hidden = encoder.config.hidden_size
        self.dropout = nn.Dropout(config.head_dropout)
        self.classifier = nn.Linear(hidden, len(config.id2label))
        self.claim_classifier = nn.Linear(hidden, len(config.claim_id2label))
        # For each entity tag, the bit of its label in an `entity_untrusted` mask (-1 for O).
        bits = [ENTITY_LABELS.index(t[2:]) if t[2:] in ENTITY_LABELS else -1 for t in config.entity_tags]
        self.register_buffer("tag_bits", torch.tensor(bits), persistent=False)
        self.scheme_heads = nn.ModuleDict({name: self._new_scheme_head(config.head_layers(name)) for name in config.scheme_heads})
        self.tokenizer = None  # saved beside the weights when set
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        if module is self.classifier or module is self.claim_classifier:
            module.weight.data.normal_(0.0, getattr(self.config.encoder_config(), "initializer_range", 0.02))
            module.bias.data.zero_()

    @property
    def encoder(self) -> PreTrainedModel:
        return getattr(self, self.base_model_prefix)

    def _new_scheme_head(self, layers: int) -> SchemeHead:
        encoder = self.config.encoder_config()
        return SchemeHead(encoder.hidden_size, encoder.num_attention_heads, encoder.intermediate_size, len(self.config.id2label),
                          layers, getattr(encoder, "layer_norm_eps", 1e-12), self.config.head_dropout)

    def add_scheme_heads(self, schemes: list[str], layers: int | None = None) -> None:
        """New entity heads for these schemes, each starting as a copy of the main path's top `layers`
        layers (default 1); a head the model has already is deepened to `layers` (never made shallower)."""
        if getattr(self.encoder.config, "hidden_act", "gelu") != "gelu":
            raise ValueError(f"scheme heads use GELU layers; this encoder uses {self.encoder.config.hidden_act!r}")
        if layers is not None and not 1 <= layers < self.encoder.config.num_hidden_layers:
            raise ValueError(f"scheme heads need 1 to {self.encoder.config.num_hidden_layers - 1} layers, not {layers}")
        for scheme in schemes:
            if scheme == OWN_SCHEME:
                raise ValueError(f"{OWN_SCHEME!r} names the main entity head; a scheme head needs another name")
            if scheme in self.scheme_heads:
                have = self.config.head_layers(scheme)
                if layers is not None and layers < have:
                    raise ValueError(f"the {scheme} head has {have} layers; it can be deepened, not cut to {layers}")
                if layers is not None and layers > have:
                    self.scheme_heads[scheme].deepen(self.encoder, layers)
                    self.config.scheme_head_layers[scheme] = layers
                continue
            head = self._new_scheme_head(layers or 1).to(self.device).train(self.training)
            head.copy_top_layers(self.encoder, self.classifier)
            self.scheme_heads[scheme] = head
            self.config.scheme_heads.append(scheme)
            self.config.scheme_head_layers[scheme] = layers or 1

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, entity_labels=None, claim_labels=None,
                entity_untrusted=None, scheme_id=None, output_hidden_states=None, output_attentions=None,
                position_ids=None) -> ParsclaimOutput:
        """`scheme_id` [batch]: 0 (our schema) or `config.scheme_id(name)`; rows with a scheme get that head's entity logits.
        `attention_mask` is [batch, tokens], or [batch, 1, tokens, tokens] additive for packed rows (`batch_inputs`)."""
        inputs = {"input_ids": input_ids, "attention_mask": attention_mask}
        for name, value in (("token_type_ids", token_type_ids), ("position_ids", position_ids)):
            if value is not None:
                inputs[name] = value
        use_schemes = scheme_id is not None and bool((scheme_id > 0).any())
        out = self.encoder(**inputs, output_hidden_states=output_hidden_states or use_schemes, output_attentions=output_attentions)
        hidden = self.dropout(out.last_hidden_state)
        entity_logits, claim_logits = self.classifier(hidden), self.claim_classifier(hidden)
        if use_schemes:
            entity_logits = self._scheme_logits(entity_logits, out.hidden_states, attention_mask, scheme_id)
        loss = None
        if entity_labels is not None or claim_labels is not None:
            loss = entity_logits.new_zeros(())
            if entity_labels is not None:
                loss = loss + self.config.entity_loss_weight * partial_label_nll(
                    entity_logits, entity_labels, self._extra_tags(entity_untrusted), self.config.untrusted_o_weight)
            if claim_labels is not None:
                loss = loss + self.config.claim_loss_weight * partial_label_nll(claim_logits, claim_labels)
        return ParsclaimOutput(loss, entity_logits, claim_logits, out.hidden_states if output_hidden_states else None, out.attentions)

    def _scheme_logits(self, entity_logits, hidden_states, attention_mask, scheme_id) -> torch.Tensor:
        if bool((scheme_id > len(self.config.scheme_heads)).any()):
            raise ValueError(f"scheme_id beyond this model's {len(self.config.scheme_heads)} scheme heads")
        entity_logits = entity_logits.clone()
        if attention_mask is None:
            attention_mask = torch.ones(hidden_states[0].shape[:2], dtype=torch.long, device=hidden_states[0].device)
        for index, scheme in enumerate(self.config.scheme_heads, start=1):
            rows = scheme_id == index
            if rows.any():
                # a head of n layers reads the hidden states below the encoder's top n
                below = hidden_states[-1 - self.config.head_layers(scheme)][rows]
                entity_logits[rows] = self.scheme_heads[scheme](below, attention_mask[rows]).to(entity_logits.dtype)
        return entity_logits

    def _extra_tags(self, untrusted: torch.Tensor | None) -> torch.Tensor | None:
        if untrusted is None or not bool((untrusted != 0).any()):
            return None
        bits = self.tag_bits.clamp(min=0)
        return ((untrusted.long()[:, None] >> bits[None, :]) & 1).bool() & (self.tag_bits >= 0)[None, :]

    # ------------------------------------------------------------ save / load
    def save_pretrained(self, save_directory, tokenizer=None, metrics: dict | None = None, card_name: str | None = None, **kwargs) -> None:
        """Weights (safetensors), config in the encoder's layout, tokenizer and a fresh model card."""
        if metrics is not None:
            self.config.metrics = metrics
        kwargs.pop("safe_serialization", None)
        super().save_pretrained(save_directory, **kwargs)
        tokenizer = tokenizer if tokenizer is not None else self.tokenizer
        if tokenizer is not None:
            tokenizer.save_pretrained(save_directory)
        card = render_model_card(self.config, card_name or Path(save_directory).name)
        (Path(save_directory) / "README.md").write_text(card, encoding="utf-8")

    @classmethod
    def from_pretrained(cls, name_or_path, *, revision: str | None = None, reinit_heads: bool = False,
                        entity_tags: list[str] | None = None, claim_tags: list[str] | None = None, **config_overrides):
        """A fine-tuned parsclaim model, or a base encoder with fresh heads over the schema's tags."""
        directory = resolve(name_or_path, revision)
        config_path = directory / "config.json"
        if not config_path.is_file():
            raise FileNotFoundError(f"no config.json in {directory}. {LOAD_HINT}")
        config_dict = json.loads(config_path.read_text(encoding="utf-8"))
        fine_tuned = PARSCLAIM_KEY in config_dict and not reinit_heads
        if not fine_tuned:
            return cls._from_encoder(name_or_path, directory, config_dict, revision, entity_tags, claim_tags, **config_overrides)
        config = ParsclaimConfig.from_dict(config_dict, **config_overrides)
        _check_tags(name_or_path, "entity", config.entity_tags, entity_tags)
        _check_tags(name_or_path, "claim", config.claim_tags, claim_tags)
        model = cls(config)
        state = read_safetensors(directory)
        missing, unexpected = model.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise ValueError(f"{name_or_path}: weights do not match the config (missing {missing[:5]}, unexpected {unexpected[:5]}). {LOAD_HINT}")
        model.tokenizer = _try_tokenizer(directory)
        return model.eval()

    @classmethod
    def _from_encoder(cls, name_or_path, directory, config_dict, revision, entity_tags, claim_tags, **config_overrides):
        config_dict = {k: v for k, v in config_dict.items() if k != PARSCLAIM_KEY}
        kwargs = dict(config_overrides)
        if entity_tags:
            kwargs["id2label"] = dict(enumerate(entity_tags))
        if claim_tags:
            kwargs["claim_id2label"] = dict(enumerate(claim_tags))
        config = ParsclaimConfig.from_dict(config_dict, **kwargs)  # raises for non-encoders
        if not list(directory.glob("*.safetensors")):
            raise FileNotFoundError(f"{name_or_path} has no *.safetensors weights (pickled .bin files are never loaded). "
                                    f"Pin a revision that has safetensors (revision=...), or convert it first. {LOAD_HINT}")
        load = {"add_pooling_layer": False} if config.encoder["model_type"] in ("bert", "roberta", "xlm-roberta") else {}
        encoder = AutoModel.from_pretrained(directory, use_safetensors=True, dtype=torch.float32, **load)
        model = cls(config, encoder=encoder)
        model.tokenizer = _try_tokenizer(directory)
        return model

    # ------------------------------------------------------------ inference
    @torch.inference_mode()
    def predict(self, texts: list[str], tokenizer=None, max_length: int | None = None, stride: int | None = None,
                batch_size: int = 16, scheme: str | None = None, decoding: str = "viterbi",
                fixed_shape: bool = False, isolate_texts: bool = False) -> list[TokenPredictions]:
        """Per-token entity/claim tags with raw-text offsets, windows merged keeping the middle.

        `scheme` ("peyma", "arman"): entities from that scheme's head (see `config.scheme_heads`).
        `decoding`: "viterbi" (the best valid IOB2 sequence, `parsclaim.models.decoding`) or "argmax".
        `fixed_shape`: every forward pass gets `batch_size` x `max_length` tokens (padded), so a
        model compiled for one shape (`Extractor(compile=True)`) never recompiles; short windows
        then share rows (`align.pack_windows`, `batch_inputs`).
        `isolate_texts`: a forward pass holds windows of one text only, so that each text's result
        depends on that text alone even where a batch's rows affect each other (int8's activation
        scales are computed per batch: batched with other articles, 17 of 68 gold dev articles got
        other spans than alone)."""
        decoding_methods.check_decoding(decoding)  # before any forward pass
        head_id = self.config.scheme_id(scheme)
        tokenizer = tokenizer or self.tokenizer
        if tokenizer is None:
            raise ValueError("pass a tokenizer (load_model_and_tokenizer returns the one saved with the model)")
        max_length = max_length or self.config.window_length or min(tokenizer.model_max_length, self.encoder.config.max_position_embeddings)
        stride = stride if stride is not None else self.config.window_stride
        self.eval()
        docs = align.tokenize_documents(texts, tokenizer)
        windows = [(d, w) for d, doc in enumerate(docs) for w in align.make_windows(doc, tokenizer, max_length, stride)]
        windows.sort(key=lambda item: len(item[1]["input_ids"]))  # similar lengths share a batch: less padding
        # A fixed shape pays for every padding token: there short windows share a row (each keeps its
        # own [CLS]/[SEP], positions and attention block, so it reads as it would alone).
        groups: list[list[int]] = [list(range(len(windows)))]
        if isolate_texts:
            groups = [[] for _ in docs]
            for k, (d, _) in enumerate(windows):
                groups[d].append(k)
        batches = []
        for group in groups:
            lengths = [len(windows[k][1]["input_ids"]) for k in group]
            rows = ([[group[i] for i in row] for row in align.pack_windows(lengths, max_length)] if fixed_shape
                    else [[k] for k in group])
            batches += [rows[i : i + batch_size] for i in range(0, len(rows), batch_size)]
        per_doc: list[list] = [[] for _ in docs]
        for batch_rows in batches:
            batch = [[windows[k] for k in row] for row in batch_rows]
            inputs, placed = batch_inputs([[w for _, w in row] for row in batch], tokenizer.pad_token_id or 0,
                                          (batch_size, max_length) if fixed_shape else None, fixed_shape, self.dtype)
            scheme_id = torch.full((len(inputs["input_ids"]),), head_id, dtype=torch.long, device=self.device) if head_id else None
            out = self(**{name: tensor.to(self.device) for name, tensor in inputs.items()}, scheme_id=scheme_id)
            probs = torch.cat([out.entity_logits.float().softmax(-1), out.claim_logits.float().softmax(-1)], -1).cpu().numpy()
            for (row, offset, length), (d, w) in zip(placed, (item for row in batch for item in row)):
                per_doc[d].append((w["token_start"], probs[row, offset + 1 : offset + length - 1]))
        for doc_windows in per_doc:  # merge_windows breaks ties by order: the shorter window, then the earlier
            doc_windows.sort(key=lambda item: (len(item[1]), item[0]))
        merged = [align.merge_windows(doc_windows, len(doc.input_ids)) for doc, doc_windows in zip(docs, per_doc)]
        return TokenPredictions.from_merged_many(texts, docs, merged, self.config, decoding)


def batch_inputs(rows: list[list[dict]], pad_id: int, shape: tuple[int, int] | None = None, packed: bool = False,
                 dtype: torch.dtype = torch.float32) -> tuple[dict[str, torch.Tensor], list[tuple[int, int, int]]]:
    """Model inputs for rows of windows (`align.make_windows`), padded to `shape` (default: just enough),
    and where each window went: (row, first token, length). Rows of one window get the usual
    [batch, tokens] mask; `packed` rows (several windows side by side) an additive [batch, 1, tokens,
    tokens] mask in which a window sees only itself, and positions that restart at each window."""
    lengths = [sum(len(w["input_ids"]) for w in row) for row in rows]
    shape = shape or (len(rows), max(lengths))
    ids = torch.full(shape, pad_id, dtype=torch.long)
    placed = []
    for r, row in enumerate(rows):
        offset = 0
        for window in row:
            length = len(window["input_ids"])
            ids[r, offset : offset + length] = torch.tensor(window["input_ids"])
            placed.append((r, offset, length))
            offset += length
    if not packed:
        if any(len(row) > 1 for row in rows):
            raise ValueError("rows of several windows need packed=True")
        mask = torch.zeros(shape, dtype=torch.long)
        mask[len(rows) :, 0] = 1  # a padding row attends to one token, not to none (no all-masked softmax)
        for r, _, length in placed:
            mask[r, :length] = 1
        return {"input_ids": ids, "attention_mask": mask}, placed
    sees = torch.eye(shape[1], dtype=torch.bool).repeat(shape[0], 1, 1)  # padding sees itself: no all-masked row
    positions = torch.zeros(shape, dtype=torch.long)
    for r, offset, length in placed:
        sees[r, offset : offset + length, offset : offset + length] = True
        positions[r, offset : offset + length] = torch.arange(length)
    mask = torch.zeros(sees.shape, dtype=dtype).masked_fill_(~sees, torch.finfo(dtype).min)[:, None]
    return {"input_ids": ids, "attention_mask": mask, "position_ids": positions}, placed


@dataclass
class TokenPredictions:
    """One text's per-token predictions (no special tokens); offsets index the raw text."""

    text: str
    offsets: list[tuple[int, int]]
    word_ids: list[int | None]
    entity_tags: list[str]
    entity_scores: list[float]
    claim_tags: list[str]
    claim_scores: list[float]
    line_starts: list[bool] | None = None  # tokens after a line break: no span continues there

    @classmethod
    def from_merged_many(cls, texts: list[str], docs: list[align.DocTokens], merged: list, config: ParsclaimConfig,
                         decoding: str = "viterbi") -> list[TokenPredictions]:
        """`merged`: per text, per token, the entity head's tag probabilities followed by the claim
        head's. The texts' Viterbi searches run together (`decoding.decode_many`)."""
        entity_tags, claim_tags = config.entity_tags, config.claim_tags
        probs = [np.asarray(m, dtype=np.float32).reshape(len(m), len(entity_tags) + len(claim_tags)) for m in merged]
        entity_probs = [p[:, : len(entity_tags)] for p in probs]
        claim_probs = [p[:, len(entity_tags) :] for p in probs]
        # both heads read the same token positions: convert them once (None words as -1)
        positions = [(np.array([-1 if w is None else w for w in doc.word_ids], dtype=np.int64),
                      np.asarray(doc.offsets, dtype=np.int64).reshape(len(doc.offsets), 2)) for doc in docs]
        starts = [decoding_methods.line_starts(text, where[1]) for text, where in zip(texts, positions)]
        entity_ids = decoding_methods.decode_many(
            [(p, *where) for p, where in zip(entity_probs, positions)], entity_tags, method=decoding, starts=starts)
        claim_ids = decoding_methods.decode_many(
            [(p, *where) for p, where in zip(claim_probs, positions)], claim_tags, CLAIM_INWORD_LABELS, decoding, starts)
        predictions = []
        for text, doc, entity_p, claim_p, entity_i, claim_i, line_start in zip(
                texts, docs, entity_probs, claim_probs, entity_ids, claim_ids, starts):
            rows = np.arange(len(entity_i))
            predictions.append(cls(text, doc.offsets, doc.word_ids,
                                   [entity_tags[i] for i in entity_i], entity_p[rows, entity_i].tolist(),
                                   [claim_tags[i] for i in claim_i], claim_p[rows, claim_i].tolist(), line_start.tolist()))
        return predictions

    def entity_spans(self) -> list[dict]:
        return align.decode_spans(align.inference_tags(self.entity_tags, self.word_ids), self.offsets, self.word_ids,
                                  self.entity_scores, self.line_starts)

    def claim_spans(self) -> list[dict]:
        return align.decode_spans(align.inference_tags(self.claim_tags, self.word_ids, inword_labels=CLAIM_INWORD_LABELS),
                                  self.offsets, self.word_ids, self.claim_scores, self.line_starts)


# ------------------------------------------------------------ helpers

def resolve(name_or_path, revision: str | None = None) -> Path:
    """A local directory as is; a Hub id downloaded (safetensors, json, tokenizer files only).
    "parsclaim/default_model", the name the README uses, is the model inside the package wherever
    the caller runs (a relative path only from the repository root)."""
    folder = local_model_folder(name_or_path)
    if folder is not None:
        return folder
    if looks_local(name_or_path):
        raise FileNotFoundError(f"{name_or_path} is not a model directory. {LOAD_HINT}")
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(str(name_or_path), revision=revision,
                                      allow_patterns=["*.json", "*.safetensors", "*.txt", "*.model", "README.md"]))
    except Exception as error:
        raise OSError(f"could not fetch {name_or_path!r} (revision {revision}) from the Hub: {error}. "
                      f"Offline, pass a local directory instead. {LOAD_HINT}") from error


def read_safetensors(directory: Path) -> dict[str, torch.Tensor]:
    files = sorted(directory.glob("*.safetensors"))
    if not files:
        raise FileNotFoundError(f"no *.safetensors in {directory} (pickled weights are never loaded). {LOAD_HINT}")
    state: dict[str, torch.Tensor] = {}
    for file in files:
        state.update(load_file(str(file)))
    return state


def _check_tags(name, head: str, saved: list[str], wanted: list[str] | None) -> None:
    from ..data.schema import CLAIM_TAGS, ENTITY_TAGS

    wanted = wanted or (ENTITY_TAGS if head == "entity" else CLAIM_TAGS)
    if list(saved) != list(wanted):
        raise ValueError(
            f"{name} was trained with {head} tags {saved}, which disagree with {wanted}. Use the parsclaim version it was "
            f"trained with, pass {head}_tags={saved!r} to use it as is, or fine-tune it anew with "
            f"ParsclaimForTokenClassification.from_pretrained({str(name)!r}, reinit_heads=True)."
        )


def _try_tokenizer(directory: Path):
    if not (directory / "tokenizer.json").is_file() and not (directory / "vocab.txt").is_file():
        return None
    return AutoTokenizer.from_pretrained(directory)


def load_model_and_tokenizer(name_or_path, revision: str | None = None, **kwargs):
    """(model in eval mode, its tokenizer) from a fine-tuned parsclaim directory or Hub id. A base encoder
    is refused: `from_pretrained` would give it fresh heads, whose tags are random."""
    directory = resolve(name_or_path, revision)
    config = directory / "config.json"
    if config.is_file() and PARSCLAIM_KEY not in json.loads(config.read_text(encoding="utf-8")):
        raise ValueError(f"{name_or_path} is a base encoder without trained heads, so its tags would be random: "
                         f"fine-tune it first (`parsclaim train --encoder {name_or_path} ...`) and load the result")
    model = ParsclaimForTokenClassification.from_pretrained(directory, **kwargs)
    if model.tokenizer is None:
        raise FileNotFoundError(f"{name_or_path} has no tokenizer files beside its weights")
    return model.eval(), model.tokenizer


# ------------------------------------------------------------ model card

CORPUS_TERMS = {
    "arman": "ArmanPersoNERCorpus: distributed for academic research use only; this model inherits that restriction.",
    "peyma": "PEYMA (NSURL-2019 data, majidasgari/ParsNER): no licence text in its repository; check the terms before any non-research use.",
    "nsurl600k": "NSURL-2019 Persian NER training data: no licence text in its repository; check the terms before any non-research use.",
    "corpus/real": "corpus/real: news published by Fars (language-ml/course-nlp-ir-1-text-exploring, Apache-2.0) and by "
                  "Tabnak, Asriran and other sites (shessam/IR-News-Dataset, GPL-3.0), annotated for parsclaim.",
}

CARD_TEMPLATE = """---
language: fa
library_name: transformers
pipeline_tag: token-classification
tags: [parsclaim, ner, persian, claims]
---

# {name}

A parsclaim model (parsclaim {version}): one {model_type} encoder with two token heads for Persian news.

* **Entity head** (IOB2): {entity_labels}
* **Claim head** (IOB2): {claim_labels}; claims with content and reporting cue{scheme_heads}

## Training data and their terms

{data}

## Metrics

{metrics}

Scores are measured by `parsclaim evaluate MODEL DATA...` (float32 weights, Viterbi decoding: its
defaults; see the parsclaim README for the exact commands and data splits); dev scores are dev
scores, not test results.

## How to load

With parsclaim (both heads; offsets point into your raw text):

```python
from parsclaim.models.modeling import load_model_and_tokenizer
model, tokenizer = load_model_and_tokenizer("{name}")  # a directory or a Hub id (revision=...)
doc = model.predict(["متن خبر ..."], tokenizer)[0]
doc.entity_spans(), doc.claim_spans()
```

With plain transformers (entity head only; the claim head and any scheme heads are ignored, and
reported as unexpected weights when loading):

```python
{pipeline_imports}
{pipeline_tokenizer}ner = pipeline("token-classification", model="{name}", {pipeline_options}aggregation_strategy="first", stride={stride})
ner("متن خبر ...")
```

Without `stride` the pipeline tags only the first `model_max_length` tokens of a text and drops the rest
silently.{window_note}
"""


def render_model_card(config: ParsclaimConfig, name: str) -> str:
    data_lines = []
    several_stages = len({source.get("stage", 1) for source in config.training_data or []}) > 1
    for source in config.training_data or []:
        stage = f"stage {source.get('stage', 1)}: " if several_stages else ""
        if source.get("kind") == "vocabulary":  # a step on the weights, not data (scripts/prune_vocabulary.py)
            data_lines.append(f"* {stage}{source['name']}")
            continue
        untrusted = f" (labels not annotated: {', '.join(source['untrusted'])})" if source.get("untrusted") else ""
        kind = source.get("kind", "") + (f", {source['scheme']} scheme" if source.get("scheme") else "")
        weight = f", weight {source['weight']}" if source.get("weight") not in (None, 1, 1.0) else ""
        head = f", trains only {source['trained']}" if source.get("trained") else ""
        if source.get("head", "main") != "main":
            depth = f" ({_layers(source['head_layers'])})" if source.get("head_layers") else ""
            head = (f", trains only the {source['head']} scheme head{depth}" if source.get("only_scheme_heads")
                    else f", trains the {source['head']} scheme head{depth} and the encoder below it")
        data_lines.append(f"* {stage}`{source.get('name')}` ({kind}{weight}{head}){untrusted}")
    used = {s.get(key) for s in config.training_data or [] for key in ("name", "scheme")}
    # a source's display name may be longer than its key ("real news, ... corpus/real's training half ...")
    data_lines += [f"* {terms}" for key, terms in CORPUS_TERMS.items() if not used or any(name and key in name for name in used)]
    if not config.training_data:
        data_lines.insert(0, "Not recorded for this checkpoint; the corpora parsclaim trains on carry these terms:")
    metrics = "\n".join(f"| {k} | {v:.4f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in (config.metrics or {}).items())
    # The windows the model was finalized to read (`window_length`) are also what a plain pipeline should use.
    window = config.window_length
    return CARD_TEMPLATE.format(
        pipeline_imports="from transformers import AutoTokenizer, pipeline" if window else "from transformers import pipeline",
        pipeline_tokenizer=f'tokenizer = AutoTokenizer.from_pretrained("{name}", model_max_length={window})\n' if window else "",
        pipeline_options="tokenizer=tokenizer, " if window else "", stride=config.window_stride,
        window_note=(f" This model reads {window}-token windows best (its `window_length`), hence `model_max_length={window}`: "
                     "the tokenizer's own default is longer." if window else ""),
        name=name, version=config.parsclaim_version, model_type=config.encoder["model_type"],
        entity_labels=", ".join(ENTITY_LABELS), claim_labels=", ".join(CLAIM_LABELS), scheme_heads=_scheme_heads_line(config),
        data="\n".join(data_lines), metrics=("| metric | value |\n|---|---|\n" + metrics) if metrics else "Not measured yet.",
    )


def _layers(n: int) -> str:
    return f"{n} layer{'s' if n > 1 else ''}"


def _scheme_heads_line(config: ParsclaimConfig) -> str:
    if not config.scheme_heads:
        return ""
    first = config.scheme_heads[0]
    depths = ", ".join(f"{scheme} {_layers(n)}" for scheme, n in config.scheme_head_layers.items())
    return (f"\n* **Scheme entity heads**: {', '.join(config.scheme_heads)}: entities in that corpus's conventions, "
            f"each from its own copy of the encoder's top layers ({depths}); "
            f"`parsclaim tag --entity_scheme {first}`, `Extractor.from_pretrained(..., entity_scheme={first!r})`. "
            "The plain pipeline below runs the main head only.")
