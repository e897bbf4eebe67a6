"""Batch-inference throughput and memory: parsclaim's Extractor vs a plain pipeline.

Both run the same model on the same articles on the same machine, one run
each after a warm-up:

- baseline: `transformers.pipeline("token-classification", aggregation_strategy="simple",
  stride=...)`, the way a user without parsclaim would tag long articles
  (entity head only, so it does strictly less work than the Extractor), in
  float32 and, on CPUs with native bf16, in bfloat16. The dtype is explicit:
  left alone, transformers 5 loads the saved float16 weights, which runs at
  very different speeds on different CPUs (emulated on some, AVX512-FP16 on
  others); that case is timed too ("saved_dtype"), as a warning, not as the baseline;
- parsclaim: `Extractor.extract_stream` (both heads, quantities, officials,
  claims, attribution), in float32 and in bfloat16 weights (the default on
  CPUs with native bf16), and compiled (`compile=True`, default precision;
  the compile time is reported apart, with the number of articles after
  which it has paid for itself); then `ParallelExtractor` (`tag --workers N`:
  N processes sharing the cores), by default and compiled. For comparison the
  pipeline runs in N processes too, though a plain pipeline user runs one.

Memory: peak RSS of a fresh process tagging N and then 10 x N articles with
the streaming batch runner; flat memory means the two peaks stay close.

    python bench/throughput.py --model parsclaim/default_model --articles corpus/dev.jsonl --n 60
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path


def load_texts(paths: list[str], n: int) -> list[str]:
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle if line.strip()]
    return list(itertools.islice(itertools.cycle(texts), n))


def time_pipeline(model: str, texts: list[str], stride: int, dtype: str | None) -> float:
    """dtype None: whatever transformers picks (the saved weights' dtype)."""
    import torch
    from transformers import pipeline

    chosen = {"dtype": getattr(torch, dtype)} if dtype else {}
    pipe = pipeline("token-classification", model=model, aggregation_strategy="simple", stride=stride, device=-1, **chosen)
    pipe(texts[:2])
    started = time.perf_counter()
    for text in texts:
        pipe(text)
    return time.perf_counter() - started


_pipe = None


def _start_pipeline(model: str, stride: int, dtype: str, threads: int) -> None:
    global _pipe
    import torch
    from transformers import pipeline

    torch.set_num_threads(threads)
    _pipe = pipeline("token-classification", model=model, aggregation_strategy="simple", stride=stride, device=-1, dtype=getattr(torch, dtype))


def _run_pipeline(texts: list[str]) -> int:
    for text in texts:
        _pipe(text)
    return len(texts)


def time_pipeline_processes(model: str, texts: list[str], stride: int, dtype: str, workers: int) -> float:
    """Seconds for `workers` pipeline processes (cores shared out) to tag `texts` between them."""
    threads = max(1, os.cpu_count() // workers)
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start_pipeline,
                             initargs=(model, stride, dtype, threads)) as pool:
        wait([pool.submit(_run_pipeline, texts[:2]) for _ in range(workers)])
        started = time.perf_counter()
        wait([pool.submit(_run_pipeline, texts[w::workers]) for w in range(workers)])
        return time.perf_counter() - started


def time_parallel_extractor(model: str, texts: list[str], batch_size: int, workers: int, compile: bool = False) -> tuple[float, float, dict]:
    """(seconds tagging `texts`, seconds to start the workers (load, compile), each worker's peak RSS in MB)."""
    from parsclaim.inference.parallel import ParallelExtractor

    started = time.perf_counter()
    with ParallelExtractor(model, workers=workers, batch_size=batch_size, compile=compile) as extractor:
        setup = time.perf_counter() - started
        started = time.perf_counter()
        for _ in extractor.extract_stream(((str(i), t) for i, t in enumerate(texts)), chunk_size=256):
            pass
        return time.perf_counter() - started, setup, extractor.worker_peak_rss_mb


def time_extractor(model: str, texts: list[str], batch_size: int, precision: str, compile: bool = False) -> tuple[float, float]:
    """(seconds tagging `texts` after a warm-up, seconds to load the model and, with `compile`, compile it)."""
    from parsclaim.inference.extractor import Extractor

    started = time.perf_counter()
    extractor = Extractor.from_pretrained(model, device="cpu", batch_size=batch_size, precision=precision, compile=compile)
    setup = time.perf_counter() - started
    extractor.extract(texts[:2])
    started = time.perf_counter()
    for _ in extractor.extract_stream(((str(i), t) for i, t in enumerate(texts)), chunk_size=256):
        pass
    return time.perf_counter() - started, setup


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
    try:
        with open("/proc/self/status", encoding="utf-8") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    parser.add_argument("--memory-n", type=int, default=100, help="articles in the small memory run (the large one is 10x)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="processes for the ParallelExtractor runs (1: skip them)")
    parser.add_argument("--output", default="bench/results/throughput.json")
    args = parser.parse_args(argv)
    import torch

    from parsclaim.inference.extractor import cpu_has_native_bf16

    texts = load_texts(args.articles, args.n)
    chars = sum(map(len, texts))
    native_bf16 = cpu_has_native_bf16()
    pipeline_s = time_pipeline(args.model, texts, args.stride, "float32")
    extractor_s, _ = time_extractor(args.model, texts, args.batch_size, "float32")
    extractor_bf16_s, load_s = time_extractor(args.model, texts, args.batch_size, "bfloat16")
    auto_s = extractor_bf16_s if native_bf16 else extractor_s
    compiled_s, compile_setup_s = time_extractor(args.model, texts, args.batch_size, "auto", compile=True)
    compile_s = compile_setup_s - load_s
    saved_per_article = (auto_s - compiled_s) / len(texts)
    pipeline_bf16_s = time_pipeline(args.model, texts, args.stride, "bfloat16") if native_bf16 else None
    pipeline_saved_s = time_pipeline(args.model, texts, args.stride, None)
    workers = None
    if args.workers > 1:
        workers_s, workers_setup_s, _ = time_parallel_extractor(args.model, texts, args.batch_size, args.workers)
        workers_compiled_s, workers_compile_setup_s, workers_rss = time_parallel_extractor(args.model, texts, args.batch_size, args.workers, compile=True)
        pipeline_processes_s = time_pipeline_processes(args.model, texts, args.stride, "float32", args.workers)
        workers = {
            "workers": args.workers,
            "threads_per_worker": max(1, os.cpu_count() // args.workers),
            "extractor_articles_per_s": round(len(texts) / workers_s, 2),
            "extractor_compiled_articles_per_s": round(len(texts) / workers_compiled_s, 2),
            "start_seconds": round(workers_setup_s, 1),
            "start_compiled_seconds": round(workers_compile_setup_s, 1),
            "worker_peak_rss_mb": [round(mb, 1) for mb in workers_rss.values()],
            "pipeline_float32_articles_per_s": round(len(texts) / pipeline_processes_s, 2),
            # against the one-process float32 pipeline, as the other speedups
            "speedup_defaults": round(pipeline_s / workers_s, 2),
            "speedup_compiled": round(pipeline_s / workers_compiled_s, 2),
            "speedup_compiled_vs_pipeline_in_as_many_processes": round(pipeline_processes_s / workers_compiled_s, 2),
        }
    small, large = peak_rss_mb(args.model, args.articles, args.memory_n), peak_rss_mb(args.model, args.articles, 10 * args.memory_n)
    result = {
        "machine": {"cpu": cpu_model_name(), "threads": torch.get_num_threads(), "torch": torch.__version__},
        "articles": len(texts), "characters": chars,
        "cpu_native_bf16": native_bf16,
        "pipeline_float32_articles_per_s": round(len(texts) / pipeline_s, 2),
        "pipeline_bfloat16_articles_per_s": round(len(texts) / pipeline_bf16_s, 2) if pipeline_bf16_s else None,
        "pipeline_saved_dtype_articles_per_s": round(len(texts) / pipeline_saved_s, 2),
        "extractor_float32_articles_per_s": round(len(texts) / extractor_s, 2),
        "extractor_bfloat16_articles_per_s": round(len(texts) / extractor_bf16_s, 2),
        "extractor_compiled_articles_per_s": round(len(texts) / compiled_s, 2),
        "extractor_compile_seconds": round(compile_s, 1),
        # articles after which compiling has paid for itself
        "extractor_compile_pays_off_after_articles": round(compile_s / saved_per_article) if saved_per_article > 0 else None,
        # the defaults of each side: pipeline float32, Extractor "auto"
        "speedup_defaults": round(pipeline_s / auto_s, 2),
        "speedup_compiled": round(pipeline_s / compiled_s, 2),
        "speedup_float32_vs_float32": round(pipeline_s / extractor_s, 2),
        "speedup_bfloat16_vs_bfloat16": round(pipeline_bf16_s / extractor_bf16_s, 2) if pipeline_bf16_s else None,
        "peak_rss_mb": {str(args.memory_n): round(small, 1), str(10 * args.memory_n): round(large, 1)},
        "worker_processes": workers,
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
