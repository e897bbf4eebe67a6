"""The shared model contract: tiny config train -> save -> load -> predict, pipeline compatibility, load errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from parsclaim.data import align
from parsclaim.data.schema import CLAIM_TAGS, ENTITY_LABELS, ENTITY_TAGS, IGNORE_INDEX
from parsclaim.models import decoding
from parsclaim.models.configuration import ParsclaimConfig
from parsclaim.models.modeling import ParsclaimForTokenClassification, load_model_and_tokenizer, partial_label_nll
from tiny_models import seed_article, tiny_bert_config


@pytest.fixture(scope="session")
def trained(tmp_path_factory, tokenizer, batch):
    """A tiny model with a PEYMA scheme head after a few optimizer steps, saved with its tokenizer."""
    torch.manual_seed(0)
    model = ParsclaimForTokenClassification(ParsclaimConfig.from_encoder(tiny_bert_config(len(tokenizer))))
    model.add_scheme_heads(["peyma"])
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    mixed = dict(batch, scheme_id=torch.arange(len(batch["scheme_id"])) % 2)  # half the windows train the PEYMA head
    losses = []
    for _ in range(5):
        loss = model(**mixed).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    directory = tmp_path_factory.mktemp("model")
    model.config.training_data = [{"name": "peyma", "kind": "conll", "untrusted": ["ROLE", "QUANTITY"]}]
    model.tokenizer = tokenizer  # saved beside the weights
    model.save_pretrained(directory, metrics={"entity_f1": 0.5})
    return model.eval(), directory


def test_round_trip_gives_identical_logits(trained, batch):
    model, directory = trained
    loaded, loaded_tokenizer = load_model_and_tokenizer(directory)
    assert loaded.config.scheme_heads == ["peyma"] and loaded.config.scheme_head_layers == {"peyma": 1}
    for scheme_id in (None, torch.ones_like(batch["scheme_id"])):
        inputs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"], "scheme_id": scheme_id}
        with torch.no_grad():
            before, after = model(**inputs), loaded(**inputs)
        assert torch.equal(before.entity_logits, after.entity_logits)
        assert torch.equal(before.claim_logits, after.claim_logits)
    assert loaded_tokenizer("سلام مردمنهاد")["input_ids"] == model.tokenizer("سلام مردمنهاد")["input_ids"]


def test_saved_files_are_safetensors_config_and_card(trained):
    _, directory = trained
    names = {p.name for p in Path(directory).iterdir()}
    assert "model.safetensors" in names and "tokenizer.json" in names and "README.md" in names
    assert not any(n.endswith((".bin", ".pt", ".pth", ".pkl")) for n in names)
    config = json.loads((Path(directory) / "config.json").read_text())
    assert config["model_type"] == "bert" and config["architectures"] == ["BertForTokenClassification"]
    assert [config["id2label"][str(i)] for i in range(len(ENTITY_TAGS))] == ENTITY_TAGS
    assert [config["parsclaim"]["claim_id2label"][str(i)] for i in range(len(CLAIM_TAGS))] == CLAIM_TAGS
    card = (Path(directory) / "README.md").read_text()
    assert "PEYMA" in card and "entity_f1" in card and 'pipeline("token-classification"' in card


def test_predict_returns_raw_text_offsets(trained, tokenizer):
    model, _ = trained
    text = seed_article()["text"][:600]
    (doc,) = model.predict([text], tokenizer, max_length=32, stride=8)
    assert len(doc.offsets) == len(doc.entity_tags) == len(doc.claim_tags) == len(doc.entity_scores)
    assert all(0 <= s <= e <= len(text) for s, e in doc.offsets)
    for span in doc.entity_spans() + doc.claim_spans():
        assert span["label"] in ENTITY_LABELS + ("CUE", "CLAIM") and 0 <= span["start"] < span["end"] <= len(text)
    # Windows change nothing but the context: one long window gives tags of the same length.
    (whole,) = model.predict([text], tokenizer, max_length=128, stride=32)
    assert whole.offsets == doc.offsets
    # Batching (sorted by window length, padded) does not change a text's predictions.
    together = model.predict([text, "سلام", text[:100]], tokenizer, max_length=32, stride=8)
    assert together[0].entity_tags == doc.entity_tags and together[0].claim_tags == doc.claim_tags
    assert together[2].entity_tags == model.predict([text[:100]], tokenizer, max_length=32, stride=8)[0].entity_tags


def test_viterbi_decoding_gives_valid_iob2_and_changes_only_tagged_positions(trained, tokenizer):
    model, _ = trained
    text = seed_article()["text"]
    (viterbi,) = model.predict([text], tokenizer, max_length=32, stride=8)
    (argmax,) = model.predict([text], tokenizer, max_length=32, stride=8, decoding="argmax")
    assert viterbi.offsets == argmax.offsets
    for tags, decoded, best, inword in ((model.config.entity_tags, viterbi.entity_tags, argmax.entity_tags, ()),
                                        (model.config.claim_tags, viterbi.claim_tags, argmax.claim_tags, ("B-CUE",))):
        positions = decoding.tagged_positions(argmax.word_ids, argmax.offsets, [tags.index(t) for t in best],
                                              [tags.index(t) for t in inword])
        assert decoding.is_valid([tags.index(decoded[t]) for t in positions], tags)
        changed = {t for t, (a, b) in enumerate(zip(decoded, best)) if a != b}
        assert changed <= set(positions)
    with pytest.raises(ValueError, match="decoding must be one of"):
        model.predict([text], tokenizer, decoding="beam")


def test_plain_transformers_pipeline_runs_the_entity_head(trained):
    model, directory = trained
    text = "کمال اکبری معاون وزارت کشور در گنبدکاووس گفت"
    script = (
        "import json, sys, torch\n"
        "from transformers import pipeline\n"
        f"ner = pipeline('token-classification', model={str(directory)!r}, ignore_labels=[])\n"
        f"out = ner({text!r})\n"
        "assert 'parsclaim' not in sys.modules, 'pipeline imported parsclaim'\n"
        f"inputs = ner.tokenizer({text!r}, return_tensors='pt')\n"
        "with torch.no_grad():\n"
        "    logits = ner.model(**inputs).logits[0].tolist()\n"
        "print(json.dumps({'n': len(out), 'cls': type(ner.model).__name__, 'logits': logits,\n"
        "                  'labels': [ner.model.config.id2label[i] for i in range(ner.model.config.num_labels)]}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"HF_HUB_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=directory, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["cls"] == "BertForTokenClassification" and report["labels"] == ENTITY_TAGS and report["n"] > 0
    with torch.no_grad():
        ours = model(**model.tokenizer(text, return_tensors="pt")).entity_logits[0]
    assert torch.allclose(ours, torch.tensor(report["logits"]), atol=1e-5)


def test_the_cards_pipeline_snippet_tags_a_long_text_to_its_end(trained):
    """The card's plain-transformers snippet (windows of the model's `window_length`, with a stride)
    covers a text far longer than one window; the pipeline's defaults would stop after one."""
    import copy

    from parsclaim.models.modeling import render_model_card

    model, directory = trained
    config = copy.deepcopy(model.config)
    config.window_length, config.window_stride = 24, 8
    card = render_model_card(config, str(directory))
    snippet = card.split("With plain transformers")[1].split("```python\n")[1].split("```")[0]
    assert "model_max_length=24" in snippet and "stride=8" in snippet
    text = "کمال اکبری معاون وزارت کشور در گنبدکاووس گفت تعداد سازمان‌ها به ۱۹ هزار رسید. " * 8
    every_token = snippet.replace("stride=", "ignore_labels=[], stride=")  # O tokens too: how far the tagging reached
    runs = {"card": every_token, "no stride": every_token.replace(", stride=8", "")}
    reach = {}
    for name, code in runs.items():
        script = code.replace('ner("متن خبر ...")', f"print(max(e['end'] for e in ner({text!r})))")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"HF_HUB_OFFLINE": "1"}
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        reach[name] = int(result.stdout.strip().splitlines()[-1])
    assert reach["card"] >= len(text.rstrip()) - 1
    assert reach["no stride"] < len(text) / 4


