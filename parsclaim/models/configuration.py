"""ParsclaimConfig: the two-head model's configuration, saved in the encoder's own layout.

Why the layout: a user without parsclaim must be able to run the entity head
with `transformers.pipeline("token-classification", model=DIR)`. So the
config.json we write *is* the encoder's config (e.g. `"model_type": "bert"`)
with `architectures: ["BertForTokenClassification"]` and `id2label` /
`label2id` = the entity tags; everything only parsclaim needs (claim tags,
loss weights, version, metrics, training data) sits under one extra key,
`"parsclaim"`, which plain transformers keeps as an inert attribute.

In memory the config is a `PretrainedConfig` subclass with the encoder's
config as a plain dict (`encoder`) and our fields as attributes.
`to_dict()` flattens it to the file layout, `from_dict()` reads that layout
back, and a plain encoder config (no `"parsclaim"` key) becomes a fresh
config with the schema's labels: this is how a base encoder is recognised.
"""

from __future__ import annotations

from typing import Any

from transformers import AutoConfig, PretrainedConfig
from transformers.models.auto.modeling_auto import (
    MODEL_FOR_MASKED_LM_MAPPING_NAMES,
    MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES,
)

from ..data.schema import CLAIM_TAGS, ENTITY_TAGS

PARSCLAIM_KEY = "parsclaim"
OWN_SCHEME = "parsclaim"  # names the main entity head where a scheme is asked for ("--entity_scheme parsclaim")
LOAD_HINT = (
    "ParsclaimForTokenClassification.from_pretrained(X) takes either a base encoder "
    "(a BERT-like Hub id such as 'HooshvareLab/bert-fa-base-uncased', or a local directory with its "
    "config.json and *.safetensors, e.g. the output of `parsclaim.training.pretrain`) or a directory / Hub id "
    "written by ParsclaimForTokenClassification.save_pretrained (its config.json has a 'parsclaim' key)."
)
# Keys of the encoder config that belong to the head or the file, not the encoder (dtype: we train and save float32).
_NOT_ENCODER = {"architectures", "id2label", "label2id", "num_labels", "transformers_version", "_name_or_path", "dtype", "torch_dtype", PARSCLAIM_KEY}


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("parsclaim")
    except Exception:  # not installed (running from a checkout)
        return "0+unknown"


def check_encoder(config_dict: dict) -> None:
    """Raise unless the config describes a bidirectional encoder transformers can tag with."""
    model_type = config_dict.get("model_type")
    if model_type is None:
        raise ValueError(f"the config has no 'model_type', so it is no transformers model. {LOAD_HINT}")
    encoder_like = model_type in MODEL_FOR_MASKED_LM_MAPPING_NAMES and model_type in MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES
    if not encoder_like or config_dict.get("is_encoder_decoder") or config_dict.get("is_decoder"):
        raise ValueError(f"model_type {model_type!r} is not a bidirectional encoder with a token-classification head. {LOAD_HINT}")


def _layers_per_head(schemes: list[str], layers: dict | int | None) -> dict[str, int]:
    if not isinstance(layers, dict):
        layers = {scheme: int(layers or 1) for scheme in schemes}
    missing = [scheme for scheme in schemes if scheme not in layers]
    if missing:
        raise ValueError(f"scheme_head_layers names no depth for the scheme heads {', '.join(missing)}")
    return {scheme: int(layers[scheme]) for scheme in schemes}


