from pathlib import Path

import pytest

from tiny_models import SEED, SHARED, seed_article, tiny_tokenizer


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/seed is not beside the repository")
    return SEED


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def tokenizer():
    return tiny_tokenizer()


@pytest.fixture(scope="session")
def batch(tokenizer) -> dict:
    """The seed's first 8 training windows as model inputs (every dataset column); tests must not change it."""
    import torch

    from parsclaim.data import align

    records = align.encode_articles([seed_article()], tokenizer, max_length=64, stride=16)[:8]
    return {key: torch.tensor([r[key] for r in records]) for key in align.DATASET_COLUMNS}


@pytest.fixture()
def seed() -> dict:
    """A fresh copy of the gold seed article (tests may change it); skips without ../shared."""
    return seed_article()
