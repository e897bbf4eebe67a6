"""scripts/prune_vocabulary.py: rarely used tokens leave the vocabulary; the rest of the model is untouched."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import torch

from parsclaim.models.modeling import load_model_and_tokenizer
from tiny_models import RAW_TEXT, load_script, need, save_untrained_model

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "prune_vocabulary.py"


@pytest.fixture(scope="module")
def script():
    return load_script(SCRIPT, "prune_vocabulary")


@pytest.fixture(scope="module")
def pruned(script, tmp_path_factory):
    """(original dir, pruned dir, counted text file), pruned at --min_count 20 on 2,000 lines."""
    tmp = tmp_path_factory.mktemp("prune")
    with open(need(RAW_TEXT), encoding="utf-8") as handle:
        (tmp / "text.txt").write_text("".join(itertools.islice(handle, 2000)), encoding="utf-8")
    original = save_untrained_model(tmp / "original")
    assert script.main(["--model_dir", str(original), "--output_dir", str(tmp / "pruned"),
                        "--text", str(tmp / "text.txt"), "--min_count", "20"]) == 0
    return original, tmp / "pruned", tmp / "text.txt"


def test_rare_tokens_leave_and_special_tokens_keep_their_ids(pruned):
    original_dir, pruned_dir, _ = pruned
    model, tokenizer = load_model_and_tokenizer(pruned_dir)
    original_model, original_tokenizer = load_model_and_tokenizer(original_dir)
    assert len(tokenizer) < len(original_tokenizer)
    assert model.encoder.get_input_embeddings().num_embeddings == len(tokenizer) == model.config.encoder["vocab_size"]
    for token in original_tokenizer.all_special_tokens:
        assert tokenizer.convert_tokens_to_ids(token) == original_tokenizer.convert_tokens_to_ids(token)
    # a kept token keeps its embedding row
    for token in ("[CLS]", "##ا", "و"):
        old, new = original_tokenizer.convert_tokens_to_ids(token), tokenizer.convert_tokens_to_ids(token)
        assert torch.equal(model.encoder.get_input_embeddings().weight[new], original_model.encoder.get_input_embeddings().weight[old])


def test_text_made_of_kept_tokens_gets_the_same_predictions(pruned):
    original_dir, pruned_dir, _ = pruned
    model, tokenizer = load_model_and_tokenizer(pruned_dir)
    original_model, original_tokenizer = load_model_and_tokenizer(original_dir)
    text = "رئیس سازمان گفت: ۲۰ درصد از این طرح در سال گذشته اجرا شد."
    assert tokenizer.tokenize(text) == original_tokenizer.tokenize(text)
    new, old = model.predict([text], tokenizer)[0], original_model.predict([text], original_tokenizer)[0]
    assert new.offsets == old.offsets and new.entity_tags == old.entity_tags and new.claim_tags == old.claim_tags
    assert new.entity_scores == pytest.approx(old.entity_scores, abs=1e-6)


def test_words_that_used_a_dropped_token_split_into_kept_pieces(pruned):
    original_dir, pruned_dir, text_file = pruned
    _, tokenizer = load_model_and_tokenizer(pruned_dir)
    _, original_tokenizer = load_model_and_tokenizer(original_dir)
    lines = text_file.read_text(encoding="utf-8").splitlines()
    changed = [line for line in lines if tokenizer.tokenize(line) != original_tokenizer.tokenize(line)]
    assert changed, "min_count 20 should drop tokens that this text uses"
    for line in changed[:20]:
        before, after = original_tokenizer(line, return_offsets_mapping=True), tokenizer(line, return_offsets_mapping=True)
        assert len(after["input_ids"]) >= len(before["input_ids"])  # "abc"+"##d" may become "ab"+"##cd"
        assert after["input_ids"].count(tokenizer.unk_token_id) == before["input_ids"].count(original_tokenizer.unk_token_id)
        # the same words, split into other pieces that cover the same characters
        assert after.word_ids()[-2] == before.word_ids()[-2]
        assert covered(after["offset_mapping"]) == covered(before["offset_mapping"])


def covered(offsets) -> set[int]:
    return {i for start, end in offsets for i in range(start, end)}


def test_the_card_names_the_pruning_as_a_stage(pruned):
    _, pruned_dir, _ = pruned
    model, _ = load_model_and_tokenizer(pruned_dir)
    step = model.config.training_data[-1]
    assert step["kind"] == "vocabulary" and "fewer than 20 times" in step["name"]
    assert f"* {step['name']}\n" in (pruned_dir / "README.md").read_text(encoding="utf-8")


def test_bad_arguments_are_refused(script, tmp_path):
    with pytest.raises(ValueError, match="--text"):
        script.PruneArguments(model_dir="m", output_dir="o")
    with pytest.raises(ValueError, match="--min_count"):
        script.PruneArguments(model_dir="m", output_dir="o", text=["t.txt"], min_count=0)
