"""Output paths that must not be an input: writing them would empty the input before it is read."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


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
