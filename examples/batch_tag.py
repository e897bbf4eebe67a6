"""Batch-tag a pile of Persian news articles with parsclaim: copy this file into your pipeline.

    python examples/batch_tag.py --input dump.jsonl --output tagged.jsonl
    python examples/batch_tag.py --model runs/ner --input articles/ --output tagged.jsonl --csv claims.csv
    python examples/batch_tag.py --input dump.jsonl --output tagged.jsonl --workers 2   # CPU: two processes

INPUT is a JSONL dump (one {"id": ..., "text": ...} object per line), a
CSV/TSV with a "text" column (and "id"), or a folder of .txt files (searched
recursively; the id is the path inside the folder). OUTPUT gets one corpus-format article per line (SPEC §2: id, text,
entities, officials, claims), written and flushed as results arrive, so a
killed run can simply be restarted: ids already in OUTPUT are skipped.
Unreadable records (empty, not UTF-8, no "text") are reported on stderr and
not written. At the end the claims become a CSV, one row per claimed
quantity (`parsclaim table`, which this calls: claimant, title, organization,
cue, claim, quantity, value, unit).

--model is a model directory or a Hub id ("org/name", add --revision to pin);
by default the model bundled with parsclaim.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

# iter_records reads .txt files, folders and JSONL (one Record per input); done_ids and drop_torn_line resume a run.
from parsclaim.inference.batch import done_ids, drop_torn_line, iter_records
from parsclaim.inference.cli import DEFAULT_MODEL  # the model shipped inside the parsclaim package
from parsclaim.inference.extractor import Extractor
from parsclaim.inference.parallel import ParallelExtractor
from parsclaim.inference.table import TableArguments, write_table  # tagged JSONL -> CSV, as `parsclaim table` does

REPORT_EVERY = 1000  # articles between two progress lines


# ----------------------------------------------------------------------------- input

def read_pairs(input_path: str, skip: set[str], stats: dict) -> Iterator[tuple[str, str]]:
    """(id, text) pairs still to do. A generator: the corpus is never held in memory."""
    for record in iter_records([input_path]):
        if record.id in skip:
            stats["skipped"] += 1
            continue
        if record.error is not None:  # e.g. "empty text", "not UTF-8 (byte 12)", "no 'text' field"
            stats["bad"] += 1
            print(f"skipping {record.id}: {record.error}", file=sys.stderr)
            continue
        yield record.id, record.text


# ----------------------------------------------------------------------------- tagging

def tag(extractor: Extractor, input_path: str, output: Path, chunk_size: int = 256) -> dict:
    """Tag everything in input_path not yet in output; append to output. Returns counts."""
    drop_torn_line(output)  # a run killed mid-write can leave a partial last line
    skip = done_ids(output)
    stats = {"tagged": 0, "claims": 0, "skipped": 0, "bad": 0}
    started = time.perf_counter()
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "a", encoding="utf-8") as sink:
        # extract_stream reads `chunk_size` articles, tags them in length-sorted batches, and yields
        # them back in input order; memory stays flat however big the input is.
        for article in extractor.extract_stream(read_pairs(input_path, skip, stats), chunk_size=chunk_size):
            sink.write(json.dumps(article, ensure_ascii=False) + "\n")
            sink.flush()  # an interrupted run leaves only whole lines behind
            stats["tagged"] += 1
            stats["claims"] += len(article["claims"])
            if stats["tagged"] % REPORT_EVERY == 0:
                rate = stats["tagged"] / (time.perf_counter() - started)
                print(f"{stats['tagged']} articles tagged, {stats['claims']} claims, {rate:.1f} articles/s", file=sys.stderr)
    return stats


# ----------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(DEFAULT_MODEL), help="model directory or Hub id (default: the bundled model)")
    parser.add_argument("--revision", default=None, help="Hub revision to pin (branch, tag or commit)")
    parser.add_argument("--input", required=True, help="JSONL dump with id/text, a CSV/TSV with a text column, or a folder of .txt files")
    parser.add_argument("--output", required=True, help="corpus-format JSONL to write (appended to when resuming)")
    parser.add_argument("--csv", default=None, help="claims CSV to write (default: OUTPUT with .claims.csv)")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--chunk-size", type=int, default=256, help="articles tagged per chunk")
    parser.add_argument("--batch-size", type=int, default=32, help="windows per forward pass")
    parser.add_argument("--compile", action="store_true", help="torch.compile the model first (8-13 s once; pays off after a few thousand articles)")
    parser.add_argument("--precision", default="auto", help="auto (bfloat16 on CPUs with native bf16), float32 or bfloat16")
    parser.add_argument("--workers", type=int, default=1, help="CPU processes, each with its own model and share of the cores")
    args = parser.parse_args(argv)

    if not Path(args.input).exists():
        parser.error(f"--input {args.input}: no such file or folder")
    if args.workers > 1:  # same extract_stream, spread over processes (README, "Speed and memory")
        extractor = ParallelExtractor(args.model, workers=args.workers, revision=args.revision, batch_size=args.batch_size,
                                      precision=args.precision, compile=args.compile)
    else:
        extractor = Extractor.from_pretrained(args.model, revision=args.revision, device=args.device, batch_size=args.batch_size,
                                              precision=args.precision, compile=args.compile)
    output = Path(args.output)
    try:
        stats = tag(extractor, args.input, output, chunk_size=args.chunk_size)
    finally:
        if args.workers > 1:
            extractor.close()
    print(f"done: {stats['tagged']} articles tagged ({stats['claims']} claims), {stats['skipped']} already done, "
          f"{stats['bad']} unreadable -> {output}", file=sys.stderr)

    csv_path = Path(args.csv) if args.csv else output.with_suffix(".claims.csv")
    # The whole output, resumed runs included; a claim with two numbers gives two rows.
    _, rows, _ = write_table([str(output)], TableArguments(output=str(csv_path)))
    print(f"{rows} claim rows -> {csv_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
