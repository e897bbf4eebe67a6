"""User mistakes given to `parsclaim train` and `parsclaim pretrain`: each is one error line on stderr
(`parsclaim train: error: ...`) and exit 2, found before any training, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsclaim.training import pretrain, train
from tiny_models import peyma_head, save_untrained_model, seed_article, tiny_tokenizer

TEXT = ["وزیر نیرو گفت: ۱۹هزار سازمان مردم‌نهاد در کشور فعال هستند.", "به گزارش ایرنا، بارش‌ها ۱۰ درصد کم شد."] * 200


def exit_code(main, argv: list[str]) -> int:
    """main's return value, or the code of the SystemExit argparse raises for a bad argument."""
    try:
        return main(argv)
    except SystemExit as stop:
        return stop.code


def error_line(capsys, command: str) -> str:
    """The one error line on stderr; no traceback."""
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith(f"parsclaim {command}: error: ")]
    assert len(lines) == 1, err
    return lines[0]


# ------------------------------------------------------------------ pretrain

def tiny_pretrain(out: Path, **overrides) -> list[str]:
    args = {"output_dir": str(out), "vocab_size": "300", "hidden_size": "32", "num_layers": "1", "num_heads": "2",
            "seq_len": "16", "long_seq_len": "32", "max_position_embeddings": "32", "batch_tokens": "256",
            "max_steps": "2", "log_every": "1", **overrides}
    return [part for key, value in args.items() if value is not None for part in (f"--{key}", value)]


@pytest.fixture()
def text_file(tmp_path) -> Path:
    path = tmp_path / "raw.txt"
    path.write_text("\n".join(TEXT), encoding="utf-8")
    return path


def test_pretrain_refuses_an_unknown_save_dtype_before_training(tmp_path, text_file, capsys):
    out = tmp_path / "out"
    assert exit_code(pretrain.main, ["--text", str(text_file), *tiny_pretrain(out, save_dtype="fp16")]) == 2
    assert "--save-dtype fp16: choose float32, float16, bfloat16" in error_line(capsys, "pretrain")
    assert not out.exists()  # nothing trained, nothing written


@pytest.mark.parametrize("overrides, message", [
    ({"max_steps": None}, "exactly one of --max-steps and --time-budget"),
    ({"time_budget": "5"}, "exactly one of --max-steps and --time-budget"),
    ({"long_fraction": "2"}, "--long-fraction must lie in [0, 1]"),
    ({"vocab_size": "5"}, "--vocab-size must lie in [100, 65535]"),
    ({"warmup_fraction": "1"}, "--warmup-fraction must lie in [0, 1)"),
    ({"num_heads": "0"}, "--num-heads must be >= 1"),
    ({"log_every": "0"}, "--log-every must be >= 1"),
    ({"seq_len": "1"}, "--seq-len and --long-seq-len must be >= 2"),
    ({"max_shard_size": "15megs"}, "--max-shard-size 15megs: give a size with a unit"),
])
def test_pretrain_bad_values_are_one_line_errors(tmp_path, text_file, capsys, overrides, message):
    assert exit_code(pretrain.main, ["--text", str(text_file), *tiny_pretrain(tmp_path / "out", **overrides)]) == 2
    assert message in error_line(capsys, "pretrain")
    assert not (tmp_path / "out").exists()


def test_pretrain_without_text_or_with_a_missing_file(tmp_path, capsys):
    assert exit_code(pretrain.main, tiny_pretrain(tmp_path / "out")) == 2
    assert "give --text files to pretrain on" in error_line(capsys, "pretrain")
    assert exit_code(pretrain.main, ["--text", str(tmp_path / "missing.txt"), *tiny_pretrain(tmp_path / "out")]) == 2
    assert f"--text {tmp_path / 'missing.txt'}: no such file or folder" in error_line(capsys, "pretrain")


def test_pretrain_with_a_missing_prepared_dir(tmp_path, capsys):
    assert exit_code(pretrain.main, ["--prepared_dir", str(tmp_path / "nope"), *tiny_pretrain(tmp_path / "out")]) == 2
    assert f"--prepared-dir {tmp_path / 'nope'}: no such folder" in error_line(capsys, "pretrain")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "tokenizer.json").write_text("{}")
    assert exit_code(pretrain.main, ["--prepared_dir", str(tmp_path / "half"), *tiny_pretrain(tmp_path / "out")]) == 2
    assert "is not a folder written by --prepare-only: no tokens.npy" in error_line(capsys, "pretrain")


