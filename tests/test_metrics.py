"""score(): gold against itself is perfect, and every kind of damage lowers its metric."""

from __future__ import annotations

import copy
import json

import pytest

from parsclaim.data.schema import ENTITY_LABELS
from parsclaim.evaluate.metrics import match_by_overlap, same_value, score, word_bio
from parsclaim.evaluate.report import render_markdown



def _f1s(report: dict) -> dict[str, float]:
    """Every headline number of a report, flattened."""
    return {
        "entity_exact": report["entities"]["exact"]["micro"]["f1"],
        "entity_seqeval": report["entities"]["seqeval_word_strict"]["micro"]["f1"],
        "content_exact": report["claims"]["content_exact"]["f1"],
        "content_overlap": report["claims"]["content_overlap"]["f1"],
        "cue_exact": report["claims"]["cue_exact"]["f1"],
        "attribution": report["attribution"]["accuracy"],
        "quantities": report["quantities"]["accuracy"],
        "name_role": report["officials"]["name_role"]["f1"],
        "role_org": report["officials"]["role_org"]["f1"],
        "clusters": report["officials"]["clusters"]["f1"],
    }


def _entity(article: dict, text: str, label: str | None = None) -> dict:
    return next(e for e in article["entities"] if article["text"][e["start"] : e["end"]] == text and (label is None or e["label"] == label))


def test_gold_against_itself_is_perfect(seed):
    report = score([seed], [copy.deepcopy(seed)])
    assert all(v == 1.0 for v in _f1s(report).values()), _f1s(report)
    for label in ENTITY_LABELS:
        assert report["entities"]["exact"]["per_label"][label]["f1"] == 1.0
        assert report["entities"]["seqeval_word_strict"]["per_label"][label]["f1"] == 1.0
    assert report["quantities"]["gold_with_value"] == report["quantities"]["correct"] == 12
    assert report["attribution"]["correct"] == 8
    assert report["windows"] == {"windows": 0, "truncated_spans": 0}
    json.dumps(report)  # plain JSON


def test_empty_article_against_itself_is_perfect():
    article = {"id": "a", "text": "متن بدون برچسب", "entities": []}
    assert all(v == 1.0 for v in _f1s(score([article], [article])).values())


def _damaged(seed: dict, damage) -> dict:
    pred = copy.deepcopy(seed)
    damage(pred)
    return score([seed], [pred])


def test_dropped_entity_lowers_recall(seed):
    report = _damaged(seed, lambda p: p["entities"].remove(_entity(p, "عصر امروز")))
    assert report["entities"]["exact"]["per_label"]["DATE"]["recall"] < 1.0
    assert report["entities"]["seqeval_word_strict"]["per_label"]["DATE"]["recall"] < 1.0
    assert report["entities"]["confusion"]["counts"]["DATE"]["missed"] == 1


def test_shifted_boundary_counts_as_error(seed):
    def shift(p):
        _entity(p, "عصر امروز")["end"] -= 2  # ends inside a word
    report = _damaged(seed, shift)
    assert report["entities"]["exact"]["micro"]["f1"] < 1.0
    # the word view widens the span back to whole words: only exact matching sees it
    assert report["entities"]["seqeval_word_strict"]["micro"]["f1"] == 1.0
    assert report["entities"]["confusion"]["counts"]["spurious"]["DATE"] == 1


def test_relabel_shows_in_confusion(seed):
    report = _damaged(seed, lambda p: _entity(p, "گنبدکاووس").update(label="ORG"))
    assert report["entities"]["exact"]["per_label"]["LOC"]["recall"] < 1.0
    assert report["entities"]["exact"]["per_label"]["ORG"]["precision"] < 1.0
    assert report["entities"]["confusion"]["counts"]["LOC"]["ORG"] == 1


def test_dropped_claim(seed):
    report = _damaged(seed, lambda p: p["claims"].pop(3))
    assert report["claims"]["content_exact"]["recall"] < 1.0
    assert report["claims"]["content_overlap"]["recall"] < 1.0
    assert report["claims"]["cue_exact"]["recall"] < 1.0
    assert report["attribution"]["found"] == 7


def test_shifted_claim_still_overlaps(seed):
    report = _damaged(seed, lambda p: p["claims"][3].update(end=p["claims"][3]["end"] - 5))
    assert report["claims"]["content_exact"]["f1"] < 1.0
    assert report["claims"]["content_overlap"]["f1"] == 1.0


def test_wrong_claimant(seed):
    report = _damaged(seed, lambda p: p["claims"][2].update(claimant="o2"))
    assert report["attribution"]["accuracy"] == pytest.approx(7 / 8)
    report = _damaged(seed, lambda p: p["claims"][0].update(claimant="o1"))  # headline must stay null
    assert report["attribution"]["accuracy"] == pytest.approx(7 / 8)


