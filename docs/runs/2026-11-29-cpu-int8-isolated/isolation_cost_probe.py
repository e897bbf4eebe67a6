"""int8 Extractor on gold dev, windows batched across articles vs each article's apart, interleaved rounds.

    python docs/runs/2026-11-29-cpu-int8-isolated/isolation_cost_probe.py   (from the repository root)
"""
import time
import warnings

from parsclaim.data.corpus import load_articles
from parsclaim.inference.extractor import Extractor

warnings.simplefilter("ignore")
texts = [a["text"] for a in load_articles("corpus/dev.jsonl")]
extractor = Extractor.from_pretrained("parsclaim/default_model", precision="int8")
extractor.extract(texts[:4])
original = extractor.model.predict
for round_ in range(4):
    for isolate in (False, True):
        extractor.model.predict = lambda *a, _iso=isolate, **k: original(*a, **{**k, "isolate_texts": _iso})
        start = time.perf_counter()
        extractor.extract(texts)
        seconds = time.perf_counter() - start
        print(f"round {round_ + 1} isolate_texts={isolate}: {seconds:.2f} s, {len(texts) / seconds:.1f} articles/s", flush=True)
