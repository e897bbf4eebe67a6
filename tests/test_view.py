"""ArticleView: how every output names officials and claimants."""

import json

from parsclaim.inference.cli import summarize
from parsclaim.inference.html import claimant_label, render_html
from parsclaim.inference.table import TableArguments, write_table
from parsclaim.inference.view import ArticleView

TEXT = "وزیر کشور و وزیر\u200cکشور گفت"
ARTICLE = {
    "id": "a1", "text": TEXT,
    "entities": [{"id": "e1", "start": 0, "end": 9, "label": "ROLE"}, {"id": "e2", "start": 12, "end": 21, "label": "ROLE"}],
    "officials": [{"id": "o1", "name": None, "roles": ["e1", "e2"], "orgs": [], "mentions": ["e1", "e2"]}],
    "claims": [{"id": "c1", "start": 0, "end": 21, "cue": [22, 25], "claimant": "o1", "quantities": []},
               {"id": "c2", "start": 0, "end": 4, "cue": None, "claimant": None, "quantities": []}],
}


def test_a_nameless_official_is_named_by_its_first_title_and_repeats_are_dropped():
    view = ArticleView(ARTICLE)
    assert view.official_name(ARTICLE["officials"][0]) == "وزیر کشور"
    assert view.claimant("o1") == ("وزیر کشور", "وزیر کشور", "")  # "وزیر‌کشور" differs only by a ZWNJ
    assert view.claimant("e2") == ("وزیر\u200cکشور", "", "")  # older files: the claimant is an entity
    assert view.claimant(None) == ("", "", "") and view.surface("e9") == ""


def test_every_output_names_the_claimant_the_same_way(tmp_path):
    view = ArticleView(ARTICLE)
    assert claimant_label(view, "o1") == "وزیر کشور" and claimant_label(view, None) == "بدون گوینده"
    assert "c1 [وزیر کشور | گفت]" in summarize(ARTICLE) and "o1: (unnamed) — وزیر کشور" in summarize(ARTICLE)
    assert "<b>وزیر کشور</b>" in render_html(ARTICLE)
    source = tmp_path / "tagged.jsonl"
    source.write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    write_table([str(source)], TableArguments(output=str(tmp_path / "claims.csv"), bom=False))
    rows = (tmp_path / "claims.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("a1,c1,وزیر کشور,وزیر کشور,,گفت,")
