"""int8 eager vs int8 compiled vs float32 on gold dev (68 articles), two interleaved rounds, and how many entities/claims
int8 changes. Run from the repository root: python docs/runs/2026-11-29-cpu-int8/int8_compile_probe.py"""
import time, json, torch, statistics
from parsclaim.inference.extractor import Extractor
texts=[json.loads(l)["text"] for l in open("corpus/dev.jsonl")]
ex={}
for name,kw in [("f32",dict(precision="float32")),("int8",dict(precision="int8")),("int8c",dict(precision="int8",compile=True))]:
    t=time.perf_counter()
    try:
        ex[name]=Extractor.from_pretrained("parsclaim/default_model", device="cpu", **kw)
    except Exception as e:
        print(name,"FAILED",repr(e)[:300]); continue
    ex[name].extract(texts[:8]); print(name,"setup",round(time.perf_counter()-t,1),flush=True)
sec={n:[] for n in ex}
for r in range(2):
    for n,e in ex.items():
        t=time.perf_counter(); e.extract(texts); sec[n].append(time.perf_counter()-t)
for n,s in sec.items(): print(n, [round(len(texts)/x,2) for x in s])
ref=ex["f32"].extract(texts)
for n in ex:
    out=ex[n].extract(texts)
    key=lambda a: {(x["start"],x["end"],x["label"]) for x in a["entities"]}
    ck=lambda a: {(x["start"],x["end"]) for x in a["claims"]}
    d=sum(len(key(a)^key(b)) for a,b in zip(ref,out)); c=sum(len(ck(a)^ck(b)) for a,b in zip(ref,out))
    print(n,"entity diffs vs f32",d,"claim diffs",c, "of", sum(len(a["entities"]) for a in ref))
