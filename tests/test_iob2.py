"""Our strict IOB2 scores equal seqeval's (mode="strict", scheme=IOB2), which we no longer import."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsclaim.evaluate.iob2 import strict_report, strict_spans

seqeval_metrics = pytest.importorskip("seqeval.metrics")
IOB2 = pytest.importorskip("seqeval.scheme").IOB2

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
sequences = st.lists(st.lists(st.sampled_from(TAGS), min_size=0, max_size=12), min_size=1, max_size=6)


def test_strict_spans_start_only_at_b():
    assert strict_spans(["B-PER", "I-PER", "O", "I-ORG", "B-LOC", "B-LOC", "I-PER"]) == {("PER", 0, 2), ("LOC", 4, 5), ("LOC", 5, 6)}


@settings(max_examples=300, deadline=None)
@given(data=st.data(), gold=sequences)
def test_the_same_numbers_as_seqeval(data, gold):
    predicted = [data.draw(st.lists(st.sampled_from(TAGS), min_size=len(g), max_size=len(g))) for g in gold]
    ours = strict_report(gold, predicted)
    table = seqeval_metrics.classification_report(gold, predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    labels = [k for k in table if not k.endswith(" avg")]
    assert sorted(ours["per_label"]) == sorted(labels)
    for label, theirs in [*((k, table[k]) for k in labels), ("micro", table["micro avg"])] if labels else []:
        mine = ours["micro"] if label == "micro" else ours["per_label"][label]
        assert (mine["precision"], mine["recall"], mine["f1"], mine["gold"]) == (
            theirs["precision"], theirs["recall"], theirs["f1-score"], theirs["support"])
    micro = {"precision": seqeval_metrics.precision_score, "recall": seqeval_metrics.recall_score, "f1": seqeval_metrics.f1_score}
    for name, function in micro.items():
        assert ours["micro"][name] == function(gold, predicted, mode="strict", scheme=IOB2, zero_division=0)


def test_sequences_must_line_up():
    with pytest.raises(ValueError, match="2 gold sequences but 1 predicted"):
        strict_report([["O"], ["O"]], [["O"]])
    with pytest.raises(ValueError, match="a sequence of 2 gold tags has 1 predicted"):
        strict_report([["O", "O"]], [["O"]])