def test_pretrain_reads_text_suffixes_in_any_case(tmp_path):
    upper = tmp_path / "SMALL.TXT"
    upper.write_text("\n".join(TEXT), encoding="utf-8")
    out = tmp_path / "prepared"
    assert pretrain.main(["--text", str(upper), "--prepare_only", *tiny_pretrain(out)]) == 0
    assert (out / "tokens.npy").exists()


def test_pretrain_names_the_skipped_files_when_no_text_is_left(tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("notes.md", "articles.jsonl"):
        (folder / name).write_text("\n".join(TEXT), encoding="utf-8")
    assert exit_code(pretrain.main, ["--text", str(folder), *tiny_pretrain(tmp_path / "out")]) == 2
    line = error_line(capsys, "pretrain")
    assert "--text has no file to read" in line and "articles.jsonl (.jsonl is neither" in line and "notes.md (.md" in line
    assert not (tmp_path / "out").exists()


def test_pretrain_says_which_files_it_skips_beside_usable_ones(tmp_path, text_file, capsys):
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    assert pretrain.main(["--text", str(tmp_path), "--prepare_only", *tiny_pretrain(tmp_path / "out")]) == 0
    assert "skipped 1 --text file(s)" in capsys.readouterr().err


def test_pretrain_with_empty_text(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    assert exit_code(pretrain.main, ["--text", str(tmp_path / "empty.txt"), *tiny_pretrain(tmp_path / "out")]) == 2
    assert "no line of text in its files" in error_line(capsys, "pretrain")


def test_pretrain_refuses_a_stream_too_short_before_training(tmp_path, capsys):
    (tmp_path / "short.txt").write_text(TEXT[0], encoding="utf-8")
    out = tmp_path / "out"
    assert exit_code(pretrain.main, ["--text", str(tmp_path / "short.txt"), *tiny_pretrain(out)]) == 2
    assert "the token stream has" in error_line(capsys, "pretrain")
    assert not list(out.glob("*.safetensors")) and not (out / "pretrain_log.jsonl").exists()


def test_pretrain_refuses_to_overwrite_the_encoder_it_goes_on_from(tmp_path, text_file, capsys):
    first = tmp_path / "first"
    assert pretrain.main(["--text", str(text_file), *tiny_pretrain(first)]) == 0
    weights = {p.name: p.read_bytes() for p in first.glob("*.safetensors")}
    capsys.readouterr()
    argv = ["--text", str(text_file), "--tokenizer", str(first), "--init_from", str(first), *tiny_pretrain(tmp_path / "." / "first")]
    assert exit_code(pretrain.main, argv) == 2
    assert "is the --init-from folder" in error_line(capsys, "pretrain")
    assert {p.name: p.read_bytes() for p in first.glob("*.safetensors")} == weights


def test_pretrain_without_warmup_trains(tmp_path, text_file):
    out = tmp_path / "out"
    assert pretrain.main(["--text", str(text_file), *tiny_pretrain(out, warmup_fraction="0")]) == 0
    assert list(out.glob("*.safetensors"))


def test_pretrain_help_names_the_command(capsys):
    assert exit_code(pretrain.main, ["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: parsclaim pretrain") and "Masked-language-model pretraining" in out


# ------------------------------------------------------------------ train

@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("train_errors")
    tiny_tokenizer().save_pretrained(root / "tokenizer")
    save_untrained_model(root / "model")
    peyma_head(root / "peyma.conll", 40)
    article = seed_article()
    (root / "raw.jsonl").write_text(json.dumps({"id": "raw-1", "text": article["text"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    (root / "dev_only.jsonl").write_text(json.dumps(dict(article, split="dev"), ensure_ascii=False) + "\n", encoding="utf-8")
    return root


def train_argv(root: Path, output: Path, **overrides) -> list[str]:
    options = {"train": f"conll:peyma:{root / 'peyma.conll'}", "encoder": str(root / "model"), "output_dir": str(output),
               "max_length": "64", "stride": "16", "dev_fraction": "0.2", "max_steps": "1", "batch_size": "4", **overrides}
    return [part for key, value in options.items() if value is not None
            for part in ([f"--{key}"] if value is True else [f"--{key}", value])]


@pytest.mark.parametrize("encoder, message", [
    ("missing", "missing: no such folder"),
    ("not_a_model", "is not a model folder: no config.json"),
    ("no_tokenizer", "has no tokenizer (tokenizer.json or vocab.txt); pass --tokenizer DIR"),
])
def test_train_refuses_an_encoder_that_is_not_a_model_folder(workspace, tmp_path, capsys, encoder, message):
    (tmp_path / "not_a_model").mkdir()
    (tmp_path / "not_a_model" / "dev.jsonl").write_text("")
    (tmp_path / "no_tokenizer").mkdir()
    (tmp_path / "no_tokenizer" / "config.json").write_text((workspace / "model" / "config.json").read_text())
    assert exit_code(train.main, train_argv(workspace, tmp_path / "out", encoder=str(tmp_path / encoder))) == 2
    assert message in error_line(capsys, "train")


def test_train_with_the_default_encoder_offline_is_one_line(workspace, tmp_path, capsys, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    assert exit_code(train.main, train_argv(workspace, tmp_path / "out", encoder=None)) == 2
    line = error_line(capsys, "train")
    assert "--encoder HooshvareLab/bert-fa-base-uncased (the default): cannot load its tokenizer from the Hub" in line
    assert "give a local model folder" in line


@pytest.mark.parametrize("resume, message", [
    ("last", "--resume_from_checkpoint last: no checkpoint-N folder in"),
    ("nowhere", "--resume_from_checkpoint nowhere: no such checkpoint folder"),
])
def test_train_resume_without_a_checkpoint(workspace, tmp_path, capsys, resume, message):
    assert exit_code(train.main, train_argv(workspace, tmp_path / "out", resume_from_checkpoint=resume)) == 2
    assert message in error_line(capsys, "train")


def test_train_only_scheme_heads_on_a_model_without_them(workspace, tmp_path, capsys):
    assert exit_code(train.main, train_argv(workspace, tmp_path / "out", only_scheme_heads=True)) == 2
    assert "--only_scheme_heads: the model" in error_line(capsys, "train")


def test_train_only_scheme_heads_with_a_source_without_one(workspace, tmp_path, capsys):
    # found once the model is loaded (its heads decide), still before any training, still one line
    argv = train_argv(workspace, tmp_path / "out", train=f"jsonl:{workspace / 'dev_only.jsonl'}", no_use_split_field=True,
                      dev=f"conll:peyma:{workspace / 'peyma.conll'}", scheme_heads="peyma", only_scheme_heads=True)
    assert exit_code(train.main, argv) == 2
    assert "--only_scheme_heads trains scheme heads (peyma) only" in error_line(capsys, "train")
    assert not (tmp_path / "out" / "model.safetensors").exists()


def test_train_refuses_raw_jsonl_articles(workspace, tmp_path, capsys):
    argv = train_argv(workspace, tmp_path / "out", train=f"jsonl:{workspace / 'raw.jsonl'}", dev=f"conll:peyma:{workspace / 'peyma.conll'}")
    assert exit_code(train.main, argv) == 2
    line = error_line(capsys, "train")
    assert f"{workspace / 'raw.jsonl'}:1: article 'raw-1' has no entities" in line and "parsclaim data validate" in line


def test_train_source_with_no_article_in_the_train_split(workspace, tmp_path, capsys):
    assert exit_code(train.main, train_argv(workspace, tmp_path / "out", train=f"jsonl:{workspace / 'dev_only.jsonl'}")) == 2
    line = error_line(capsys, "train")
    assert "none of its 1 articles is in the train split (split=dev: 1, split=test: 0)" in line
    assert "--no_use_split_field" in line


def test_train_refuses_to_overwrite_the_model_it_starts_from(workspace, tmp_path, capsys):
    before = (workspace / "model" / "model.safetensors").read_bytes()
    same = workspace / "model" / ".." / "model"
    assert exit_code(train.main, train_argv(workspace, same)) == 2
    assert "is the --encoder folder: training would overwrite the model it starts from" in error_line(capsys, "train")
    assert (workspace / "model" / "model.safetensors").read_bytes() == before
    assert not (workspace / "model" / "train.log").exists()


def test_train_refuses_to_overwrite_the_bundled_model_named_from_another_folder(workspace, tmp_path, capsys, monkeypatch):
    from parsclaim.paths import BUNDLED_MODEL

    monkeypatch.chdir(tmp_path)  # "parsclaim/default_model" is no folder here, still the bundled model
    argv = train_argv(workspace, BUNDLED_MODEL, encoder="parsclaim/default_model")
    assert exit_code(train.main, argv) == 2
    assert "is the --encoder folder" in error_line(capsys, "train")
    assert not (BUNDLED_MODEL / "train.log").exists()
