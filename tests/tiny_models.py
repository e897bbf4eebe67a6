"""Shared builders for the model tests: a tiny WordPiece tokenizer and a tiny BERT config.

Cached per process so that every test file reuses one tokenizer (trained in < 1 s).
"""

from __future__ import annotations

import functools
import itertools
import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
RAW_TEXT = SHARED / "corpora" / "raw" / "langml_farsnews.txt"
SEED = SHARED / "seed" / "tasnim_ngo_article.jsonl"
PEYMA = SHARED / "corpora" / "peyma" / "train.conll"


def load_script(path: Path, name: str):
    """A repository script (not a package module) imported as a module, to call its functions."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@functools.lru_cache(maxsize=1)
def tiny_tokenizer():
    from parsclaim.models.tokenizer import train_wordpiece

    with open(need(RAW_TEXT), encoding="utf-8") as handle:
        lines = list(itertools.islice(handle, 3000))
    return train_wordpiece(lines, vocab_size=1000)


def seed_article() -> dict:
    return json.loads(need(SEED).read_text(encoding="utf-8").splitlines()[0])


def tiny_bert_config(vocab_size: int, layers: int = 2):
    from transformers import BertConfig

    return BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=layers, num_attention_heads=2,
                      intermediate_size=64, max_position_embeddings=128)


def peyma_head(path: Path, sentences: int) -> Path:
    """The first `sentences` sentences of PEYMA, written to `path`."""
    written = 0
    with open(need(PEYMA), encoding="utf-8") as source, open(path, "w", encoding="utf-8") as target:
        for line in source:
            target.write(line)
            if not line.strip():
                written += 1
                if written == sentences:
                    break
    return path


def save_untrained_model(directory: Path, layers: int = 2) -> Path:
    """A tiny untrained parsclaim model with its tokenizer, saved to `directory` (seeded)."""
    import torch

    from parsclaim.models.configuration import ParsclaimConfig
    from parsclaim.models.modeling import ParsclaimForTokenClassification

    torch.manual_seed(0)
    tokenizer = tiny_tokenizer()
    model = ParsclaimForTokenClassification(ParsclaimConfig.from_encoder(tiny_bert_config(len(tokenizer), layers)))
    model.tokenizer = tokenizer
    model.save_pretrained(directory)
    return directory
