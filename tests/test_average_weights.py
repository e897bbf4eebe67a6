"""scripts/average_weights.py: a uniform average of models that share an architecture."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from parsclaim.models.modeling import load_model_and_tokenizer
from tiny_models import load_script, save_untrained_model

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "average_weights.py"


@pytest.fixture(scope="module")
def script():
    return load_script(SCRIPT, "average_weights")


def test_the_average_of_two_models_is_their_mean(script, tmp_path):
    first = save_untrained_model(tmp_path / "a")
    second, _ = load_model_and_tokenizer(first)
    with torch.no_grad():
        second.classifier.weight += 2.0
    second.save_pretrained(tmp_path / "b")
    assert script.main([str(tmp_path / "mean"), str(first), str(tmp_path / "b")]) == 0
    mean, tokenizer = load_model_and_tokenizer(tmp_path / "mean")
    start, _ = load_model_and_tokenizer(first)
    assert torch.allclose(mean.classifier.weight, start.classifier.weight + 1.0, atol=1e-6)
    assert torch.equal(mean.claim_classifier.weight, start.claim_classifier.weight)
    assert tokenizer is not None


def test_different_architectures_are_refused(script, tmp_path):
    small, large = save_untrained_model(tmp_path / "small"), save_untrained_model(tmp_path / "large", layers=3)
    with pytest.raises(ValueError, match="differ in architecture"):
        script.average([str(small), str(large)])
    assert script.main([str(tmp_path / "out")]) == 2
