"""Scheme heads: entity heads for PEYMA/ARMAN conventions that leave the main path untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from parsclaim.evaluate import cli as evaluate_cli
from parsclaim.models.configuration import ParsclaimConfig
from parsclaim.models.modeling import ParsclaimForTokenClassification, load_model_and_tokenizer, render_model_card
from parsclaim.training import train
from tiny_models import peyma_head, save_untrained_model, seed_article, tiny_bert_config


@pytest.fixture(scope="module")
def windows(batch):
    return {key: batch[key] for key in ("input_ids", "attention_mask")}


def tiny_model(tokenizer, layers: int = 2) -> ParsclaimForTokenClassification:
    torch.manual_seed(0)
    config = ParsclaimConfig.from_encoder(tiny_bert_config(len(tokenizer), layers))
    model = ParsclaimForTokenClassification(config).eval()
    model.add_scheme_heads(["peyma", "arman"])
    return model


def test_a_new_scheme_head_starts_as_the_main_path(tokenizer, windows):
    model = tiny_model(tokenizer)
    padded = dict(windows, attention_mask=windows["attention_mask"].clone())
    padded["attention_mask"][0, 40:] = 0
    with torch.no_grad():
        main = model(**padded).entity_logits
        for scheme_id in (1, 2):
            ids = torch.full((len(main),), scheme_id)
            scheme = model(**padded, scheme_id=ids).entity_logits
            keep = padded["attention_mask"].bool()
            assert torch.allclose(main[keep], scheme[keep], atol=1e-5)


def test_each_row_reads_its_own_head(tokenizer, windows):
    model = tiny_model(tokenizer)
    with torch.no_grad():
        model.scheme_heads["arman"].classifier.bias += 5.0
        main = model(**windows).entity_logits
        scheme_id = torch.arange(len(main)) % 3
        mixed = model(**windows, scheme_id=scheme_id).entity_logits
    arman = scheme_id == 2
    assert arman.any() and (~arman).any()
    assert torch.allclose(mixed[~arman], main[~arman], atol=1e-5)
    assert torch.allclose(mixed[arman], main[arman] + 5.0, atol=1e-4)
    with pytest.raises(ValueError, match="scheme heads"):
        model(**windows, scheme_id=torch.full((len(main),), 3))


def test_predict_with_a_scheme_and_clear_errors(tokenizer):
    model = tiny_model(tokenizer)
    text = seed_article()["text"][:300]
    (main,), (peyma,) = model.predict([text], tokenizer), model.predict([text], tokenizer, scheme="peyma")
    assert main.entity_tags == peyma.entity_tags  # untrained copy: same tags
    with pytest.raises(ValueError, match=r"no entity head for scheme 'ontonotes' \(it has: peyma, arman\)"):
        model.predict([text], tokenizer, scheme="ontonotes")
    with pytest.raises(ValueError, match="not 0"):
        ParsclaimForTokenClassification(model.config).add_scheme_heads(["peyma"], 0)


def test_a_deepened_head_gives_what_it_gave_and_reads_further_down(tokenizer, windows, tmp_path):
    model = tiny_model(tokenizer, layers=3)
    with torch.no_grad():
        model.scheme_heads["arman"].classifier.bias += 1.0  # a head that differs from the main path
        arman = torch.full((len(windows["input_ids"]),), 2)
        before = model(**windows, scheme_id=arman).entity_logits
        peyma_before = model(**windows, scheme_id=arman - 1).entity_logits
        model.add_scheme_heads(["arman"], 2)
        assert model.config.scheme_head_layers == {"peyma": 1, "arman": 2} and len(model.scheme_heads["arman"].layers) == 2
        assert torch.allclose(model(**windows, scheme_id=arman).entity_logits, before, atol=1e-4)
        assert torch.equal(model(**windows, scheme_id=arman - 1).entity_logits, peyma_before)
        # the new bottom layer is used: changing it changes the logits
        model.scheme_heads["arman"].layers[0].linear2.weight.mul_(5.0)
        assert not torch.allclose(model(**windows, scheme_id=arman).entity_logits, before, atol=1e-2)
    model.save_pretrained(tmp_path / "deep")
    loaded = ParsclaimForTokenClassification.from_pretrained(tmp_path / "deep").eval()
    assert loaded.config.scheme_head_layers == {"peyma": 1, "arman": 2}
    with torch.no_grad():
        assert torch.allclose(loaded(**windows, scheme_id=arman).entity_logits, model(**windows, scheme_id=arman).entity_logits, atol=1e-5)
    assert "(peyma 1 layer, arman 2 layers)" in render_model_card(loaded.config, "x")
    with pytest.raises(ValueError, match="can be deepened, not cut to 1"):
        loaded.add_scheme_heads(["arman"], 1)
    with pytest.raises(ValueError, match="scheme heads need 1 to 2 layers, not 3"):
        loaded.add_scheme_heads(["peyma"], 3)
    loaded.add_scheme_heads(["arman", "peyma"])  # no depth: both as they are
    assert loaded.config.scheme_head_layers == {"peyma": 1, "arman": 2}


def test_configs_from_before_per_head_depths_still_load():
    config = ParsclaimConfig.from_encoder(tiny_bert_config(10), scheme_heads=["peyma", "arman"])
    saved = config.to_dict()
    saved["parsclaim"]["scheme_head_layers"] = 1  # the old form: one depth for every head
    assert ParsclaimConfig.from_dict(saved).scheme_head_layers == {"peyma": 1, "arman": 1}
    saved["parsclaim"]["scheme_head_layers"] = {"peyma": 1}
    with pytest.raises(ValueError, match="no depth for the scheme heads arman"):
        ParsclaimConfig.from_dict(saved)
    with pytest.raises(ValueError, match="no entity head for scheme 'conll2003'"):
        config.head_layers("conll2003")


def test_train_deepens_a_scheme_head(adapted, tmp_path, capsys):
    _, output, conll = adapted
    base = save_untrained_model(tmp_path / "base", layers=3)
    shallow, deeper = tmp_path / "shallow", tmp_path / "deeper"
    assert train.main(["--encoder", str(base), "--scheme_heads", "peyma", "--only_scheme_heads", "--train", f"conll:peyma:{conll}",
                       "--dev_fraction", "0.25", "--max_length", "64", "--stride", "16",
                       "--output_dir", str(shallow), "--max_steps", "2", "--batch_size", "16"]) == 0
    assert train.main(["--encoder", str(shallow), "--scheme_heads", "peyma", "--scheme_head_layers", "2", "--only_scheme_heads",
                       "--train", f"conll:peyma:{conll}", "--dev_fraction", "0.25", "--max_length", "64", "--stride", "16",
                       "--output_dir", str(deeper), "--max_steps", "2", "--batch_size", "16"]) == 0
    config = json.loads((deeper / "config.json").read_text(encoding="utf-8"))
    assert config["parsclaim"]["scheme_head_layers"] == {"peyma": 2}
    with pytest.raises(SystemExit):
        train.main(["--encoder", str(output), "--scheme_head_layers", "2", "--train", f"conll:peyma:{conll}",
                    "--output_dir", str(tmp_path / "x")])
    assert "--scheme_head_layers applies to the heads named by --scheme_heads" in capsys.readouterr().err


@pytest.fixture(scope="module")
def adapted(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(base model, the same with a trained PEYMA head, the PEYMA file) - only the head trained."""
    root = tmp_path_factory.mktemp("scheme")
    base = save_untrained_model(root / "base")
    conll = peyma_head(root / "peyma.conll", 120)
    output = root / "adapted"
    assert train.main(["--encoder", str(base), "--scheme_heads", "peyma", "--only_scheme_heads",
                       "--train", f"conll:peyma:{conll}", "--dev_fraction", "0.25", "--max_length", "64", "--stride", "16",
                       "--output_dir", str(output), "--epochs", "1", "--batch_size", "16", "--learning_rate", "1e-2"]) == 0
    return base, output, conll


