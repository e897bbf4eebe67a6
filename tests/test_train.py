"""`parsclaim.training.train.main` end to end on a tiny config, plus argument validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsclaim.training import train
from parsclaim.training.args import DataArguments, SourceSpec, TrainArguments, parse_args
from tiny_models import peyma_head, seed_article, tiny_tokenizer


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("train")
    tiny_tokenizer().save_pretrained(root / "tokenizer")
    peyma_head(root / "peyma.conll", 300)
    # The seed is a test fixture only: one copy to train on, one as JSONL dev, never a real training set.
    article = seed_article()
    lines = [dict(article, split="train"), dict(article, id="seed-dev", split="dev"), dict(article, id="seed-test", split="test")]
    (root / "seed.jsonl").write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in lines), encoding="utf-8")
    return root


def tiny_options(root: Path, output: Path) -> dict:
    return {
        "train": [f"conll:peyma:{root / 'peyma.conll'}", f"jsonl:{root / 'seed.jsonl'}@2"],
        "encoder": "scratch", "tokenizer": str(root / "tokenizer"),
        "hidden_size": 32, "num_layers": 2, "num_heads": 2, "max_position_embeddings": 128,
        "max_length": 128, "stride": 32, "dev_fraction": 0.2,
        "output_dir": str(output), "epochs": 2, "batch_size": 16, "learning_rate": 1e-3, "logging_steps": 5, "seed": 7,
    }


@pytest.fixture(scope="module")
def trained_dir(workspace) -> Path:
    output = workspace / "out"
    config = workspace / "config.yaml"
    import yaml

    config.write_text(yaml.safe_dump(tiny_options(workspace, output), allow_unicode=True), encoding="utf-8")
    assert train.main([str(config)]) == 0  # a few seconds on 2 cores (timing is reported, never asserted)
    return output


def test_main_writes_model_card_metrics_and_log(trained_dir):
    names = {p.name for p in trained_dir.iterdir()}
    assert {"model.safetensors", "config.json", "tokenizer.json", "README.md", "metrics.json", "train.log"} <= names
    assert not any(n.endswith(".bin") for n in names)
    metrics = json.loads((trained_dir / "metrics.json").read_text())
    assert "eval_entity_f1" in metrics["dev"] and metrics["best_checkpoint"]
    peyma, seed = metrics["sources"]
    assert peyma["untrusted"] == ["QUANTITY", "ROLE"] and peyma["dev_articles"] == 60 and peyma["train_articles"] == 240
    assert seed["untrusted"] == [] and seed["train_articles"] == 2 and seed["dev_articles"] == 1  # split=test never used
    assert metrics["alignment"]["train"]["spans"] > 0
    card = (trained_dir / "README.md").read_text()
    assert "peyma scheme" in card and "QUANTITY" in card and "eval_entity_f1" in card
    log_lines = (trained_dir / "train.log").read_text().splitlines()
    assert any("eval_entity_f1" in line for line in log_lines)


def test_trained_model_loads_and_predicts(trained_dir):
    from parsclaim.models.modeling import load_model_and_tokenizer

    model, tokenizer = load_model_and_tokenizer(trained_dir)
    text = seed_article()["text"][:400]
    (doc,) = model.predict([text], tokenizer)
    assert len(doc.entity_tags) == len(doc.offsets) > 0
    assert model.config.training_data[0]["scheme"] == "peyma"


def test_resume_from_last_checkpoint(trained_dir, workspace):
    options = tiny_options(workspace, trained_dir) | {"epochs": 3, "resume_from_checkpoint": "last"}
    argv = [arg for key, value in options.items() for arg in ([f"--{key}", *map(str, value)] if isinstance(value, list) else [f"--{key}", str(value)])]
    assert train.main(argv) == 0
    history = [json.loads(line) for line in (trained_dir / "train.log").read_text().splitlines() if line.startswith("{")]
    assert max(h["epoch"] for h in history if h.get("epoch") is not None) == pytest.approx(3.0)


def test_source_specs_and_validation(tmp_path, capsys):
    assert SourceSpec.parse("conll:arman:/x/arman/train.conll@0.5") == SourceSpec("conll", "/x/arman/train.conll", "arman", 0.5)
    assert SourceSpec.parse("jsonl:gold.jsonl") == SourceSpec("jsonl", "gold.jsonl", None, 1.0)
    # names on the card: the gold corpus's splits by stem, another folder's train.jsonl with its folder
    assert [SourceSpec.parse(s).name for s in ("jsonl:corpus/train.jsonl", "jsonl:.prep/real/train.jsonl@3", "conll:arman:/x/arman/train.conll")] == [
        "train", "real/train", "arman"]
    for bad in ("conll:nope:x.conll", "tsv:x", "jsonl:x@many", "conll:peyma"):
        with pytest.raises(ValueError):
            SourceSpec.parse(bad)
    with pytest.raises(ValueError, match="no such file"):
        DataArguments(train=[f"jsonl:{tmp_path / 'missing.jsonl'}"])
    with pytest.raises(ValueError, match="--output_dir"):
        TrainArguments()
    with pytest.raises(ValueError, match="choose entity_f1 or claim_f1"):
        TrainArguments(output_dir=str(tmp_path), best_model_metric="loss")
    (tmp_path / "gold.jsonl").write_text("")
    with pytest.raises(SystemExit):
        parse_args(["--train", f"jsonl:{tmp_path / 'gold.jsonl'}", "--encoder", "scratch", "--output_dir", str(tmp_path)])
    assert "--encoder scratch needs --tokenizer" in capsys.readouterr().err


def test_untrusted_labels_follow_the_schemes():
    assert train.untrusted_labels("peyma") == ["ROLE", "QUANTITY"]
    assert train.untrusted_labels("arman") == ["ROLE", "DATE", "QUANTITY"]
    assert train.untrusted_labels(None) == []


def test_resample_weights():
    articles = [{"id": str(i)} for i in range(10)]
    assert len(train.resample(articles, 2, 0)) == 20
    assert len(train.resample(articles, 0.5, 0)) == 5
    assert train.resample(articles, 0.5, 0) == train.resample(articles, 0.5, 0)


def test_bf16_is_accepted_on_a_cpu_only_machine(tmp_path, monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    arguments = train.trainer_arguments(TrainArguments(output_dir=str(tmp_path), bf16=True))
    assert arguments.bf16 and arguments.use_cpu
    assert not train.trainer_arguments(TrainArguments(output_dir=str(tmp_path))).use_cpu


def test_a_corpus_read_with_the_wrong_scheme_is_an_error_not_an_untrained_label(workspace, tmp_path, caplog):
    # PEYMA read as ARMAN would train on all-O sentences; train stops with the scheme it looks like.
    options = tiny_options(workspace, tmp_path / "out")
    options["train"] = [f"conll:arman:{workspace / 'peyma.conll'}"]
    argv = [arg for key, value in options.items() for arg in ([f"--{key}", *map(str, value)] if isinstance(value, list) else [f"--{key}", str(value)])]
    assert train.main(argv) == 2
    assert "none of its tags belongs to the arman scheme" in caplog.text and "e.g. conll:peyma:" in caplog.text
    assert not (tmp_path / "out" / "model.safetensors").exists()
