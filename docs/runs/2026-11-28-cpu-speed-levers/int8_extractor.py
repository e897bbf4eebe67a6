"""int8 (PT2E, X86InductorQuantizer, static) encoder inside the Extractor: scores and speed."""
import json, sys, time, warnings, logging, torch
warnings.filterwarnings("ignore"); logging.disable(logging.WARNING)
import torch._inductor.config as ic
from transformers.modeling_outputs import BaseModelOutput
from torchao.quantization.pt2e.quantize_pt2e import prepare_pt2e, convert_pt2e
import torchao.quantization.pt2e.quantizer.x86_inductor_quantizer as xiq
from parsclaim.inference.extractor import Extractor
from parsclaim.evaluate.cli import load_gold, restrict_to_scheme
from parsclaim.evaluate.metrics import score

mode = sys.argv[1]  # int8mix | bf16
ALL = "conll" in " ".join(sys.argv)
e = Extractor.from_pretrained("parsclaim/default_model", device="cpu", precision="float32" if mode == "int8mix" else "bfloat16",
                              compile=mode != "int8mix")
if mode == "int8mix":
    enc = e.model.encoder
    captured = []
    hook = enc.register_forward_pre_hook(lambda m, a, kw: captured.append({k: kw[k] for k in ("input_ids", "attention_mask", "position_ids")}), with_kwargs=True)
    calib = [json.loads(l)["text"] for l in open("corpus/train.jsonl")][: int(sys.argv[2]) if len(sys.argv) > 2 else 64]
    with torch.inference_mode():
        e.model.predict(calib, tokenizer=e.tokenizer, batch_size=32, fixed_shape=True)
    hook.remove()
    captured = [{k: v.clone() for k, v in kw.items()} for kw in captured]
    print("calibration batches", len(captured), flush=True)
    class Wrap(torch.nn.Module):
        def __init__(s, m): super().__init__(); s.m = m
        def forward(s, input_ids, attention_mask, position_ids):
            return s.m(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids, output_hidden_states=True).hidden_states if ALL else (s.m(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids).last_hidden_state,)
    ex = tuple(captured[0][k] for k in ("input_ids", "attention_mask", "position_ids"))
    t0 = time.perf_counter()
    exported = torch.export.export(Wrap(enc).eval(), ex).module()
    q = xiq.X86InductorQuantizer(); q.set_global(xiq.get_default_x86_inductor_quantization_config())
    prepared = prepare_pt2e(exported, q)
    with torch.no_grad():
        for kw in captured: prepared(kw["input_ids"], kw["attention_mask"], kw["position_ids"])
    converted = convert_pt2e(prepared)
    with ic.patch(freezing=True), torch.autocast("cpu", dtype=torch.bfloat16), torch.no_grad():
        compiled = torch.compile(converted, dynamic=False)
        compiled(*ex)
    print("quantize + compile s", round(time.perf_counter() - t0, 1), flush=True)
    def forward(input_ids=None, attention_mask=None, position_ids=None, output_hidden_states=None, output_attentions=None, **_):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            hs = compiled(input_ids, attention_mask.float(), position_ids)
        hs = tuple(h.float() for h in hs) if ALL else (hs[-1].float(),)
        return BaseModelOutput(last_hidden_state=hs[-1], hidden_states=hs if output_hidden_states else None)
    enc.forward = forward
    e.compile = True  # fixed shapes, packed rows
for spec in sys.argv[3:]:
    gold, scheme = load_gold(spec, None)
    head = scheme if scheme in e.model.config.scheme_heads else None
    t = time.perf_counter()
    pred = e.extract([a["text"] for a in gold], ids=[a["id"] for a in gold], entity_scheme=head)
    el = time.perf_counter() - t
    if scheme: pred = [restrict_to_scheme(p, scheme) for p in pred]
    r = score(gold, pred)
    print(spec, mode, "s", round(el, 1), "entity F1", round(100*r["entities"]["exact"]["micro"]["f1"], 2), "seqeval", round(100*r["entities"]["seqeval_word_strict"]["micro"]["f1"], 2), "claim overlap", r["claims"]["content_overlap"].get("f1"), "quantity", r["quantities"]["accuracy"], flush=True)

texts = [json.loads(l)["text"] for l in open("corpus/dev.jsonl")] * 2
for r in range(4):
    t = time.perf_counter(); list(e.extract_stream(((str(i), x) for i, x in enumerate(texts)), chunk_size=256)); print(mode, "articles/s", round(len(texts) / (time.perf_counter() - t), 1), flush=True)