def test_only_scheme_heads_trains_the_head_and_nothing_else(adapted):
    base, output, _ = adapted
    before, _ = load_model_and_tokenizer(base)
    after, _ = load_model_and_tokenizer(output)
    old, new = before.state_dict(), after.state_dict()
    shared = [k for k in new if not k.startswith("scheme_heads.")]
    assert set(shared) == set(old) and all(torch.equal(old[k], new[k]) for k in shared)
    copy_of_main = ParsclaimForTokenClassification.from_pretrained(base)
    copy_of_main.add_scheme_heads(["peyma"])
    start = copy_of_main.state_dict()
    moved = [k for k in new if k.startswith("scheme_heads.") and not torch.equal(start[k], new[k])]
    assert moved, "the scheme head did not train"
    config = json.loads((output / "config.json").read_text())
    assert config["parsclaim"]["scheme_heads"] == ["peyma"]


def test_only_scheme_heads_refuses_sources_without_a_head(adapted, tmp_path, capsys):
    base, _, conll = adapted
    arman = tmp_path / "arman.conll"
    arman.write_text("".join(f"علی B-pers\nرفت O\nتهران B-loc\n\n" for _ in range(4)), encoding="utf-8")
    assert train.main(["--encoder", str(base), "--scheme_heads", "peyma", "--only_scheme_heads",
                       "--train", f"conll:arman:{arman}", "--dev_fraction", "0.25", "--output_dir", str(tmp_path / "x")]) == 2
    assert "(arman) has none" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        train.main(["--encoder", str(base), "--scheme_heads", "conll2003", "--train", f"conll:peyma:{conll}",
                    "--output_dir", str(tmp_path / "y")])


