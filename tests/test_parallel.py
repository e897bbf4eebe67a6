"""Worker processes (`ParallelExtractor`, `parsclaim tag --workers N`) give what one Extractor gives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parsclaim.inference.cli import main as tag_main
from parsclaim.inference.extractor import Extractor
from parsclaim.inference.parallel import ParallelExtractor
from tiny_models import save_untrained_model

TEXTS = [
    "معاون وزیر نیرو گفت: ۱۹هزار سازمان در کشور فعال هستند.\n\nوی افزود: ۶۷ درصد آنها فعال‌اند.",
    "به گزارش ایرنا، بارش‌ها ۱۰ درصد کم شد.",
    "رئیس سازمان برنامه و بودجه اعلام کرد: ۲۰۰ طرح نیمه‌تمام در استان تهران وجود دارد. " * 12,
    "۵ نفر",
    "وزیر کشور گفت ۳ میلیون نفر در انتخابات شرکت کردند.",
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return save_untrained_model(tmp_path_factory.mktemp("tiny_model"))


def test_parallel_extractor_gives_what_one_extractor_gives(model_dir):
    # float32: bfloat16 scores move in the 3rd-4th decimal with the batch a text lands in
    one = Extractor.from_pretrained(model_dir, device="cpu", precision="float32")
    ids = [f"a{i}" for i in range(len(TEXTS))]
    expected = one.extract(TEXTS, ids=ids)
    with ParallelExtractor(model_dir, workers=2, precision="float32") as parallel:
        assert parallel.threads_per_worker >= 1
        assert parallel.extract(TEXTS, ids=ids) == expected
        assert list(parallel.extract_stream(zip(ids, TEXTS), chunk_size=2)) == expected
        assert parallel.extract(TEXTS[1]) == one.extract(TEXTS[1])  # one text in, one article out
        assert parallel.extract([]) == []
        assert parallel.worker_peak_rss_mb and all(mb > 0 for mb in parallel.worker_peak_rss_mb.values())


def test_a_model_that_cannot_load_fails_in_the_constructor_with_the_loaders_error(tmp_path):
    with pytest.raises(OSError, match="not a model folder"):
        ParallelExtractor(tmp_path / "missing", workers=2)
    with pytest.raises(ValueError, match="workers must be at least 1"):
        ParallelExtractor(tmp_path, workers=0)
    with pytest.raises(ValueError, match="run on the CPU"):
        ParallelExtractor(tmp_path, workers=2, device="cuda")


def test_tag_with_workers_writes_the_same_lines(model_dir, tmp_path):
    inputs = tmp_path / "in.jsonl"
    records = [{"id": f"r{i}", "text": t} for i, t in enumerate(TEXTS)] + [{"id": "bad", "text": 5}]
    inputs.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    outputs = {}
    for workers in (1, 2):
        out = tmp_path / f"out{workers}.jsonl"
        argv = [str(inputs), "--model", str(model_dir), "-o", str(out), "--precision", "float32", "--chunk_size", "3",
                "--workers", str(workers), "--no_progress"]
        assert tag_main(argv) == 0
        outputs[workers] = out.read_text(encoding="utf-8")
    assert outputs[1] == outputs[2]
    assert len(outputs[2].splitlines()) == len(records)


def test_tag_rejects_bad_worker_counts(model_dir, capsys):
    assert tag_main(["--example", "--model", str(model_dir), "--workers", "0"]) == 2
    assert "--workers must be positive" in capsys.readouterr().err
    assert tag_main(["--example", "--model", str(model_dir), "--workers", "2", "--device", "cuda"]) == 2
    assert "on a GPU use one process" in capsys.readouterr().err
    assert tag_main(["--example", "--model", "/no/such/model", "--workers", "2"]) == 2
    assert "cannot load model" in capsys.readouterr().err


def test_a_script_without_main_guard_gets_one_clear_error(model_dir, tmp_path):
    script = tmp_path / "no_guard.py"
    script.write_text(f"from parsclaim import ParallelExtractor\nParallelExtractor({str(model_dir)!r}, workers=2)\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert 'RuntimeError: a worker process ended while starting' in run.stderr and 'if __name__ == "__main__":' in run.stderr
    assert "bootstrapping phase" not in run.stderr  # multiprocessing's own long traceback from each worker
