"""Input records for batch tagging: files, folders, JSONL and stdin, one record each.

Every input record yields exactly one `Record`: either text to tag or an
error saying what was wrong with it, so the output has one line per input.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Record:
    id: str
    text: str | None = None
    error: str | None = None


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "not text (NUL bytes)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:  # a JSON "\ud800" escape: a half of a UTF-16 pair, no character
        return f"not text (a lone surrogate, U+{ord(text[error.start]):04X}, at character {error.start})"
    if not text.strip():
        return "empty text"
    return None


def decode_text(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, error) for a whole text file: UTF-8, with or without a BOM, or UTF-16
    with a BOM (Windows "Unicode" files). Other encodings are refused, with a hint for the
    Windows-1256 files older Persian archives hold, since any byte string decodes as 1256."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as error:
            return None, f"not UTF-16 (byte {error.start}), though it starts with a UTF-16 byte-order mark"
    if b"\x00" in data:
        return None, "not text (binary file)"
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as error:
        message = f"not UTF-8 (byte {error.start})"
        if _looks_like_windows_1256(data):
            message += "; it reads as Windows-1256 Persian: convert it first, e.g. iconv -f WINDOWS-1256 -t UTF-8"
        return None, message


def _looks_like_windows_1256(data: bytes) -> bool:
    letters = [c for c in data.decode("cp1256", errors="replace") if c.isalpha()]
    return len(letters) >= 3 and sum("\u0600" <= c <= "\u06ff" for c in letters) / len(letters) > 0.5


def read_text_file(path: Path, record_id: str) -> Record:
    text, error = decode_text(path.read_bytes())
    if error:
        return Record(record_id, error=error)
    problem = _text_problem(text)
    return Record(record_id, error=problem) if problem else Record(record_id, text=text)


def read_jsonl_lines(lines, source: str) -> Iterator[Record]:
    for number, raw in enumerate(lines, start=1):
        record_id = f"{source}:{number}"
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield Record(record_id, error=f"not UTF-8 (byte {error.start})")
                continue
        if number == 1:
            raw = raw.removeprefix("\ufeff")  # editors on Windows write one
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as error:
            yield Record(record_id, error=f"invalid JSON: {error.msg}")
            continue
        if not isinstance(obj, dict):
            yield Record(record_id, error="not a JSON object")
            continue
        record_id = record_id if obj.get("id") is None else str(obj["id"])
        text = obj.get("text")
        if text is None:
            yield Record(record_id, error="no 'text' field")
        elif not isinstance(text, str):
            yield Record(record_id, error=f"'text' is {type(text).__name__}, not a string")
        else:
            problem = _text_problem(text)
            yield Record(record_id, error=problem) if problem else Record(record_id, text=text)


def iter_records(inputs: list[str], exclude: Path | None = None) -> Iterator[Record]:
    """Records from .txt files, folders (recursive), .jsonl files, .csv/.tsv files with a 'text' column,
    or '-' (stdin: JSONL, else one text). `exclude`: the run's output (a file, or the folder of HTML
    pages), never read as input, though it may lie in an input folder."""
    exclude = exclude.resolve() if exclude is not None else None
    for item in inputs:
        if item == "-":
            yield from _stdin_records()
            continue
        path = Path(item)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if exclude is not None and (file.resolve() == exclude or exclude in file.resolve().parents):
                    continue
                if any(part.startswith(".") for part in file.relative_to(path).parts):
                    continue  # .DS_Store, .git/...: not articles
                yield from _file_records(file, str(file.relative_to(path)))
        elif path.exists():  # a file, or /dev/stdin and <(...) pipes
            yield from _file_records(path, path.name)
        else:
            yield Record(item, error="no such file or folder")


def _file_records(path: Path, record_id: str) -> Iterator[Record]:
    suffix = path.suffix.lower()  # "DATA.JSONL" from Windows tools
    if suffix == ".jsonl":
        with open(path, "rb") as handle:
            yield from read_jsonl_lines(handle, record_id)
    elif suffix in (".csv", ".tsv"):
        yield from read_table_rows(path, record_id)
    else:
        yield read_text_file(path, record_id)


def read_table_rows(path: Path, source: str) -> Iterator[Record]:
    """A spreadsheet of articles: a 'text' column (and 'id', else FILE:ROW), one record per row."""
    import csv

    csv.field_size_limit(2**31 - 1)  # whole articles in a cell: far above the 128 KiB default
    try:
        with open(path, "rb") as probe:
            utf16 = probe.read(2) in (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text"
        with open(path, encoding="utf-16" if utf16 else "utf-8-sig", newline="") as handle:
            header = handle.readline()
            # Excel writes ";" where "," is the decimal mark; a .tsv is tab-separated
            delimiter = "\t" if path.suffix.lower() == ".tsv" else max(",;\t", key=header.count)
            rows = csv.DictReader(itertools.chain([header], handle), delimiter=delimiter)
            columns = {name.strip().lower(): name for name in rows.fieldnames or []}  # "Text", " id"
            if "text" not in columns:
                yield Record(source, error=f"no 'text' column (columns: {', '.join(rows.fieldnames or [])})")
                return
            for number, row in enumerate(rows, start=2):  # row 1 is the header
                text = row.get(columns["text"])
                record_id = (row.get(columns.get("id", "id")) or "").strip() or f"{source}:{number}"
                problem = _text_problem(text) if isinstance(text, str) else "no 'text' in this row"
                yield Record(record_id, error=problem) if problem else Record(record_id, text=text)
    except UnicodeDecodeError as error:
        yield Record(source, error=f"not UTF-8 (byte {error.start})")
    except csv.Error as error:
        yield Record(source, error=f"invalid CSV: {error}")


def _stdin_records() -> Iterator[Record]:
    stream = sys.stdin.buffer
    skipped = b""  # blank lines before the first record: JSONL still
    first = stream.readline()
    while first and not first.strip():
        skipped, first = skipped + first, stream.readline()
    try:
        looks_jsonl = isinstance(json.loads(first), dict)
    except (json.JSONDecodeError, UnicodeDecodeError):
        looks_jsonl = False
    if looks_jsonl:
        yield from read_jsonl_lines([first], "stdin")
        # Later lines continue the numbering after the first.
        for record in read_jsonl_lines(stream, "stdin"):
            if record.id.startswith("stdin:"):
                record.id = f"stdin:{int(record.id.split(':')[1]) + 1}"
            yield record
    else:
        text, error = decode_text(skipped + first + stream.read())
        if error:
            yield Record("stdin", error=error)
            return
        problem = _text_problem(text)
        yield Record("stdin", error=problem) if problem else Record("stdin", text=text)


def done_ids(output: Path) -> set[str]:
    """Ids already tagged in an output file (for --resume); error lines and a torn last line are not done."""
    ids = set()
    if output.exists():
        with open(output, encoding="utf-8") as handle:
            for line in handle:
                try:
                    obj = json.loads(line)
                    if "error" not in obj:
                        ids.add(obj["id"])
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue
    return ids


def drop_error_lines(output: Path) -> int:
    """Remove the error lines of an earlier run (--resume tries those records again, so each input keeps
    one line); the file is replaced atomically. Returns how many were dropped."""
    if not output.exists():
        return 0
    kept, dropped = [], 0
    with open(output, encoding="utf-8") as handle:
        for line in handle:
            try:
                is_error = "error" in json.loads(line)
            except (json.JSONDecodeError, TypeError):
                is_error = False
            dropped += is_error
            if not is_error:
                kept.append(line)
    if dropped:
        scratch = output.with_name(output.name + ".resume-tmp")
        scratch.write_text("".join(kept), encoding="utf-8")
        scratch.replace(output)
    return dropped


def drop_torn_line(output: Path) -> None:
    """An interrupted write can leave a partial last line: cut it, so appends stay valid JSONL."""
    if not output.exists():
        return
    data = output.read_bytes()
    if data and not data.endswith(b"\n"):
        output.write_bytes(data[: data.rfind(b"\n") + 1])
