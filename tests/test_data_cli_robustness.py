"""`parsclaim data ...` on user mistakes: no emptied inputs, no tracebacks, one clear error line."""

import copy
import json

import pytest

from parsclaim.data.cli import main as data_main
from parsclaim.data.consistency import check_consistency
from parsclaim.data.corpus import validate_article
from test_corpus import ARTICLE  # a valid article, one shared fixture

PEYMA = "علی\tB-PER\nرضایی\tI-PER\nدر\tO\nتهران\tB-LOC\n\nبانک\tB-ORG\nملی\tI-ORG\n\nسال\tB-DAT\n۹۸\tI-DAT\n\n"
MARKUP = "### id: t1 | domain: x\n[[LOC|تهران]] {{c|بارش‌ها [[Q=10 percent|۱۰ درصد]] کم شد}}.\n"


def write(path, content: str):
    path.write_bytes(content.encode("utf-8"))
    return path


def jsonl(path, *records):
    return write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("error: ") and err.count("\n") == 1, err
    return err


# 1 and 4: import-conll


def test_import_conll_refuses_its_input_as_output(tmp_path, capsys):
    conll = write(tmp_path / "x.conll", PEYMA)
    assert data_main(["import-conll", str(conll), "--scheme", "peyma", "-o", str(conll)]) == 2
    assert "also an input" in one_error_line(capsys)
    assert conll.read_text(encoding="utf-8") == PEYMA


def test_import_conll_refuses_the_wrong_scheme_and_writes_nothing(tmp_path, capsys):
    conll = write(tmp_path / "x.conll", PEYMA)
    out = tmp_path / "w.jsonl"
    assert data_main(["import-conll", str(conll), "--scheme", "arman", "-o", str(out)]) == 2
    assert "none of its tags belongs to the arman scheme" in one_error_line(capsys)
    assert not out.exists()
    assert data_main(["import-conll", str(conll), "--scheme", "peyma", "-o", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


# 2: split-conll


def test_split_conll_refuses_its_input_as_output(tmp_path, capsys):
    folder = tmp_path / "sd"
    folder.mkdir()
    conll = write(folder / "train.conll", PEYMA)
    assert data_main(["split-conll", str(conll), "-o", str(folder)]) == 2
    assert "also an input" in one_error_line(capsys)
    assert conll.read_text(encoding="utf-8") == PEYMA


@pytest.mark.parametrize("fraction", ["0", "1", "-0.5", "1.5", "nan"])
def test_split_conll_refuses_a_dev_fraction_outside_0_1(tmp_path, capsys, fraction):
    conll = write(tmp_path / "x.conll", PEYMA)
    assert data_main(["split-conll", str(conll), "-o", str(tmp_path / "out"), "--dev-fraction", fraction]) == 2
    assert "--dev-fraction" in one_error_line(capsys)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content", [
    json.dumps(ARTICLE, ensure_ascii=False) + "\n",  # JSONL with spaces: garbage "tags"
    '{"id":"a","text":"x"}\n',  # no whitespace at all: no sentences
])
def test_split_conll_refuses_a_file_that_is_not_conll(tmp_path, capsys, content):
    source = write(tmp_path / "g.jsonl", content)
    assert data_main(["split-conll", str(source), "-o", str(tmp_path / "out")]) == 2
    one_error_line(capsys)
    assert not (tmp_path / "out").exists()


def test_split_conll_missing_input_leaves_no_empty_files(tmp_path, capsys):
    assert data_main(["split-conll", str(tmp_path / "missing.conll"), "-o", str(tmp_path / "out")]) == 2
    one_error_line(capsys)
    assert not (tmp_path / "out").exists()


