"""Batch tagging in several worker processes, each with its own model and share of the CPU.

Meant for CPUs with many cores, where one process's threads split a small encoder's
matrix products ever more thinly and sit idle while Python post-processes a batch.
On a 2-core machine two processes of one thread each were not consistently faster
than one of two threads (0.83-1.08x; README, "Speed and memory"). Each worker loads the model itself
(spawned, not forked: torch's thread pools do not survive a fork), so memory
grows by one model and one working set per worker.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

import torch

from .extractor import Extractor, check_texts, extract_in_chunks

_worker: dict = {}
NEEDS_MAIN_GUARD = (
    "the script that creates a ParallelExtractor must do so under `if __name__ == \"__main__\":` "
    "(the workers are spawned processes that import that script again)"
)


def _importing_main_in_a_worker() -> bool:
    """True while a spawned worker runs the parent's script top to bottom (no `__main__` guard)."""
    # what multiprocessing's own check reads (spawn._check_not_importing_main): set while a child prepares
    return bool(getattr(multiprocessing.current_process(), "_inheriting", False))


def _start_worker(name_or_path: str, threads: int, extractor_kwargs: dict) -> None:
    torch.set_num_threads(threads)
    try:
        _worker["extractor"] = Extractor.from_pretrained(name_or_path, device="cpu", **extractor_kwargs)
    except Exception as error:  # raised again with the first task: the parent sees the real cause
        _worker["error"] = error


def own_peak_rss_mb() -> float | None:
    """This process's peak RSS in MB (Linux `VmHWM`), None where /proc cannot tell."""
    try:
        with open("/proc/self/status", encoding="utf-8") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return None


def _tag(texts: list[str], ids: list[str], entity_scheme: str | None) -> tuple[list[dict], int, float | None]:
    if "error" in _worker:
        raise _worker["error"]
    articles = _worker["extractor"].extract(texts, ids=ids, entity_scheme=entity_scheme)
    return articles, os.getpid(), own_peak_rss_mb()


class ParallelExtractor:
    """`Extractor`'s `extract` / `extract_stream` on `workers` CPU processes.

    `ParallelExtractor("parsclaim/default_model", workers=2, compile=True)` takes the
    keyword arguments of `Extractor.from_pretrained` (not `device`: workers run on the
    CPU). Results and their order are those of one `Extractor`; use it as a context
    manager, or call `close()`, to stop the workers."""

    def __init__(self, name_or_path, workers: int = 2, threads_per_worker: int | None = None, **extractor_kwargs):
        if _importing_main_in_a_worker():
            # one line from the worker, not a traceback; the parent explains (BrokenProcessPool below)
            print(f"parsclaim: a worker process stopped: {NEEDS_MAIN_GUARD}", file=sys.stderr)
            raise SystemExit(1)
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if "device" in extractor_kwargs:
            raise ValueError("worker processes run on the CPU; for a GPU use one Extractor (Extractor.from_pretrained(..., device='cuda'))")
        self.workers = workers
        self.threads_per_worker = threads_per_worker or max(1, torch.get_num_threads() // workers)
        self.entity_scheme = extractor_kwargs.get("entity_scheme")
        self.worker_peak_rss_mb: dict[int, float] = {}
        self._pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start_worker,
                                         initargs=(str(name_or_path), self.threads_per_worker, extractor_kwargs))
        try:
            # every worker loads (and compiles) now, side by side; a model that cannot load fails here
            self.extract(["."] * workers)
        except BrokenProcessPool:
            self.close()
            raise RuntimeError(f"a worker process ended while starting: killed for lack of memory, or {NEEDS_MAIN_GUARD}") from None
        except BaseException:
            self.close()
            raise

    def extract(self, texts: str | list[str], ids: list[str] | None = None, entity_scheme: str | None = None) -> list[dict] | dict:
        """Articles in the corpus format, as `Extractor.extract` returns them."""
        single = isinstance(texts, str)
        texts, ids = check_texts(texts, ids)
        # Dealing the length-sorted texts round-robin gives every worker about the same work.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        shares = [order[w :: self.workers] for w in range(self.workers)]
        futures = [self._pool.submit(_tag, [texts[i] for i in share], [ids[i] for i in share], self.entity_scheme if entity_scheme is None else entity_scheme)
                   for share in shares if share]
        results: list[dict | None] = [None] * len(texts)
        for share, future in zip((s for s in shares if s), futures):
            articles, pid, peak = future.result()
            if peak is not None:
                self.worker_peak_rss_mb[pid] = peak
            for i, article in zip(share, articles):
                results[i] = article
        return results[0] if single else results

    def extract_stream(self, records: Iterable[tuple[str, str]], chunk_size: int = 256) -> Iterator[dict]:
        """(id, text) pairs in, articles out, `chunk_size` at a time: memory stays flat."""
        return extract_in_chunks(self.extract, records, chunk_size)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> ParallelExtractor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
