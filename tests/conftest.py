from pathlib import Path

import pytest

from tiny_models import SEED, SHARED, seed_article


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


@pytest.fixture()
def seed() -> dict:
    """A fresh copy of the gold seed article (tests may change it); skips without ../shared."""
    return seed_article()
