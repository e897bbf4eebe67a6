"""Masked-language-model pretraining of a from-scratch BERT encoder.

Three steps, each resumable on its own: train a WordPiece tokenizer on all
local Persian text, encode that text once into a token stream (uint16), then
train BertForMaskedLM with whole-word masking for a fixed step count or time
budget. The learning-rate schedule follows elapsed *time* when a budget is
set, so a run that must fit a GPU lease still warms up and decays fully.

Needs only torch, transformers and tokenizers, so it runs on a bare GPU image.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from transformers import BertConfig, BertForMaskedLM, PreTrainedTokenizerFast

from ..arguments import ArgumentParser, HelpFormatter
from ..models.tokenizer import train_wordpiece
from ..paths import same_file

DESCRIPTION = """Masked-language-model pretraining of a from-scratch BERT encoder on local text.

Three steps, each resumable on its own: train a WordPiece tokenizer on --text (or encode with
--tokenizer DIR), encode the text into a token stream, then train with whole-word masking for
--max_steps N or --time_budget SECONDS. --prepare_only stops after the first two (CPU work);
--prepared_dir DIR starts from them (GPU work); --init_from DIR goes on from a saved encoder.

--text takes files and folders: .txt files (and files without a suffix) are read line by line,
.conll files (token<TAB>tag) one sentence per line; files of other kinds are skipped (and named)."""
SAVE_DTYPES = ("float32", "float16", "bfloat16")
TEXT_SUFFIXES = (".txt", ".conll", "")  # "": a file without a suffix is plain text
MAX_VOCAB = 65535  # the token stream is uint16
MIN_VOCAB = 100  # the special tokens and a Persian alphabet, at least
SHARD_SIZE = re.compile(r"^\s*\d+(\.\d*)?\s*[KMGT]B\s*$", re.IGNORECASE)


class DescriptionHelpFormatter(HelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults where they say something, and the description's line breaks kept."""


