"""`parsclaim push MODEL_DIR org/name`: upload a trained model with its card to the Hugging Face Hub.

    parsclaim push runs/ner myorg/parsclaim-fa --dry-run      # check and list, upload nothing
    parsclaim push runs/ner myorg/parsclaim-fa [--revision BRANCH] [--private] [--commit-message MSG]

Before anything leaves the machine the folder is checked: it must exist, load
as a fine-tuned parsclaim model (`ParsclaimForTokenClassification.from_pretrained`,
tokenizer included), and hold no pickled weights (.bin/.pt/.pth/.pkl/.pickle/.ckpt
at its top level). The model card (README.md) is then regenerated for the repo
id (so its loading snippets name `org/name`) by rewriting README.md only; the
weights are never re-saved. The command lists exactly the files that would be
uploaded with their sizes, and the files it leaves out. Subfolders (e.g. the
Trainer's `checkpoint-*`) are never uploaded.

Without `--dry-run` it calls `HfApi().create_repo(repo_id, private=..., exist_ok=True)`,
creates the branch given with `--revision` if needed, and `HfApi().upload_folder(...)`
with the same allow/ignore patterns the listing used. Authentication is
huggingface_hub's own (`HF_TOKEN` or `huggingface-cli login`).

Not testable here: this machine has no network access to the Hub, so
tests/test_push.py covers the dry run, every refusal, and the calls made to a
stand-in `HfApi`; the real upload has not been exercised against huggingface.co.

Exit codes: 0 done (or dry run listed), 2 a refusal (bad arguments, missing or
non-model folder, pickled weights, bad repo id), 1 the Hub calls failed.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..arguments import ArgumentParser


# What goes to the Hub: config/metrics/tokenizer json, safetensors weights, the card,
# and the other tokenizer file kinds (WordPiece vocab, BPE merges, sentencepiece).
ALLOW_PATTERNS = ["*.json", "*.safetensors", "README.md", "vocab.txt", "merges.txt", "*.model"]
# Only the folder's top level: fnmatch's "*" also matches "/", so "*.json" alone would take checkpoint-*/...
IGNORE_PATTERNS = ["*/*"]
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")


class PushError(Exception):
    """A refusal: printed as one line, exit code 2."""


@dataclass
class PushArguments:
    revision: str | None = field(default=None, metadata={"help": "Branch to push to (created from main if missing). Default: main."})
    private: bool = field(default=False, metadata={"help": "Create the repository as private (an existing repo keeps its visibility)."})
    commit_message: str | None = field(default=None, metadata={"help": "Commit message. Default: 'Upload <folder> (parsclaim <version>)'."})
    dry_run: bool = field(default=False, metadata={"help": "Check the folder and list what would be uploaded; change and upload nothing."})

    def __post_init__(self) -> None:
        if self.revision is not None and (not self.revision.strip() or any(c.isspace() for c in self.revision)):
            raise ValueError(f"--revision must be a branch name without spaces, not {self.revision!r}")
        if self.commit_message is not None and not self.commit_message.strip():
            raise ValueError("--commit-message must not be empty")


def check_repo_id(repo_id: str) -> str:
    """`org/name`, valid for the Hub; anything else is a PushError."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    if repo_id.count("/") != 1:
        raise PushError(f"repo id must be 'org/name' (one slash), not {repo_id!r}")
    try:
        validate_repo_id(repo_id)
    except HFValidationError as error:
        raise PushError(f"invalid repo id {repo_id!r}: {str(error).splitlines()[0]}") from None
    return repo_id


