"""7-class estimate of PEYMA dev F1 from predictions in our 5 labels (needs .prep/split/peyma and
runs/peyma-dev-pred.jsonl from `parsclaim evaluate parsclaim/default_model conll:peyma:.prep/split/peyma/dev.conll --predictions runs/peyma-dev-pred.jsonl`)."""
import json, collections, re
from parsclaim.data.conll import import_conll
from parsclaim.data.quantities import parse_quantity
def chunks(path):
    sents, cur = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if cur: sents.append(cur); cur = []
            continue
        parts = line.split("\t"); cur.append(parts[-1])
    if cur: sents.append(cur)
    out = []
    for tags in sents:
        labs = [t[2:] for t in tags if t.startswith("B-")]
        out.append(labs)
    return out
# word statistics DAT vs TIM in train
train = list(import_conll(".prep/split/peyma/train.conll", "peyma"))
tl = chunks(".prep/split/peyma/train.conll")
words = collections.defaultdict(collections.Counter)
for a, labs in zip(train, tl):
    ents = [e for e in a["entities"]]
    assert len(ents) == len(labs), (len(ents), len(labs))
    for e, l in zip(ents, labs):
        if l in ("DAT", "TIM"):
            for w in a["text"][e["start"]:e["end"]].split(): words[w][l] += 1
tim_words = {w for w, c in words.items() if c["TIM"] >= 3 and c["TIM"] > c["DAT"]}
print(sorted(tim_words))
def subtype(text, e):
    s = text[e["start"]:e["end"]]
    if e["label"] == "DATE": return "TIM" if any(w in tim_words for w in s.split()) else "DAT"
    if e["label"] == "QUANTITY": return "PCT" if parse_quantity(s).kind == "percent" else "MON"
    return e["label"]
gold = list(import_conll(".prep/split/peyma/dev.conll", "peyma")); dl = chunks(".prep/split/peyma/dev.conll")
pred = {json.loads(l)["id"]: json.loads(l) for l in open("runs/peyma-dev-pred.jsonl")}
from parsclaim.evaluate.cli import restrict_to_scheme
tp5 = tp7 = ng = npred = 0; conf = collections.Counter()
for a, labs in zip(gold, dl):
    g5 = {(e["start"], e["end"], e["label"]) for e in a["entities"]}
    g7 = {(e["start"], e["end"], l) for e, l in zip(a["entities"], labs)}
    p = restrict_to_scheme(pred[a["id"]], "peyma")
    p5 = {(e["start"], e["end"], e["label"]) for e in p["entities"]}
    p7 = {(e["start"], e["end"], subtype(a["text"], e)) for e in p["entities"]}
    tp5 += len(g5 & p5); tp7 += len(g7 & p7); ng += len(g5); npred += len(p5)
    for (s, t, l) in g7:
        for (s2, t2, l2) in p7:
            if (s, t) == (s2, t2) and l != l2: conf[(l, l2)] += 1
f = lambda tp: round(200 * tp / (ng + npred), 2)
print("5-label", f(tp5), "7-class", f(tp7), "gold", ng, "pred", npred, conf)
