"""Fast tokenizers with the Persian normalizer inside them.

Offsets from these tokenizers always point into the caller's raw text,
because normalization happens inside the tokenizer's own alignment-keeping
normalizer.
"""

from __future__ import annotations

from collections.abc import Iterable

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

from ..data.normalize import tokenizer_normalizer

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def persian_pre_tokenizer() -> pre_tokenizers.PreTokenizer:
    # Digits split from glued words ("19هزار" -> "19" "هزار") so that quantity
    # boundaries fall on word boundaries.
    return pre_tokenizers.Sequence([pre_tokenizers.BertPreTokenizer(), pre_tokenizers.Digits(individual_digits=False)])


def train_wordpiece(texts: Iterable[str], vocab_size: int = 32000, min_frequency: int = 2, show_progress: bool = False) -> PreTrainedTokenizerFast:
    """Train a WordPiece tokenizer on raw texts and wrap it as a BERT fast tokenizer."""
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = tokenizer_normalizer()
    tokenizer.pre_tokenizer = persian_pre_tokenizer()
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, min_frequency=min_frequency, special_tokens=SPECIAL_TOKENS, show_progress=show_progress
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    from tokenizers.processors import TemplateProcessing

    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]",
        model_max_length=512,
    )


def add_persian_normalizer(tokenizer: PreTrainedTokenizerFast) -> PreTrainedTokenizerFast:
    """Prepend our normalizer to an existing fast tokenizer's (e.g. ParsBERT's)."""
    from tokenizers import normalizers

    backend = tokenizer.backend_tokenizer
    existing = backend.normalizer
    backend.normalizer = tokenizer_normalizer() if existing is None else normalizers.Sequence([tokenizer_normalizer(), existing])
    return tokenizer
