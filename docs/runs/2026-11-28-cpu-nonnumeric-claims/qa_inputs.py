"""Records for the raw-news check: python qa_inputs.py ../shared/corpora/raw > qa.jsonl"""
import json
import random
import sys
from pathlib import Path

raw = Path(sys.argv[1])
random.seed(1)
for name in ("langml_farsnews", "irnews_shessam"):
    lines = [line.strip() for line in (raw / f"{name}.txt").open(encoding="utf-8") if line.strip()]
    for number in range(100):
        start = random.randrange(len(lines) - 12)
        print(json.dumps({"id": f"{name}-{number}", "text": "\n".join(lines[start:start + random.randint(3, 12)])}, ensure_ascii=False))
news = " ".join(line.strip() for line in (raw / "langml_farsnews.txt").read_text(encoding="utf-8").splitlines()[:400])
odd = {"one-huge-line": news[:60000], "latin": "The minister said: 19,000 NGOs are active in the country.",
       "html": "<p>وزیر نیرو گفت: <b>۱۹هزار</b> سازمان فعال است.</p>&nbsp;",
       "emoji": "🔴 فوری | معاون وزیر نفت گفت: تولید ۲۰ درصد افزایش یافت 👇👇", "spaces": "   \n\t  ",
       "digits-only": "۱۲۳۴۵ ۶۷۸۹ 1234 %%% ---", "control-chars": "وزیر\u0000 گفت\u200f: ۱۰\u202b درصد\ufeff افزایش"}
for record_id, text in odd.items():
    print(json.dumps({"id": record_id, "text": text}, ensure_ascii=False))
