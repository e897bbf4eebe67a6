"""`parsclaim push`: the dry run, every refusal, and the Hub calls (made to a stand-in HfApi: no network here)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import huggingface_hub
import pytest

from parsclaim.models.push import main as push_main
from tiny_models import save_untrained_model


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory) -> Path:
    return save_untrained_model(tmp_path_factory.mktemp("saved") / "tiny_model")


@pytest.fixture()
def model_dir(saved_model, tmp_path) -> Path:
    """A fresh copy per test, with the clutter a training folder has."""
    directory = tmp_path / "tiny_model"
    shutil.copytree(saved_model, directory)
    (directory / "train.log").write_text("log\n", encoding="utf-8")
    (directory / "checkpoint-10").mkdir()
    (directory / "checkpoint-10" / "config.json").write_text("{}", encoding="utf-8")
    return directory


class NoNetwork:
    def __init__(self, *args, **kwargs):
        raise AssertionError("a dry run or a refusal must not touch the Hub")


class FakeHfApi:
    calls: list[tuple[str, tuple, dict]] = []

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        def record(*args, **kwargs):
            FakeHfApi.calls.append((name, args, kwargs))
            return f"https://huggingface.co/{args[0] if args else kwargs.get('repo_id')}"
        return record


def error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err.strip()


def test_dry_run_lists_exactly_the_uploaded_files_and_changes_nothing(model_dir, capsys, monkeypatch):
    monkeypatch.setattr(huggingface_hub, "HfApi", NoNetwork)
    before = {p.name: p.read_bytes() for p in model_dir.iterdir() if p.is_file()}
    assert push_main([str(model_dir), "myorg/tiny-fa", "--dry-run", "--private", "--revision", "v1"]) == 0
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert listed == ["README.md", "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]
    assert "myorg/tiny-fa@v1 (private)" in out
    size_of = {line.split()[0]: line.split()[1:3] for line in out.splitlines() if line.startswith("  ")}
    assert size_of["tokenizer_config.json"] == [str((model_dir / "tokenizer_config.json").stat().st_size), "B"]
    assert "not uploaded: checkpoint-10/config.json, train.log" in out
    assert "dry run" in out
    assert {p.name: p.read_bytes() for p in model_dir.iterdir() if p.is_file()} == before


def test_push_regenerates_the_card_only_and_calls_the_hub(model_dir, capsys, monkeypatch):
    FakeHfApi.calls = []
    monkeypatch.setattr(huggingface_hub, "HfApi", FakeHfApi)
    weights = (model_dir / "model.safetensors").read_bytes()
    weights_mtime = (model_dir / "model.safetensors").stat().st_mtime_ns
    assert push_main([str(model_dir), "myorg/tiny-fa", "--private", "--revision", "dev", "--commit-message", "first"]) == 0
    card = (model_dir / "README.md").read_text(encoding="utf-8")
    assert "# myorg/tiny-fa" in card and 'load_model_and_tokenizer("myorg/tiny-fa")' in card
    assert (model_dir / "model.safetensors").read_bytes() == weights
    assert (model_dir / "model.safetensors").stat().st_mtime_ns == weights_mtime
    names = [name for name, _, _ in FakeHfApi.calls]
    assert names == ["create_repo", "create_branch", "upload_folder"]
    _, args, kwargs = FakeHfApi.calls[0]
    assert args == ("myorg/tiny-fa",) and kwargs["exist_ok"] is True and kwargs["private"] is True
    _, args, kwargs = FakeHfApi.calls[1]
    assert kwargs["branch"] == "dev" and kwargs["exist_ok"] is True
    _, _, kwargs = FakeHfApi.calls[2]
    assert kwargs["repo_id"] == "myorg/tiny-fa" and kwargs["revision"] == "dev" and kwargs["commit_message"] == "first"
    assert Path(kwargs["folder_path"]) == model_dir
    assert {"*.json", "*.safetensors", "README.md", "vocab.txt"} <= set(kwargs["allow_patterns"])
    assert "*/*" in kwargs["ignore_patterns"]
    assert "pushed to" in capsys.readouterr().out


def test_upload_failure_is_one_line_exit_1(model_dir, capsys, monkeypatch):
    class Offline(FakeHfApi):
        def create_repo(self, *args, **kwargs):
            raise OSError("Name or service not known\n(huggingface.co)")

    monkeypatch.setattr(huggingface_hub, "HfApi", Offline)
    assert push_main([str(model_dir), "myorg/tiny-fa"]) == 1
    assert error_line(capsys).startswith("parsclaim push: upload failed: Name or service not known")


@pytest.mark.parametrize("repo_id, message", [
    ("tiny-fa", "repo id must be 'org/name'"),
    ("a/b/c", "repo id must be 'org/name'"),
    ("myorg/bad name", "invalid repo id 'myorg/bad name'"),
    ("myorg/x--y", "invalid repo id"),
])
def test_bad_repo_id(model_dir, capsys, monkeypatch, repo_id, message):
    monkeypatch.setattr(huggingface_hub, "HfApi", NoNetwork)
    assert push_main([str(model_dir), repo_id, "--dry-run"]) == 2
    assert message in error_line(capsys)


def test_missing_folder(tmp_path, capsys):
    assert push_main([str(tmp_path / "nope"), "myorg/x", "--dry-run"]) == 2
    assert error_line(capsys) == f"parsclaim push: error: {tmp_path / 'nope'}: no such folder"


def test_folder_without_a_model(tmp_path, capsys):
    assert push_main([str(tmp_path), "myorg/x", "--dry-run"]) == 2
    assert "is not a parsclaim model: no config.json" in error_line(capsys)


def test_base_encoder_folder_is_not_a_parsclaim_model(tmp_path, capsys):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}), encoding="utf-8")
    assert push_main([str(tmp_path), "myorg/x", "--dry-run"]) == 2
    assert "is not a fine-tuned parsclaim model" in error_line(capsys)


def test_weights_that_do_not_load(model_dir, capsys):
    (model_dir / "model.safetensors").write_bytes(b"not safetensors")
    assert push_main([str(model_dir), "myorg/x", "--dry-run"]) == 2
    assert "does not load as a parsclaim model" in error_line(capsys)


def test_missing_tokenizer(model_dir, capsys):
    (model_dir / "tokenizer.json").unlink()
    assert push_main([str(model_dir), "myorg/x", "--dry-run"]) == 2
    assert "has no tokenizer files" in error_line(capsys)


@pytest.mark.parametrize("name", ["pytorch_model.bin", "training_args.pt", "extra.pkl"])
def test_pickled_weights_are_refused(model_dir, capsys, name):
    (model_dir / name).write_bytes(b"\x80\x04pickle")
    assert push_main([str(model_dir), "myorg/x", "--dry-run"]) == 2
    line = error_line(capsys)
    assert f"holds pickled files ({name})" in line and "only safetensors" in line


def test_typed_argument_validation(model_dir, capsys):
    assert push_main([str(model_dir), "myorg/x", "--commit-message", " "]) == 2
    assert "--commit-message must not be empty" in error_line(capsys)
    assert push_main([str(model_dir), "myorg/x", "--revision", "my branch"]) == 2
    assert "--revision must be a branch name" in error_line(capsys)


def test_cli_dispatches_push(model_dir, capsys, monkeypatch):
    from parsclaim.cli import main as cli_main

    monkeypatch.setattr(huggingface_hub, "HfApi", NoNetwork)
    assert cli_main(["push", str(model_dir), "myorg/tiny-fa", "--dry-run"]) == 0
    assert "would upload 5 file(s)" in capsys.readouterr().out
