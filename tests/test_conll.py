from collections import Counter

import pytest

from parsclaim.data.cli import main as data_main
from parsclaim.data.conll import ImportReport, import_conll, load_conll, split_line
from parsclaim.data.corpus import load_articles, validate_article


def write(tmp_path, content: str, name="x.conll"):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    return path


def test_split_on_last_tab_keeps_tokens_with_spaces():
    assert split_line("می دهد\tO\n") == ("می دهد", "O")
    assert split_line("a\tb\tB-PER") == ("a\tb", "B-PER")
    assert split_line("تهران B-LOC") == ("تهران", "B-LOC")  # ARMAN-style space separator
    assert split_line("O\n") is None  # a line without a tag


def test_crlf_and_missing_tags_are_reported(tmp_path):
    path = write(tmp_path, "علی\tB-PER\r\nرضایی\tI-PER\r\nمی دهد\tO\r\nبدون\r\n\r\nتهران\tB-LOC\r\n")
    report = ImportReport()
    articles = list(import_conll(path, "peyma", report=report))
    assert [a["text"] for a in articles] == ["علی رضایی می دهد", "تهران"]
    assert [(articles[0]["text"][e["start"]:e["end"]], e["label"]) for e in articles[0]["entities"]] == [("علی رضایی", "PER")]
    assert len(report.problems) == 1 and ":4:" in report.problems[0]
    assert all(validate_article(a) == [] for a in articles)


def test_peyma_labels_map_and_i_after_o_starts_a_span(tmp_path):
    path = write(tmp_path, "۵\tB-PCT\nدرصد\tI-PCT\nدر\tO\nسال\tB-DAT\n۹۸\tI-DAT\nساعت\tB-TIM\nبانک\tI-ORG\nملی\tI-ORG\n")
    report = ImportReport()
    (article,) = import_conll(path, "peyma", report=report)
    spans = [(article["text"][e["start"]:e["end"]], e["label"]) for e in article["entities"]]
    assert spans == [("۵ درصد", "QUANTITY"), ("سال ۹۸", "DATE"), ("ساعت", "DATE"), ("بانک ملی", "ORG")]
    assert report.problems == ["line 7: I-ORG without a B- before it starts a new span (IOB2 repair)"]


def test_problem_line_numbers_count_skipped_lines(tmp_path):
    path = write(tmp_path, "در\tO\nبدون\nتگ\nبانک\tI-ORG\nملی\tB-XYZ\n")
    report = ImportReport()
    list(import_conll(path, "peyma", report=report))
    assert report.problems[2:] == [
        "line 4: I-ORG without a B- before it starts a new span (IOB2 repair)",
        "line 5: unknown label 'XYZ' read as O",
    ]


def test_arman_labels_without_counterpart_become_o(tmp_path):
    path = write(tmp_path, "برج\tB-fac\nمیلاد\tI-fac\nدر\tO\nتهران\tB-loc\n")
    report = ImportReport()
    (article,) = import_conll(path, "arman", report=report)
    assert [e["label"] for e in article["entities"]] == ["LOC"]
    assert report.unmapped == {"fac": 1}


def test_bom_docstart_and_peyma_underscore_tags(tmp_path):
    # PEYMA's original release writes B_PER; a BOM or -DOCSTART- must not become a token.
    path = write(tmp_path, "\ufeff-DOCSTART-\tO\n\nعلی\tB_PER\nرضایی\tI_PER\nدر\tO\nتهران\tB-LOC\n")
    report = ImportReport()
    (article,) = import_conll(path, "peyma", report=report)
    assert article["text"] == "علی رضایی در تهران"
    assert [(article["text"][e["start"]:e["end"]], e["label"]) for e in article["entities"]] == [("علی رضایی", "PER"), ("تهران", "LOC")]
    assert report.problems == [] and report.unknown == {}


def test_load_conll_refuses_a_file_of_another_scheme_and_warns_on_unknown_tags(tmp_path, capsys):
    arman = write(tmp_path, "علی\tB-pers\nدر\tO\nتهران\tB-loc\n")
    with pytest.raises(ValueError, match=r"none of its tags belongs to the peyma scheme.*conll:arman:"):
        load_conll(arman, "peyma")
    assert [e["label"] for e in load_conll(arman, "arman")[0]["entities"]] == ["PER", "LOC"]
    bioes = write(tmp_path, "علی\tS-PER\nتهران\tB-LOC\n", name="bioes.conll")
    (article,) = load_conll(bioes, "peyma")
    assert [e["label"] for e in article["entities"]] == ["LOC"]
    assert "tags read as O because peyma does not know them: S-PER 1" in capsys.readouterr().err
    with pytest.raises(ValueError, match="no sentences"):
        load_conll(write(tmp_path, "\n\n", name="empty.conll"), "peyma")


def test_unknown_scheme_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown scheme"):
        list(import_conll(write(tmp_path, "a\tO\n"), "conll2003"))


def test_import_command_matches_peyma_readme_counts(shared_dir, tmp_path):
    out = tmp_path / "peyma.jsonl"
    assert data_main(["import-conll", str(shared_dir / "corpora/peyma/train.conll"), "--scheme", "peyma", "-o", str(out)]) == 0
    articles = load_articles(out)
    labels = Counter(e["label"] for a in articles for e in a["entities"])
    # README: PER 3,879 · ORG 5,590 · LOC 5,392 · DAT 1,622 + TIM 247 · MON 459 + PCT 296
    assert len(articles) == 8452
    assert labels == {"PER": 3879, "ORG": 5590, "LOC": 5392, "DATE": 1622 + 247, "QUANTITY": 459 + 296}


def test_evaluate_reads_every_data_argument_before_loading_the_model(tmp_path, capsys):
    from parsclaim.evaluate.cli import main as evaluate_main

    missing_model = str(tmp_path / "no-model")  # never reached: the data errors come first
    arman = write(tmp_path, "علی\tB-pers\n")
    assert evaluate_main([missing_model, f"conll:{arman}"]) == 2
    assert "write conll:SCHEME:PATH" in capsys.readouterr().err
    assert evaluate_main([missing_model, f"conll:peyma:{arman}"]) == 2
    assert f"e.g. conll:arman:{arman}" in capsys.readouterr().err


def test_evaluate_reads_a_txt_fold_as_conll_when_it_is_one(tmp_path):
    from parsclaim.evaluate.cli import load_gold

    fold = write(tmp_path, "ایران B-loc\nو O\n\n", name="test_fold1.txt")  # ARMAN's own file name and separator
    with pytest.raises(ValueError, match="needs --scheme"):
        load_gold(str(fold), None)
    (article,), scheme = load_gold(str(fold), "arman")
    assert scheme == "arman" and [e["label"] for e in article["entities"]] == ["LOC"]
    jsonl = write(tmp_path, '{"id": "a", "text": "ایران", "entities": [], "officials": [], "claims": []}\n', name="gold.txt")
    assert load_gold(str(jsonl), "arman") == ([{"id": "a", "text": "ایران", "entities": [], "officials": [], "claims": []}], None)


def test_two_files_of_one_folder_give_distinct_ids(tmp_path):
    # split/peyma/train.conll and dev.conll gave both "peyma-00001": re-scoring a prediction file of both failed
    folder = tmp_path / "peyma"
    folder.mkdir()
    for name in ("train", "dev"):
        (folder / f"{name}.conll").write_text("علی B_PER\nرفت O\n\n", encoding="utf-8")
    ids = [article["id"] for name in ("train", "dev") for article in import_conll(folder / f"{name}.conll", "peyma")]
    assert ids == ["peyma-train-00001", "peyma-dev-00001"]