def test_claimant_compared_by_what_it_denotes(seed):
    def renumber(p):  # other ids, one official split differently: still the same person
        for o in p["officials"]:
            o["id"] = "x" + o["id"]
        for c in p["claims"]:
            c["claimant"] = c["claimant"] and "x" + c["claimant"]
        p["officials"][0]["mentions"] = [_entity(p, "کمال اکبری")["id"]]
        p["officials"][0]["roles"] = []
    report = _damaged(seed, renumber)
    assert report["attribution"]["accuracy"] == 1.0
    assert report["officials"]["name_role"]["recall"] < 1.0


def test_wrong_quantity_value_or_unit(seed):
    report = _damaged(seed, lambda p: _entity(p, "67 درصد").update(value=76))
    assert report["quantities"]["accuracy"] == pytest.approx(11 / 12)
    report = _damaged(seed, lambda p: _entity(p, "67 درصد").update(unit=None))
    assert report["quantities"]["accuracy"] == pytest.approx(11 / 12)


def test_broken_official_links(seed):
    def unlink(p):
        p["officials"][0]["orgs"] = []
    report = _damaged(seed, unlink)
    assert report["officials"]["role_org"]["recall"] < 1.0
    assert report["officials"]["name_role"]["f1"] == 1.0

    def split(p):  # the named mention becomes its own official
        name = _entity(p, "کمال اکبری")["id"]
        p["officials"][0]["mentions"].remove(name)
        p["officials"][0]["name"] = None
        p["officials"].append({"id": "o9", "mentions": [name], "name": name, "roles": [], "orgs": []})
    report = _damaged(seed, split)
    assert report["officials"]["name_role"]["recall"] < 1.0
    assert report["officials"]["clusters"]["f1"] < 1.0


def test_missing_article_scores_as_empty(seed):
    other = {"id": "other", "text": "سلام", "entities": []}
    report = score([seed, other], [other])
    assert report["articles"]["missing_predictions"] == [seed["id"]]
    assert all(v == 0.0 for v in _f1s(report).values()), _f1s(report)


def test_windows_meta_is_summed(seed):
    pred = dict(copy.deepcopy(seed), meta={"windows": 3, "truncated_spans": 1})
    assert score([seed], [pred])["windows"] == {"windows": 3, "truncated_spans": 1}


def test_helpers():
    assert same_value(19000, 19000.0000000001) and not same_value(19000, 19001)
    assert same_value([10, 15], [10.0, 15]) and not same_value([10, 15], 10) and not same_value(1, None)
    assert match_by_overlap([(0, 10), (20, 30)], [(5, 25), (25, 40)]) == {0: 0, 1: 1}
    # a cue glued inside a word still marks that word in the word view
    text = "ویافزود: ۱۹هزار"
    assert word_bio(text, [{"start": 9, "end": 15, "label": "QUANTITY"}]) == ["O", "B-QUANTITY"]


def test_markdown_report(seed):
    markdown = render_markdown(score([seed], [seed]))
    assert "| **micro** | 100.00 | 100.00 | 100.00 | 52 |" in markdown
    assert "seqeval" in markdown and "Confusion" in markdown and "Attribution" in markdown


def test_bootstrap_interval_is_seeded_brackets_the_score_and_narrows_with_more_articles():
    from parsclaim.evaluate.metrics import bootstrap_f1_interval

    assert bootstrap_f1_interval([(3, 4, 5)]) is None  # one article: nothing to resample
    assert bootstrap_f1_interval([(3, 4, 5)] * 10) == pytest.approx([6 / 9, 6 / 9])  # identical articles: no spread
    # one perfect article and one all wrong: F1 is 0, 0.5 or 1 with chances 1/4, 1/2, 1/4
    assert bootstrap_f1_interval([(1, 1, 1), (0, 1, 1)]) == [0.0, 1.0]
    varied = [(i % 4, 3, 4) for i in range(40)]
    low, high = bootstrap_f1_interval(varied)
    tp, pred, gold = (sum(c[k] for c in varied) for k in range(3))
    assert low < 2 * tp / (pred + gold) < high
    assert bootstrap_f1_interval(varied) == [low, high]
    wide = bootstrap_f1_interval(varied[:12])
    assert wide[1] - wide[0] > high - low


def test_report_carries_intervals_for_entities_and_claim_overlap(seed):
    report = score([seed], [seed])
    assert report["entities"]["exact"]["micro"]["ci95"] is None  # one article
    twice = [seed, {**seed, "id": "copy"}]
    report = score(twice, twice)
    assert report["entities"]["exact"]["micro"]["ci95"] == [1.0, 1.0]
    assert report["claims"]["content_overlap"]["ci95"] == [1.0, 1.0]
    assert "95 % CI 100.00–100.00" in render_markdown(report)
