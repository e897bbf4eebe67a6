"""MLM pretraining: prepare -> train -> an encoder that loads as a plain BERT and as a parsclaim base."""

from __future__ import annotations

import json

import pytest
import torch

from parsclaim.training.pretrain import PretrainArguments, continuation_table, main, mask_batch
from tiny_models import tiny_tokenizer

TEXT = ["وزیر نیرو گفت: ۱۹هزار سازمان مردم‌نهاد در کشور فعال هستند.", "به گزارش ایرنا، بارش‌ها ۱۰ درصد کم شد."] * 200


def tiny_args(out, **overrides) -> list[str]:
    args = {"output_dir": str(out), "vocab_size": "300", "hidden_size": "32", "num_layers": "1", "num_heads": "2",
            "seq_len": "16", "long_seq_len": "32", "max_position_embeddings": "32", "batch_tokens": "256",
            "max_steps": "4", "log_every": "1", **overrides}
    return [part for key, value in args.items() for part in (f"--{key}", value)]


def test_prepare_then_train_writes_a_loadable_encoder(tmp_path):
    corpus = tmp_path / "raw.txt"
    corpus.write_text("\n".join(TEXT), encoding="utf-8")
    prepared = tmp_path / "prepared"
    assert main(["--text", str(corpus), "--prepare_only", *tiny_args(prepared)]) == 0
    assert (prepared / "tokens.npy").exists() and (prepared / "tokenizer.json").exists()
    encoder = tmp_path / "encoder"
    assert main(["--prepared_dir", str(prepared), *tiny_args(encoder)]) == 0
    assert list(encoder.glob("*.safetensors")) and not list(encoder.glob("*.bin"))
    log = [json.loads(line) for line in (encoder / "pretrain_log.jsonl").read_text().splitlines()]
    assert log[-1]["steps"] == 4 and log[-1]["dev_mlm_loss"] > 0

    from transformers import AutoModel

    from parsclaim.models.modeling import ParsclaimForTokenClassification

    assert AutoModel.from_pretrained(encoder).config.hidden_size == 32
    model = ParsclaimForTokenClassification.from_pretrained(encoder)  # a base encoder gets fresh heads
    assert model.config.entity_tags[0] == "O"


def test_pretraining_goes_on_from_a_saved_encoder_with_its_tokenizer(tmp_path, capsys):
    from safetensors.torch import load_file
    from transformers import BertForMaskedLM

    corpus = tmp_path / "raw.txt"
    corpus.write_text("\n".join(TEXT), encoding="utf-8")
    first, again, more = tmp_path / "first", tmp_path / "again", tmp_path / "more"
    assert main(["--text", str(corpus), *tiny_args(first)]) == 0
    # the same text encoded with the first run's tokenizer: the same ids, no new vocabulary
    assert main(["--text", str(corpus), "--prepare_only", "--tokenizer", str(first), *tiny_args(again)]) == 0
    assert json.loads((again / "tokenizer.json").read_text())["model"]["vocab"] == json.loads((first / "tokenizer.json").read_text())["model"]["vocab"]
    # lr 0 and no weight decay: going on must start from the saved weights, not from random ones
    assert main(["--prepared_dir", str(again), "--init_from", str(first), "--learning_rate", "0", "--weight_decay", "0",
                 *tiny_args(more, hidden_size="64", num_heads="4")]) == 0
    before = BertForMaskedLM.from_pretrained(first).state_dict()
    after = BertForMaskedLM.from_pretrained(more).state_dict()
    assert after["bert.embeddings.word_embeddings.weight"].shape[1] == 32  # the size comes from the saved encoder
    assert all(torch.equal(before[name], after[name]) for name in before)
    other = tmp_path / "other"  # a stream encoded with a tokenizer trained anew: other ids
    assert main(["--text", str(corpus), "--prepare_only", *tiny_args(other, vocab_size="200")]) == 0
    assert main(["--prepared_dir", str(other), "--init_from", str(first), *tiny_args(tmp_path / "x")]) == 2
    assert "not the one the token stream was encoded with" in capsys.readouterr().err


def test_whole_word_masking_masks_every_piece_of_a_chosen_word():
    tokenizer = tiny_tokenizer()
    ids = torch.tensor([tokenizer("سازمان‌های مردم‌نهاد تسهیلگری " * 20)["input_ids"][:64]])
    is_continuation = continuation_table(tokenizer)
    args = PretrainArguments(output_dir="x", prepared_dir="x", max_steps=1, mask_probability=0.5)
    _, labels = mask_batch(ids, is_continuation, tokenizer, args, torch.Generator().manual_seed(0))
    masked = (labels[0] != -100).tolist()
    pieces = is_continuation[ids[0]].tolist()
    for position in range(1, ids.shape[1]):
        if pieces[position]:  # a continuation is masked exactly when its word's previous piece is
            assert masked[position] == masked[position - 1]
    assert any(masked)


@pytest.mark.parametrize("overrides, message", [
    ({"max_steps": 0}, "exactly one of --max-steps and --time-budget"),
    ({"hidden_size": 33}, "not divisible"),
    ({"seq_len": 64}, "cannot exceed"),
])
def test_bad_arguments_are_explained(overrides, message):
    fields = {"output_dir": "x", "prepared_dir": "x", "max_steps": 1, "hidden_size": 32, "num_heads": 2,
              "seq_len": 16, "long_seq_len": 32, "max_position_embeddings": 32, **overrides}
    with pytest.raises(ValueError, match=message):
        PretrainArguments(**fields)
