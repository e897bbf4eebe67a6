"""`parsclaim tag` under the mistakes and odd inputs of real batch runs: nothing lost, nothing tagged twice,
one clear line for each user error (the cases an audit of the CLI found)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from parsclaim.inference.cli import main as tag_main
from parsclaim.inference.extractor import Extractor
from tiny_models import save_untrained_model

TEXT = "معاون وزیر نیرو گفت: ۱۹هزار سازمان در کشور فعال هستند."


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return save_untrained_model(tmp_path_factory.mktemp("tiny_model"))


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def tag(model_dir, *argv) -> int:
    return tag_main([*map(str, argv), "--model", str(model_dir), "--no_progress"])


def test_an_output_inside_the_input_folder_is_not_read_back(model_dir, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(TEXT, encoding="utf-8")
    out = folder / "out.jsonl"
    assert tag(model_dir, folder, "-o", out, "--chunk_size", "1") == 0  # it fed itself forever
    assert sorted(line["id"] for line in lines(out)) == ["a0.txt", "a1.txt", "a2.txt"]


def test_an_output_that_is_an_input_is_refused_before_it_is_emptied(model_dir, tmp_path, capsys):
    records = tmp_path / "x.jsonl"
    records.write_text(json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    before = records.read_text(encoding="utf-8")
    assert tag(model_dir, records, "-o", records) == 2
    assert "is also an input" in capsys.readouterr().err
    assert records.read_text(encoding="utf-8") == before


def test_a_lone_surrogate_costs_its_record_only(model_dir, tmp_path):
    records = tmp_path / "s.jsonl"
    records.write_text('{"id": "a", "text": "%s"}\n{"id": "b", "text": "x \\ud800"}\n' % TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert tag(model_dir, records, "-o", out) == 0
    got = {line["id"]: line for line in lines(out)}
    assert "entities" in got["a"] and "lone surrogate" in got["b"]["error"]


def test_a_record_the_model_fails_on_does_not_cost_its_chunk(model_dir, tmp_path, monkeypatch):
    original = Extractor.extract

    def fragile(self, texts, ids=None, **kwargs):
        if any("BOOM" in text for text in texts):
            raise RuntimeError("boom")
        return original(self, texts, ids=ids, **kwargs)

    monkeypatch.setattr(Extractor, "extract", fragile)
    records = tmp_path / "r.jsonl"
    records.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                               for i, t in (("a", TEXT), ("b", "BOOM " + TEXT), ("c", TEXT))), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert tag(model_dir, records, "-o", out) == 0
    got = {line["id"]: line for line in lines(out)}
    assert "entities" in got["a"] and "entities" in got["c"]
    assert got["b"]["error"] == "tagging failed: RuntimeError: boom"


@pytest.mark.parametrize("options, message", [
    (["--stride", "500"], "stride 500 must lie in"),
    (["--stride", "-5"], "--stride must be 0 or more"),
    (["--max_length", "3"], "--max_length must be at least 8"),
    (["--max_length", "0"], "--max_length must be at least 8"),
    (["--max_length", "513"], "outside what this model reads"),
    (["--device", "gpu"], "--device must be auto, cpu"),
])
def test_bad_window_and_device_options_fail_before_the_output_is_touched(model_dir, tmp_path, capsys, options, message):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "good.jsonl"
    out.write_text('{"id": "kept"}\n', encoding="utf-8")
    assert tag(model_dir, article, "-o", out, *options) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == '{"id": "kept"}\n'


def test_unwritable_outputs_are_refused_up_front(model_dir, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert tag(model_dir, article, "-o", tmp_path / "nodir" / "x.jsonl") == 2
    assert "does not exist" in capsys.readouterr().err
    assert tag(model_dir, article, "--format", "html", "-o", article) == 2
    assert "is a file" in capsys.readouterr().err
    assert tag(model_dir, article, "-o", tmp_path) == 2
    assert "is a folder" in capsys.readouterr().err


def test_resume_tries_failed_records_again_and_counts_what_it_skipped(model_dir, tmp_path, capsys):
    late, done = tmp_path / "late.txt", tmp_path / "done.txt"
    done.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert tag(model_dir, done, late, "-o", out) == 0
    assert lines(out)[1] == {"id": str(late), "error": "no such file or folder"}  # the path as given
    late.write_text(TEXT, encoding="utf-8")
    capsys.readouterr()
    assert tag(model_dir, done, late, "-o", out, "--resume") == 0
    assert [(line["id"], "error" in line) for line in lines(out)] == [("done.txt", False), ("late.txt", False)]
    assert "1 article(s) tagged, 0 error record(s), 1 skipped (--resume)" in capsys.readouterr().err


def test_repeated_ids_and_colliding_page_names_stay_apart(model_dir, tmp_path):
    for folder in ("A", "B"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert tag(model_dir, tmp_path / "A" / "same.txt", tmp_path / "B" / "same.txt", "-o", out) == 0
    assert [line["id"] for line in lines(out)] == ["same.txt", "same.txt#2"]
    records = tmp_path / "r.jsonl"
    records.write_text("".join(json.dumps({"id": i, "text": TEXT}, ensure_ascii=False) + "\n" for i in ("a/b", "a_b", "index")),
                       encoding="utf-8")
    pages = tmp_path / "html"
    assert tag(model_dir, records, "--format", "html", "-o", pages) == 0
    assert sorted(p.name for p in pages.glob("*.html")) == ["a_b-2.html", "a_b.html", "index-2.html", "index.html"]
    assert "index-2.html" in (pages / "index.html").read_text(encoding="utf-8")


def test_a_flag_before_an_input_is_a_flag(model_dir, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert tag(model_dir, "--summary", article, "-o", tmp_path / "out.jsonl") == 0  # was "Truthy value expected"
    assert "# a.txt" in capsys.readouterr().err


def test_stdin_jsonl_may_start_with_blank_lines_and_null_ids_count_as_none(model_dir, tmp_path, monkeypatch):
    stdin = '\n\n{"id": "a", "text": "%s"}\n{"id": null, "text": "%s"}\n' % (TEXT, TEXT)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    out = tmp_path / "out.jsonl"
    assert tag(model_dir, "-", "-o", out) == 0
    assert [line["id"] for line in lines(out)] == ["a", "stdin:2"]


def test_upper_case_extensions_are_read_by_their_kind(model_dir, tmp_path):
    records = tmp_path / "DATA.JSONL"
    records.write_text(json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    table = tmp_path / "X.CSV"
    table.write_text(f"id,text\nb,{TEXT}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert tag(model_dir, records, table, "-o", out) == 0
    assert [line["id"] for line in lines(out)] == ["a", "b"]


def test_a_run_that_tags_nothing_and_fails_exits_1(model_dir, tmp_path):
    assert tag(model_dir, tmp_path / "typo.txt", "-o", tmp_path / "out.jsonl") == 1


def test_the_python_api_takes_empty_input_and_checks_ids(model_dir):
    from parsclaim import Extractor as TopLevel

    assert TopLevel is Extractor
    extractor = Extractor.from_pretrained(model_dir, device="cpu")
    assert extractor.extract([]) == []
    with pytest.raises(ValueError, match="1 ids for 2 texts"):
        extractor.extract([TEXT, TEXT], ids=["a"])
    with pytest.raises(TypeError, match="item 1 is int"):
        extractor.extract([TEXT, 5])


def test_a_closed_pipe_ends_the_run_quietly(model_dir, tmp_path):
    records = tmp_path / "r.jsonl"
    records.write_text("".join(json.dumps({"id": str(i), "text": TEXT}, ensure_ascii=False) + "\n" for i in range(300)),
                       encoding="utf-8")
    command = (f"{sys.executable} -m parsclaim.cli tag {records} --model {model_dir} --no_progress --chunk_size 8 | head -c 100")
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr and len(result.stdout.encode("utf-8", "surrogateescape")) == 100


def test_flags_keep_their_defaults_and_their_no_twins():
    from parsclaim.evaluate.cli import EvaluateArguments
    from parsclaim.inference.cli import parse

    args, _ = parse(["--example"])
    assert args.progress is True and args.summary is False and args.resume is False
    args, _ = parse(["--example", "--no_progress", "--summary"])
    assert args.progress is False and args.summary is True
    from parsclaim.arguments import ArgumentParser

    (evaluate_args,) = ArgumentParser(EvaluateArguments).parse_args_into_dataclasses(args=[])
    assert evaluate_args.scheme_heads is True


@pytest.mark.parametrize("content, encoding", [
    (f"Text;ID\n{TEXT};a\n", "utf-8"),  # Excel with a decimal comma: ";" and capitalised headers
    (f"id\ttext\na\t{TEXT}\n", "utf-16"),  # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
])
def test_spreadsheets_as_excel_writes_them(model_dir, tmp_path, content, encoding):
    table = tmp_path / "articles.csv"
    table.write_bytes(content.encode(encoding))
    out = tmp_path / "out.jsonl"
    assert tag(model_dir, table, "-o", out) == 0
    assert [(line["id"], line["text"]) for line in lines(out)] == [("a", TEXT)]


def test_hidden_files_in_a_folder_are_not_articles(model_dir, tmp_path):
    folder = tmp_path / "in"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"Bud1")
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert tag(model_dir, folder, "-o", out) == 0
    assert [line["id"] for line in lines(out)] == ["a.txt"]


@pytest.mark.parametrize("options, message", [
    (["--format", "html", "--resume"], "--resume needs a JSONL output file"),
    (["-o", "claims.csv"], "tag writes JSONL, not .csv"),
])
def test_options_that_would_be_silently_ignored_are_refused(model_dir, tmp_path, capsys, options, message):
    if "html" in options:
        options = [*options, "-o", str(tmp_path / "pages")]
    assert tag(model_dir, "--example", *options) == 2
    assert message in capsys.readouterr().err


def test_evaluate_refuses_empty_and_unannotated_data(model_dir, tmp_path, capsys):
    from parsclaim.evaluate.cli import main as evaluate_main

    empty, raw = tmp_path / "empty.jsonl", tmp_path / "raw.jsonl"
    empty.write_text("", encoding="utf-8")
    raw.write_text(json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert evaluate_main([str(model_dir), str(empty)]) == 2
    assert "no articles to score" in capsys.readouterr().err
    assert evaluate_main([str(model_dir), str(raw)]) == 2
    assert "1 of 1 articles have no annotation" in capsys.readouterr().err


def test_a_named_pipe_is_read_as_a_file(model_dir, tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe.txt"  # what /dev/stdin and a shell's <(...) are
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(TEXT, encoding="utf-8"))
    writer.start()
    out = tmp_path / "out.jsonl"
    assert tag(model_dir, fifo, "-o", out) == 0  # was "no such file or folder"
    writer.join()
    assert [line["id"] for line in lines(out)] == ["pipe.txt"]


def test_claims_do_not_begin_or_end_with_list_marks_or_stray_brackets():
    from parsclaim.inference.extractor import trim_span_edges

    # raw sports news: a list mark before the claim, and the head starting inside a bracket
    text = "* براساس اعلام سازمان لیگ ۱۰ تماشاگر آمدند. (نتایج: ۰-۴، ۱-۰، ۰-۱)"
    first = {"start": 0, "end": text.index("."), "label": "CLAIM", "score": 0.9}
    second = {"start": text.index("نتایج"), "end": len(text), "label": "CLAIM", "score": 0.9}
    trimmed = trim_span_edges([first, second], text)
    assert [text[c["start"]:c["end"]] for c in trimmed] == ["براساس اعلام سازمان لیگ ۱۰ تماشاگر آمدند", "نتایج: ۰-۴، ۱-۰، ۰-۱"]
