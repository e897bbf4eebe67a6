"""scripts/real_news.py: real articles are annotated by reference and rebuilt only from the same raw text."""

from __future__ import annotations

import json
from pathlib import Path

from tiny_models import load_script

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "real_news.py"
SPEECH = "رئیس سازمان آب گفت: حجم سد کرج ۲۰ درصد کم شد و {n} طرح تازه آغاز شد."
FILLER = " این خبر را خبرگزاری نوشت و گزارش کامل آن در ادامه آمده است."


def raw_folders(tmp_path: Path) -> tuple[Path, Path]:
    raw, corpora = tmp_path / "raw", tmp_path / "corpora"
    raw.mkdir()
    (corpora / "peyma").mkdir(parents=True)
    articles = [f"خبر شماره {n}\n" + SPEECH.format(n=n) + FILLER * 10 for n in range(1, 5)]
    (raw / "langml_farsnews.txt").write_text("\n\n".join(articles) + "\n", encoding="utf-8")
    (raw / "irnews_shessam.txt").write_text("کوتاه\n", encoding="utf-8")
    # a labelled sentence that repeats most of article 3 (spelt with Arabic ي/ك): article 3 is skipped
    sentence = ("خبر شماره 3\n" + SPEECH.format(n=3)).replace("ی", "ي").replace("ک", "ك")
    (corpora / "peyma" / "train.conll").write_text("".join(f"{w}\tO\n" for w in sentence.split()) + "\n", encoding="utf-8")
    return raw, corpora


def select(script, tmp_path: Path) -> Path:
    raw, corpora = raw_folders(tmp_path)
    chosen = tmp_path / "in"
    assert script.main(["select", "-o", str(chosen), "--raw", str(raw), "--corpora", str(corpora), "--fars", "9", "--irnews", "1", "--min_chars", "100"]) == 0
    return chosen


