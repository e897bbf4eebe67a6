"""`parsclaim tag`: batch tagging into corpus-format JSONL or HTML pages.

Streams: records are read, tagged and written `--chunk-size` at a time, and
every line is flushed, so memory stays flat and an interrupted run leaves only
whole lines; `--resume` skips ids already in the output.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..arguments import ArgumentParser
from ..data.align import MIN_WINDOW
from ..models.decoding import DECODING_HELP, check_decoding
from ..paths import BUNDLED_MODEL, refuse_input_as_output
from .batch import Record, done_ids, drop_error_lines, drop_torn_line, iter_records
from .html import claimant_label
from .view import ArticleView

DEFAULT_MODEL = BUNDLED_MODEL
EXAMPLE_ARTICLE = Path(__file__).resolve().parents[1] / "examples" / "article.txt"


@dataclass
class TagArguments:
    model: str = field(default=str(DEFAULT_MODEL), metadata={"help": "Model directory or Hub id (default: the bundled model)."})
    revision: str | None = field(default=None, metadata={"help": "Hub revision (branch, tag or commit) to pin."})
    output: str = field(default="-", metadata={"aliases": ["-o"], "help": "Output JSONL file ('-' = stdout), or a folder with --format html."})
    format: str = field(default="jsonl", metadata={"help": "jsonl (one corpus-format object per input) or html (one page per article)."})
    resume: bool = field(default=False, metadata={"help": "Skip input ids already present in the output file and append."})
    example: bool = field(default=False, metadata={"help": "Tag the bundled example article."})
    summary: bool = field(default=False, metadata={"help": "Print the officials and claims of each article in plain text (stderr)."})
    device: str = field(default="auto", metadata={"help": "auto, cpu, cuda or cuda:N."})
    batch_size: int = field(default=32, metadata={"help": "Windows per forward pass."})
    chunk_size: int = field(default=256, metadata={"help": "Articles read, tagged and written at a time."})
    max_length: int | None = field(default=None, metadata={"help": "Tokens per window (default: the model's window_length)."})
    stride: int | None = field(default=None, metadata={"help": "Tokens of overlap between windows of long articles (default: the model's)."})
    precision: str = field(default="auto", metadata={"help": "auto (bfloat16 on CPUs with native bf16, else float32), float32, bfloat16, or int8 (CPU: dynamic int8 matrix products, faster on CPUs without native bf16; README, \"Speed and memory\")."})
    entity_scheme: str | None = field(default=None, metadata={"help": "Entities in another corpus's conventions (peyma or arman) from the model's head for it (labels that corpus lacks, e.g. ROLE, still appear); default (or 'parsclaim'): parsclaim's schema."})
    decoding: str = field(default="viterbi", metadata={"help": DECODING_HELP})
    compile: bool = field(default=False, metadata={"help": "Compile the model with torch.compile first (8-13 s once, then 1.15-1.8x more articles/s on CPU: worth it from a few thousand articles; needs a C++ compiler)."})
    workers: int = field(default=1, metadata={"help": "CPU worker processes, each with its own model and share of the cores (for many-core CPUs; on 2 cores no consistent gain was measured; one more model in memory per worker; see README, \"Speed and memory\")."})
    progress: bool = field(default=True, metadata={"help": "Show a progress bar (--no_progress to hide)."})

    def __post_init__(self) -> None:
        if self.format not in ("jsonl", "html"):
            raise ValueError(f"--format must be jsonl or html, not {self.format!r}")
        if self.format == "html" and self.output == "-":
            raise ValueError("--format html writes one page per article: give a folder with -o")
        if self.resume and (self.output == "-" or self.format == "html"):
            raise ValueError("--resume needs a JSONL output file (-o OUT.jsonl)")
        if self.format == "jsonl" and Path(self.output).suffix.lower() in (".csv", ".tsv"):
            raise ValueError(f"tag writes JSONL, not {Path(self.output).suffix}: write -o OUT.jsonl, then "
                             f"`parsclaim table OUT.jsonl -o {self.output}` for a spreadsheet")
        from .extractor import PRECISIONS

        if self.precision not in PRECISIONS:
            raise ValueError(f"--precision must be one of {', '.join(PRECISIONS)}, not {self.precision!r}")
        check_decoding(self.decoding, "--decoding")
        if self.batch_size < 1 or self.chunk_size < 1 or self.workers < 1:
            raise ValueError("--batch_size, --chunk_size and --workers must be positive")
        if self.max_length is not None and self.max_length < MIN_WINDOW:
            raise ValueError(f"--max_length must be at least {MIN_WINDOW} tokens (leave it out for the model's window_length)")
        if self.stride is not None and self.stride < 0:
            raise ValueError("--stride must be 0 or more tokens")
        if not re.fullmatch(r"auto|cpu|mps|cuda(:\d+)?", self.device):
            raise ValueError(f"--device must be auto, cpu, cuda, cuda:N or mps, not {self.device!r}")
        if self.workers > 1 and self.device.startswith("cuda"):
            raise ValueError("--workers runs CPU processes; on a GPU use one process (--workers 1)")


def parse(argv: list[str] | None) -> tuple[TagArguments, list[str]]:
    parser = ArgumentParser(TagArguments, prog="parsclaim tag", description="Tag Persian news articles: entities, quantities, officials and claims.")
    parser.add_argument("inputs", nargs="*", help=".txt files, folders (recursive), .jsonl files with 'text' (and 'id'), .csv/.tsv files with a 'text' column (and 'id'), or - for stdin")
    args, extra = parser.parse_args_into_dataclasses(args=argv)
    inputs = list(extra.inputs) + ([str(EXAMPLE_ARTICLE)] if args.example else [])
    if not inputs:
        parser.error("give inputs to tag (or --example)")
    check_output(args, inputs)
    return args, inputs


def check_output(args: TagArguments, inputs: list[str]) -> None:
    """Refuse an output that cannot be written or would overwrite an input, before anything is opened."""
    if args.output == "-":
        return
    output = Path(args.output)
    if args.format == "html":
        if output.exists() and not output.is_dir():
            raise ValueError(f"--format html writes pages into a folder, and {output} is a file")
        return
    if output.is_dir():
        raise ValueError(f"-o {output} is a folder; give a file (-o OUT.jsonl), or use --format html")
    if not output.parent.is_dir():
        raise ValueError(f"the folder of -o {output} does not exist")
    refuse_input_as_output(output, inputs)


def summarize(article: dict) -> str:
    view = ArticleView(article)
    text = article["text"]
    lines = [f"# {article['id']}", "officials:"]
    for official in article["officials"]:
        _, roles, orgs = view.claimant(official["id"])
        name = view.surface(official["name"]) or "(unnamed)"  # its titles follow anyway
        lines.append(f"  {official['id']}: {name} — {roles}" + (f" — {orgs}" if orgs else ""))
    lines.append("claims:")
    for claim in article["claims"]:
        who = claimant_label(view, claim["claimant"]) if claim["claimant"] else "unattributed"
        cue = text[claim["cue"][0] : claim["cue"][1]] if claim.get("cue") else "-"
        quantities = ", ".join(f"{view.surface(q)}={view.entities[q].get('value')}" for q in claim["quantities"])
        lines.append(f"  {claim['id']} [{who} | {cue}] {text[claim['start']:claim['end']]}" + (f"  ({quantities})" if quantities else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    try:
        args, inputs = parse(argv)
    except ValueError as error:
        print(f"parsclaim tag: error: {error}", file=sys.stderr)
        return 2
    try:
        return run(args, inputs)
    except KeyboardInterrupt:
        print("\nparsclaim tag: interrupted; every line written is whole: rerun with --resume to go on", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `parsclaim tag ... | head`: the reader left, not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 141


def run(args: TagArguments, inputs: list[str]) -> int:
    import torch

    from .extractor import Extractor
    from .parallel import ParallelExtractor

    options = dict(revision=args.revision, batch_size=args.batch_size, stride=args.stride, max_length=args.max_length,
                   precision=args.precision, entity_scheme=args.entity_scheme, decoding=args.decoding, compile=args.compile)
    try:
        if args.workers > 1:
            if args.device == "auto" and torch.cuda.is_available():
                print("parsclaim tag: note: --workers runs on the CPU; without it the GPU would be used", file=sys.stderr)
            extractor = ParallelExtractor(args.model, workers=args.workers, **options)
        else:
            extractor = Extractor.from_pretrained(args.model, device=args.device, **options)
    except (OSError, ValueError, RuntimeError) as error:
        print(f"parsclaim tag: cannot load model {args.model!r} (device {args.device}): {error}", file=sys.stderr)
        return 2
    try:
        sink = tag_records(args, inputs, extractor)
    except BrokenPipeError:
        raise
    except OSError as error:  # the output's disk is full or gone: say so, the lines written stay whole
        print(f"parsclaim tag: error: {error}", file=sys.stderr)
        return 1
    finally:
        if isinstance(extractor, ParallelExtractor):
            extractor.close()  # workers stop with the run, also when it fails
    print(f"{sink.written} article(s) tagged, {sink.errors} error record(s)" + (f", {sink.skipped} skipped (--resume)" if args.resume else ""), file=sys.stderr)
    # nothing tagged and something failed (a mistyped path, say): a script should see it
    return 1 if sink.written == 0 and sink.errors else 0


def tag_records(args: TagArguments, inputs: list[str], extractor) -> Sink:
    """Read, tag and write every input record, `--chunk_size` at a time."""
    from tqdm import tqdm

    sink = Sink(args)
    bar = tqdm(desc="articles", unit="art", disable=not args.progress, file=sys.stderr)
    output = None if args.output == "-" else Path(args.output)
    chunk: list[Record] = []
    for record in unique_ids(iter_records(inputs, exclude=output)):
        if record.id in sink.skip:
            sink.skipped += 1
            continue
        chunk.append(record)
        if len(chunk) == args.chunk_size:
            sink.write_chunk(chunk, extractor, args.summary)
            bar.update(len(chunk))
            chunk = []
    if chunk:
        sink.write_chunk(chunk, extractor, args.summary)
        bar.update(len(chunk))
    bar.close()
    sink.close()
    return sink


def unique_ids(records):
    """Records with ids made unique ("a.txt", "a.txt#2"): two folders' a.txt would share one id, and
    --resume and the HTML pages go by id."""
    seen: dict[str, int] = {}
    for record in records:
        count = seen[record.id] = seen.get(record.id, 0) + 1
        if count > 1:
            renamed = f"{record.id}#{count}"
            print(f"parsclaim tag: note: id {record.id!r} appears again; this record is {renamed!r}", file=sys.stderr)
            record.id = renamed
        yield record


class Sink:
    """Where results go: a JSONL stream (flushed per line) or a folder of HTML pages."""

    def __init__(self, args: TagArguments):
        self.format, self.written, self.errors, self.skipped = args.format, 0, 0, 0
        self.skip: set[str] = set()
        if args.format == "html":
            self.folder = Path(args.output)
            self.folder.mkdir(parents=True, exist_ok=True)
            self.pages: list[tuple[str, str]] = []
            self.page_names = {"index.html"}
            return
        if args.output == "-":
            self.handle = sys.stdout
            return
        path = Path(args.output)
        if args.resume:
            drop_torn_line(path)
            drop_error_lines(path)  # those records are tried again
            self.skip = done_ids(path)
        self.handle = open(path, "a" if args.resume else "w", encoding="utf-8")

    def write_chunk(self, chunk: list[Record], extractor, summary: bool) -> None:
        good = [r for r in chunk if r.error is None]
        try:
            tagged = iter(extractor.extract([r.text for r in good], ids=[r.id for r in good]) if good else [])
        except Exception:  # noqa: BLE001  one bad record must not cost its chunk: tag them one by one
            tagged = iter([self._tag_alone(record, extractor) for record in good])
        for record in chunk:
            article = {"id": record.id, "error": record.error} if record.error is not None else next(tagged)
            if "error" in article:
                self.errors += 1
                self._emit(article)
                continue
            self.written += 1
            if summary:
                from tqdm import tqdm

                tqdm.write(summarize(article), file=sys.stderr)  # above the progress bar, not glued to it
            self._emit(article)

    @staticmethod
    def _tag_alone(record: Record, extractor) -> dict:
        try:
            return extractor.extract([record.text], ids=[record.id])[0]
        except Exception as error:  # noqa: BLE001
            return {"id": record.id, "error": f"tagging failed: {type(error).__name__}: {error}"}

    def _emit(self, obj: dict) -> None:
        if self.format == "jsonl":
            self.handle.write(json.dumps(obj, ensure_ascii=False) + "\n")
            self.handle.flush()
        elif "error" not in obj:
            from .html import render_html

            stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in obj["id"])
            name, number = f"{stem}.html", 1
            while name in self.page_names:  # "a/b" and "a_b", or an article called "index"
                number += 1
                name = f"{stem}-{number}.html"
            self.page_names.add(name)
            (self.folder / name).write_text(render_html(obj), encoding="utf-8")
            self.pages.append((name, obj["id"]))
        else:
            print(f"{obj['id']}: {obj['error']}", file=sys.stderr)

    def close(self) -> None:
        if self.format == "html":
            from .html import render_index

            (self.folder / "index.html").write_text(render_index(self.pages), encoding="utf-8")
        elif self.handle is not sys.stdout:
            self.handle.close()


if __name__ == "__main__":
    sys.exit(main())