def test_split_conll_reports_lines_without_a_tag(tmp_path, capsys):
    conll = write(tmp_path / "x.conll", "a\tO\nbad\nb\tB-PER\n\nc\tO\n\n")
    assert data_main(["split-conll", str(conll), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert ":2: line without a tag skipped: 'bad'" in err and "1 line(s) without a tag skipped" in err
    written = (tmp_path / "out/train.conll").read_text(encoding="utf-8") + (tmp_path / "out/dev.conll").read_text(encoding="utf-8")
    assert sorted(written.split("\n\n")) == ["", "a\tO\nb\tB-PER", "c\tO"]


# 3: build-gold


def test_build_gold_with_no_articles_writes_nothing(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    out = tmp_path / "corpus"
    out.mkdir()
    write(out / "train.jsonl", "keep\n")
    assert data_main(["build-gold", str(tmp_path / "empty"), "-o", str(out)]) == 2
    assert "no articles" in one_error_line(capsys)
    assert (out / "train.jsonl").read_text(encoding="utf-8") == "keep\n"
    assert not (out / "dev.jsonl").exists()


def test_build_gold_missing_source_is_one_error_line(tmp_path, capsys):
    assert data_main(["build-gold", str(tmp_path / "nope"), "-o", str(tmp_path / "out")]) == 2
    assert "nope: no such file or folder" in one_error_line(capsys)
    assert not (tmp_path / "out").exists()


# 5: validate


def damaged(change) -> dict:
    article = copy.deepcopy(ARTICLE)
    change(article)
    return article


@pytest.mark.parametrize("change, field, words", [
    (lambda a: a["entities"][0].update(id=["e1"]), "entities[0]", "id must be a non-empty string"),
    (lambda a: a["claims"][0].update(quantities=[["e2"]]), "claims[0] (c1).quantities", "must hold id strings"),
    (lambda a: a["claims"][0].update(quantities=5), "claims[0] (c1).quantities", "must be a list of ids"),
    (lambda a: a["claims"][0].update(claimant=["o1"]), "claims[0] (c1).claimant", "must be an official or entity id"),
    (lambda a: a["claims"][0].update(id=["c1"]), "claims[0]", "id must be a non-empty string"),
    (lambda a: a["officials"][0].update(name=["e1"]), "officials[0] (o1).name", "must be an entity id or null"),
    (lambda a: a["officials"][0].update(mentions=5), "officials[0] (o1).mentions", "must be a list of ids"),
    (lambda a: a["officials"][0].update(roles=[["e1"]]), "officials[0] (o1).roles", "must hold id strings"),
    (lambda a: a["officials"][0].update(id={"x": 1}), "officials[0]", "id must be a non-empty string"),
    (lambda a: a.update(officials=3), "officials", "must be a list"),
    (lambda a: a.update(claims={"c1": 1}), "claims", "must be a list"),
    (lambda a: a["entities"][0].update(label=["ROLE"]), "officials[0] (o1).mentions", "expected PER/ROLE"),
    (lambda a: a["entities"][1].update(start="15"), "entities[1] (e2)", "start/end must be integers"),
    (lambda a: a["claims"][0].update(start="15"), "claims[0] (c1)", "start/end must be integers"),
])
def test_malformed_references_are_problems_not_crashes(change, field, words):
    problems = validate_article(damaged(change))
    assert any(f == field and words in message for f, message in problems), problems


def test_validate_reports_malformed_fields_instead_of_crashing(tmp_path, capsys):
    path = jsonl(tmp_path / "bad.jsonl", damaged(lambda a: a["entities"][0].update(id=["e1"])),
                 damaged(lambda a: a["officials"][0].update(mentions=5)) | {"id": "a2"})
    assert data_main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert ":1: article 'a1': entities[0]: id must be a non-empty string" in out
    assert ":2: article 'a2': officials[0] (o1).mentions: must be a list of ids, got 5" in out


def test_validate_reads_a_bom_and_refuses_an_empty_file(tmp_path, capsys):
    bom = write(tmp_path / "bom.jsonl", "\ufeff" + json.dumps(ARTICLE, ensure_ascii=False) + "\n")
    assert data_main(["validate", str(bom)]) == 0
    empty = write(tmp_path / "empty.jsonl", "\n")
    assert data_main(["validate", str(empty)]) == 1
    assert "no articles" in capsys.readouterr().out


def test_validate_names_tag_error_records(tmp_path, capsys):
    path = jsonl(tmp_path / "t.jsonl", ARTICLE, {"id": "e2.txt", "error": "empty text"})
    assert data_main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert ":2: article 'e2.txt': error: an error record from parsclaim tag: empty text" in out
    assert "required key is missing" not in out


# 6: stats and check on tag output and raw JSONL


@pytest.mark.parametrize("command", [["stats"], ["stats", "--json"], ["check"], ["check", "--json"]])
def test_stats_and_check_skip_error_records_and_raw_text(tmp_path, capsys, command):
    path = jsonl(tmp_path / "t.jsonl", ARTICLE, {"id": "e2.txt", "error": "empty text"}, {"id": "r", "text": "متن خام"})
    assert data_main([*command, str(path)]) == 0
    captured = capsys.readouterr()
    assert "skipped 1 error record(s) from parsclaim tag, 1 record(s) without text and entities" in captured.err
    if command == ["stats", "--json"]:
        (row,) = json.loads(captured.out)
        assert row["documents"] == 1 and row["entities"]["QUANTITY"] == 1


# 7: underscore spellings


def test_underscore_option_spellings_are_accepted(tmp_path, capsys):
    conll = write(tmp_path / "x.conll", PEYMA)
    assert data_main(["split-conll", str(conll), "--output_dir", str(tmp_path / "a"), "--dev_fraction", "0.5"]) == 0
    assert data_main(["split-conll", str(conll), "--output-dir", str(tmp_path / "b"), "--dev-fraction", "0.5"]) == 0
    assert (tmp_path / "a/dev.conll").read_text() == (tmp_path / "b/dev.conll").read_text()
    corpus = jsonl(tmp_path / "c.jsonl", ARTICLE)
    assert data_main(["check", str(corpus), "--min_count", "1"]) == 0
    assert data_main(["check", str(corpus), "--min-count", "1"]) == 0
    markup = write(tmp_path / "m.txt", MARKUP)
    assert data_main(["build-gold", str(markup), "--output_dir", str(tmp_path / "g1")]) == 0
    assert data_main(["build-gold", str(markup), "--output-dir", str(tmp_path / "g2")]) == 0
    assert sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (tmp_path / "g1").glob("*.jsonl")) == 1


# 8: check lists each example id once


def test_check_examples_name_each_article_once(tmp_path, capsys):
    text = "ایران و ایران و ایران"
    repeated = {"id": "g1", "text": text, "entities": [
        {"id": "e1", "start": 0, "end": 5, "label": "LOC"}, {"id": "e2", "start": 8, "end": 13, "label": "LOC"}]}
    other = {"id": "g2", "text": text, "entities": [{"id": "e1", "start": 0, "end": 5, "label": "ORG"}]}
    report = check_consistency([repeated, other])
    assert report["conflicts"][0]["examples"] == {"LOC": ["g1"], "ORG": ["g2"]}
    (unlabelled,) = report["unlabelled"]
    assert unlabelled["count"] == 3 and unlabelled["examples"] == ["g1", "g2"]
    path = jsonl(tmp_path / "c.jsonl", repeated, other)
    assert data_main(["check", str(path)]) == 0
    assert "(e.g. g1)" in capsys.readouterr().out
