"""Which encoder Linears to quantize: score ARMAN dev + gold dev per variant."""
import sys, warnings, torch
import parsclaim.inference.extractor as ex
from parsclaim.evaluate.cli import main as evaluate_main
from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

variant = sys.argv[1]
def pick(name):
    layer = int(name.split(".")[2]) if ".layer." in name else -1
    if variant == "ffn": return "intermediate.dense" in name or (name.endswith("output.dense") and "attention" not in name)
    if variant == "no_first": return layer != 0
    if variant == "no_last2": return layer not in (-1,) and layer < 4
    return True

def quantize(model):
    names = {n for n, m in model.encoder.named_modules() if type(m) is torch.nn.Linear and pick(n)}
    print(variant, len(names), "linears quantized", flush=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quantize_dynamic(model.encoder, {n: per_channel_dynamic_qconfig for n in names}, dtype=torch.qint8, inplace=True)
    return model
ex.quantize_linear_layers = quantize
sys.exit(evaluate_main(["parsclaim/default_model", "corpus/dev.jsonl", "conll:arman:.prep/split/arman/dev.conll", "conll:peyma:.prep/split/peyma/dev.conll",
                        "--precision", "int8", "--output_dir", f"/tmp/ev/v-{variant}"]))
