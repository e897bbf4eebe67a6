import csv
import json
from pathlib import Path

from parsclaim.cli import main as parsclaim_main
from parsclaim.data.corpus import load_articles

DEV = str(Path(__file__).resolve().parents[1] / "corpus" / "dev.jsonl")
TEXT = "وزیر نفت گفت تولید ۲ تا ۳ میلیون بشکه و صادرات ۵۰ درصد افزایش یافت. طرح جدید هفته آینده اجرا می‌شود."


def span(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def tagged_article() -> dict:
    role, org, cue = span("وزیر"), span("نفت"), span("گفت")
    barrels, percent = span("۲ تا ۳ میلیون بشکه"), span("۵۰ درصد")
    claim = span("تولید ۲ تا ۳ میلیون بشکه و صادرات ۵۰ درصد افزایش یافت")
    plan = span("طرح جدید هفته آینده اجرا می‌شود")
    return {"id": "a1", "text": TEXT, "entities": [
        {"id": "e1", "start": role[0], "end": role[1], "label": "ROLE"},
        {"id": "e2", "start": org[0], "end": org[1], "label": "ORG"},
        {"id": "e3", "start": barrels[0], "end": barrels[1], "label": "QUANTITY", "value": [2000000, 3000000], "unit": "barrel"},
        {"id": "e4", "start": percent[0], "end": percent[1], "label": "QUANTITY", "value": 50, "unit": "percent"},
    ], "officials": [{"id": "o1", "mentions": ["e1"], "name": None, "roles": ["e1"], "orgs": ["e2"]}],
        "claims": [{"id": "c1", "start": claim[0], "end": claim[1], "cue": list(cue), "claimant": "o1", "quantities": ["e3", "e4"], "score": 0.9},
                   {"id": "c2", "start": plan[0], "end": plan[1], "cue": None, "claimant": None, "quantities": []}]}


def write_tagged(tmp_path, *records) -> str:
    path = tmp_path / "tagged.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


def read_csv(path, encoding="utf-8-sig", delimiter=","):
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_one_row_per_claimed_quantity_and_one_for_a_claim_without_a_number(tmp_path, capsys):
    tagged = write_tagged(tmp_path, tagged_article(), {"id": "broken.txt", "error": "not UTF-8 (byte 0)"})
    out = tmp_path / "claims.csv"
    assert parsclaim_main(["table", tagged, "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads Persian only after a BOM
    rows = read_csv(out)
    assert [(r["claim_id"], r["quantity"], r["value"], r["value_to"], r["unit"]) for r in rows] == [
        ("c1", "۲ تا ۳ میلیون بشکه", "2000000", "3000000", "barrel"), ("c1", "۵۰ درصد", "50", "", "percent"), ("c2", "", "", "", "")]
    # an official without a name is named by its title
    assert (rows[0]["claimant"], rows[0]["claimant_role"], rows[0]["claimant_organization"], rows[0]["cue"]) == ("وزیر", "وزیر", "نفت", "گفت")
    assert rows[2]["claimant"] == "" and rows[2]["claim"] == "طرح جدید هفته آینده اجرا می‌شود"
    assert TEXT[int(rows[0]["claim_start"]):int(rows[0]["claim_end"])] == rows[0]["claim"]
    assert "1 article(s), 3 claims row(s), 1 error records skipped" in capsys.readouterr().err


def test_officials_and_entities_rows_tsv_and_no_bom(tmp_path):
    tagged = write_tagged(tmp_path, tagged_article())
    officials = tmp_path / "officials.csv"
    assert parsclaim_main(["table", tagged, "--rows", "officials", "-o", str(officials), "--no_bom"]) == 0
    assert not officials.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [(r["official_id"], r["name"], r["organizations"], r["mentions"], r["claims"]) for r in read_csv(officials, "utf-8")] == [
        ("o1", "وزیر", "نفت", "1", "1")]
    entities = tmp_path / "entities.tsv"
    assert parsclaim_main(["table", tagged, "--rows", "entities", "-o", str(entities)]) == 0
    rows = read_csv(entities, "utf-8", "\t")
    assert [(r["label"], r["text"], r["value"]) for r in rows] == [("ROLE", "وزیر", ""), ("ORG", "نفت", ""),
                                                                    ("QUANTITY", "۲ تا ۳ میلیون بشکه", "2000000"), ("QUANTITY", "۵۰ درصد", "50")]


def test_gold_corpus_files_make_tables_too(tmp_path):
    out = tmp_path / "gold.csv"
    assert parsclaim_main(["table", DEV, "-o", str(out)]) == 0
    rows = read_csv(out)
    gold = load_articles(DEV)
    claims = [c for a in gold for c in a["claims"]]
    assert len({(r["article_id"], r["claim_id"]) for r in rows}) == len(claims)
    assert len(rows) == sum(max(1, len(c["quantities"])) for c in claims)


def test_bad_input_is_a_clear_error(tmp_path, capsys):
    raw = tmp_path / "raw.jsonl"
    raw.write_text('{"body": "متن"}\n', encoding="utf-8")
    assert parsclaim_main(["table", str(raw)]) == 2
    assert "not a tagged article" in capsys.readouterr().err
    raw.write_text('{"id": "a", "text": "x"}\n{broken\n', encoding="utf-8")
    assert parsclaim_main(["table", str(raw), "-o", str(tmp_path / "x.csv")]) == 2
    assert ":2: invalid JSON" in capsys.readouterr().err
    assert parsclaim_main(["table", str(raw), "--rows", "quotes"]) == 2
    assert "--rows must be one of claims, officials, entities" in capsys.readouterr().err


def test_claims_table_of_the_gold_seed_article(seed, tmp_path):
    """On an article whose claims are known: the seed's gold annotation (a fixture, never trained on)."""
    path = write_tagged(tmp_path, seed)
    out = tmp_path / "seed.csv"
    assert parsclaim_main(["table", path, "-o", str(out)]) == 0
    rows = read_csv(out)
    text, claims = seed["text"], {c["id"]: c for c in seed["claims"]}
    assert len(claims) == 8 and {r["claim_id"] for r in rows} == set(claims)
    for row in rows:
        claim = claims[row["claim_id"]]
        assert row["claim"] == text[claim["start"]:claim["end"]]
        assert bool(row["claimant"]) == bool(claim["claimant"])
        assert row["cue"] == (text[claim["cue"][0]:claim["cue"][1]] if claim["cue"] else "")
    assert any("اکبری" in r["claimant"] for r in rows)
    assert any(r["value"] == "19000" for r in rows) and any(r["unit"] == "percent" for r in rows)


def test_tagged_articles_from_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(tagged_article(), ensure_ascii=False) + "\n"))
    assert parsclaim_main(["table", "-", "--rows", "officials"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("article_id,official_id") and "o1,وزیر" in out  # no BOM on stdout
    assert "1 article(s), 1 officials row(s) -> -" in err


def test_formula_cells_are_escaped_and_numbers_stay_numbers(tmp_path):
    text = "+۲۰ درصد رشد و - ۶۰ درصد افت"
    rise, fall = text.index("+۲۰ درصد"), text.index("- ۶۰ درصد")
    evil = '=HYPERLINK("http://evil","x")'
    tagged = write_tagged(tmp_path, {"id": evil, "text": text, "entities": [
        {"id": "e1", "start": rise, "end": rise + 8, "label": "QUANTITY", "value": -2.5, "unit": "@unit"},
        {"id": "e2", "start": fall, "end": fall + 9, "label": "QUANTITY", "value": [-3, -1], "unit": "percent"}],
        "officials": [], "claims": [{"id": "c1", "start": rise, "end": rise + 12, "quantities": ["e1"]},
                                    {"id": "c2", "start": fall, "end": len(text), "quantities": ["e2"]}]})
    out = tmp_path / "claims.csv"
    assert parsclaim_main(["table", tagged, "-o", str(out)]) == 0
    rows = read_csv(out)
    assert {r["article_id"] for r in rows} == {"'" + evil}
    assert [(r["claim"], r["quantity"], r["value"], r["value_to"], r["unit"]) for r in rows] == [
        ("'+۲۰ درصد رشد", "'+۲۰ درصد", "-2.5", "", "'@unit"), ("'- ۶۰ درصد افت", "'- ۶۰ درصد", "-3", "-1", "percent")]
    entities = tmp_path / "entities.tsv"
    assert parsclaim_main(["table", tagged, "--rows", "entities", "-o", str(entities)]) == 0
    assert [(r["article_id"], r["text"], r["value"]) for r in read_csv(entities, "utf-8", "\t")] == [
        ("'" + evil, "'+۲۰ درصد", "-2.5"), ("'" + evil, "'- ۶۰ درصد", "-3")]
    from parsclaim.inference.table import spreadsheet_safe

    for number in ["-2.5", "-3", "+4", "1e-05", "-1.5E+3", "", "x=1"]:
        assert spreadsheet_safe(number) == number
    for formula in ["-", "-۳", "-2.5.1", "@SUM(A1)", "\t=1", "\r=1", "-1+1", "=1"]:
        assert spreadsheet_safe(formula) == "'" + formula


def test_an_output_that_is_an_input_is_refused_before_it_is_emptied(tmp_path, capsys):
    tagged = write_tagged(tmp_path, tagged_article())
    before = Path(tagged).read_bytes()
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.jsonl").hardlink_to(tagged)
    for output in [tagged, str(tmp_path / "sub" / ".." / "tagged.jsonl"), str(tmp_path / "link.jsonl")]:
        assert parsclaim_main(["table", DEV, tagged, "-o", output]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and "is also an input" in err
        assert Path(tagged).read_bytes() == before


def test_untagged_records_are_skipped_and_nothing_tagged_is_an_error(tmp_path, capsys):
    raw = tmp_path / "raw.jsonl"
    raw.write_text('{"id": "a", "text": "متن خام"}\n{"id": "b", "text": "متن دیگر"}\n', encoding="utf-8")
    out = tmp_path / "raw.csv"
    for output in ["-", str(out)]:
        assert parsclaim_main(["table", str(raw), "-o", output]) == 2
        stdout, err = capsys.readouterr()
        assert stdout == "" and "parsclaim tag" in err and "2 record(s)" in err
    assert not out.exists()
    tagged = write_tagged(tmp_path, tagged_article())
    assert parsclaim_main(["table", str(raw), tagged, "-o", str(out)]) == 0
    assert "1 article(s), 3 claims row(s), 2 untagged records (no entities, claims or officials) skipped" in capsys.readouterr().err
    assert len(read_csv(out)) == 3


def test_a_missing_input_is_an_error_before_the_header(tmp_path, capsys):
    tagged = write_tagged(tmp_path, tagged_article())
    out = tmp_path / "claims.csv"
    out.write_text("kept", encoding="utf-8")
    for output in ["-", str(out)]:
        assert parsclaim_main(["table", tagged, str(tmp_path / "missing.jsonl"), "-o", output]) == 2
        stdout, err = capsys.readouterr()
        assert stdout == "" and "missing.jsonl: no such file" in err
    assert out.read_text(encoding="utf-8") == "kept"