@dataclass
class PretrainArguments:
    output_dir: str = field(metadata={"help": "Where the encoder (safetensors) and its tokenizer are written."})
    text: list[str] = field(default_factory=list, metadata={"help": "Plain-text files (.txt or no suffix; one sentence/paragraph per line), CoNLL files (.conll) or folders of them to pretrain on."})
    prepared_dir: str | None = field(default=None, metadata={"help": "Folder with tokenizer + tokens.npy from an earlier --prepare-only run; skips tokenizer training and encoding."})
    prepare_only: bool = field(default=False, metadata={"help": "Train the tokenizer and encode the text into --output-dir, then stop."})
    tokenizer: str | None = field(default=None, metadata={"help": "Encode the text with this saved tokenizer (a folder) instead of training one: the one of the encoder given to --init-from."})
    init_from: str | None = field(default=None, metadata={"help": "Go on pretraining this saved masked-LM encoder (a folder written by this command) instead of starting from random weights; its config sets the size (--hidden-size etc. are ignored) and its tokenizer must be the one the token stream was encoded with."})
    vocab_size: int = field(default=32000, metadata={"help": "WordPiece vocabulary size."})
    hidden_size: int = field(default=384, metadata={"help": "Encoder width."})
    num_layers: int = field(default=6, metadata={"help": "Transformer layers."})
    num_heads: int = field(default=6, metadata={"help": "Attention heads."})
    max_position_embeddings: int = field(default=512, metadata={"help": "Longest window the encoder can take."})
    seq_len: int = field(default=128, metadata={"help": "Tokens per training sequence in the main phase."})
    long_seq_len: int = field(default=512, metadata={"help": "Sequence length of the final phase, so every position embedding gets trained."})
    long_fraction: float = field(default=0.1, metadata={"help": "Share of the run spent at --long-seq-len."})
    batch_tokens: int = field(default=32768, metadata={"help": "Tokens per optimizer step (batch = batch_tokens / seq_len)."})
    learning_rate: float = field(default=1e-3, metadata={"help": "Peak learning rate."})
    warmup_fraction: float = field(default=0.06, metadata={"help": "Share of the run spent warming up."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay."})
    mask_probability: float = field(default=0.15, metadata={"help": "Share of words masked."})
    whole_word_masking: bool = field(default=True, metadata={"help": "Mask all sub-tokens of a chosen word together."})
    max_steps: int = field(default=0, metadata={"help": "Stop after this many steps (0: use --time-budget)."})
    time_budget: float = field(default=0.0, metadata={"help": "Seconds of training (0: use --max-steps)."})
    save_dtype: str = field(default="float16", metadata={"help": f"Dtype of the saved weights ({', '.join(SAVE_DTYPES)}): float16 halves the size."})
    max_shard_size: str = field(default="15MB", metadata={"help": "Largest safetensors shard (e.g. 15MB, 2GB)."})
    seed: int = field(default=42, metadata={"help": "Random seed."})
    log_every: int = field(default=100, metadata={"help": "Steps between log lines."})

    def __post_init__(self) -> None:
        if self.tokenizer and self.prepared_dir:
            raise ValueError("--tokenizer encodes --text; a --prepared-dir is already encoded (with its own tokenizer)")
        if not self.prepared_dir and not self.text:
            raise ValueError("give --text files to pretrain on, or --prepared-dir from a --prepare-only run")
        if self.prepared_dir and self.text:
            raise ValueError("--text is encoded into a token stream; a --prepared-dir is one already: give one of them")
        if self.prepared_dir and self.prepare_only:
            raise ValueError("--prepare-only prepares --text; a --prepared-dir is prepared already")
        if not self.prepare_only and (self.max_steps <= 0) == (self.time_budget <= 0):
            raise ValueError("set exactly one of --max-steps and --time-budget")
        if self.save_dtype not in SAVE_DTYPES:
            raise ValueError(f"--save-dtype {self.save_dtype}: choose {', '.join(SAVE_DTYPES)}")
        if not SHARD_SIZE.match(self.max_shard_size):
            raise ValueError(f"--max-shard-size {self.max_shard_size}: give a size with a unit, e.g. 15MB or 2GB")
        if not MIN_VOCAB <= self.vocab_size <= MAX_VOCAB:
            raise ValueError(f"--vocab-size must lie in [{MIN_VOCAB}, {MAX_VOCAB}] (the token stream is uint16)")
        for name in ("hidden_size", "num_layers", "num_heads", "batch_tokens", "log_every"):
            if getattr(self, name) < 1:
                raise ValueError(f"--{name.replace('_', '-')} must be >= 1")
        if self.hidden_size % self.num_heads:
            raise ValueError(f"--hidden-size {self.hidden_size} is not divisible by --num-heads {self.num_heads}")
        if min(self.seq_len, self.long_seq_len) < 2:
            raise ValueError("--seq-len and --long-seq-len must be >= 2 ([CLS] and at least one token)")
        if max(self.seq_len, self.long_seq_len) > self.max_position_embeddings:
            raise ValueError("sequence lengths cannot exceed --max-position-embeddings")
        if not 0 <= self.long_fraction <= 1:
            raise ValueError("--long-fraction must lie in [0, 1]")
        if not 0 <= self.warmup_fraction < 1:
            raise ValueError("--warmup-fraction must lie in [0, 1)")
        if not 0 < self.mask_probability < 1:
            raise ValueError("--mask-probability must lie in (0, 1)")
        if self.learning_rate < 0 or self.weight_decay < 0:
            raise ValueError("--learning-rate and --weight-decay must be >= 0")


def text_files(paths: list[str]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(files iter_text_lines reads, [(file, why it is skipped)]) for --text files and folders.
    A suffix is matched case-insensitively: SMALL.TXT is plain text, corpus.CoNLL CoNLL."""
    files: list[Path] = []
    for path in map(Path, paths):
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    usable, skipped = [], []
    for file in files:
        if file.suffix.lower() in TEXT_SUFFIXES:
            usable.append(file)
        else:
            skipped.append((file, f"{file.suffix} is neither .txt (or no suffix) nor .conll"))
    return usable, skipped


def check_inputs(args: PretrainArguments) -> list[Path]:
    """The files and folders the run reads, checked before any work: the --text files it will read (empty with
    --prepared-dir). Raises ValueError naming what is missing or unusable."""
    for option, folder, needed in (("--prepared-dir", args.prepared_dir, ("tokenizer.json", "tokens.npy")),
                                   ("--tokenizer", args.tokenizer, ("tokenizer.json",)),
                                   ("--init-from", args.init_from, ("config.json", "tokenizer.json"))):
        if folder is None:
            continue
        if not Path(folder).is_dir():
            raise ValueError(f"{option} {folder}: no such folder")
        missing = [name for name in needed if not (Path(folder) / name).is_file()]
        if missing:
            what = {"--prepared-dir": "a folder written by --prepare-only", "--tokenizer": "a saved tokenizer folder",
                    "--init-from": "an encoder saved by this command"}[option]
            raise ValueError(f"{option} {folder} is not {what}: no {' or '.join(missing)}")
    if args.init_from and same_file(args.init_from, args.output_dir):
        raise ValueError(f"--output-dir {args.output_dir} is the --init-from folder: the encoder it goes on from would be "
                         f"overwritten; choose another --output-dir")
    if Path(args.output_dir).exists() and not Path(args.output_dir).is_dir():
        raise ValueError(f"--output-dir {args.output_dir} is a file, not a folder")
    missing = [path for path in args.text if not Path(path).exists()]
    if missing:
        raise ValueError(f"--text {missing[0]}: no such file or folder")
    usable, skipped = text_files(args.text)
    if args.text and not usable:
        shown = "; ".join(f"{file} ({why})" for file, why in skipped[:5]) or "the folders are empty"
        more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        raise ValueError(f"--text has no file to read: {shown}{more}")
    if skipped:
        print(f"skipped {len(skipped)} --text file(s) that are neither .txt (or no suffix) nor .conll: "
              f"{', '.join(str(file) for file, _ in skipped[:5])}{' ...' if len(skipped) > 5 else ''}", file=sys.stderr)
    return usable


def iter_text_lines(paths: list[str]):
    """Lines of plain-text files; CoNLL files (token<TAB>tag) give one line per sentence. Other files are
    skipped (`text_files` says which)."""
    from ..data.conll import read_conll

    for file in text_files(paths)[0]:
        if file.suffix.lower() == ".conll":
            for sentence in read_conll(file):
                yield " ".join(sentence.tokens)
        else:
            with open(file, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    if line.strip():
                        yield line.strip()


def prepare(args: PretrainArguments) -> tuple[PreTrainedTokenizerFast, np.ndarray]:
    """Train the tokenizer and encode every line into one [SEP]-separated token stream."""
    if next(iter_text_lines(args.text), None) is None:
        raise ValueError(f"--text {' '.join(args.text)}: no line of text in its files")
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    if args.tokenizer:
        tokenizer = PreTrainedTokenizerFast.from_pretrained(args.tokenizer)
    else:
        tokenizer = train_wordpiece(iter_text_lines(args.text), vocab_size=args.vocab_size, show_progress=False)
    tokenizer.save_pretrained(out)
    print(f"tokenizer: {len(tokenizer)} tokens, {'from ' + args.tokenizer if args.tokenizer else 'trained'} in {time.time() - started:.0f}s", flush=True)
    if len(tokenizer) > 65535:
        raise ValueError("vocabulary too large for a uint16 token stream")
    stream: list[np.ndarray] = []
    batch: list[str] = []
    sep = tokenizer.sep_token_id

    def flush() -> None:
        # The Rust tokenizer directly: a stream has no length limit, so no "longer than 512" warning.
        for encoding in tokenizer.backend_tokenizer.encode_batch(batch, add_special_tokens=False):
            stream.append(np.asarray(encoding.ids + [sep], dtype=np.uint16))
        batch.clear()

    for line in iter_text_lines(args.text):
        batch.append(line)
        if len(batch) == 2000:
            flush()
    flush()
    tokens = np.concatenate(stream)
    np.save(out / "tokens.npy", tokens)
    print(f"encoded {tokens.size:,} tokens in {time.time() - started:.0f}s", flush=True)
    return tokenizer, tokens


def continuation_table(tokenizer: PreTrainedTokenizerFast) -> torch.Tensor:
    """True for WordPiece continuation pieces ('##x'), which join the word before."""
    table = torch.zeros(len(tokenizer), dtype=torch.bool)
    for token, index in tokenizer.get_vocab().items():
        table[index] = token.startswith("##")
    return table


def mask_batch(ids: torch.Tensor, is_continuation: torch.Tensor, tokenizer, args: PretrainArguments, generator: torch.Generator):
    """BERT masking (80% [MASK], 10% random, 10% kept) of whole words; labels only where masked."""
    special = (ids == tokenizer.cls_token_id) | (ids == tokenizer.sep_token_id)
    if args.whole_word_masking:
        starts = ~is_continuation[ids]
        word_index = torch.cumsum(starts.long(), dim=1).clamp(max=ids.shape[1] - 1)
        chosen = torch.rand(ids.shape, device=ids.device, generator=generator) < args.mask_probability
        masked = torch.gather(chosen, 1, word_index)
    else:
        masked = torch.rand(ids.shape, device=ids.device, generator=generator) < args.mask_probability
    masked &= ~special
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    roll = torch.rand(ids.shape, device=ids.device, generator=generator)
    inputs = ids.clone()
    inputs[masked & (roll < 0.8)] = tokenizer.mask_token_id
    random_ids = torch.randint(len(tokenizer), ids.shape, device=ids.device, generator=generator)
    swap = masked & (roll >= 0.8) & (roll < 0.9)
    inputs[swap] = random_ids[swap]
    return inputs, labels


def sample_batch(tokens: torch.Tensor, batch_size: int, seq_len: int, cls_id: int, generator: torch.Generator) -> torch.Tensor:
    starts = torch.randint(0, tokens.numel() - seq_len, (batch_size,), device=tokens.device, generator=generator)
    offsets = torch.arange(seq_len - 1, device=tokens.device)
    body = tokens[starts[:, None] + offsets[None, :]]
    cls = torch.full((batch_size, 1), cls_id, dtype=body.dtype, device=body.device)
    return torch.cat([cls, body], dim=1)


def mlm_loss(model: BertForMaskedLM, inputs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    # Project only masked positions onto the vocabulary: ~85% of the head's work saved.
    hidden = model.bert(input_ids=inputs).last_hidden_state
    selected = labels != -100
    logits = model.cls(hidden[selected])
    return torch.nn.functional.cross_entropy(logits.float(), labels[selected])


def check_vocabulary(directory: str, tokenizer: PreTrainedTokenizerFast) -> None:
    """A saved encoder must share the token stream's vocabulary: ids from another tokenizer would
    silently train the wrong embedding rows."""
    saved = PreTrainedTokenizerFast.from_pretrained(directory)
    if saved.get_vocab() != tokenizer.get_vocab():
        raise ValueError(f"{directory}: its tokenizer is not the one the token stream was encoded with; "
                         f"encode again with --prepare-only --tokenizer {directory}")


def continued_model(directory: str, tokenizer: PreTrainedTokenizerFast) -> BertForMaskedLM:
    """A saved masked-LM encoder in float32, on the token stream's vocabulary."""
    check_vocabulary(directory, tokenizer)
    model, loading = BertForMaskedLM.from_pretrained(directory, dtype=torch.float32, use_safetensors=True, output_loading_info=True)
    missing = [name for name in loading["missing_keys"] if name != "cls.predictions.decoder.weight"]  # tied to the embeddings
    if missing:
        raise ValueError(f"{directory} is not a masked-LM encoder saved by `parsclaim pretrain` (missing {', '.join(missing[:3])})")
    return model


def held_out_size(args: PretrainArguments, stream: np.ndarray) -> int:
    """Tokens at the end of the stream kept for the dev loss: 0.5 %, and more than one sequence."""
    return max(args.seq_len + 1, stream.size // 200)


def check_stream(args: PretrainArguments, stream: np.ndarray) -> None:
    """A stream too short for a training sequence and a dev one would fail only after training: say so before."""
    needed = held_out_size(args, stream) + max(args.seq_len, args.long_seq_len if args.long_fraction else 0)
    if stream.size <= needed:
        raise ValueError(f"the token stream has {stream.size} tokens; --seq-len {args.seq_len} and --long-seq-len "
                         f"{args.long_seq_len} need more than {needed}: give more --text or shorter sequences")


def train(args: PretrainArguments, tokenizer: PreTrainedTokenizerFast, stream: np.ndarray) -> BertForMaskedLM:
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(args.seed)
    generator = torch.Generator(device=device).manual_seed(args.seed)
    if args.init_from:
        model = continued_model(args.init_from, tokenizer).to(device)
    else:
        config = BertConfig(
            vocab_size=len(tokenizer), hidden_size=args.hidden_size, num_hidden_layers=args.num_layers,
            num_attention_heads=args.num_heads, intermediate_size=4 * args.hidden_size,
            max_position_embeddings=args.max_position_embeddings, pad_token_id=tokenizer.pad_token_id,
        )
        model = BertForMaskedLM(config).to(device)
    print(f"model: {sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters on {device}", flush=True)
    held_out = held_out_size(args, stream)
    tokens = torch.from_numpy(stream.astype(np.int64)).to(device)
    train_tokens, dev_tokens = tokens[:-held_out], tokens[-held_out:]
    is_continuation = continuation_table(tokenizer).to(device)
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.ndim < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.learning_rate, betas=(0.9, 0.98), eps=1e-6, fused=device == "cuda",
    )
    autocast = torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=device == "cuda")
    Path(args.output_dir).mkdir(parents=True, exist_ok=True)
    log = open(Path(args.output_dir) / "pretrain_log.jsonl", "a", encoding="utf-8")
    started = time.time()
    step = 0
    while True:
        progress = (time.time() - started) / args.time_budget if args.time_budget else step / args.max_steps
        if progress >= 1:
            break
        seq_len = args.long_seq_len if progress >= 1 - args.long_fraction else args.seq_len
        warmup = min(1.0, progress / args.warmup_fraction) if args.warmup_fraction else 1.0
        rate = args.learning_rate * warmup * min(1.0, (1 - progress) / (1 - args.warmup_fraction))
        for group in optimizer.param_groups:
            group["lr"] = rate
        ids = sample_batch(train_tokens, max(1, args.batch_tokens // seq_len), seq_len, tokenizer.cls_token_id, generator)
        inputs, labels = mask_batch(ids, is_continuation, tokenizer, args, generator)
        with autocast:
            loss = mlm_loss(model, inputs, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        if step % args.log_every == 0:
            record = {"step": step, "seconds": round(time.time() - started, 1), "seq_len": seq_len, "lr": rate, "loss": round(loss.item(), 4)}
            print(json.dumps(record), flush=True)
            log.write(json.dumps(record) + "\n")
    model.eval()
    with torch.no_grad(), autocast:
        dev_losses = []
        for _ in range(20):
            ids = sample_batch(dev_tokens, 64, args.seq_len, tokenizer.cls_token_id, generator)
            dev_losses.append(mlm_loss(model, *mask_batch(ids, is_continuation, tokenizer, args, generator)).item())
    summary = {"steps": step, "seconds": round(time.time() - started, 1), "dev_mlm_loss": round(float(np.mean(dev_losses)), 4),
               "dev_perplexity": round(math.exp(float(np.mean(dev_losses))), 2), "train_tokens": int(train_tokens.numel()),
               "device": torch.cuda.get_device_name() if device == "cuda" else "cpu", "args": vars(args)}
    print(json.dumps(summary), flush=True)
    log.write(json.dumps(summary) + "\n")
    log.close()
    return model


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = ArgumentParser(PretrainArguments, prog="parsclaim pretrain", description=DESCRIPTION,
                            formatter_class=DescriptionHelpFormatter)
    try:
        (args,) = parser.parse_args_into_dataclasses(args=argv)
        check_inputs(args)
    except ValueError as error:  # a __post_init__ or input check: shown with the usage, exit 2
        parser.error(str(error))
    try:
        if args.prepared_dir:
            tokenizer = PreTrainedTokenizerFast.from_pretrained(args.prepared_dir)
            stream = np.load(Path(args.prepared_dir) / "tokens.npy")
        else:
            tokenizer, stream = prepare(args)
        if not args.prepare_only:
            check_stream(args, stream)
            if args.init_from:
                check_vocabulary(args.init_from, tokenizer)  # before training, not after
    except (ValueError, OSError) as error:  # unreadable or too little text: the message, not a traceback
        print(f"parsclaim pretrain: error: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    if args.prepare_only:
        return 0
    model = train(args, tokenizer, stream)
    model.to(getattr(torch, args.save_dtype)).save_pretrained(args.output_dir, max_shard_size=args.max_shard_size)
    tokenizer.save_pretrained(args.output_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
