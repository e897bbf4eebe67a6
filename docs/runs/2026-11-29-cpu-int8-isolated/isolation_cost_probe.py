"""int8 Extractor on gold dev, windows batched across articles vs each article's apart: interleaved timing rounds,
then how many articles come out differently alone than together, each way.

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



def spans(article: dict) -> tuple:
    return ([(e["start"], e["end"], e["label"]) for e in article["entities"]],
            [(c["start"], c["end"]) for c in article["claims"]])


# How many articles come out differently alone than in one call with the others, each way: in their
# entity and claim spans, and anywhere in the output (scores included).
ids = [f"a{i}" for i in range(len(texts))]
for isolate in (False, True):
    extractor.model.predict = lambda *a, _iso=isolate, **k: original(*a, **{**k, "isolate_texts": _iso})
    together = extractor.extract(texts, ids=ids)
    alone = [extractor.extract([text], ids=[i])[0] for i, text in zip(ids, texts)]
    other_spans = sum(spans(a) != spans(b) for a, b in zip(alone, together))
    other_output = sum(a != b for a, b in zip(alone, together))
    print(f"isolate_texts={isolate}: alone vs together, {other_spans} of {len(texts)} articles with other spans, "
          f"{other_output} with any other output", flush=True)
