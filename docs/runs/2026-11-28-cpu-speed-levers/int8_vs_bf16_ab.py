exec(open(__file__.replace("int8_vs_bf16_ab.py", "int8_microbench.py")).read().split("mode = sys.argv[1]")[0])
wb = Enc(ParsclaimForTokenClassification.from_pretrained("parsclaim/default_model").eval()).to(torch.bfloat16)
with ic.patch(freezing=True):
    cb = torch.compile(wb, dynamic=False)
    with torch.no_grad(): cb(*ex)
exported = torch.export.export(w, ex).module()
q = xiq.X86InductorQuantizer(); q.set_global(xiq.get_default_x86_inductor_quantization_config())
p = prepare_pt2e(exported, q)
with torch.no_grad():
    for i in range(0, min(len(ids), 256) - B + 1, B): p(ids[i:i+B], mask[i:i+B])
cv = convert_pt2e(p)
with ic.patch(freezing=True), torch.autocast("cpu", dtype=torch.bfloat16):
    cm = torch.compile(cv, dynamic=False)
    with torch.no_grad(): cm(*ex)
    for r in range(4):
        bench(cb, "bf16", 15); bench(cm, "int8mix", 15)
