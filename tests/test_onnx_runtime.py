"""The ONNX Runtime path: the same logits and spans as torch, a cache that is reused and keyed by the weights, clear refusals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

from parsclaim.data.corpus import validate_article
from parsclaim.inference import onnx_runtime
from parsclaim.inference.cli import main as tag_main
from parsclaim.inference.extractor import Extractor
from parsclaim.models import modeling
from tiny_models import save_untrained_model

pytest.importorskip("onnxruntime", reason="the onnx extra is part of the test extra")

TEXTS = ["معاون وزیر نیرو گفت: ۱۹هزار سازمان در کشور فعال هستند.\n\nوی افزود: ۶۷ درصد آنها فعال‌اند.",
         "به گزارش ایرنا، رئیس سازمان برنامه و بودجه گفت ۱۲ هزار میلیارد تومان به استان‌ها رسید. " * 12,
         "کوتاه"]
DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "parsclaim" / "default_model"


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARSCLAIM_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "onnx"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    """A tiny model with two scheme heads of different depths, so the exported graphs cover both."""
    directory = save_untrained_model(tmp_path_factory.mktemp("tiny_onnx"), layers=3)
    model, tokenizer = modeling.load_model_and_tokenizer(directory)
    model.add_scheme_heads(["peyma"], layers=2)
    model.add_scheme_heads(["arman"])
    torch.manual_seed(1)
    with torch.no_grad():  # heads that differ from the main path, so a wrong head would show
        for head in model.scheme_heads.values():
            for parameter in head.parameters():
                parameter.add_(0.05 * torch.randn_like(parameter))
    model.save_pretrained(directory, tokenizer=tokenizer)
    return directory


def spans(article: dict) -> list:
    return ([(e["start"], e["end"], e["label"]) for e in article["entities"]]
            + [(c["start"], c["end"], c.get("cue")) for c in article["claims"]])


@pytest.mark.parametrize("scheme", [None, "peyma", "arman"])
def test_the_graph_gives_torch_logits_for_any_batch_and_length(model_dir, scheme):
    model, tokenizer = modeling.load_model_and_tokenizer(model_dir)
    runner = onnx_runtime.OnnxRunner(model, "float32")
    for rows, tokens in ((1, 5), (3, 40), (7, 128)):
        ids = torch.randint(5, tokenizer.vocab_size, (rows, tokens))
        mask = torch.ones_like(ids)
        mask[1:, tokens // 2:] = 0  # padded rows
        scheme_id = torch.full((rows,), model.config.scheme_id(scheme), dtype=torch.long) if scheme else None
        with torch.inference_mode():
            expected = model(input_ids=ids, attention_mask=mask, scheme_id=scheme_id)
        entity, claim = runner({"input_ids": ids, "attention_mask": mask}, scheme)
        real = mask.bool()
        assert torch.allclose(entity[real], expected.entity_logits[real], atol=1e-4)
        assert torch.allclose(claim[real], expected.claim_logits[real], atol=1e-4)


@pytest.mark.parametrize("scheme", [None, "peyma"])
def test_onnxruntime_float32_tags_as_torch_float32(model_dir, scheme):
    torch_extractor = Extractor.from_pretrained(model_dir, device="cpu", precision="float32", entity_scheme=scheme, max_length=32, stride=8)
    onnx_extractor = Extractor.from_pretrained(model_dir, precision="float32", runtime="onnxruntime", entity_scheme=scheme, max_length=32, stride=8)
    expected, got = torch_extractor.extract(TEXTS), onnx_extractor.extract(TEXTS)
    assert [spans(a) for a in got] == [spans(a) for a in expected]
    assert all(validate_article(article) == [] for article in got)


def test_the_exported_graph_is_cached_and_keyed_by_the_weights(model_dir, cache, monkeypatch):
    Extractor.from_pretrained(model_dir, runtime="onnxruntime").extract(TEXTS[0])
    graphs = sorted(cache.glob("*.onnx"))
    assert len(graphs) == 1 and not list(cache.glob("tmp*"))  # no scratch left behind

    def no_export(*args, **kwargs):
        raise AssertionError("exported again although the graph was cached")

    monkeypatch.setattr(onnx_runtime, "export", no_export)
    Extractor.from_pretrained(model_dir, runtime="onnxruntime").extract(TEXTS[0])
    model, tokenizer = modeling.load_model_and_tokenizer(model_dir)
    with torch.no_grad():
        model.classifier.bias.add_(1.0)  # other weights: another graph
    with pytest.raises(AssertionError, match="exported again"):
        Extractor(model, tokenizer, runtime="onnxruntime").extract(TEXTS[0])


def test_onnxruntime_int8_tags_each_text_as_alone(model_dir):
    extractor = Extractor.from_pretrained(model_dir, precision="int8", runtime="onnxruntime", max_length=32, stride=8)
    together = extractor.extract(TEXTS, ids=["a", "b", "c"])
    alone = [extractor.extract([text], ids=[i])[0] for i, text in zip("abc", TEXTS)]
    assert together == alone
    assert all(validate_article(article) == [] for article in together)


@pytest.mark.parametrize("options, message", [
    ({"precision": "bfloat16"}, "float32 or int8"),
    ({"compile": True}, "compile is for the torch runtime"),
    ({"runtime": "tensorrt"}, "runtime must be one of torch, onnxruntime"),
])
def test_what_onnxruntime_cannot_do_is_refused(model_dir, options, message):
    with pytest.raises(ValueError, match=message):
        Extractor.from_pretrained(model_dir, **{"runtime": "onnxruntime", **options})


def test_the_cli_refuses_bad_combinations_in_one_line(model_dir, capsys):
    assert tag_main(["--example", "--model", str(model_dir), "--runtime", "onnxruntime", "--precision", "bfloat16"]) == 2
    assert "runtime 'onnxruntime' runs float32 or int8" in capsys.readouterr().err


def test_a_missing_onnxruntime_names_the_extra_to_install(model_dir, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if not installed
    assert tag_main(["--example", "--model", str(model_dir), "--runtime", "onnxruntime", "--no_progress"]) == 2
    err = capsys.readouterr().err
    assert 'pip install "parsclaim[onnx]"' in err and "Traceback" not in err


def test_the_default_model_scores_alike_in_onnxruntime():
    article = (Path(__file__).resolve().parents[1] / "parsclaim" / "examples" / "article.txt").read_text(encoding="utf-8")
    expected = Extractor.from_pretrained(str(DEFAULT_MODEL), device="cpu", precision="float32").extract(article)
    got = Extractor.from_pretrained(str(DEFAULT_MODEL), runtime="onnxruntime").extract(article)
    assert spans(got) == spans(expected) and got["officials"] == expected["officials"]
    for a, b in zip(got["entities"], expected["entities"]):
        assert a["score"] == pytest.approx(b["score"], abs=1e-4)


def test_a_read_only_cache_falls_back_to_a_temporary_export(model_dir, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("PARSCLAIM_CACHE", str(blocked))
    with pytest.warns(UserWarning, match="cannot cache the ONNX graph"):
        article = Extractor.from_pretrained(model_dir, runtime="onnxruntime").extract(TEXTS[0])
    assert validate_article(article) == []
