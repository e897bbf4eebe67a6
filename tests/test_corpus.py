import copy
import json

import pytest

from parsclaim.data.corpus import load_articles, validate_article, validate_file
from parsclaim.data.cli import main as data_main

ARTICLE = {
    "id": "a1",
    "text": "وزیر نیرو گفت: ۱۹هزار سازمان فعال هستند.",
    "entities": [
        {"id": "e1", "start": 0, "end": 9, "label": "ROLE"},
        {"id": "e2", "start": 15, "end": 21, "label": "QUANTITY", "value": 19000, "unit": None},
    ],
    "officials": [{"id": "o1", "mentions": ["e1"], "name": None, "roles": ["e1"], "orgs": []}],
    "claims": [{"id": "c1", "start": 15, "end": 39, "cue": [10, 13], "claimant": "o1", "quantities": ["e2"]}],
}


def damaged(change) -> dict:
    article = copy.deepcopy(ARTICLE)
    change(article)
    return article


def test_valid_article_has_no_problems():
    assert ARTICLE["text"][15:39] == "۱۹هزار سازمان فعال هستند"
    assert validate_article(ARTICLE) == []


def test_seed_is_valid(seed_path):
    assert validate_file(seed_path) == []


@pytest.mark.parametrize(
    "change, field, words",
    [
        (lambda a: a["entities"].append({"id": "e3", "start": 5, "end": 9, "label": "ORG"}), "entities", "overlaps"),
        (lambda a: a["entities"][0].update(end=99), "entities[0] (e1)", "out of range"),
        (lambda a: a["entities"][0].update(start=-1), "entities[0] (e1)", "out of range"),
        (lambda a: a["entities"][0].update(end=10), "entities[0] (e1)", "padded with whitespace"),
        (lambda a: a["entities"][0].update(label="PERSON"), "entities[0] (e1)", "unknown label"),
        (lambda a: a["entities"][1].update(id="e1"), "entities[1] (e1)", "duplicate entity id"),
        (lambda a: a["officials"][0].update(mentions=["e9"]), "officials[0] (o1).mentions", "dangling"),
        (lambda a: a["officials"][0].update(orgs=["e1"]), "officials[0] (o1).orgs", "expected ORG"),
        (lambda a: a["claims"][0].update(claimant="o7"), "claims[0] (c1).claimant", "dangling"),
        (lambda a: a["claims"][0].update(quantities=["e7"]), "claims[0] (c1).quantities", "dangling"),
        (lambda a: a["claims"][0].update(start=22), "claims[0] (c1).quantities", "outside the claim"),
        (lambda a: a["claims"][0].update(cue=[10, 16]), "claims[0] (c1).cue", "overlaps the claim"),
        (lambda a: a["claims"].append(dict(a["claims"][0])), "claims[1] (c1)", "duplicate claim id"),
        (lambda a: a.pop("text"), "text", "required"),
        (lambda a: a["entities"][1].update(value="many"), "entities[1] (e2).value", "must be a number"),
    ],
)
def test_each_problem_is_reported_with_its_field(change, field, words):
    problems = validate_article(damaged(change))
    assert any(f == field and words in message for f, message in problems), problems


def test_file_level_problems_name_line_and_article(tmp_path):
    path = tmp_path / "bad.jsonl"
    bad_label = damaged(lambda a: a["entities"][0].update(label="X"))
    path.write_text("\n".join([json.dumps(ARTICLE, ensure_ascii=False), "{not json", json.dumps(ARTICLE, ensure_ascii=False), json.dumps(bad_label | {"id": "a2"}, ensure_ascii=False)]) + "\n", encoding="utf-8")
    messages = [str(p) for p in validate_file(path)]
    assert any(":2:" in m and "invalid JSON" in m for m in messages)
    assert any(":3:" in m and "'a1'" in m and "duplicate article id" in m for m in messages)
    assert any(":4:" in m and "'a2'" in m and "unknown label" in m for m in messages)


def test_validate_command_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(damaged(lambda a: a["entities"][0].update(end=99)), ensure_ascii=False) + "\n", encoding="utf-8")
    assert data_main(["validate", str(good)]) == 0
    assert data_main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "article 'a1'" in out and "entities[0] (e1)" in out and "out of range" in out


def test_round_trip_keeps_extra_keys(tmp_path):
    from parsclaim.data.corpus import write_jsonl

    article = damaged(lambda a: a["entities"][0].update(score=0.9))
    write_jsonl([article], tmp_path / "x.jsonl")
    assert load_articles(tmp_path / "x.jsonl") == [article]
