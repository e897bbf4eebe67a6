"""Drop a fine-tuned model's rarely used tokens: a smaller embedding matrix, the same model elsewhere.

    python scripts/prune_vocabulary.py --model_dir runs/build/peyma-deep --output_dir runs/build/final \\
        --text ../shared/corpora/raw ../shared/corpora/peyma/train.conll ... --min_count 3

Counts how often the tokenizer produces each token on the given text (the encoder's
pretraining text: a token it met once or twice there has a barely trained embedding),
then keeps the special tokens, every single-character token (so any text that
tokenized without [UNK] still does) and every token seen at least `--min_count`
times, in their old order. A word that used a dropped token is split into smaller
pieces the model knows. Used for the bundled model, where the embedding matrix is
40 % of the weights and the rows freed make room for a deeper PEYMA head within 60 MB.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field

import numpy as np
import torch
from tokenizers import Tokenizer
from tqdm.auto import tqdm
from transformers import HfArgumentParser, PreTrainedTokenizerFast

from parsclaim.models.modeling import load_model_and_tokenizer
from parsclaim.training.pretrain import iter_text_lines


@dataclass
class PruneArguments:
    model_dir: str = field(metadata={"help": "A fine-tuned parsclaim model directory."})
    output_dir: str = field(metadata={"help": "Where the pruned model, its tokenizer and card are written."})
    text: list[str] = field(default_factory=list, metadata={"help": "Plain-text files or folders and CoNLL files to count tokens on (as for `parsclaim pretrain --text`)."})
    min_count: int = field(default=3, metadata={"help": "Keep tokens seen at least this often in --text (special and single-character tokens are always kept)."})

    def __post_init__(self):
        if not self.text:
            raise ValueError("--text: give the text to count tokens on (e.g. the pretraining text)")
        if self.min_count < 1:
            raise ValueError(f"--min_count must be at least 1, not {self.min_count}")


def count_tokens(tokenizer, lines, batch_lines: int = 2000) -> np.ndarray:
    counts = np.zeros(len(tokenizer), dtype=np.int64)
    batch: list[str] = []

    def flush() -> None:
        for ids in tokenizer(batch, add_special_tokens=False)["input_ids"]:
            counts[:] += np.bincount(ids, minlength=len(counts))
        batch.clear()

    for line in tqdm(lines, desc="counting tokens", unit=" lines", mininterval=5):
        batch.append(line)
        if len(batch) == batch_lines:
            flush()
    flush()
    return counts


def tokens_to_keep(tokenizer, counts: np.ndarray, min_count: int) -> list[int]:
    """Old ids of the tokens kept, ascending."""
    special = set(tokenizer.all_special_ids)
    vocab = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
    return [i for i, token in enumerate(vocab)
            if i in special or len(token.removeprefix("##")) == 1 or counts[i] >= min_count]


def prune(model, tokenizer, keep: list[int]):
    """The model and tokenizer with only the `keep` tokens, renumbered in their old order."""
    new_id = {old: new for new, old in enumerate(keep)}
    if any(new_id.get(special) != special for special in tokenizer.all_special_ids):
        raise ValueError("the special tokens must be kept and come first in the vocabulary: the tokenizer's templates name their ids")
    state = json.loads(tokenizer.backend_tokenizer.to_str())
    if state["model"]["type"] != "WordPiece":
        raise ValueError(f"only WordPiece vocabularies can be pruned, not {state['model']['type']}")
    token_of = {index: token for token, index in state["model"]["vocab"].items()}
    state["model"]["vocab"] = {token_of[old]: new for new, old in enumerate(keep)}
    pruned_tokenizer = PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_str(json.dumps(state)),
                                               model_max_length=tokenizer.model_max_length, **tokenizer.special_tokens_map)
    old = model.encoder.get_input_embeddings()
    embeddings = torch.nn.Embedding(len(keep), old.embedding_dim, padding_idx=old.padding_idx, dtype=old.weight.dtype)
    embeddings.weight.data = old.weight.data[torch.tensor(keep)].clone()
    model.encoder.set_input_embeddings(embeddings)
    model.encoder.config.vocab_size = model.config.encoder["vocab_size"] = len(keep)
    return model, pruned_tokenizer


def main(argv: list[str] | None = None) -> int:
    (args,) = HfArgumentParser(PruneArguments).parse_args_into_dataclasses(args=argv)
    model, tokenizer = load_model_and_tokenizer(args.model_dir)
    lines = list(iter_text_lines(args.text))
    counts = count_tokens(tokenizer, lines)
    keep = tokens_to_keep(tokenizer, counts, args.min_count)
    model, pruned_tokenizer = prune(model, tokenizer, keep)
    after = count_tokens(pruned_tokenizer, lines)
    unk_before, unk_after = counts[tokenizer.unk_token_id], after[pruned_tokenizer.unk_token_id]
    if unk_after != unk_before:
        raise RuntimeError(f"pruning changed the number of [UNK] tokens ({unk_before} -> {unk_after})")
    summary = (f"vocabulary pruned: tokens seen fewer than {args.min_count} times in the pretraining text dropped "
               f"({len(tokenizer):,} -> {len(keep):,} tokens; that text reads as {int(counts.sum()):,} -> {int(after.sum()):,} tokens)")
    history = model.config.training_data = list(model.config.training_data or [])
    history.append({"name": summary, "kind": "vocabulary", "stage": 1 + max((s.get("stage", 1) for s in history), default=0)})
    model.save_pretrained(args.output_dir, tokenizer=pruned_tokenizer)
    print(f"wrote {args.output_dir}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
