"""Batch tagging: one output line per input record, resume, HTML, Hub loading from an offline cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from parsclaim.data.corpus import validate_article
from parsclaim.inference.cli import EXAMPLE_ARTICLE, main as tag_main
from parsclaim.inference.extractor import Extractor, pair_cues, snap_cues_to_verbs
from parsclaim.models import modeling
from tiny_models import save_untrained_model

TEXT = "معاون وزیر نیرو گفت: ۱۹هزار سازمان در کشور فعال هستند.\n\nوی افزود: ۶۷ درصد آنها فعال‌اند."


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return save_untrained_model(tmp_path_factory.mktemp("tiny_model"))


@pytest.fixture()
def mixed_inputs(tmp_path) -> tuple[list[str], int]:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("به گزارش ایرنا، بارش‌ها ۱۰ درصد کم شد.", encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (folder / "image.txt").write_bytes(b"\x89PNG\x00\x00")
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("\n".join([
        json.dumps({"id": "j1", "text": TEXT}, ensure_ascii=False),
        json.dumps({"id": "j2", "body": "no text field"}),
        "{broken json",
        json.dumps({"id": "j4", "text": 42}),
        json.dumps({"text": "بدون شناسه ۵ نفر"}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    return [str(folder), str(jsonl), str(tmp_path / "missing.txt")], 11


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_input_record_gives_exactly_one_line(model_dir, mixed_inputs, tmp_path):
    inputs, expected = mixed_inputs
    out = tmp_path / "out.jsonl"
    assert tag_main([*inputs, "--model", str(model_dir), "-o", str(out), "--chunk_size", "2", "--no_progress"]) == 0
    lines = read_lines(out)
    assert len(lines) == expected
    errors = {line["id"]: line["error"] for line in lines if "error" in line}
    assert errors == {
        "empty.txt": "empty text", "latin1.txt": "not UTF-8 (byte 3)", "image.txt": "not text (binary file)",
        "j2": "no 'text' field", "records.jsonl:3": "invalid JSON: Expecting property name enclosed in double quotes",
        "j4": "'text' is int, not a string", str(Path(inputs[0]).parent / "missing.txt"): "no such file or folder",
    }
    results = [line for line in lines if "error" not in line]
    assert {r["id"] for r in results} == {"a.txt", "sub/b.txt", "j1", "records.jsonl:5"}
    for result in results:
        assert validate_article(result) == []
        for entity in result["entities"]:
            assert 0 <= entity["start"] < entity["end"] <= len(result["text"]) and "score" in entity


def test_resume_skips_done_ids_and_repairs_a_torn_line(model_dir, mixed_inputs, tmp_path):
    inputs, expected = mixed_inputs
    out = tmp_path / "out.jsonl"
    assert tag_main([*inputs, "--model", str(model_dir), "-o", str(out), "--no_progress"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:4]) + lines[4][:10], encoding="utf-8")  # an interrupted run
    assert tag_main([*inputs, "--model", str(model_dir), "-o", str(out), "--resume", "--no_progress"]) == 0
    ids = [line["id"] for line in read_lines(out)]
    assert len(ids) == expected == len(set(ids))


def test_html_pages_and_index(model_dir, mixed_inputs, tmp_path):
    inputs, _ = mixed_inputs
    out = tmp_path / "html"
    assert tag_main([inputs[0], "--model", str(model_dir), "--format", "html", "-o", str(out), "--no_progress"]) == 0
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == ["a.txt.html", "index.html", "sub_b.txt.html"]
    assert 'dir="rtl"' in (out / "a.txt.html").read_text(encoding="utf-8")


def test_bad_arguments_are_clear_errors(model_dir, capsys):
    assert tag_main(["x.txt", "--format", "pdf"]) == 2
    assert "--format must be jsonl or html" in capsys.readouterr().err
    assert tag_main(["x.txt", "--model", "/no/such/model"]) == 2
    assert "cannot load model" in capsys.readouterr().err


def test_extract_offsets_point_into_the_callers_text(model_dir):
    extractor = Extractor.from_pretrained(model_dir, device="cpu")
    scraped = TEXT.replace("ی", "ي").replace("\u200c", "") + "\u200f"
    (article,) = extractor.extract([scraped])
    assert article["text"] == scraped
    assert validate_article(article) == []


def test_cues_pair_with_the_claim_they_introduce():
    text = "وی گفت: این شد. او افزود: آن شد."
    cue1, cue2 = text.index("گفت"), text.index("افزود")
    claims = pair_cues(
        [{"start": text.index("این"), "end": text.index("این") + 6, "score": 0.9}, {"start": text.index("آن"), "end": text.index("آن") + 5, "score": 0.9}],
        [{"start": cue1, "end": cue1 + 3, "score": 0.9}, {"start": cue2, "end": cue2 + 5, "score": 0.9}], text)
    assert [c["cue"] for c in claims] == [[cue1, cue1 + 3], [cue2, cue2 + 5]]


def test_cues_inside_a_glued_pronoun_snap_to_the_verb():
    text = "ویافزود: الف. ويادامه داد: ب. وی گفت: ج. او خبر داد و گفت: د. آنهاد رفتند."

    def cue(surface: str, skip: int = 0) -> dict:
        start = text.index(surface, text.index(surface) + skip)
        return {"start": start, "end": start + len(surface), "label": "CUE", "score": 0.9}

    predicted = [cue("د"), cue("ه داد"), cue("گفت"), cue("خبر داد و گفت"), cue("د رفتند")]
    got = [text[c["start"] : c["end"]] for c in snap_cues_to_verbs(predicted, text)]
    # glued pronoun: the verb ("ويادامه" has an Arabic yeh); at a word start: kept; no verb overlapping: kept
    assert got == ["افزود", "ادامه داد", "گفت", "خبر داد و گفت", "د رفتند"]


def test_hub_id_loads_offline_from_a_populated_cache(model_dir, tmp_path):
    cache = tmp_path / "hub"
    commit = "0123456789abcdef0123456789abcdef01234567"
    snapshot = cache / "models--parsclaim--tiny" / "snapshots" / commit
    shutil.copytree(model_dir, snapshot)
    (cache / "models--parsclaim--tiny" / "refs").mkdir()
    (cache / "models--parsclaim--tiny" / "refs" / "main").write_text(commit)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(cache)}
    script = ("from parsclaim.inference.extractor import Extractor\n"
              "e = Extractor.from_pretrained('parsclaim/tiny', device='cpu')\n"
              "print(len(e.extract(['سلام ۵ نفر'])))\n"
              "try:\n    Extractor.from_pretrained('parsclaim/absent', device='cpu')\n"
              "except OSError as error:\n    print('ERROR', error)\n")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "1"
    assert "ERROR could not fetch 'parsclaim/absent'" in result.stdout


def test_split_entities_rejoin_but_neighbouring_places_stay_apart():
    from parsclaim.inference.extractor import rejoin_split_entities

    text = "شرکت گاز کردستان در محله سیدآباد گنبدکاووس"
    def span(part, label, score=0.9):
        start = text.index(part)
        return {"start": start, "end": start + len(part), "label": label, "score": score}
    joined = rejoin_split_entities([span("شرکت", "ORG"), span("گاز کردستان", "ORG", 0.7), span("سیدآباد", "LOC"), span("گنبدکاووس", "LOC")], text)
    assert [(text[s["start"]:s["end"]], s["label"]) for s in joined] == [("شرکت گاز کردستان", "ORG"), ("سیدآباد", "LOC"), ("گنبدکاووس", "LOC")]
    assert joined[0]["score"] == 0.7


def test_quantities_rejoin_only_when_a_piece_has_no_number():
    from parsclaim.inference.extractor import rejoin_split_entities

    text = "قیمت ۸۱ میلیون تومان ۸۲ میلیون تومان و ۲ میلیون تومان شد"
    def span(part, start_at=0):
        start = text.index(part, start_at)
        return {"start": start, "end": start + len(part), "label": "QUANTITY", "score": 0.9}
    pieces = [span("۸۱ میلیون تومان"), span("۸۲ میلیون تومان"), span("۲ میلیون", text.index(" و ")), span("تومان", text.index(" و "))]
    joined = rejoin_split_entities(pieces, text)
    assert [text[s["start"]:s["end"]] for s in joined] == ["۸۱ میلیون تومان", "۸۲ میلیون تومان", "۲ میلیون تومان"]


def test_unreadable_quantity_spans_are_cut_to_the_quantities_inside():
    from parsclaim.inference.extractor import fit_quantity_spans

    text = "دلار ۳۱ هزار و ۴۵۹ ریال ، پوند ۴۰ هزار و ۸۰۹ ریال و یورو ۳۵ هزار و ۳۶۲ ریال ؛ ۴۲۰ هزار کتاب و ۴ , ۵۶ ریال ، ریال"
    def span(part, label="QUANTITY"):
        start = text.index(part)
        return {"start": start, "end": start + len(part), "label": label, "score": 0.9}
    predicted = [span("دلار", "ORG"), span("۳۱ هزار و ۴۵۹ ریال ،"), span("۴۰ هزار و ۸۰۹ ریال و یورو ۳۵ هزار و ۳۶۲ ریال"),
                 span("۴۲۰ هزار کتاب"), span("۴ , ۵۶ ریال ، ریال")]
    fitted = fit_quantity_spans(predicted, text)
    assert [(text[s["start"]:s["end"]], s["label"]) for s in fitted] == [
        ("دلار", "ORG"), ("۳۱ هزار و ۴۵۹ ریال", "QUANTITY"), ("۴۰ هزار و ۸۰۹ ریال", "QUANTITY"), ("۳۵ هزار و ۳۶۲ ریال", "QUANTITY"),
        ("۴۲۰ هزار", "QUANTITY"),  # the counted noun the head took in is left outside (SPEC §1)
        ("۴ , ۵۶ ریال ، ریال", "QUANTITY"),  # "۴ ," would be left outside with its digit: kept
    ]
    readable = [span("۳۱ هزار و ۴۵۹ ریال")]
    assert fit_quantity_spans(readable, text) == readable
    # a currency word alone is no QUANTITY (no gold one lacks a number); vague numbers stay
    assert fit_quantity_spans([span("دلار"), span("پوند")], text) == []
    text = "نرخ دلار و صدها نفر و ۳ هزار لیتر در ثانیه"
    assert [text[s["start"]:s["end"]] for s in fit_quantity_spans(
        [span("دلار"), span("صدها نفر"), span("ثانیه"), span("۳ هزار لیتر")], text)] == ["صدها نفر", "۳ هزار لیتر"]


@pytest.mark.parametrize("predicted, expected", [
    ("۸ سارق", "۸"),
    ("۲۲ هزار قربانی", "۲۲ هزار"),
    ("۱۵ اصلاحیه جدید", "۱۵"),
    ("۴۲۰ هزار کتاب درسی نو", "۴۲۰ هزار کتاب درسی نو"),  # three words after it: not a counted noun, kept
    ("۵ نفر", "۵ نفر"),  # readable: untouched
    ("۱۲ سارق ۵ نفر", "۱۲ سارق ۵ نفر"),  # a digit after the cut: kept
    ("سارق", "سارق"),  # no number: nothing to cut to
])
def test_a_counted_noun_taken_into_a_quantity_is_left_outside(predicted, expected):
    from parsclaim.inference.extractor import _without_counted_noun

    text = f"در این عملیات {predicted} شناسایی شدند."
    start = text.index(predicted)
    assert text[start:_without_counted_noun(text, start, start + len(predicted))] == expected


@pytest.mark.parametrize("predicted, expected", [
    ("سید هادی حسینی", "هادی حسینی"),
    ("سيد مرتضي بختياري", "مرتضي بختياري"),
    ("حضرت معصومه (س)", "معصومه"),
    ("آیت‌الله سید احمد خاتمی", "احمد خاتمی"),
    ("امام خمینی (ره)", "خمینی"),
    ("سیدضیاء هاشمی", "سیدضیاء هاشمی"),  # glued: stays whole (GUIDELINES §4b)
    ("سید", "سید"),  # nothing would be left
    ("سیدنی شلدون", "سیدنی شلدون"),
])
def test_honorifics_and_blessings_stay_outside_a_person(predicted, expected):
    from parsclaim.inference.extractor import trim_person_titles

    text = f"به گفته {predicted} دیروز"
    start = text.index(predicted)
    spans = [{"start": start, "end": start + len(predicted), "label": "PER", "score": 0.9},
             {"start": start, "end": start + len(predicted), "label": "ORG", "score": 0.9}]
    person, other = trim_person_titles(spans, text)
    assert text[person["start"]:person["end"]] == expected
    assert (other["start"], other["end"]) == (start, start + len(predicted))  # only PER is trimmed


@pytest.mark.parametrize("predicted, expected", [
    ("مسئول نمایندگی ولی فقیه در", "مسئول نمایندگی ولی فقیه"),
    ("از دوشنبه", "دوشنبه"),
    ("کمیسیون اجتماعی مجلس و", "کمیسیون اجتماعی مجلس"),
    ("در استان و", "استان"),
    ("وزارت ورزش", "وزارت ورزش"),  # "و" begins a word here, not the span
    ("و", "و"),  # nothing would be left
])
def test_no_entity_begins_or_ends_with_a_preposition_or_conjunction(predicted, expected):
    from parsclaim.inference.extractor import trim_function_words

    text = f"گفته شد {predicted} امروز"
    start = text.index(predicted)
    (span,) = trim_function_words([{"start": start, "end": start + len(predicted), "label": "ROLE", "score": 0.9}], text)
    assert text[span["start"]:span["end"]] == expected


def test_the_scheme_heads_keep_their_corpora_conventions_for_honorifics(tmp_path, monkeypatch):
    # PEYMA and ARMAN put "سید" inside PER and begin entities with "از": a scheme head's spans keep them
    from parsclaim.inference import extractor as extractor_module
    from parsclaim.models.configuration import ParsclaimConfig
    from parsclaim.models.modeling import ParsclaimForTokenClassification
    from tiny_models import tiny_bert_config, tiny_tokenizer

    tokenizer = tiny_tokenizer()
    model = ParsclaimForTokenClassification(ParsclaimConfig.from_encoder(tiny_bert_config(len(tokenizer)), scheme_heads=["peyma"]))
    model.tokenizer = tokenizer
    model.save_pretrained(tmp_path)
    calls = []
    for name in ("trim_person_titles", "trim_function_words"):
        original = getattr(extractor_module, name)
        monkeypatch.setattr(extractor_module, name, lambda spans, text, name=name, original=original: calls.append(name) or original(spans, text))
    extractor = Extractor.from_pretrained(str(tmp_path))
    text = "سید هادی حسینی گفت: ۵ نفر آمدند."
    extractor.extract(text)
    extractor.extract(text, entity_scheme="parsclaim")
    assert sorted(calls) == ["trim_function_words"] * 2 + ["trim_person_titles"] * 2
    extractor.extract(text, entity_scheme="peyma")
    assert len(Extractor.from_pretrained(str(tmp_path), entity_scheme="peyma").extract([text, text])) == 2
    assert len(calls) == 4


def test_a_quantity_takes_in_the_unit_or_classifier_after_it():
    from parsclaim.inference.extractor import extend_quantities_to_units

    text = "فوت ۲۱ نفر و ۳۴ عنوان برنامه، ۴۲۰ هزار کتاب، ۵ درصد ۶ درصد و ۷ نفر"
    def span(part, label="QUANTITY", occurrence=0):
        start = text.index(part) if not occurrence else text.index(part, text.index(part) + 1)
        return {"start": start, "end": start + len(part), "label": label, "score": 0.9}
    predicted = [span("۲۱"), span("۳۴"), span("۴۲۰ هزار"), span("۵"), span("۶ درصد"), span("۷"), span("نفر", "ORG", occurrence=1)]
    assert [text[s["start"]:s["end"]] for s in extend_quantities_to_units(predicted, text)] == [
        "۲۱ نفر", "۳۴ عنوان",
        "۴۲۰ هزار",  # a counted noun stays outside
        "۵ درصد", "۶ درصد",
        "۷",  # never over the next entity
        "نفر",
    ]
    assert extend_quantities_to_units([span("۵ درصد", "ORG")], text) == [span("۵ درصد", "ORG")]  # only QUANTITY


def test_claim_pieces_merge_within_a_sentence_and_short_noise_is_dropped():
    from parsclaim.inference.extractor import merge_claim_pieces

    text = "وی گفت: تولید برق امسال ۱۰ درصد افزایش یافت. او افزود: است"
    first, second = text.index("تولید"), text.index("۱۰")
    pieces = [{"start": first, "end": first + len("تولید برق امسال"), "label": "CLAIM", "score": 0.8},
              {"start": second, "end": text.index("."), "label": "CLAIM", "score": 0.6},
              {"start": text.rindex("است"), "end": len(text), "label": "CLAIM", "score": 0.9}]
    (claim,) = merge_claim_pieces(pieces, [], text)
    assert text[claim["start"]:claim["end"]] == "تولید برق امسال ۱۰ درصد افزایش یافت"
    # A cue between two pieces keeps them apart even without a sentence end.
    text = "وزیر گفت تولید برق بالا رفت و معاون افزود صادرات گاز کم شد"
    a, b, cue = text.index("تولید"), text.index("صادرات"), text.index("افزود")
    pieces = [{"start": a, "end": text.index(" و معاون"), "label": "CLAIM", "score": 0.8},
              {"start": b, "end": len(text), "label": "CLAIM", "score": 0.8}]
    assert len(merge_claim_pieces(pieces, [{"start": cue, "end": cue + 5}], text)) == 2
    assert len(merge_claim_pieces(pieces, [], text)) == 1
    # a decimal split by a line break ("۱.\n۷", IR-News) ends no sentence; a sentence's point does
    for text, made in [("بانک گفت: ژاپن امروز به بازار ۱.\n۷ تریلیون ین داد", 1),
                       ("بانک گفت: ژاپن امروز به بازار ۱۷ ین داد.\n۷ تریلیون ین داد", 2)]:
        cut = text.index("\n") + 1
        pieces = [{"start": text.index("ژاپن"), "end": cut - (1 if made == 1 else 2), "label": "CLAIM", "score": 0.8},
                  {"start": cut, "end": len(text), "label": "CLAIM", "score": 0.8}]
        assert len(merge_claim_pieces(pieces, [], text)) == made, text


@pytest.mark.parametrize("stdin, ids", [
    ('{"id": "x1", "text": "وزیر گفت: ۵ نفر آمدند."}\n{"text": "۶ نفر"}\n{"id": "x3"}\n', ["x1", "stdin:2", "x3"]),
    ("وزیر گفت: ۵ نفر آمدند.\nخط دوم.", ["stdin"]),
])
def test_stdin_is_jsonl_or_one_text(model_dir, tmp_path, monkeypatch, stdin, ids):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    out = tmp_path / "out.jsonl"
    assert tag_main(["-", "--model", str(model_dir), "-o", str(out), "--no_progress"]) == 0
    assert [line["id"] for line in read_lines(out)] == ids


def test_decoding_is_checked_and_both_decodings_tag(model_dir, tmp_path, capsys):
    with pytest.raises(ValueError, match="decoding must be one of"):
        Extractor.from_pretrained(model_dir, device="cpu", decoding="beam")
    assert tag_main(["-", "--model", str(model_dir), "--decoding", "beam"]) == 2
    assert "--decoding must be one of viterbi, argmax" in capsys.readouterr().err
    for method in ("viterbi", "argmax"):
        out = tmp_path / f"{method}.jsonl"
        assert tag_main([str(EXAMPLE_ARTICLE), "--model", str(model_dir), "-o", str(out), "--decoding", method, "--no_progress"]) == 0
        assert validate_article(read_lines(out)[0]) == []


def test_precision_is_checked(model_dir):
    with pytest.raises(ValueError, match="precision must be one of"):
        Extractor.from_pretrained(model_dir, device="cpu", precision="float8")
    for precision, dtype in (("float32", torch.float32), ("bfloat16", torch.bfloat16)):
        extractor = Extractor.from_pretrained(model_dir, device="cpu", precision=precision)
        assert extractor.model.dtype == dtype  # bfloat16 weights, not autocast
        assert validate_article(extractor.extract(TEXT)) == []


def test_fixed_shape_batches_give_the_same_predictions(model_dir, monkeypatch):
    extractor = Extractor.from_pretrained(model_dir, device="cpu", precision="float32", batch_size=4)
    # 1, 3 and more windows: partial batches; short texts and last windows share rows
    texts = [TEXT * 6, "به گزارش ایرنا، بارش‌ها ۱۰ درصد کم شد.", TEXT, "خبر کوتاه.", "وزیر گفت: ۱۹ هزار نفر آمدند."]
    model, tokenizer = extractor.model, extractor.tokenizer
    free = model.predict(texts, tokenizer, batch_size=4, max_length=64, stride=16)
    rows = []
    batch_inputs = modeling.batch_inputs
    monkeypatch.setattr(modeling, "batch_inputs", lambda batch, *args: rows.extend(batch) or batch_inputs(batch, *args))
    fixed = model.predict(texts, tokenizer, batch_size=4, max_length=64, stride=16, fixed_shape=True)
    assert any(len(row) > 1 for row in rows)  # packing took place
    for a, b in zip(free, fixed):
        assert a.entity_tags == b.entity_tags and a.claim_tags == b.claim_tags
        assert a.entity_scores == pytest.approx(b.entity_scores, abs=1e-5)


@pytest.mark.skipif(not (shutil.which("g++") or shutil.which("clang++")), reason="torch.compile needs a C++ compiler")
def test_a_compiled_extractor_tags_like_an_eager_one(model_dir):
    eager = Extractor.from_pretrained(model_dir, device="cpu", precision="float32")
    compiled = Extractor.from_pretrained(model_dir, device="cpu", precision="float32", compile=True)
    texts = [TEXT * 8, TEXT]
    for a, b in zip(eager._predict(texts, None), compiled._predict(texts, None)):
        assert a.entity_tags == b.entity_tags and a.claim_tags == b.claim_tags
        assert a.entity_scores == pytest.approx(b.entity_scores, abs=1e-4)
    assert compiled.extract(TEXT)["entities"] == eager.extract(TEXT)["entities"]


def test_a_failed_compile_is_a_clear_error(model_dir, monkeypatch):
    def no_compiler(*args, **kwargs):
        raise RuntimeError("C++ compile error")

    extractor = Extractor.from_pretrained(model_dir, device="cpu", precision="float32")
    monkeypatch.setattr(type(extractor.model), "predict", no_compiler)  # compiling happens in the first call
    with pytest.raises(RuntimeError, match="Run without compile"):
        Extractor(extractor.model, extractor.tokenizer, compile=True)


def test_entity_edges_lose_separators_and_unmatched_brackets():
    from parsclaim.inference.extractor import trim_span_edges

    text = "امام هفتم شیعیان، یک‌شنبه ۱۲ اردیبهشت در پل احمد (خلیل‌آباد) و کمیته امداد امام خمینی (ره) بند ۹. موکب (عج) ،"
    def span(part, label):
        start = text.index(part)
        return {"start": start, "end": start + len(part), "label": label, "score": 0.9}
    predicted = [span("، یک‌شنبه ۱۲ اردیبهشت", "DATE"), span("پل احمد (", "LOC"), span("کمیته امداد امام خمینی (ره)", "ORG"),
                 span("۹.", "QUANTITY"), span("عج)", "ORG"), span(" ،", "ORG")]
    trimmed = trim_span_edges(predicted, text)
    assert [(text[s["start"]:s["end"]], s["label"]) for s in trimmed] == [
        ("یک‌شنبه ۱۲ اردیبهشت", "DATE"), ("پل احمد", "LOC"), ("کمیته امداد امام خمینی (ره)", "ORG"), ("۹", "QUANTITY"), ("عج", "ORG")]
    assert all(s["score"] == 0.9 for s in trimmed)


def test_int8_quantizes_the_encoder_and_keeps_float32_heads(model_dir):
    from torch.ao.nn.quantized.dynamic import Linear as Int8Linear

    model, tokenizer = modeling.load_model_and_tokenizer(model_dir)
    model.add_scheme_heads(["peyma"])  # a scheme head reads the quantized encoder's hidden states
    inputs = tokenizer([TEXT * 2], return_tensors="pt", truncation=True, max_length=128)
    with torch.inference_mode():
        expected = model(**inputs, scheme_id=torch.tensor([1]))
    int8 = Extractor(model, tokenizer, precision="int8", entity_scheme="peyma")
    encoder_linears = {type(m) for m in model.encoder.modules() if isinstance(m, (torch.nn.Linear, Int8Linear))}
    assert encoder_linears == {Int8Linear}
    assert type(model.classifier) is type(model.claim_classifier) is type(model.scheme_heads["peyma"].classifier) is torch.nn.Linear
    with torch.inference_mode():
        got = model(**inputs, scheme_id=torch.tensor([1]))
    for a, b in ((expected.entity_logits, got.entity_logits), (expected.claim_logits, got.claim_logits)):
        assert not torch.equal(a, b) and (a - b).abs().max() < 0.01 * a.abs().max()
    assert validate_article(int8.extract(TEXT)) == []


def test_int8_is_refused_off_the_cpu(model_dir, monkeypatch):
    model, tokenizer = modeling.load_model_and_tokenizer(model_dir)
    monkeypatch.setattr(type(model), "device", property(lambda self: torch.device("cuda")))
    with pytest.raises(ValueError, match="'int8' is for CPU inference"):
        Extractor(model, tokenizer, precision="int8")


def test_text_files_in_utf16_or_with_a_bom_are_read_and_windows_1256_gets_a_hint(tmp_path):
    from parsclaim.inference.batch import decode_text, read_jsonl_lines

    text = "وزیر بهداشت گفت ۱۲ هزار نفر"
    assert decode_text(b"\xef\xbb\xbf" + text.encode()) == (text, None)
    assert decode_text(text.encode("utf-16")) == (text, None)  # Windows "Unicode": a BOM, then UTF-16
    assert decode_text(b"\xfe\xff" + text.encode("utf-16-be")) == (text, None)
    _, error = decode_text(text.encode("cp1256", errors="replace"))  # 1256 lacks ی and Persian digits
    assert error.startswith("not UTF-8 (byte 0)") and "iconv -f WINDOWS-1256 -t UTF-8" in error
    assert decode_text("café olé".encode("latin-1")) == (None, "not UTF-8 (byte 3)")  # no hint: not Persian
    assert decode_text(b"\x89PNG\x00\x00") == (None, "not text (binary file)")
    (record,) = read_jsonl_lines([b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": text}).encode()], "x.jsonl")
    assert (record.id, record.text, record.error) == ("a", text, None)


def test_csv_and_tsv_inputs_give_one_record_per_row(tmp_path):
    import csv

    from parsclaim.inference.batch import iter_records

    long_text = "وزیر نفت گفت " + "صادرات افزایش یافت. " * 8000  # a cell far above csv's 128 KiB default limit
    with open(tmp_path / "articles.csv", "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "text"])
        writer.writerows([["x1", "a", "خط اول،\n\"نقل قول\" و ۵۰ درصد"], ["", "b", long_text], ["x3", "c", " "]])
    (tmp_path / "articles.tsv").write_text("text\nسخنگوی دولت گفت ۱۰ هزار نفر آمدند.\n", encoding="utf-8")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    records = list(iter_records([str(tmp_path / "articles.csv"), str(tmp_path / "articles.tsv"), str(tmp_path / "other.csv")]))
    assert [(r.id, r.error) for r in records] == [("x1", None), ("articles.csv:3", None), ("x3", "empty text"),
                                                  ("articles.tsv:2", None), ("other.csv", "no 'text' column (columns: a, b)")]
    assert records[0].text == "خط اول،\n\"نقل قول\" و ۵۰ درصد" and records[1].text == long_text


def test_trim_keeps_the_minus_glued_to_a_quantity_and_drops_a_list_dash():
    from parsclaim.data.quantities import parse_quantity
    from parsclaim.inference.extractor import fit_quantity_spans, trim_span_edges

    text = "تورم -۲.۵ درصد و رشد −۳ درصد، (–۱ درصد)، مدل A-5، ۱۰-۱۵ درصد، کد -۷\n- ۶۰ درصد"
    def span(part, label="QUANTITY"):
        start = text.index(part)
        return {"start": start, "end": start + len(part), "label": label, "score": 0.9}
    predicted = [span("-۲.۵ درصد"), span(" −۳ درصد"), span("–۱ درصد"), span("-5"), span("-۱۵ درصد"),
                 span("-۷", "MISC"), span("- ۶۰ درصد")]
    spans = fit_quantity_spans(trim_span_edges(predicted, text), text)
    assert [(text[s["start"]:s["end"]], s["label"]) for s in spans] == [
        ("-۲.۵ درصد", "QUANTITY"), ("−۳ درصد", "QUANTITY"), ("–۱ درصد", "QUANTITY"), ("5", "QUANTITY"),
        ("۱۵ درصد", "QUANTITY"), ("۷", "MISC"), ("۶۰ درصد", "QUANTITY")]
    assert [parse_quantity(text[s["start"]:s["end"]]).value for s in spans[:3]] == [-2.5, -3, -1]


def test_fit_quantity_spans_takes_back_the_minus_the_head_left_out():
    from parsclaim.inference.extractor import fit_quantity_spans

    text = "تورم -۲.۵ درصد، رشد −۳ درصد، ۱۰-۱۵ درصد، ۱۰ -۱۲ درصد، مدل A-5، کد -۷"
    def span(part, label="QUANTITY"):
        start = text.index(part)
        return {"start": start, "end": start + len(part), "label": label, "score": 0.9}
    predicted = [span("۲.۵ درصد"), span("۳ درصد"), span("۱۵ درصد"), span("۱۲ درصد"), span("5"), span("۷", "MISC")]
    assert [text[s["start"]:s["end"]] for s in fit_quantity_spans(predicted, text)] == [
        "-۲.۵ درصد", "−۳ درصد", "۱۵ درصد", "۱۲ درصد", "5", "۷"]
