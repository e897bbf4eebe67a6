"""Span <-> token alignment, windows, window merging and truncation counts."""

from __future__ import annotations

import numpy as np
import pytest

from parsclaim.data import align
from parsclaim.data.schema import CLAIM_TAGS, ENTITY_LABELS, ENTITY_TAGS, IGNORE_INDEX
from tiny_models import seed_article


def tags_of(labels: list[int], tag_list: list[str]) -> list[str | None]:
    return [None if label == IGNORE_INDEX else tag_list[label] for label in labels]


def one_window(article: dict, tokenizer, **kwargs) -> dict:
    windows = align.encode_articles([article], tokenizer, max_length=512, stride=0, **kwargs)
    assert len(windows) == 1
    return windows[0]


def test_first_sub_token_labelled_rest_ignored(tokenizer):
    text = "سازمانهای مردمنهاد در گنبدکاووس فعالند"
    start = text.index("گنبدکاووس")
    article = {"id": "a", "text": text, "entities": [{"id": "e1", "start": start, "end": start + len("گنبدکاووس"), "label": "LOC"}]}
    window = one_window(article, tokenizer)
    pieces = [i for i, (s, e) in enumerate(window["offsets"]) if start <= s < start + len("گنبدکاووس")]
    assert len(pieces) > 1, "the test needs a word the tiny tokenizer splits"
    tags = tags_of(window["entity_labels"], ENTITY_TAGS)
    assert tags[pieces[0]] == "B-LOC"
    assert all(tags[i] is None for i in pieces[1:])
    assert tags[0] is None and tags[-1] is None  # [CLS], [SEP]
    spans = align.decode_spans(tags, window["offsets"], window["word_ids"])
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [(start, start + len("گنبدکاووس"), "LOC")]


def test_sources_without_claims_get_unknown_claim_labels(tokenizer):
    no_claims = {"id": "c", "text": "کمال اکبری گفت", "entities": []}
    empty_claims = dict(no_claims, claims=[])
    assert set(one_window(no_claims, tokenizer)["claim_labels"]) == {IGNORE_INDEX}
    assert CLAIM_TAGS.index("O") in one_window(empty_claims, tokenizer)["claim_labels"]


def test_glued_cue_labelled_at_sub_token_level(tokenizer):
    text = "وی در این مراسم ویافزود: تعداد سازمانها ۱۹هزار است"
    cue_start = text.index("ویافزود") + 2
    content_start = text.index("تعداد")
    article = {"id": "g", "text": text, "entities": [],
               "claims": [{"id": "c1", "start": content_start, "end": len(text), "cue": [cue_start, cue_start + 5], "claimant": None}]}
    window = one_window(article, tokenizer)
    tags = tags_of(window["claim_labels"], CLAIM_TAGS)
    word = [i for i, (s, e) in enumerate(window["offsets"]) if cue_start - 2 <= s < cue_start + 5 and e > s]
    starts_at_cue = [i for i in word if window["offsets"][i][0] == cue_start]
    if starts_at_cue:  # the tokenizer splits "وی|افزود": the cue starts on its own sub-token
        cue_token = starts_at_cue[0]
        assert tags[word[0]] == "O" and tags[cue_token] == "B-CUE"
        expected_cue = (cue_start, cue_start + 5)
    else:  # one piece: it belongs to the span covering most of it
        assert tags[word[0]] == "B-CUE"
        expected_cue = (window["offsets"][word[0]][0], window["offsets"][word[-1]][1])
    spans = align.decode_spans(tags, window["offsets"], window["word_ids"])
    assert ("CUE", *expected_cue) in {(s["label"], s["start"], s["end"]) for s in spans}
    assert ("CLAIM", content_start, len(text)) in {(s["label"], s["start"], s["end"]) for s in spans}


def test_quantity_glued_to_scale_splits_at_digits(tokenizer):
    text = "۱۹هزار سازمان"
    article = {"id": "q", "text": text, "entities": [{"id": "e1", "start": 0, "end": 2, "label": "QUANTITY"}]}
    window = one_window(article, tokenizer)
    tags = tags_of(window["entity_labels"], ENTITY_TAGS)
    spans = align.decode_spans(tags, window["offsets"], window["word_ids"])
    assert [(s["start"], s["end"]) for s in spans] == [(0, 2)]


def test_seed_article_round_trips_through_tags(tokenizer):
    article = seed_article()
    windows = align.encode_articles([article], tokenizer, max_length=2000, stride=0)
    assert len(windows) == 1
    window = windows[0]
    decoded = {(s["start"], s["end"], s["label"]) for s in align.decode_spans(tags_of(window["entity_labels"], ENTITY_TAGS), window["offsets"], window["word_ids"])}
    gold = {(e["start"], e["end"], e["label"]) for e in article["entities"]}
    assert len(decoded & gold) >= 0.9 * len(gold)
    claims = {(s["start"], s["end"], s["label"]) for s in align.decode_spans(tags_of(window["claim_labels"], CLAIM_TAGS), window["offsets"], window["word_ids"])}
    assert sum((c["start"], c["end"], "CLAIM") in claims for c in article["claims"]) >= 0.8 * len(article["claims"])


