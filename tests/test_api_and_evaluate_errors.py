"""The Python API and `parsclaim evaluate` under a user's mistakes: clear errors, nothing scored wrongly,
no file overwritten (cases from an audit of those surfaces)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsclaim.evaluate.cli import main as evaluate_main
from parsclaim.inference.extractor import Extractor, pick_device
from parsclaim.inference.parallel import ParallelExtractor
from tiny_models import save_untrained_model

ROOT = Path(__file__).resolve().parents[1]
TEXT = "معاون وزیر نیرو گفت: ۱۹هزار سازمان در کشور فعال هستند."


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return save_untrained_model(tmp_path_factory.mktemp("tiny_model"))


@pytest.fixture()
def gold(tmp_path) -> Path:
    """Three real gold dev articles."""
    path = tmp_path / "gold.jsonl"
    path.write_text("".join((ROOT / "corpus" / "dev.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)[:3]), encoding="utf-8")
    return path


def test_the_readme_model_name_loads_the_bundled_model_from_any_folder(tmp_path, monkeypatch):
    from parsclaim.models.modeling import resolve
    from parsclaim.paths import BUNDLED_MODEL

    monkeypatch.chdir(tmp_path)  # was a Hub lookup outside the repository root
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert resolve("parsclaim/default_model") == BUNDLED_MODEL and (BUNDLED_MODEL / "config.json").is_file()


def test_a_base_encoder_is_refused_by_the_extractor():
    with pytest.raises(ValueError, match="base encoder without trained heads"):
        Extractor.from_pretrained(str(ROOT / "encoders" / "parsclaim-small-mlm"), device="cpu")


@pytest.mark.parametrize("device, message", [("gpu", "device must be auto, cpu"), ("cuda:x", "device must be auto, cpu")])
def test_a_bad_device_is_one_clear_error(device, message):
    with pytest.raises(ValueError, match=message):
        pick_device(device)


def test_extract_stream_takes_id_text_pairs_only(model_dir):
    extractor = Extractor.from_pretrained(model_dir, device="cpu")
    with pytest.raises(TypeError, match=r"\(id, text\) pairs; record 0 is str"):
        list(extractor.extract_stream(["ab", "cd"]))  # used to tag "b" as article "a"
    with pytest.raises(TypeError, match="record 0 is dict"):
        list(extractor.extract_stream([{"id": "a", "text": TEXT}]))
    with pytest.raises(ValueError, match="chunk_size must be a positive"):
        list(extractor.extract_stream([("a", TEXT)], chunk_size=0))
    with pytest.raises(ValueError, match="batch_size must be a positive"):
        Extractor.from_pretrained(model_dir, device="cpu", batch_size=0)
    assert [a["id"] for a in extractor.extract_stream([("a", TEXT), ("b", TEXT)])] == ["a", "b"]


def test_parallel_extract_checks_its_input_before_the_workers_see_it():
    parallel = object.__new__(ParallelExtractor)  # no worker is needed to refuse the input
    with pytest.raises(ValueError, match="1 ids for 2 texts"):
        parallel.extract([TEXT, TEXT], ids=["a"])
    with pytest.raises(TypeError, match="item 0 is int"):
        parallel.extract([5])


def test_repeated_gold_ids_are_refused(model_dir, gold, capsys):
    lines = gold.read_text(encoding="utf-8").splitlines()
    second = json.loads(lines[1]) | {"id": json.loads(lines[0])["id"]}
    gold.write_text("\n".join([lines[0], json.dumps(second, ensure_ascii=False)]) + "\n", encoding="utf-8")
    assert evaluate_main([str(model_dir), str(gold)]) == 2  # scored one article against another's predictions
    assert "repeated article id" in capsys.readouterr().err


def test_invalid_gold_is_refused_not_scored(model_dir, gold, capsys):
    article = json.loads(gold.read_text(encoding="utf-8").splitlines()[0])
    article["entities"][0]["label"] = "PERSON"
    gold.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    assert evaluate_main([str(model_dir), str(gold)]) == 2  # was a KeyError traceback
    err = capsys.readouterr().err
    assert "problem(s)" in err and "parsclaim data validate" in err and "Traceback" not in err


def test_predictions_never_overwrite_the_gold(model_dir, gold, capsys):
    before = gold.read_bytes()
    assert evaluate_main([str(model_dir), str(gold), "--predictions", str(gold)]) == 2
    assert "is also an input" in capsys.readouterr().err and gold.read_bytes() == before


def test_a_prediction_file_is_read_honestly(model_dir, gold, tmp_path, capsys):
    predictions = tmp_path / "pred.jsonl"
    assert evaluate_main([str(model_dir), str(gold), "--predictions", str(predictions)]) == 0
    records = predictions.read_text(encoding="utf-8").splitlines()
    first_id = json.loads(records[0])["id"]
    extra = json.dumps({"id": "not-in-gold", "text": "x", "entities": [], "officials": [], "claims": []})
    predictions.write_text("\n".join([json.dumps({"id": first_id, "error": "empty text"}), *records[1:], extra]) + "\n", encoding="utf-8")
    capsys.readouterr()
    out = tmp_path / "report"
    assert evaluate_main([str(predictions), str(gold), "--predicted", "--output_dir", str(out)]) == 0
    err = capsys.readouterr().err
    assert "1 error record(s)" in err and "1 prediction(s)" in err and "match no gold article" in err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))[str(gold)]
    assert report["articles"]["missing_predictions"] == [first_id]
    assert report["data"]["predictions_matching_no_gold"] == 1
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert evaluate_main([str(empty), str(gold), "--predicted"]) == 2
    assert "no predictions to score" in capsys.readouterr().err


def test_an_output_dir_that_is_a_file_is_refused_before_the_run(model_dir, gold, tmp_path, capsys):
    taken = tmp_path / "report"
    taken.write_text("a file", encoding="utf-8")
    assert evaluate_main([str(model_dir), str(gold), "--output_dir", str(taken)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_a_missing_model_folder_says_what_the_extractor_takes():
    with pytest.raises(FileNotFoundError, match=r"not a model folder: give a folder written by `parsclaim train`"):
        Extractor.from_pretrained("./no/such/model")
