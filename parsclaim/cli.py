"""The `parsclaim` command: a thin dispatcher over each module's `main(argv)`."""

from __future__ import annotations

import importlib
import sys

# command -> (module, help). Modules are imported only when their command runs,
# so `parsclaim data validate` does not pay for importing torch.
COMMANDS: dict[str, tuple[str, str]] = {
    "data": ("parsclaim.data.cli", "corpus tools: validate, import-conll, stats, check, split-conll, build-gold"),
    "pretrain": ("parsclaim.training.pretrain", "masked-language-model pretraining of a from-scratch encoder"),
    "train": ("parsclaim.training.train", "fine-tune the two-head token classifier"),
    "evaluate": ("parsclaim.evaluate.cli", "score a model (or a prediction file) on gold JSONL or CoNLL data"),
    "tag": ("parsclaim.inference.cli", "tag articles: entities, quantities, officials, claims (JSONL or HTML)"),
    "table": ("parsclaim.inference.table", "tagged JSONL as a CSV/TSV table: one row per claimed quantity, official or entity"),
    "push": ("parsclaim.models.push", "upload a trained model with its card to the Hugging Face Hub"),
}


def usage() -> str:
    lines = ["usage: parsclaim COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<10} {help_text}" for name, (_, help_text) in COMMANDS.items()]
    lines += ["", "Run `parsclaim COMMAND --help` for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0
    if argv[0] not in COMMANDS:
        print(f"parsclaim: unknown command {argv[0]!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    return module.main(argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