def test_inference_tags_keep_first_sub_token_and_inner_span_starts():
    word_ids = [0, 0, 0, 1]
    assert align.inference_tags(["O", "B-CUE", "I-CUE", "O"], word_ids, inword_labels=("CUE",)) == ["O", "B-CUE", None, "O"]
    assert align.inference_tags(["B-PER", "O", "I-PER", "I-PER"], word_ids) == ["B-PER", None, None, "I-PER"]
    # An untrained continuation's B- does not split a word: "سنایچ" stays one ORG.
    assert align.inference_tags(["B-ORG", "B-ORG", "B-LOC", "O"], word_ids) == ["B-ORG", None, None, "O"]


def test_decode_inherits_and_repairs():
    offsets = [(0, 0), (0, 2), (2, 4), (5, 8), (9, 12), (0, 0)]
    word_ids = [None, 0, 0, 1, 2, None]
    spans = align.decode_spans([None, "B-PER", None, "I-PER", "I-ORG", None], offsets, word_ids)
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [(0, 8, "PER"), (9, 12, "ORG")]


def test_windows_cover_the_document_with_stride():
    assert align.window_starts(10, 4, 1) == [0, 3, 6]
    assert align.window_starts(3, 4, 1) == [0]
    with pytest.raises(ValueError):
        align.window_starts(10, 4, 4)


def test_merge_keeps_the_middle():
    # Windows of 6 tokens overlapping by 4: token 5 is at the edge of window 0, central in window 1.
    merged = align.merge_windows([(0, ["a"] * 6), (2, ["b"] * 6)], 8)
    assert merged[:2] == ["a", "a"] and merged[-2:] == ["b", "b"]
    assert merged[2] == "a" and merged[5] == "b"  # 2: distance 2 in a, 0 in b; 5: 0 in a, 2 in b
    assert merged[3] == "a" and merged[4] == "b"  # ties go to the first window


def test_merge_of_arrays_equals_merge_of_lists():
    # the order of windows decides ties, as predict hands them over (sorted by length, not by start)
    rng = np.random.default_rng(0)
    windows = [(6, rng.random((4, 3))), (0, rng.random((6, 3))), (3, rng.random((6, 3)))]
    merged = align.merge_windows(windows, 10)
    as_lists = align.merge_windows([(start, list(values)) for start, values in windows], 10)
    assert isinstance(merged, np.ndarray) and merged.shape == (10, 3)
    assert all((row == expected).all() for row, expected in zip(merged, as_lists))
    assert align.merge_windows([(0, ["a", "b"])], 3) == ["a", "b", None]


def test_long_document_windows_and_truncation_count(tokenizer):
    sentence = "کمال اکبری معاون وزارت کشور گفت تعداد سازمانهای مردمنهاد به ۱۹هزار رسیده است. "
    text = (sentence * 12).strip()
    claim_end = len(sentence) * 6 - 2
    article = {"id": "long", "text": text, "entities": [{"id": "e1", "start": 0, "end": 10, "label": "PER"}],
               "claims": [{"id": "c1", "start": 0, "end": claim_end, "cue": None, "claimant": None}]}
    report = align.AlignmentReport()
    windows = align.encode_articles([article], tokenizer, max_length=32, stride=8, report=report)
    assert len(windows) > 3 and all(len(w["input_ids"]) <= 32 for w in windows)
    assert windows[1]["token_start"] == 30 - 8
    assert report.spans == 2 and report.lost_to_truncation == 1  # the long claim, not the name
    assert report.lost_examples and "CLAIM" in report.lost_examples[0]
    roomy = align.AlignmentReport()
    align.encode_articles([article], tokenizer, max_length=512, stride=64, report=roomy)
    assert roomy.lost_to_truncation == 0


def test_untrusted_mask_and_dataset(tokenizer):
    mask = align.untrusted_mask(["ROLE", "QUANTITY"])
    assert mask == (1 << ENTITY_LABELS.index("ROLE")) | (1 << ENTITY_LABELS.index("QUANTITY"))
    assert {ENTITY_TAGS[i] for i in align.untrusted_tag_ids(mask)} == {"B-ROLE", "I-ROLE", "B-QUANTITY", "I-QUANTITY"}
    with pytest.raises(ValueError):
        align.untrusted_mask(["pers"])
    article = {"id": "p", "text": "علی به تهران رفت", "entities": []}
    records = align.encode_articles([article, dict(article, id="p2")], tokenizer, untrusted=["ROLE"])
    dataset = align.WindowDataset(records)
    assert set(dataset.column_names) == set(align.DATASET_COLUMNS)
    assert dataset[0]["entity_untrusted"] == mask & (1 << ENTITY_LABELS.index("ROLE"))
    assert len(dataset[0]["input_ids"]) == len(dataset[0]["entity_labels"]) == len(dataset[0]["claim_labels"])


def test_pack_windows_fills_rows_without_overflow():
    lengths = [128, 40, 90, 30, 128, 20, 60, 100]
    rows = align.pack_windows(lengths, 128)
    assert sorted(i for row in rows for i in row) == list(range(len(lengths)))
    assert all(sum(lengths[i] for i in row) <= 128 for row in rows)
    assert len(rows) == 5  # 128 | 128 | 100+20 | 90+30 | 60+40
    assert align.pack_windows([], 128) == [] and align.pack_windows([5], 4) == [[0]]  # too long: a row alone
