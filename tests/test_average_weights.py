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


def two_models(tmp_path: Path, shift: float) -> Path:
    """Model "a" and model "b", whose entity classifier weights are a's plus `shift`; a's directory."""
    first = save_untrained_model(tmp_path / "a")
    second, _ = load_model_and_tokenizer(first)
    with torch.no_grad():
        second.classifier.weight += shift
    second.save_pretrained(tmp_path / "b")
    return first


def test_the_average_of_two_models_is_their_mean(script, tmp_path):
    first = two_models(tmp_path, 2.0)
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


def test_weights_interpolate_between_two_models(script, tmp_path):
    first = two_models(tmp_path, 10.0)
    assert script.main([str(tmp_path / "mix"), str(first), str(tmp_path / "b"), "--weights", "0.7", "0.3"]) == 0
    mix, _ = load_model_and_tokenizer(tmp_path / "mix")
    start, _ = load_model_and_tokenizer(first)
    assert torch.allclose(mix.classifier.weight, start.classifier.weight + 3.0, atol=1e-5)
    # weights are normalized: 7 and 3 are 0.7 and 0.3
    assert script.main([str(tmp_path / "mix73"), str(first), str(tmp_path / "b"), "--weights", "7", "3"]) == 0
    assert torch.allclose(load_model_and_tokenizer(tmp_path / "mix73")[0].classifier.weight, mix.classifier.weight, atol=1e-6)


@pytest.mark.parametrize("weights", [["0.5"], ["1", "-1"], ["0", "0"]])
def test_bad_weights_are_refused_with_the_reason(script, tmp_path, capsys, weights):
    first = save_untrained_model(tmp_path / "a")
    assert script.main([str(tmp_path / "out"), str(first), str(first), "--weights", *weights]) == 2
    assert "weight" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
