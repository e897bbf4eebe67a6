import time, json, torch, sys, warnings
warnings.filterwarnings("ignore")
torch.manual_seed(0)
from parsclaim.models.modeling import ParsclaimForTokenClassification
from transformers import AutoTokenizer
import torch._inductor.config as ic
from torchao.quantization.pt2e.quantize_pt2e import prepare_pt2e, convert_pt2e
import torchao.quantization.pt2e.quantizer.x86_inductor_quantizer as xiq

model = ParsclaimForTokenClassification.from_pretrained("parsclaim/default_model").float().eval()
tok = AutoTokenizer.from_pretrained("parsclaim/default_model")
texts = [json.loads(l)["text"] for l in open("corpus/dev.jsonl")][:40]
enc = tok(texts, truncation=True, max_length=128, padding="max_length", return_tensors="pt", return_overflowing_tokens=True, stride=32)
ids, mask = enc["input_ids"], enc["attention_mask"]
print("windows", ids.shape)
B = 32
class Enc(torch.nn.Module):
    def __init__(s, m): super().__init__(); s.m = m
    def forward(s, ids, mask): return s.m.classifier(s.m.encoder(input_ids=ids, attention_mask=mask).last_hidden_state)
w = Enc(model).eval()
ex = (ids[:B], mask[:B])
def bench(f, name, n=10):
    with torch.inference_mode():
        for _ in range(3): f(*ex)
        t = time.perf_counter()
        for _ in range(n): f(*ex)
    print(name, round((time.perf_counter() - t) / n * 1000, 1), "ms", flush=True)
with torch.inference_mode():
    ref = w(*ex).float()
mode = sys.argv[1]
if mode == "bf16":
    wb = Enc(model).to(torch.bfloat16)
    with ic.patch(freezing=True):
        c = torch.compile(wb, dynamic=False)
        bench(c, "compiled bf16")
        out = c(*ex).float()
else:
    exported = torch.export.export(w, ex).module()
    q = xiq.X86InductorQuantizer(); q.set_global(xiq.get_default_x86_inductor_quantization_config())
    p = prepare_pt2e(exported, q)
    with torch.no_grad():
        for i in range(0, min(len(ids), 256) - B + 1, B):
            p(ids[i:i+B], mask[i:i+B])
    cv = convert_pt2e(p)
    with ic.patch(freezing=True):
        if mode == "int8":
            c = torch.compile(cv, dynamic=False)
            t = time.perf_counter(); 
            with torch.no_grad(): c(*ex)
            print("compile", time.perf_counter() - t)
            bench(c, "int8")
            with torch.no_grad(): out = c(*ex).float()
        else:
            with torch.autocast("cpu", dtype=torch.bfloat16):
                c = torch.compile(cv, dynamic=False)
                with torch.no_grad(): c(*ex)
                bench(c, "int8-mixed-bf16")
                with torch.no_grad(): out = c(*ex).float()
agree = (out.argmax(-1) == ref.argmax(-1))[mask[:B].bool()].float().mean()
print("argmax agreement with fp32", agree.item())
