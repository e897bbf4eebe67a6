"""Average the weights of fine-tuned parsclaim models of one architecture (a "model soup").

    python scripts/average_weights.py OUTPUT_DIR MODEL_DIR MODEL_DIR [MODEL_DIR ...] [--weights W W ...]

Uniform unless `--weights` gives one non-negative weight per model (normalized to sum 1):
`--weights 0.7 0.3` is the interpolation 0.7·A + 0.3·B of the seventeenth session's run record.
The models should share their start (e.g. checkpoints of one run, or runs going on
from one model): averaging unrelated models gives noise. The output keeps the first
model's config, card history and tokenizer. Used for the "soup" row of the README's
deeper-ARMAN-head table and the interpolation rows of `docs/runs/2026-11-29-span-rules/`
(neither adopted).
"""

from __future__ import annotations

import argparse
import sys

import torch

from parsclaim.models.modeling import load_model_and_tokenizer


def average(directories: list[str], weights: list[float] | None = None):
    weights = [1.0] * len(directories) if weights is None else weights
    if len(weights) != len(directories):
        raise ValueError(f"{len(weights)} weights for {len(directories)} models: give one per model")
    if any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError(f"weights must be non-negative and not all 0, got {weights}")
    share = torch.tensor(weights, dtype=torch.float64) / sum(weights)
    models = [load_model_and_tokenizer(directory)[0] for directory in directories]
    states = [model.state_dict() for model in models]
    if any(state.keys() != states[0].keys() for state in states):
        raise ValueError("the models differ in architecture (their weight names differ)")
    averaged = {name: torch.einsum("m,m...->...", share, torch.stack([state[name].double() for state in states])).to(tensor.dtype)
                if tensor.is_floating_point() else tensor for name, tensor in states[0].items()}
    models[0].load_state_dict(averaged)
    return models[0]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output_dir")
    parser.add_argument("models", nargs="+")
    parser.add_argument("--weights", type=float, nargs="+", help="one weight per model (default: equal)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if len(args.models) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        model = average(args.models, args.weights)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    model.save_pretrained(args.output_dir)
    print(f"wrote the average of {len(args.models)} models to {args.output_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
