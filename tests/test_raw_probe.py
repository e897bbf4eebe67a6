"""bench/raw_probe.py on a small made-up raw file with the bundled model."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_probe():
    spec = importlib.util.spec_from_file_location("raw_probe", ROOT / "bench" / "raw_probe.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_raw_probe_counts_and_writes_a_report(tmp_path):
    paragraph = "رئیس سازمان برنامه و بودجه گفت: ۱۲ هزار میلیارد تومان برای طرح‌های عمرانی در نظر گرفته شده است. "
    articles = [f"خبر {i}\n" + paragraph * 6 + f"\nنرخ دلار امروز {i} درصد افزایش یافت." for i in range(3)]
    raw = tmp_path / "raw.txt"
    raw.write_text("\n\n".join(articles + ["کوتاه"]), encoding="utf-8")
    probe = load_probe()
    assert len(probe.sample_articles(raw, 10, seed=1)) == 3  # the short block is no article
    assert probe.sample_articles(raw, 2, seed=1) == probe.sample_articles(raw, 2, seed=1)
    out = tmp_path / "report.json"
    assert probe.main(["--raw", str(raw), "--n", "3", "--output", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["articles"] == 3 and report["quantities"] >= 3 and report["spans_across_a_line_break"] == {}
    assert report["quantities_unreadable"] == sum(report["quantities_unreadable_by_text"].values())
