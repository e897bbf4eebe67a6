"""The forward pass alone (main heads), one batch of 32 x 128 tokens: torch float32 against ONNX Runtime
float32 and dynamic int8, each also after onnxruntime's transformer optimizer (fusions for BERT).
Contenders alternate in each round so the machine's drift hits them alike.

    python docs/runs/2026-11-29-cpu-onnxruntime/encoder_microbench.py [ROUNDS]
"""

import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.transformers import optimizer

import onnx_export as onnx_runtime  # beside this script
from parsclaim.models.modeling import load_model_and_tokenizer

warnings.simplefilter("ignore")
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 8
torch.set_num_threads(2)
torch.manual_seed(0)
model, _ = load_model_and_tokenizer("parsclaim/default_model")
model.float().eval()
scratch = Path(tempfile.mkdtemp())
onnx_runtime.export(model, scratch / "f32.onnx", None, False)
fused = optimizer.optimize_model(str(scratch / "f32.onnx"), model_type="bert", num_heads=model.encoder.config.num_attention_heads,
                                 hidden_size=model.encoder.config.hidden_size)
print("optimizer fusions:", {k: v for k, v in fused.get_fused_operator_statistics().items() if v})
fused.save_model_to_file(str(scratch / "f32opt.onnx"))
quantize_dynamic(str(scratch / "f32.onnx"), str(scratch / "i8.onnx"), weight_type=QuantType.QInt8, per_channel=True)
quantize_dynamic(str(scratch / "f32opt.onnx"), str(scratch / "i8opt.onnx"), weight_type=QuantType.QInt8, per_channel=True,
                 extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
options = ort.SessionOptions()
options.intra_op_num_threads, options.inter_op_num_threads, options.log_severity_level = 2, 1, 3
sessions = {name: ort.InferenceSession(str(scratch / f"{name}.onnx"), options, providers=["CPUExecutionProvider"])
            for name in ("f32", "f32opt", "i8", "i8opt")}
ids = torch.randint(5, model.encoder.config.vocab_size, (32, 128))
mask = torch.ones_like(ids)
mask[16:, 100:] = 0
feed = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}
graph = onnx_runtime._Logits(model, None)
with torch.inference_mode():
    reference = graph(ids, mask)[0].numpy()
real = mask.numpy().astype(bool)
for name, session in sessions.items():
    out = session.run(None, feed)[0]
    print(f"{name}: max |logit difference| {np.abs(out - reference)[real].max():.2e}, "
          f"argmax agreement {(out.argmax(-1) == reference.argmax(-1))[real].mean():.4f}")
seconds = {name: [] for name in ("torch", *sessions)}
for _ in range(rounds):
    for name in seconds:
        started = time.perf_counter()
        if name == "torch":
            with torch.inference_mode():
                graph(ids, mask)
        else:
            sessions[name].run(None, feed)
        seconds[name].append(time.perf_counter() - started)
for name, values in seconds.items():
    print(f"{name}: median {np.median(values) * 1000:.0f} ms, min {min(values) * 1000:.0f} ms "
          f"({np.median(seconds['torch']) / np.median(values):.2f}x torch)")
