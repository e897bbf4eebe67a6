"""Average the weights of fine-tuned parsclaim models of one architecture (a uniform "model soup").

    python scripts/average_weights.py OUTPUT_DIR MODEL_DIR MODEL_DIR [MODEL_DIR ...]

The models should share their start (e.g. checkpoints of one run, or runs going on
from one model): averaging unrelated models gives noise. The output keeps the first
model's config, card history and tokenizer. Used for the "soup" row of the README's
deeper-ARMAN-head table (not adopted).
"""

from __future__ import annotations

import sys

import torch

from parsclaim.models.modeling import load_model_and_tokenizer


def average(directories: list[str]):
    models = [load_model_and_tokenizer(directory)[0] for directory in directories]
    states = [model.state_dict() for model in models]
    if any(state.keys() != states[0].keys() for state in states):
        raise ValueError("the models differ in architecture (their weight names differ)")
    averaged = {name: torch.stack([state[name].float() for state in states]).mean(0).to(tensor.dtype)
                if tensor.is_floating_point() else tensor for name, tensor in states[0].items()}
    models[0].load_state_dict(averaged)
    return models[0]


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    average(argv[1:]).save_pretrained(argv[0])
    print(f"wrote the average of {len(argv) - 1} models to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
