"""examples/batch_tag.py: tags a JSONL dump or a folder, resumes, and writes the claims CSV."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from parsclaim.data.corpus import validate_article
from parsclaim.inference.table import COLUMNS
from tiny_models import load_script, save_untrained_model

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "batch_tag.py"
TEXTS = {
    "a1": "معاون وزیر نیرو گفت: ۱۹هزار سازمان در کشور فعال هستند.\n\nوی افزود: ۶۷ درصد آنها فعال‌اند.",
    "a2": "به گزارش ایرنا، بارش‌ها ۱۰ درصد کم شد.",
    "a3": "سخنگوی دولت اعلام کرد: ۲ تا ۳ میلیون تومان هزینه شد.",
}


@pytest.fixture(scope="module")
def example():
    return load_script(SCRIPT, "batch_tag_example")


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return save_untrained_model(tmp_path_factory.mktemp("tiny_model"))


def write_dump(path: Path, ids) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": TEXTS[i]}, ensure_ascii=False) + "\n" for i in ids), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def claim_rows(articles: list[dict]) -> int:
    """Rows of the claims table: one per claimed quantity, one for a claim without a number."""
    return sum(max(1, len(c["quantities"])) for a in articles for c in a["claims"])


def test_script_runs_on_a_jsonl_dump(model_dir, tmp_path):
    dump = write_dump(tmp_path / "dump.jsonl", ["a1", "a2", "a3"])
    out = tmp_path / "tagged.jsonl"
    result = subprocess.run([sys.executable, str(SCRIPT), "--model", str(model_dir), "--input", str(dump), "--output", str(out),
                             "--device", "cpu"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    articles = read_jsonl(out)
    assert [a["id"] for a in articles] == ["a1", "a2", "a3"]
    for article in articles:
        assert article["text"] == TEXTS[article["id"]]
        assert validate_article(article) == []
    rows = read_csv(tmp_path / "tagged.claims.csv")
    assert len(rows) == claim_rows(articles)
    header = (tmp_path / "tagged.claims.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == ",".join(COLUMNS["claims"])
    assert "done: 3 articles tagged" in result.stderr


def test_resume_folder_input_and_progress_lines(example, model_dir, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "a1.txt").write_text(TEXTS["a1"], encoding="utf-8")
    (folder / "sub" / "a2.txt").write_text(TEXTS["a2"], encoding="utf-8")
    (folder / "empty.txt").write_text(" \n", encoding="utf-8")
    out, table = tmp_path / "out.jsonl", tmp_path / "claims.csv"
    monkeypatch.setattr(example, "REPORT_EVERY", 1)
    argv = ["--model", str(model_dir), "--input", str(folder), "--output", str(out), "--csv", str(table),
            "--device", "cpu", "--chunk-size", "1"]
    assert example.main(argv) == 0
    err = capsys.readouterr().err
    assert "skipping empty.txt: empty text" in err
    assert "1 articles tagged" in err and "2 articles tagged" in err
    assert [a["id"] for a in read_jsonl(out)] == ["a1.txt", "sub/a2.txt"]

    # An interrupted run: a torn last line, and a new file added since.
    out.write_bytes(out.read_bytes() + b'{"id": "sub/a3.txt", "te')
    (folder / "sub" / "a3.txt").write_text(TEXTS["a3"], encoding="utf-8")
    assert example.main(argv) == 0
    assert "done: 1 articles tagged" in capsys.readouterr().err
    articles = read_jsonl(out)
    assert [a["id"] for a in articles] == ["a1.txt", "sub/a2.txt", "sub/a3.txt"]
    assert len(read_csv(table)) == claim_rows(articles)


def test_script_with_workers_writes_what_one_process_writes(model_dir, tmp_path):
    # float32 weights: bfloat16 scores move in the 3rd-4th decimal with the batch a text lands in
    dump = write_dump(tmp_path / "dump.jsonl", ["a1", "a2", "a3"])
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"tagged{workers}.jsonl"
        result = subprocess.run([sys.executable, str(SCRIPT), "--model", str(model_dir), "--input", str(dump), "--output", str(out),
                                 "--device", "cpu", "--precision", "float32", "--workers", workers],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