def test_base_encoder_gets_fresh_heads(tmp_path, tokenizer):
    from transformers import BertForMaskedLM

    encoder = BertForMaskedLM(tiny_bert_config(len(tokenizer)))
    encoder.save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    model = ParsclaimForTokenClassification.from_pretrained(tmp_path)
    assert model.config.entity_tags == ENTITY_TAGS and model.config.claim_tags == CLAIM_TAGS
    assert torch.equal(model.bert.embeddings.word_embeddings.weight, encoder.bert.embeddings.word_embeddings.weight)
    assert model.tokenizer is not None


def test_wrong_calls_explain_the_right_one(tmp_path, trained):
    from transformers import GPT2Config

    with pytest.raises(FileNotFoundError, match="save_pretrained"):
        ParsclaimForTokenClassification.from_pretrained(tmp_path)  # no config.json
    GPT2Config(n_layer=1, n_embd=8, n_head=2).save_pretrained(tmp_path / "gpt2")
    with pytest.raises(ValueError, match="not a bidirectional encoder.*HooshvareLab"):
        ParsclaimForTokenClassification.from_pretrained(tmp_path / "gpt2")
    _, directory = trained
    with pytest.raises(ValueError, match="reinit_heads=True"):
        ParsclaimForTokenClassification.from_pretrained(directory, entity_tags=["O", "B-PER", "I-PER"])
    with pytest.raises(FileNotFoundError, match="not a model directory"):
        ParsclaimForTokenClassification.from_pretrained(str(tmp_path / "missing" / "model"))


