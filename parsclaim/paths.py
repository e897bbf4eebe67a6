"""Paths every command shares: the bundled model's folder and the name that finds it from anywhere,
what looks like a local path rather than a Hub id, and outputs that must not be an input (writing
them would empty the input before it is read)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

BUNDLED_NAME = "parsclaim/default_model"  # the name the README uses, also outside the repository root
BUNDLED_MODEL = Path(__file__).resolve().parent / "default_model"


def looks_local(name: str | Path) -> bool:
    """A local path rather than a Hub id (org/name): it exists, or it could only be a path."""
    return Path(name).exists() or str(name).count("/") > 1 or str(name).startswith((".", "/"))


def local_model_folder(name: str | Path) -> Path | None:
    """The folder a model name means here: a folder as is, the bundled model by its README name from
    any folder; None for anything else (a Hub id, or a path that is not there)."""
    if Path(name).is_dir():
        return Path(name)
    return BUNDLED_MODEL if str(name).rstrip("/") == BUNDLED_NAME else None


def same_file(a: str | Path, b: str | Path) -> bool:
    # resolve() sees through ./, .. and symlinks; samefile also sees hard links
    if Path(a).resolve() == Path(b).resolve():
        return True
    return Path(a).exists() and Path(b).exists() and os.path.samefile(a, b)


def refuse_input_as_output(output: str | Path, inputs: Iterable[str | Path], option: str = "-o") -> None:
    """Raise ValueError if `output` is one of `inputs` (stdin "-" and missing inputs are no file)."""
    if str(output) == "-":
        return
    for path in inputs:
        if str(path) != "-" and Path(path).is_file() and same_file(path, output):
            raise ValueError(f"{option} {output} is also an input ({path}): it would be overwritten before it is read")
