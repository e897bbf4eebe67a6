"""Entity F1 of a plain transformers pipeline on the shipped model, gold dev, three window settings.

    python docs/runs/2026-11-28-cpu-throughput/plain_pipeline_quality.py   # from the repository root
"""

import json
import time

import torch
from transformers import AutoTokenizer, pipeline

from parsclaim.evaluate.metrics import score

MODEL = "parsclaim/default_model"
gold = [json.loads(line) for line in open("corpus/dev.jsonl", encoding="utf-8")]
tokenizer = AutoTokenizer.from_pretrained(MODEL)
lengths = [len(tokenizer(g["text"], add_special_tokens=False)["input_ids"]) for g in gold]
print("articles over 510 tokens:", sum(n > 510 for n in lengths), "of", len(lengths), "longest", max(lengths))
for name, max_length, options in [("no stride, 512", 512, {}), ("stride 32, 512", 512, {"stride": 32}),
                                  ("stride 32, 128", 128, {"stride": 32})]:
    tokenizer.model_max_length = max_length
    ner = pipeline("token-classification", model=MODEL, tokenizer=tokenizer, aggregation_strategy="first",
                   device=-1, dtype=torch.float32, **options)
    started = time.perf_counter()
    predicted = []
    for article in gold:
        entities = [{"id": f"e{i}", "start": e["start"], "end": e["end"], "label": e["entity_group"]}
                    for i, e in enumerate(ner(article["text"]))]
        predicted.append({"id": article["id"], "text": article["text"], "entities": entities, "officials": [], "claims": []})
    seconds = time.perf_counter() - started
    f1 = score(gold, predicted)["entities"]["exact"]["micro"]["f1"]
    print(f"{name}: entity F1 {100 * f1:.2f} in {seconds:.1f} s")