def test_loss_is_zero_not_nan_without_labels_and_partial_labels_forgive_untrusted():
    logits = torch.randn(2, 4, len(ENTITY_TAGS), requires_grad=True)
    empty = torch.full((2, 4), IGNORE_INDEX)
    loss = partial_label_nll(logits, empty)
    assert loss.item() == 0.0 and not torch.isnan(loss)
    loss.backward()  # keeps a graph
    role = ENTITY_TAGS.index("B-ROLE")
    confident_role = torch.zeros(1, 1, len(ENTITY_TAGS))
    confident_role[..., role] = 10.0
    gold_o = torch.zeros(1, 1, dtype=torch.long)
    untrusted = torch.zeros(1, len(ENTITY_TAGS), dtype=torch.bool)
    untrusted[0, align.untrusted_tag_ids(align.untrusted_mask(["ROLE"]))] = True
    forgiven, plain = partial_label_nll(confident_role, gold_o, untrusted), partial_label_nll(confident_role, gold_o)
    assert forgiven < 0.01 < plain
    assert forgiven < partial_label_nll(confident_role, gold_o, untrusted, o_weight=0.05) < plain  # a weak prior for O
    # an untrusted source still teaches "not a PER"
    confident_per = torch.zeros(1, 1, len(ENTITY_TAGS))
    confident_per[..., ENTITY_TAGS.index("B-PER")] = 10.0
    assert partial_label_nll(confident_per, gold_o, untrusted) > 5


def test_model_forward_uses_the_untrusted_bitmask(trained, batch):
    model, _ = trained
    with torch.no_grad():
        trusted = model(**(batch | {"entity_untrusted": torch.zeros_like(batch["entity_untrusted"])})).loss
        lenient = model(**(batch | {"entity_untrusted": torch.full_like(batch["entity_untrusted"], align.untrusted_mask(ENTITY_LABELS))})).loss
    assert lenient < trusted


def test_hub_id_with_revision_loads_from_the_offline_cache(trained, tmp_path, monkeypatch):
    """A Hub id resolves through huggingface_hub's cache; HF_HUB_OFFLINE keeps it off the network."""
    import shutil

    from huggingface_hub import constants

    model, directory = trained
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--parsclaim--tiny"
    shutil.copytree(directory, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "v1").write_text(commit)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    for revision in ("v1", commit):
        loaded, _ = load_model_and_tokenizer("parsclaim/tiny", revision=revision)
        assert torch.equal(loaded.classifier.weight, model.classifier.weight)
    with pytest.raises(OSError, match="Offline, pass a local directory"):
        ParsclaimForTokenClassification.from_pretrained("parsclaim/tiny", revision="main")


def test_training_can_go_on_from_a_fine_tuned_model_with_new_head_settings(trained):
    _, directory = trained
    again = ParsclaimForTokenClassification.from_pretrained(directory, entity_loss_weight=2.0, head_dropout=0.2)
    assert again.config.entity_loss_weight == 2.0 and again.config.head_dropout == 0.2
    assert again.config.training_data == [{"name": "peyma", "kind": "conll", "untrusted": ["ROLE", "QUANTITY"]}]


def test_card_lists_the_terms_of_the_data_trained_on(trained):
    import copy

    from parsclaim.models.modeling import render_model_card

    model, directory = trained
    config = copy.deepcopy(model.config)
    config.training_data = [
        {"name": "real news, the first round of corpus/real's training half", "kind": "jsonl", "scheme": None, "stage": 1},
        {"name": "arman", "kind": "conll", "scheme": "arman", "stage": 1},
    ]
    card = render_model_card(config, str(directory))
    assert "GPL-3.0" in card and "academic research use only" in card and "PEYMA (NSURL-2019" not in card