class ParsclaimConfig(PretrainedConfig):
    model_type = "parsclaim"
    # It cannot be built without an encoder config: tells older transformers
    # (e.g. 5.17 on the GPU image) not to instantiate a default one when saving.
    has_no_defaults_at_init = True

    encoder: dict | None = None  # the encoder's own config as a dict, with its model_type
    claim_id2label: dict | None = None
    entity_loss_weight: float = 1.0
    claim_loss_weight: float = 1.0
    head_dropout: float = 0.1
    untrusted_o_weight: float = 0.05  # see modeling.partial_label_nll
    parsclaim_version: str | None = None
    metrics: dict | None = None  # dev/test scores shown on the model card
    training_data: list | None = None  # [{"name", "kind", "path", "untrusted"}], for the card
    # Inference windows (tokens incl. specials, overlap). None: the encoder's limit. A small
    # encoder pretrained mostly on short sequences reads long windows worse (see the README).
    window_length: int | None = None
    window_stride: int = 64
    # Entity heads for other annotation schemes ("peyma", "arman"), each a copy of the encoder's
    # top layers plus a classifier (see scheme_heads.py). Scheme id 0 is ours.
    scheme_heads: list | None = None
    # {scheme: layers in its head}; an int (configs before per-head depths) applies to every head
    scheme_head_layers: dict | int | None = None

    def __post_init__(self, **kwargs):
        if self.id2label is None:
            kwargs.setdefault("id2label", dict(enumerate(ENTITY_TAGS)))
            self.id2label = kwargs.pop("id2label")
        self.label2id = {label: int(i) for i, label in self.id2label.items()} if self.label2id is None else self.label2id
        if self.claim_id2label is None:
            self.claim_id2label = dict(enumerate(CLAIM_TAGS))
        self.claim_id2label = {int(i): label for i, label in self.claim_id2label.items()}
        self.parsclaim_version = self.parsclaim_version or _version()
        self.scheme_heads = list(self.scheme_heads or [])
        self.scheme_head_layers = _layers_per_head(self.scheme_heads, self.scheme_head_layers)
        super().__post_init__(**kwargs)

    # ---- convenience views
    @property
    def entity_tags(self) -> list[str]:
        return [self.id2label[i] for i in sorted(self.id2label)]

    @property
    def claim_tags(self) -> list[str]:
        return [self.claim_id2label[i] for i in sorted(self.claim_id2label)]

    def scheme_id(self, scheme: str | None) -> int:
        """0 for our schema (the main heads; None or "parsclaim"), 1 + its index for a scheme head."""
        if scheme is None or scheme == OWN_SCHEME:
            return 0
        if scheme not in self.scheme_heads:
            have = ", ".join(self.scheme_heads) or "none"
            raise ValueError(f"this model has no entity head for scheme {scheme!r} (it has: {have}); "
                             "add one with `parsclaim train --scheme_heads ...`")
        return 1 + self.scheme_heads.index(scheme)

    def head_layers(self, scheme: str) -> int:
        """Encoder layers copied into this scheme's head (it reads the hidden states below them)."""
        self.scheme_id(scheme)  # the error for an unknown scheme
        return self.scheme_head_layers[scheme]

    def encoder_config(self) -> PretrainedConfig:
        encoder = dict(self.encoder or {})
        return AutoConfig.for_model(encoder.pop("model_type"), **encoder)

    @classmethod
    def from_encoder(cls, encoder_config: PretrainedConfig, **kwargs) -> ParsclaimConfig:
        encoder = {k: v for k, v in encoder_config.to_diff_dict().items() if k not in _NOT_ENCODER}
        encoder["model_type"] = encoder_config.model_type
        check_encoder(encoder)
        return cls(encoder=encoder, **kwargs)

    # ---- the file layout
    def to_dict(self) -> dict[str, Any]:
        if not self.encoder:
            raise ValueError("ParsclaimConfig without an encoder config; build it with ParsclaimConfig.from_encoder(...)")
        model_type = self.encoder["model_type"]
        head_class = MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES.get(model_type)
        ours = {
            "version": self.parsclaim_version,
            "claim_id2label": {str(i): t for i, t in self.claim_id2label.items()},
            "claim_label2id": {t: i for i, t in self.claim_id2label.items()},
            "entity_loss_weight": self.entity_loss_weight,
            "claim_loss_weight": self.claim_loss_weight,
            "head_dropout": self.head_dropout,
            "untrusted_o_weight": self.untrusted_o_weight,
            "metrics": self.metrics,
            "training_data": self.training_data,
            "window_length": self.window_length,
            "window_stride": self.window_stride,
            "scheme_heads": self.scheme_heads,
            "scheme_head_layers": self.scheme_head_layers,
        }
        from transformers import __version__

        return {
            **self.encoder,
            "architectures": [head_class] if head_class else None,
            "id2label": {str(i): t for i, t in self.id2label.items()},
            "label2id": {t: int(i) for t, i in self.label2id.items()},
            "transformers_version": __version__,
            PARSCLAIM_KEY: ours,
        }

    def to_diff_dict(self) -> dict[str, Any]:
        return self.to_dict()

    @classmethod
    def from_dict(cls, config_dict: dict[str, Any], **kwargs) -> ParsclaimConfig:
        """Read the file layout; a plain encoder config gives fresh heads with the schema's labels."""
        kwargs.pop("return_unused_kwargs", None)
        config_dict = dict(config_dict)
        ours = config_dict.pop(PARSCLAIM_KEY, None)
        encoder = {k: v for k, v in config_dict.items() if k not in _NOT_ENCODER}
        check_encoder(encoder)
        if ours is None:
            return cls(encoder=encoder, **kwargs)
        saved = {
            "id2label": config_dict["id2label"],
            "claim_id2label": ours["claim_id2label"],
            "entity_loss_weight": ours.get("entity_loss_weight", 1.0),
            "claim_loss_weight": ours.get("claim_loss_weight", 1.0),
            "head_dropout": ours.get("head_dropout", 0.1),
            "untrusted_o_weight": ours.get("untrusted_o_weight", 0.05),
            "parsclaim_version": ours.get("version"),
            "metrics": ours.get("metrics"),
            "training_data": ours.get("training_data"),
            "window_length": ours.get("window_length"),
            "window_stride": ours.get("window_stride", 64),
            "scheme_heads": ours.get("scheme_heads"),
            "scheme_head_layers": ours.get("scheme_head_layers"),
        }
        # Explicit arguments (e.g. new loss weights when training goes on) override the saved ones.
        return cls(encoder=encoder, **{**saved, **kwargs})
