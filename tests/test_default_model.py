"""The bundled default model: within the size limit, safetensors only, and it tags the example article."""

from __future__ import annotations

import json

import pytest

from parsclaim.data.schema import ENTITY_TAGS
from parsclaim.inference import cli as tag_cli
from parsclaim.inference.cli import DEFAULT_MODEL, EXAMPLE_ARTICLE
from parsclaim.inference.extractor import Extractor
from parsclaim.data.normalize import LINE_BREAK
from parsclaim.models.configuration import ParsclaimConfig

SIZE_LIMIT = 60_000_000  # bytes: "at most 60 MB on disk", read in decimal megabytes


def test_within_the_size_limit_and_safetensors_only():
    files = [path for path in DEFAULT_MODEL.rglob("*") if path.is_file()]
    assert sum(path.stat().st_size for path in files) <= SIZE_LIMIT
    weights = [path.name for path in files if path.suffix in {".safetensors", ".bin", ".pt", ".pth", ".pkl", ".ckpt"}]
    assert weights == ["model.safetensors"]


def test_config_labels_come_from_the_schema_and_heads_load():
    config = ParsclaimConfig.from_pretrained(DEFAULT_MODEL)
    assert config.entity_tags == list(ENTITY_TAGS)
    assert set(config.scheme_head_layers) == set(config.scheme_heads)  # every head has a recorded depth
    assert config.metrics, "the card's scores are recorded in config.json"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_pretrained(str(DEFAULT_MODEL), device="cpu")


def test_the_readme_command_tags_the_example_article(tmp_path, capsys):
    out = tmp_path / "example.jsonl"
    assert tag_cli.main(["--example", "--summary", "-o", str(out), "--no_progress"]) == 0
    (article,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    text = EXAMPLE_ARTICLE.read_text(encoding="utf-8")
    assert article["text"] == text
    labels = {entity["label"] for entity in article["entities"]}
    assert {"PER", "ROLE", "ORG", "QUANTITY"} <= labels
    for entity in article["entities"]:
        assert 0 <= entity["start"] < entity["end"] <= len(text) and text[entity["start"]:entity["end"]].strip()
    assert article["officials"] and any(claim["claimant"] for claim in article["claims"])
    assert "officials:" in capsys.readouterr().err  # the summary goes to stderr, beside the JSONL


@pytest.mark.parametrize("scheme", ["peyma", "arman"])
def test_each_scheme_head_tags(extractor, scheme):
    text = "رئیس‌جمهور ایران در تهران با وزیر امور خارجه فرانسه دیدار کرد."
    (article,) = extractor.extract([text], entity_scheme=scheme)
    assert any(entity["label"] == "LOC" for entity in article["entities"])


# A bibliography and a name on the line after an organization: the heads read "\n" as a space and
# used to run quantities, an ORG and a claim on across the line breaks.
MULTI_LINE = ("منابع و مآخذ\n1. مطهری، مرتضی، عدل الهی، تهران: انتشارات صدرا، چ2، 1361.\n"
              "2. مفید، محمد بن نعمان، المقنعه، قم: مؤسسه النشر الاسلامی، چ4، 1417ق.\n"
              "3. نراقی، احمد، مستند الشیعه، ج16، قم: مؤسسه آل البیت، 1419ق.\n"
              "4. هاشمی، حسین، مبانی فقهی و حقوقی مجمع تشخیص مصلحت نظام، قم: مرکز مطالعات، 1381.\n"
              "5. هدایت نیا، فرج الله، عناوین ثانویه و حقوق خانواده، قم: پژوهشگاه فرهنگ و اندیشه، 1392.\n"
              "دانشجوی دکتری دانشگاه پیام نور\nمحمود فلاح\n"
              "رئیس دانشگاه تهران گفت: امسال ۱۲ هزار دانشجو پذیرفته شدند.")


@pytest.mark.parametrize("decoding", ["viterbi", "argmax"])
def test_no_span_runs_across_a_line_break(decoding):
    extractor = Extractor.from_pretrained(str(DEFAULT_MODEL), device="cpu", decoding=decoding)
    for text in (MULTI_LINE, MULTI_LINE.replace("\n", "\r\n"), MULTI_LINE.replace("\n", "\u2029")):
        article = extractor.extract(text)
        spans = article["entities"] + article["claims"] + [c["cue"] for c in article["claims"] if c.get("cue")]
        pieces = [text[s["start"]:s["end"]] if isinstance(s, dict) else text[s[0]:s[1]] for s in spans]
        assert article["entities"] and not [piece for piece in pieces if LINE_BREAK.search(piece)]


def test_int8_gives_each_article_the_same_result_alone_and_in_a_batch():
    # int8 quantizes activations per batch: batched with other articles, an article's windows used to
    # share a scale with theirs, and 17 of 68 gold dev articles got other spans than alone.
    from pathlib import Path

    from parsclaim.data.corpus import load_articles

    corpus = Path(__file__).resolve().parents[1] / "corpus" / "dev.jsonl"
    texts = [article["text"] for article in load_articles(corpus)][:16]
    extractor = Extractor.from_pretrained(str(DEFAULT_MODEL), device="cpu", precision="int8")
    ids = [f"a{i}" for i in range(len(texts))]
    batched = extractor.extract(texts, ids=ids)
    alone = [extractor.extract([text], ids=[i])[0] for i, text in zip(ids, texts)]
    assert batched == alone
