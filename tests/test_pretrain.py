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