def test_select_skips_labelled_text_and_records_where_each_article_is(tmp_path):
    script = load_script(SCRIPT, "real_news")
    chosen = select(script, tmp_path)
    manifest = [json.loads(line) for line in (chosen / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["block"] for r in manifest) == [0, 1, 3]  # block 2 overlaps PEYMA; irnews has nothing long enough
    for record in manifest:
        text = (chosen / f"{record['id']}.txt").read_text(encoding="utf-8").strip()
        assert record["file"] == "langml_farsnews.txt" and record["sha256"] == script.digest(text)


def test_check_standoff_build_round_trip(tmp_path, capsys):
    script = load_script(SCRIPT, "real_news")
    chosen = select(script, tmp_path)
    text = (chosen / "fars-00000.txt").read_text(encoding="utf-8").strip()
    marked = text.replace("رئیس", "[[ROLE@o1|رئیس]]", 1).replace("سازمان آب", "[[ORG@o1|سازمان آب]]", 1)
    marked = marked.replace("گفت: حجم سد کرج ۲۰ درصد کم شد", "<<گفت>>: {{c@o1|حجم سد [[LOC|کرج]] [[Q=20 percent|۲۰ درصد]] کم شد}}", 1)
    markup = tmp_path / "batch.txt"
    markup.write_text(f"### id: fars-00000\n{marked}\n", encoding="utf-8")
    assert script.main(["check", str(markup), "--source", str(chosen)]) == 0
    assert "fars-00000: LOC 1, ORG 1, QUANTITY 1, ROLE 1; officials 1; claims 1" in capsys.readouterr().out

    annotations = tmp_path / "annotations.jsonl"
    assert script.main(["standoff", str(markup), "--source", str(chosen), "-o", str(annotations)]) == 0
    record = json.loads(annotations.read_text(encoding="utf-8"))
    assert "text" not in record and "کرج" not in annotations.read_text(encoding="utf-8")  # no raw text in the repository
    built = tmp_path / "real.jsonl"
    assert script.main(["build", "--annotations", str(annotations), "--raw", str(tmp_path / "raw"), "-o", str(built)]) == 0
    article = json.loads(built.read_text(encoding="utf-8"))
    assert article["text"] == text
    assert [text[e["start"]:e["end"]] for e in article["entities"]] == ["رئیس", "سازمان آب", "کرج", "۲۰ درصد"]
    assert article["claims"][0]["claimant"] == "o1" and article["split"] == "test"  # one article of its source: held out
    # a later batch adds to the file; articles annotated before keep their half
    second = tmp_path / "batch2.txt"
    second.write_text("### id: fars-00001\n" + (chosen / "fars-00001.txt").read_text(encoding="utf-8").strip() + "\n", encoding="utf-8")
    before = annotations.read_text(encoding="utf-8")
    assert script.main(["standoff", str(second), "--source", str(chosen), "-o", str(annotations)]) == 0
    records = [json.loads(line) for line in annotations.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["fars-00000", "fars-00001"] and records[0] == json.loads(before)
    annotations.write_text(before, encoding="utf-8")
    only_train = tmp_path / "train.jsonl"
    assert script.main(["build", "--annotations", str(annotations), "--raw", str(tmp_path / "raw"), "--split", "train", "-o", str(only_train)]) == 0
    assert only_train.read_text(encoding="utf-8") == ""
    assert script.main(["build", "--annotations", str(annotations), "--raw", str(tmp_path / "raw"), "--round", "2", "-o", str(only_train)]) == 0
    assert only_train.read_text(encoding="utf-8") == ""  # standoff's default round is 1
    assert script.main(["build", "--annotations", str(annotations), "--raw", str(tmp_path / "raw"), "--round", "2", "1", "-o", str(only_train)]) == 0
    assert [json.loads(line)["id"] for line in only_train.read_text(encoding="utf-8").splitlines()] == ["fars-00000"]

    # other raw text at that place: refused, nothing written
    raw_file = tmp_path / "raw" / "langml_farsnews.txt"
    raw_file.write_text(raw_file.read_text(encoding="utf-8").replace("شماره 1", "شماره ۱"), encoding="utf-8")
    built.unlink()
    assert script.main(["build", "--annotations", str(annotations), "--raw", str(tmp_path / "raw"), "-o", str(built)]) == 1
    assert "is not the annotated text" in capsys.readouterr().err and not built.exists()
    assert script.main(["build", "--annotations", str(annotations), "--raw", str(tmp_path / "nowhere"), "-o", str(built)]) == 2
    assert "langml_farsnews.txt not in" in capsys.readouterr().err and not built.exists()


def test_check_names_the_first_changed_character(tmp_path, capsys):
    script = load_script(SCRIPT, "real_news")
    chosen = select(script, tmp_path)
    text = (chosen / "fars-00001.txt").read_text(encoding="utf-8").strip()
    markup = tmp_path / "batch.txt"
    markup.write_text("### id: fars-00001\n" + text.replace("حجم", "[[ORG|حجم ]]", 1) + "\n### id: fars-99999\nمتن\n", encoding="utf-8")
    assert script.main(["check", str(markup), "--source", str(chosen)]) == 1
    out = capsys.readouterr().out
    assert "is padded with whitespace" in out
    assert "fars-99999" in out and "not in" in out
    markup.write_text("### id: fars-00001\n" + text.replace("حجم", "حچم", 1) + "\n", encoding="utf-8")
    assert script.main(["check", str(markup), "--source", str(chosen)]) == 1
    assert f"text differs from the original at character {text.index('حجم') + 1}" in capsys.readouterr().out


def test_claims_beyond_the_gold_corpus_conventions_are_told_apart():
    script = load_script(SCRIPT, "real_news")
    text = "سد کرج پر شد\nخبرگزاری فارس: بارش‌ها ۲۰ درصد بیشتر شد.\nوزیر گفت: سد پر شد. وی از افتتاح ۳ سد خبر داد. وزیر با اشاره به اینکه سد پر شد، افزود: آب هست.\nبه گزارش ایرنا، سد پر شد. سد پر شد."

    def claim(content, cue=None, occurrence=0, after=0):
        start = text.index(content, after)
        for _ in range(occurrence):
            start = text.index(content, start + 1)
        cue_start = (text.rfind(cue, 0, start) if cue in text[:start] else text.index(cue, start)) if cue else None
        return {"start": start, "end": start + len(content), "cue": [cue_start, cue_start + len(cue)] if cue else None}

    inside = [
        claim("سد کرج پر شد"),  # headline
        claim("بارش‌ها ۲۰ درصد بیشتر شد"),  # "X: ..." without a cue
        claim("سد پر شد", "گفت", after=text.index("وزیر گفت")),  # cue and colon
        claim("آب هست", "افزود"),
        claim("سد پر شد", "به گزارش", after=text.index("به گزارش")),
    ]
    beyond = [
        claim("افتتاح ۳ سد", "خبر داد"),  # the cue after its content
        claim("سد پر شد", "با اشاره به", after=text.index("اینکه")),  # a clause, no colon
        claim("سد پر شد", after=text.rindex("سد پر شد")),  # the outlet's narrative without a cue
    ]
    assert [script.within_guidelines(text, c) for c in inside] == [True] * len(inside)
    assert [script.within_guidelines(text, c) for c in beyond] == [False] * len(beyond)
    # a ZWNJ typed inside the cue (fars-00912) leaves it the same cue
    typed = "به \u200cگزارش ایرنا، سد پر شد."
    assert script.within_guidelines(typed, {"start": typed.index("سد"), "end": len(typed) - 1, "cue": [0, len("به \u200cگزارش")]})


def test_the_card_names_each_real_news_file_by_what_it_holds():
    finalize = load_script(Path(__file__).resolve().parents[1] / "scripts" / "finalize_default_model.py", "finalize_default_model")
    f1 = {"micro": {"f1": 0.5}}
    report = {"data": {"scheme": "parsclaim"}, "entities": {"exact": f1, "seqeval_word_strict": f1},
              "claims": {"content_exact": {"f1": 0.5}, "content_overlap": {"f1": 0.5}, "cue_exact": {"f1": 0.5}},
              "attribution": {"accuracy": 1.0}, "quantities": {"accuracy": 1.0}, "officials": {"name_role": {"f1": 0.5}}}
    metrics = finalize.card_metrics({".prep/real/round6.jsonl": report, ".prep/real/heldout48.jsonl": report,
                                     ".prep/real/mine.jsonl": report, "corpus/dev.jsonl": report})
    names = {key.split(":")[0] for key in metrics}
    assert names == {"real news, corpus/real round 6 (64 articles, both halves; the default model never trained on it)",
                     "real news, corpus/real test half of rounds 1-2", "real news, corpus/real mine", "dev.jsonl"}


def test_claims_by_number_counts_found_claims_apart_by_whether_they_hold_a_number(tmp_path, capsys):
    script = load_script(Path(__file__).resolve().parents[1] / "scripts" / "claims_by_number.py", "claims_by_number")
    gold = {"id": "a", "text": "x" * 40, "claims": [{"start": 0, "end": 10, "quantities": ["e1"]},
                                                   {"start": 20, "end": 30, "quantities": []}]}
    predicted = {"id": "a", "text": "x" * 40, "claims": [{"start": 5, "end": 12, "quantities": ["e1"]},
                                                        {"start": 31, "end": 35, "quantities": []}]}
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    (tmp_path / "pred.jsonl").write_text(json.dumps(predicted) + '\n{"id": "b", "error": "empty"}\n', encoding="utf-8")
    assert script.main([str(tmp_path / "gold.jsonl"), str(tmp_path / "pred.jsonl")]) == 0
    assert capsys.readouterr().out.strip() == ("claims without a number found: 0 of 1; with one: 1 of 1; "
                                               "predicted: 2 (1 with a number)")


def test_table_counts_each_half_and_round_from_the_standoff_file_alone(tmp_path, capsys):
    script = load_script(SCRIPT, "real_news")

    def record(article_id, split, round_, labels, claims_quantities, beyond=0):
        return {"id": article_id, "split": split, "round": round_, "entities": [{"label": label} for label in labels],
                "officials": [{"id": "o1"}], "claims": [{"quantities": q} for q in claims_quantities],
                "claims_beyond_guidelines": [{}] * beyond}

    records = [record("fars-1", "train", 1, ["PER", "QUANTITY"], [["e2"], []], beyond=2),
               record("irnews-2", "test", 1, ["ORG"], [[]]),
               record("fars-3", "test", 2, ["LOC", "LOC"], [])]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert script.main(["table", "--annotations", str(tmp_path / "a.jsonl")]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[2] == "| train | 1 | 1 | 2 | 1 | 0 | 0 | 0 | 0 | 1 | 1 | 2 | 1 | 2 |"
    assert rows[3] == "| test | 2 | 1 | 3 | 0 | 0 | 1 | 2 | 0 | 0 | 2 | 1 | 1 | 0 |"
    assert rows[4] == "| (round 1, both halves) | 2 | 1 | 3 | 1 | 0 | 1 | 0 | 0 | 1 | 2 | 3 | 2 | 2 |"
    assert rows[-1] == "| all | 3 | 2 | 5 | 1 | 0 | 1 | 2 | 0 | 1 | 3 | 3 | 2 | 2 |"
