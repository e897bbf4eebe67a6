"""The whole Extractor (float32, Viterbi, both heads and the rules) on gold dev, its forward pass in
torch or in ONNX Runtime (float32, with ONNX Runtime's default thread spinning, and without it),
the three timed in turn in each round.

    python docs/runs/2026-11-29-cpu-onnxruntime/extractor_ab.py [ROUNDS]
"""

import json
import statistics
import sys
import time

import onnx_export  # beside this script
from parsclaim.inference.extractor import Extractor
from parsclaim.models.modeling import ParsclaimOutput


def onnx_extractor(spinning: bool) -> Extractor:
    extractor = Extractor.from_pretrained("parsclaim/default_model", device="cpu", precision="float32")
    runner = onnx_export.OnnxRunner(extractor.model, "float32")
    if not spinning:
        session = runner.session(None)  # export (or take from the cache), then rebuild without spinning
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads, options.inter_op_num_threads, options.log_severity_level = runner.threads, 1, 3
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        runner.sessions[None] = ort.InferenceSession(session._model_path, options, providers=["CPUExecutionProvider"])

    def forward(input_ids=None, attention_mask=None, scheme_id=None, **_):
        entity, claim = runner({"input_ids": input_ids, "attention_mask": attention_mask}, None)
        return ParsclaimOutput(None, entity, claim, None, None)

    extractor.model.forward = forward  # main heads only: gold articles need no scheme head
    return extractor


rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
with open("corpus/dev.jsonl", encoding="utf-8") as handle:
    texts = [json.loads(line)["text"] for line in handle]
extractors = {"torch": Extractor.from_pretrained("parsclaim/default_model", device="cpu", precision="float32"),
              "onnxruntime": onnx_extractor(True), "onnxruntime, no spinning": onnx_extractor(False)}
reference = extractors["torch"].extract(texts)
for name, extractor in extractors.items():
    got = extractor.extract(texts)
    same = sum([(e["start"], e["end"], e["label"]) for e in a["entities"]] == [(e["start"], e["end"], e["label"]) for e in b["entities"]]
               and [(c["start"], c["end"]) for c in a["claims"]] == [(c["start"], c["end"]) for c in b["claims"]]
               for a, b in zip(got, reference))
    print(f"{name}: {same} of {len(texts)} articles with the same entity and claim spans as torch")
seconds = {name: [] for name in extractors}
for _ in range(rounds):
    for name, extractor in extractors.items():
        started = time.perf_counter()
        extractor.extract(texts)
        seconds[name].append(time.perf_counter() - started)
for name, values in seconds.items():
    print(f"{name}: {[round(v, 2) for v in values]} s per {len(texts)} articles, median {statistics.median(values):.2f} "
          f"({statistics.median(seconds['torch']) / statistics.median(values):.2f}x torch)")