def test_train_top_layers_moves_only_the_top_of_the_main_path(adapted, tmp_path, capsys):
    _, output, conll = adapted  # two encoder layers, a one-layer PEYMA head reading layer 0's output
    gold, dev = tmp_path / "gold.jsonl", tmp_path / "dev.jsonl"
    for path, split in ((gold, "train"), (dev, "dev")):
        lines = (Path(__file__).parents[1] / "corpus" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()[:3]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    top = tmp_path / "top"
    assert train.main(["--encoder", str(output), "--train_top_layers", "1", "--train", f"jsonl:{gold}", "--dev", f"jsonl:{dev}",
                       "--max_length", "64", "--stride", "16", "--output_dir", str(top), "--max_steps", "2", "--batch_size", "8",
                       "--learning_rate", "1e-2"]) == 0
    old = load_model_and_tokenizer(output)[0].state_dict()
    new = load_model_and_tokenizer(top)[0].state_dict()
    moved = {k for k in new if not torch.equal(old[k], new[k])}
    assert any(k.startswith("bert.encoder.layer.1.") for k in moved) and {"classifier.weight", "claim_classifier.weight"} <= moved
    assert all(k.startswith(("bert.encoder.layer.1.", "classifier.", "claim_classifier.")) for k in moved), moved
    assert "trains only the encoder's top 1 layer and the main heads" in (top / "README.md").read_text(encoding="utf-8")
    head_only = tmp_path / "head_only"  # no encoder layer, and the entity head frozen by its weight 0
    assert train.main(["--encoder", str(output), "--train_top_layers", "0", "--entity_loss_weight", "0",
                       "--best_model_metric", "claim_f1", "--train", f"jsonl:{gold}", "--dev", f"jsonl:{dev}",
                       "--max_length", "64", "--stride", "16", "--output_dir", str(head_only), "--max_steps", "2",
                       "--batch_size", "8", "--learning_rate", "1e-2"]) == 0
    moved = {k for k, v in load_model_and_tokenizer(head_only)[0].state_dict().items() if not torch.equal(old[k], v)}
    assert moved == {"claim_classifier.weight", "claim_classifier.bias"}
    assert "trains only the claim head" in (head_only / "README.md").read_text(encoding="utf-8")
    capsys.readouterr()
    assert train.main(["--encoder", str(output), "--train_top_layers", "1", "--train", f"conll:peyma:{conll}",
                       "--dev_fraction", "0.25", "--output_dir", str(tmp_path / "x")]) == 2
    assert "goes through its frozen scheme head" in capsys.readouterr().err
    assert train.main(["--encoder", str(output), "--train_top_layers", "3", "--train", f"jsonl:{gold}",
                       "--dev", f"jsonl:{dev}", "--output_dir", str(tmp_path / "y")]) == 2
    assert "the encoder has only 2 layers" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        train.main(["--encoder", str(output), "--train_top_layers", "1", "--only_scheme_heads", "--train", f"jsonl:{gold}",
                    "--output_dir", str(tmp_path / "z")])
    assert "choose one" in capsys.readouterr().err


def test_evaluate_uses_the_scheme_head_unless_told_not_to(adapted, tmp_path):
    _, output, conll = adapted
    with_head = evaluate_cli.evaluate(str(output), [f"conll:peyma:{conll}"], evaluate_cli.EvaluateArguments(device="cpu"))
    without = evaluate_cli.evaluate(str(output), [f"conll:peyma:{conll}"],
                                    evaluate_cli.EvaluateArguments(device="cpu", scheme_heads=False))
    (report,), (plain,) = with_head.values(), without.values()
    assert report["data"]["entity_head"] == "peyma" and plain["data"]["entity_head"] == "main"
    assert evaluate_cli.main([str(output), f"conll:peyma:{conll}", "--no_scheme_heads", "--device", "cpu",
                              "--output_dir", str(tmp_path)]) == 0
    assert "from the model's main entity head" in (tmp_path / "report.md").read_text()
    assert report["data"]["decoding"] == "viterbi" and "viterbi decoding, float32 weights" in (tmp_path / "report.md").read_text()
    argmax = evaluate_cli.evaluate(str(output), [f"conll:peyma:{conll}"], evaluate_cli.EvaluateArguments(device="cpu", decoding="argmax"))
    assert next(iter(argmax.values()))["data"]["decoding"] == "argmax"
    with pytest.raises(ValueError, match="--decoding must be one of"):
        evaluate_cli.EvaluateArguments(decoding="beam")


def test_card_and_history_name_the_stage_and_the_head(adapted):
    _, output, _ = adapted
    card = (output / "README.md").read_text(encoding="utf-8")
    assert "Scheme entity heads**: peyma" in card and "--entity_scheme peyma" in card
    assert "trains only the peyma scheme head" in card and "stage 1:" not in card  # one stage: no numbering
    config = ParsclaimConfig.from_encoder(tiny_bert_config(10), scheme_heads=["arman"],
                                          training_data=[{"name": "gold", "stage": 1}, {"name": "gold", "stage": 2}])
    summary = [{"name": "arman", "kind": "conll", "scheme": "arman", "untrusted": ["DATE"], "weight": 1.0, "extra": 0}]
    history = train.training_history(config, summary)
    assert [s["stage"] for s in history] == [1, 2, 3] and history[-1]["head"] == "arman" and "extra" not in history[-1]
    config.training_data = history
    assert "trains the arman scheme head (1 layer) and the encoder below it" in render_model_card(config, "x")
    config.training_data = train.training_history(config, summary, only_scheme_heads=True)
    assert "stage 4: `arman` (conll, arman scheme, trains only the arman scheme head (1 layer))" in render_model_card(config, "x")
    config.scheme_head_layers["arman"] = 2
    config.training_data = train.training_history(config, summary, only_scheme_heads=True)
    assert "stage 5: `arman` (conll, arman scheme, trains only the arman scheme head (2 layers))" in render_model_card(config, "x")
    assert "stage 1: `gold` (" in render_model_card(config, "x")  # stages recorded before head depths: no depth shown


def test_tag_with_an_entity_scheme(adapted, tmp_path, capsys):
    from parsclaim.inference import cli as tag_cli

    _, output, _ = adapted
    text = tmp_path / "a.txt"
    text.write_text(seed_article()["text"][:500], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert tag_cli.main([str(text), "--model", str(output), "--entity_scheme", "peyma", "-o", str(out), "--no_progress"]) == 0
    (article,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert article["text"] == text.read_text(encoding="utf-8")
    assert tag_cli.main([str(text), "--model", str(output), "--entity_scheme", "arman", "-o", str(out)]) == 2
    assert "no entity head for scheme 'arman' (it has: peyma)" in capsys.readouterr().err
    assert tag_cli.main([str(text), "--model", str(output), "--entity_scheme", "parsclaim", "-o", str(out), "--no_progress"]) == 0


def test_an_extractor_with_a_scheme_can_ask_for_the_main_head_per_call(adapted):
    from parsclaim.inference.extractor import Extractor

    _, output, _ = adapted
    text = seed_article()["text"][:800]
    main = Extractor.from_pretrained(str(output), device="cpu").extract(text)
    peyma = Extractor.from_pretrained(str(output), device="cpu", entity_scheme="peyma")
    assert peyma.extract(text, entity_scheme="parsclaim")["entities"] == main["entities"]
    assert peyma.extract(text)["entities"] == peyma.extract(text, entity_scheme="peyma")["entities"] != main["entities"]
    with pytest.raises(ValueError, match="names the main entity head"):
        peyma.model.add_scheme_heads(["parsclaim"])


def test_packed_rows_read_each_window_as_alone(tokenizer):
    """Several windows in one row (compiled, fixed-shape runs): each sees only itself, through
    the main heads and through a scheme head alike."""
    from parsclaim.models.modeling import batch_inputs

    model = tiny_model(tokenizer)
    texts = ["وزیر کشور گفت بارش‌ها ۱۰ درصد کم شد.", "به گزارش ایرنا، رئیس سازمان هواشناسی هشدار داد.", "خبر کوتاه."]
    windows = [{"input_ids": tokenizer(text)["input_ids"]} for text in texts]
    alone, alone_placed = batch_inputs([[w] for w in windows], tokenizer.pad_token_id)
    packed, placed = batch_inputs([windows[:2], windows[2:]], tokenizer.pad_token_id, shape=(3, 64), packed=True)
    assert packed["attention_mask"].shape == (3, 1, 64, 64) and placed[1][:2] == (0, len(windows[0]["input_ids"]))
    with torch.no_grad():
        for scheme_id in (None, 1):
            ids = lambda n: None if scheme_id is None else torch.full((n,), scheme_id)  # noqa: E731
            a = model(**alone, scheme_id=ids(3))
            b = model(**packed, scheme_id=ids(3))
            for (ra, oa, n), (rb, ob, _) in zip(alone_placed, placed):
                assert torch.allclose(a.entity_logits[ra, oa : oa + n], b.entity_logits[rb, ob : ob + n], atol=1e-5)
                assert torch.allclose(a.claim_logits[ra, oa : oa + n], b.claim_logits[rb, ob : ob + n], atol=1e-5)
    with pytest.raises(ValueError, match="packed=True"):
        batch_inputs([windows[:2]], tokenizer.pad_token_id)


def test_train_top_layers_warns_when_a_scheme_head_reads_a_layer_that_trains(adapted, caplog):
    from parsclaim.training.train import freeze_below_top_layers

    _, output, _ = adapted  # a one-layer PEYMA head: it reads the output of the encoder's layer 0
    model = load_model_and_tokenizer(output)[0]
    with caplog.at_level("WARNING"):
        freeze_below_top_layers(model, 1)
    assert "head(s) read the output" not in caplog.text
    with caplog.at_level("WARNING"):
        freeze_below_top_layers(model, 2)
    assert "the peyma head(s) read the output of a layer that trains" in caplog.text
    trainable = {name.split(".")[3] for name, p in model.named_parameters() if p.requires_grad and name.startswith("bert.encoder.layer.")}
    assert trainable == {"0", "1"}