def check_folder(model_dir: str):
    """The loaded model; refuses a missing folder, pickled weights, a non-parsclaim folder."""
    from .configuration import PARSCLAIM_KEY
    from .modeling import ParsclaimForTokenClassification

    folder = Path(model_dir)
    if not folder.is_dir():
        raise PushError(f"{model_dir}: no such folder" if not folder.exists() else f"{model_dir}: not a folder")
    pickled = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PICKLE_SUFFIXES)
    if pickled:
        raise PushError(f"{model_dir} holds pickled files ({', '.join(pickled)}); only safetensors weights are pushed. "
                        f"Remove them (parsclaim saves safetensors only) and retry")
    config_path = folder / "config.json"
    if not config_path.is_file():
        raise PushError(f"{model_dir} is not a parsclaim model: no config.json")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PushError(f"{model_dir} is not a parsclaim model: config.json is not valid JSON ({error})") from None
    if not isinstance(config, dict) or PARSCLAIM_KEY not in config:
        raise PushError(f"{model_dir} is not a fine-tuned parsclaim model (config.json has no '{PARSCLAIM_KEY}' key; "
                        f"a base encoder is not pushed with this command)")
    try:
        model = ParsclaimForTokenClassification.from_pretrained(str(folder))
    except Exception as error:  # any load failure is a refusal, reported in one line
        message = " ".join(str(error).split())
        raise PushError(f"{model_dir} does not load as a parsclaim model: {message}") from None
    if model.tokenizer is None:
        raise PushError(f"{model_dir} has no tokenizer files (tokenizer.json or vocab.txt) beside its weights")
    return model


def upload_plan(folder: Path, card_bytes: int) -> tuple[list[tuple[str, int]], list[str]]:
    """([(path, size)] that upload_folder would send, [paths left out]) with the regenerated card's size."""
    from huggingface_hub.utils import filter_repo_objects

    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    if "README.md" not in files:
        files = sorted([*files, "README.md"])
    chosen = list(filter_repo_objects(files, allow_patterns=ALLOW_PATTERNS, ignore_patterns=IGNORE_PATTERNS))
    sizes = [(name, card_bytes if name == "README.md" else (folder / name).stat().st_size) for name in chosen]
    left_out = [name for name in files if name not in chosen]
    return sizes, left_out


def human(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"  # pragma: no cover


def push(model_dir: str, repo_id: str, args: PushArguments) -> int:
    from .modeling import render_model_card

    check_repo_id(repo_id)
    model = check_folder(model_dir)
    folder = Path(model_dir)
    card = render_model_card(model.config, repo_id)
    plan, left_out = upload_plan(folder, len(card.encode("utf-8")))
    if not any(name.endswith(".safetensors") for name, _ in plan):
        raise PushError(f"{model_dir}: no *.safetensors weights at the folder's top level")

    target = f"{repo_id}@{args.revision or 'main'}" + (" (private)" if args.private else "")
    print(f"{'would upload' if args.dry_run else 'uploading'} {len(plan)} file(s), "
          f"{human(sum(s for _, s in plan))}, to https://huggingface.co/{repo_id} ({target}):")
    for name, size in plan:
        print(f"  {name:<32} {human(size):>10}" + ("  (model card, regenerated)" if name == "README.md" else ""))
    if left_out:
        print(f"not uploaded: {', '.join(left_out)}")
    if args.dry_run:
        print("dry run: nothing written, nothing uploaded")
        return 0

    # The card only: README.md is rewritten for the repo id; weights are left as saved.
    (folder / "README.md").write_text(card, encoding="utf-8")
    message = args.commit_message or f"Upload {folder.resolve().name} (parsclaim {model.config.parsclaim_version})"
    from huggingface_hub import HfApi

    try:
        api = HfApi()
        url = api.create_repo(repo_id, repo_type="model", private=args.private, exist_ok=True)
        if args.revision and args.revision != "main":
            api.create_branch(repo_id, branch=args.revision, repo_type="model", exist_ok=True)
        commit = api.upload_folder(repo_id=repo_id, folder_path=str(folder), repo_type="model", revision=args.revision,
                                   commit_message=message, allow_patterns=ALLOW_PATTERNS, ignore_patterns=IGNORE_PATTERNS)
    except Exception as error:  # network, auth, permissions: one line, exit 1
        print(f"parsclaim push: upload failed: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    print(f"pushed to {getattr(commit, 'commit_url', None) or url}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(PushArguments, prog="parsclaim push", description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", help="a folder written by `parsclaim train` (or save_pretrained)")
    parser.add_argument("repo_id", help="the Hub repository, org/name (created if missing)")
    try:
        args, extra = parser.parse_args_into_dataclasses(args=argv)
        return push(extra.model_dir, extra.repo_id, args)
    except (PushError, ValueError) as error:
        print(f"parsclaim push: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
