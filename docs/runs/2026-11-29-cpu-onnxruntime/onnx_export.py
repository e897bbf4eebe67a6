"""The ONNX Runtime forward pass that parsclaim carried for one commit (87faec6, `Extractor(runtime=
"onnxruntime")`) and dropped in the same session: in the whole Extractor it was no faster than torch on
a 2-core AVX2 EPYC (README beside this file). Kept here, unchanged but for this docstring, for the
probes beside it.

The model is exported once per entity scheme with the TorchScript exporter and, for int8, quantized
with ONNX Runtime's `quantize_dynamic`; graphs are cached under `cache_dir()` by a digest of the weights.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

RUNTIMES = ("torch", "onnxruntime")
OPSET = 17


def cache_dir() -> Path:
    """$PARSCLAIM_CACHE, else $XDG_CACHE_HOME/parsclaim, else ~/.cache/parsclaim; graphs in its onnx/."""
    root = os.environ.get("PARSCLAIM_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "parsclaim"
    return Path(root) / "onnx"


def _require_onnxruntime():
    try:
        import onnx  # noqa: F401  (the exporter and the quantizer need it)
        import onnxruntime
    except ImportError as error:
        raise ImportError(f"runtime 'onnxruntime' needs onnxruntime and onnx ({error.name} is missing): "
                          'pip install "parsclaim[onnx]"') from error
    return onnxruntime


class _Logits(nn.Module):
    """(input_ids, attention_mask) -> (entity logits, claim logits) for one entity scheme: the graph to export."""

    def __init__(self, model: nn.Module, scheme: str | None):
        super().__init__()
        self.model, self.scheme = model, scheme

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        model = self.model
        out = model.encoder(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=self.scheme is not None)
        hidden = out.last_hidden_state
        if self.scheme is None:
            entity = model.classifier(hidden)
        else:  # as `ParsclaimForClaimExtraction._scheme_logits`: the head reads the states below its layers
            head = model.scheme_heads[self.scheme]
            states = out.hidden_states[-1 - model.config.head_layers(self.scheme)]
            additive = (1.0 - attention_mask[:, None, None, :].to(states.dtype)) * torch.finfo(states.dtype).min
            for layer in head.layers:
                states = _encoder_layer(layer, states, additive)
            entity = head.classifier(states)
        return entity, model.claim_classifier(hidden)


def _encoder_layer(layer: nn.TransformerEncoderLayer, states: torch.Tensor, additive_mask: torch.Tensor) -> torch.Tensor:
    """A post-LN, GELU `nn.TransformerEncoderLayer` in eval mode, written out: the tracer bakes the
    example's length into `nn.MultiheadAttention`'s reshapes, and its fused kernel has no ONNX form."""
    attention = layer.self_attn
    query, key, value = nn.functional.linear(states, attention.in_proj_weight, attention.in_proj_bias).chunk(3, dim=-1)
    split = [(t.view(t.size(0), t.size(1), attention.num_heads, -1).transpose(1, 2)) for t in (query, key, value)]
    mixed = nn.functional.scaled_dot_product_attention(*split, attn_mask=additive_mask)
    mixed = attention.out_proj(mixed.transpose(1, 2).reshape(states.shape))
    states = layer.norm1(states + mixed)
    return layer.norm2(states + layer.linear2(nn.functional.gelu(layer.linear1(states))))


def weights_digest(model: nn.Module) -> str:
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().to("cpu", torch.float32).contiguous().numpy().tobytes())
    return digest.hexdigest()[:24]


def export(model: nn.Module, path: Path, scheme: str | None, int8: bool) -> None:
    """Write the float32 graph (and its int8 form) to `path`, atomically: a torn file is never cached."""
    path.parent.mkdir(parents=True, exist_ok=True)
    example = torch.ones((2, 16), dtype=torch.long)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask", "entity_logits", "claim_logits")}
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
        float_path = Path(scratch) / "float32.onnx"
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the tracer's notes on Python branches fixed at export
            # The TorchScript exporter: one graph with dynamic batch and length, no onnxscript needed
            # (the dynamo exporter gave wrong scheme-head logits here, torch 2.13 / onnxscript 0.7).
            torch.onnx.export(_Logits(model, scheme).eval(), (example, example), str(float_path),
                              input_names=["input_ids", "attention_mask"], output_names=["entity_logits", "claim_logits"],
                              dynamic_axes=dynamic, opset_version=OPSET, dynamo=False)
        if int8:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantized = Path(scratch) / "int8.onnx"
            root = logging.getLogger()
            level = root.level
            root.setLevel(logging.ERROR)  # the quantizer's advice to pre-process the graph is for its developers
            try:
                quantize_dynamic(str(float_path), str(quantized), weight_type=QuantType.QInt8, per_channel=True)
            finally:
                root.setLevel(level)
            float_path = quantized
        os.replace(float_path, path)


class OnnxRunner:
    """The model's forward pass in ONNX Runtime: `runner(inputs, scheme)` -> (entity, claim) logits tensors."""

    def __init__(self, model: nn.Module, precision: str = "float32", threads: int | None = None):
        if precision not in ("float32", "int8"):
            raise ValueError(f"runtime 'onnxruntime' runs float32 or int8, not {precision!r}")
        self.ort = _require_onnxruntime()
        self.model, self.precision = model.float().eval(), precision
        self.threads = threads or torch.get_num_threads()
        self.digest = weights_digest(self.model)
        self.sessions: dict[str | None, object] = {}
        self._scratch: tempfile.TemporaryDirectory | None = None

    def graph_path(self, scheme: str | None) -> Path:
        versions = f"{torch.__version__}-{self.ort.__version__}-opset{OPSET}"
        key = hashlib.sha256(f"{self.digest}|{scheme}|{self.precision}|{versions}".encode()).hexdigest()[:24]
        return cache_dir() / f"{key}.onnx"

    def session(self, scheme: str | None):
        if scheme not in self.sessions:
            path = self.graph_path(scheme)
            if not path.is_file():
                try:
                    export(self.model, path, scheme, self.precision == "int8")
                except OSError as error:  # a read-only or full cache: export for this process only
                    warnings.warn(f"cannot cache the ONNX graph in {path.parent} ({error}); exporting to a temporary "
                                  "folder for this run (set PARSCLAIM_CACHE to a writable folder)", stacklevel=2)
                    self._scratch = self._scratch or tempfile.TemporaryDirectory(prefix="parsclaim-onnx-")
                    path = Path(self._scratch.name) / path.name
                    export(self.model, path, scheme, self.precision == "int8")
            options = self.ort.SessionOptions()
            options.intra_op_num_threads, options.inter_op_num_threads = self.threads, 1
            options.log_severity_level = 3  # ONNX Runtime's notes on unused initializers are not the user's concern
            self.sessions[scheme] = self.ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        return self.sessions[scheme]

    def __call__(self, inputs: dict[str, torch.Tensor], scheme: str | None) -> tuple[torch.Tensor, torch.Tensor]:
        if set(inputs) != {"input_ids", "attention_mask"}:
            raise ValueError("the ONNX graph takes rows of one window each (input_ids, attention_mask), not packed rows")
        feed = {name: np.ascontiguousarray(tensor.numpy(), dtype=np.int64) for name, tensor in inputs.items()}
        entity, claim = self.session(scheme).run(None, feed)
        return torch.from_numpy(entity), torch.from_numpy(claim)
