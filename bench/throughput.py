"""Batch-inference throughput and memory: parsclaim's Extractor vs a plain pipeline.

Both run the same model on the same articles on the same machine. Every
contender is loaded (and warmed up) first; then `--rounds` rounds each time
all of them once, in turn, so that a shared machine's drift hits them all
alike; articles/s come from each contender's median round, and the speedups
are given per round as well:

- baseline: `transformers.pipeline("token-classification", aggregation_strategy="simple",
  stride=...)`, the way a user without parsclaim would tag long articles
  (entity head only, so it does strictly less work than the Extractor), in
  float32 and, on CPUs with native bf16, in bfloat16. The dtype is explicit:
  left alone, transformers 5 loads the saved float16 weights, which runs at
  very different speeds on different CPUs (emulated on some, AVX512-FP16 on
  others); that case is timed too ("saved_dtype"), as a warning, not as the baseline;
- parsclaim: `Extractor.extract_stream` (both heads, quantities, officials,
  claims, attribution), in float32, in bfloat16 weights (the default on
  CPUs with native bf16; skipped on others, where bf16 is emulated and ~7x
  slower than float32), with dynamic int8 matrix products (`precision="int8"`,
  opt-in: the fast path on CPUs without native bf16), and compiled
  (`compile=True`, default precision;
  the compile time is reported apart, with the number of articles after
  which it has paid for itself); then `ParallelExtractor` (`tag --workers N`:
  N processes sharing the cores), by default and compiled. For comparison the
  pipeline runs in N processes too, though a plain pipeline user runs one.

Memory: peak RSS of a fresh process tagging N and then 10 x N articles with
the streaming batch runner; flat memory means the two peaks stay close.

    python bench/throughput.py --model parsclaim/default_model --articles corpus/dev.jsonl --n 136 --memory-n 68
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path

Run = Callable[[list[str]], None]


def load_texts(paths: list[str], n: int) -> list[str]:
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle if line.strip()]
    return list(itertools.islice(itertools.cycle(texts), n))


def make_pipeline(model: str, stride: int, dtype: str | None) -> tuple[Run, float]:
    """(tag texts, seconds to load). dtype None: whatever transformers picks (the saved weights' dtype)."""
    import torch
    from transformers import pipeline

    started = time.perf_counter()
    chosen = {"dtype": getattr(torch, dtype)} if dtype else {}
    pipe = pipeline("token-classification", model=model, aggregation_strategy="simple", stride=stride, device=-1, **chosen)
    setup = time.perf_counter() - started

    def run(texts: list[str]) -> None:
        for text in texts:
            pipe(text)

    return run, setup


_worker_run: Run | None = None  # the pipeline of a pipeline process


def _start_pipeline(model: str, stride: int, dtype: str, threads: int) -> None:
    global _worker_run
    import torch

    torch.set_num_threads(threads)
    _worker_run, _ = make_pipeline(model, stride, dtype)


def _run_pipeline(texts: list[str]) -> None:
    _worker_run(texts)


def make_pipeline_processes(model: str, stride: int, dtype: str, workers: int) -> tuple[Run, float, ProcessPoolExecutor]:
    """`workers` pipeline processes (cores shared out) that tag the texts between them."""
    started = time.perf_counter()
    pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start_pipeline,
                               initargs=(model, stride, dtype, max(1, os.cpu_count() // workers)))
    wait([pool.submit(_run_pipeline, ["."]) for _ in range(workers)])
    setup = time.perf_counter() - started

    def run(texts: list[str]) -> None:
        for future in [pool.submit(_run_pipeline, texts[w::workers]) for w in range(workers)]:
            future.result()

    return run, setup, pool


def make_extractor(model: str, batch_size: int, precision: str, compile: bool = False, workers: int = 1):
    """(tag texts, seconds to load and, with `compile`, compile, the extractor). workers > 1: a ParallelExtractor."""
    from parsclaim.inference.extractor import Extractor
    from parsclaim.inference.parallel import ParallelExtractor

    started = time.perf_counter()
    if workers > 1:
        extractor = ParallelExtractor(model, workers=workers, batch_size=batch_size, precision=precision, compile=compile)
    else:
        extractor = Extractor.from_pretrained(model, device="cpu", batch_size=batch_size, precision=precision, compile=compile)
    setup = time.perf_counter() - started

    def run(texts: list[str]) -> None:
        for _ in extractor.extract_stream(((str(i), t) for i, t in enumerate(texts)), chunk_size=256):
            pass

    return run, setup, extractor


def time_rounds(contenders: dict[str, Run], texts: list[str], rounds: int) -> dict[str, list[float]]:
    """Seconds per round for each contender; every round times all of them once, in turn, after a warm-up."""
    for run in contenders.values():
        run(texts[:2])
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, run in contenders.items():
            started = time.perf_counter()
            run(texts)
            seconds[name].append(time.perf_counter() - started)
    return seconds


def cpu_model_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            return next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def own_peak_rss_mb() -> float:
    """This process's peak RSS (MB). On Linux VmHWM: `ru_maxrss` of a process started by fork + exec
    keeps the parent's peak (here the benchmark's, with several models loaded), which is what the
    benchmark reported until the fifth session (900.6 MB for every input size)."""
    from parsclaim.inference.parallel import own_peak_rss_mb as vm_hwm_mb

    peak = vm_hwm_mb()
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb(model: str, articles: list[str], n: int) -> float:
    """Peak RSS (MB) of a fresh process that streams n articles through the Extractor."""
    code = (
        "import sys, json, itertools\n"
        "sys.path.insert(0, %r)\n"
        "from bench.throughput import load_texts, own_peak_rss_mb\n"
        "from parsclaim.inference.extractor import Extractor\n"
        "e = Extractor.from_pretrained(%r, device='cpu')\n"
        "base = [json.loads(l)['text'] for f in %r for l in open(f, encoding='utf-8') if l.strip()]\n"
        "stream = ((str(i), t) for i, t in enumerate(itertools.islice(itertools.cycle(base), %d)))\n"
        "for _ in e.extract_stream(stream, chunk_size=64): pass\n"
        "print(own_peak_rss_mb())\n"
    ) % (str(Path(__file__).resolve().parents[1]), model, articles, n)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="parsclaim/default_model")
    parser.add_argument("--articles", nargs="+", default=["corpus/dev.jsonl"])
    parser.add_argument("--n", type=int, default=60, help="articles timed (cycled from --articles)")
    parser.add_argument("--stride", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each timing every contender once")
    parser.add_argument("--memory-n", type=int, default=100, help="articles in the small memory run (the large one is 10x)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="processes for the ParallelExtractor runs (1: skip them)")
    parser.add_argument("--output", default="bench/results/throughput.json")
    args = parser.parse_args(argv)
    import torch

    from parsclaim.inference.extractor import cpu_has_native_bf16

    texts = load_texts(args.articles, args.n)
    native_bf16 = cpu_has_native_bf16()
    contenders: dict[str, Run] = {}
    setup: dict[str, float] = {}
    pipeline_pool, extractors = None, {}
    pipelines = {"pipeline_float32": "float32", "pipeline_bfloat16": "bfloat16", "pipeline_saved_dtype": None}
    if not native_bf16:
        del pipelines["pipeline_bfloat16"]
    for name, dtype in pipelines.items():
        contenders[name], setup[name] = make_pipeline(args.model, args.stride, dtype)
    variants = {"extractor_float32": ("float32", False, 1), "extractor_bfloat16": ("bfloat16", False, 1),
                "extractor_int8": ("int8", False, 1), "extractor_compiled": ("auto", True, 1)}
    if not native_bf16:
        del variants["extractor_bfloat16"]
    if args.workers > 1:
        variants |= {"workers": ("auto", False, args.workers), "workers_compiled": ("auto", True, args.workers)}
    for name, (precision, compile, workers) in variants.items():
        contenders[name], setup[name], extractors[name] = make_extractor(args.model, args.batch_size, precision, compile, workers)
    if args.workers > 1:
        contenders["pipeline_float32_processes"], setup["pipeline_float32_processes"], pipeline_pool = make_pipeline_processes(
            args.model, args.stride, "float32", args.workers)
    try:
        seconds = time_rounds(contenders, texts, args.rounds)
        worker_rss = {name: [round(mb, 1) for mb in e.worker_peak_rss_mb.values()] for name, e in extractors.items() if name.startswith("workers")}
    finally:
        for name, extractor in extractors.items():
            if name.startswith("workers"):
                extractor.close()
        if pipeline_pool is not None:
            pipeline_pool.shutdown()
    result = {"machine": {"cpu": cpu_model_name(), "threads": torch.get_num_threads(), "torch": torch.__version__},
              "characters": sum(map(len, texts)), **summarize(seconds, setup, len(texts), native_bf16, args.workers)}
    if result["worker_processes"]:
        result["worker_processes"]["worker_peak_rss_mb"] = worker_rss
    small, large = peak_rss_mb(args.model, args.articles, args.memory_n), peak_rss_mb(args.model, args.articles, 10 * args.memory_n)
    result["peak_rss_mb"] = {str(args.memory_n): round(small, 1), str(10 * args.memory_n): round(large, 1)}
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


def summarize(seconds: dict[str, list[float]], setup: dict[str, float], n: int, native_bf16: bool, workers: int) -> dict:
    """Articles/s from each contender's median round; speedups from the medians and per round."""
    median = {name: statistics.median(s) for name, s in seconds.items()}
    rate = {name: round(n / s, 2) for name, s in median.items()}
    baseline = seconds["pipeline_float32"]
    default = "extractor_bfloat16" if native_bf16 else "extractor_float32"

    def speedup(name: str, against: str = "pipeline_float32") -> float:
        return round(median[against] / median[name], 2)

    def per_round(name: str, against: list[float] = baseline) -> list[float]:
        return [round(b / s, 2) for b, s in zip(against, seconds[name])]

    compile_s = setup["extractor_compiled"] - setup[default]
    saved_per_article = (median[default] - median["extractor_compiled"]) / n
    result = {
        "articles": n,
        "rounds": len(baseline),
        "cpu_native_bf16": native_bf16,
        **{f"{name}_articles_per_s": rate.get(name) for name in ("pipeline_float32", "pipeline_bfloat16", "pipeline_saved_dtype")},
        **{f"{name}_articles_per_s": rate.get(name) for name in ("extractor_float32", "extractor_bfloat16", "extractor_int8", "extractor_compiled")},
        "extractor_compile_seconds": round(compile_s, 1),
        # articles after which compiling has paid for itself
        "extractor_compile_pays_off_after_articles": round(compile_s / saved_per_article) if saved_per_article > 0 else None,
        # the defaults of each side: pipeline float32, Extractor "auto"
        "speedup_defaults": speedup(default),
        "speedup_compiled": speedup("extractor_compiled"),
        "speedup_defaults_per_round": per_round(default),
        "speedup_compiled_per_round": per_round("extractor_compiled"),
        "speedup_float32_vs_float32": speedup("extractor_float32"),
        "speedup_int8": speedup("extractor_int8"),
        "speedup_int8_per_round": per_round("extractor_int8"),
        "speedup_bfloat16_vs_bfloat16": speedup("extractor_bfloat16", "pipeline_bfloat16") if "pipeline_bfloat16" in median else None,
        "seconds_per_round": {name: [round(x, 3) for x in s] for name, s in seconds.items()},
        "worker_processes": None,
    }
    if workers > 1:
        result["worker_processes"] = {
            "workers": workers,
            "threads_per_worker": max(1, os.cpu_count() // workers),
            "extractor_articles_per_s": rate["workers"],
            "extractor_compiled_articles_per_s": rate["workers_compiled"],
            "start_seconds": round(setup["workers"], 1),
            "start_compiled_seconds": round(setup["workers_compiled"], 1),
            "pipeline_float32_articles_per_s": rate["pipeline_float32_processes"],
            # against the one-process float32 pipeline, as the other speedups
            "speedup_defaults": speedup("workers"),
            "speedup_compiled": speedup("workers_compiled"),
            "speedup_compiled_per_round": per_round("workers_compiled"),
            "gain_over_one_process_per_round": per_round("workers", seconds[default]),
            "gain_over_one_process_compiled_per_round": per_round("workers_compiled", seconds["extractor_compiled"]),
            "speedup_compiled_vs_pipeline_in_as_many_processes": speedup("workers_compiled", "pipeline_float32_processes"),
        }
    return result


if __name__ == "__main__":
    sys.exit(main())
