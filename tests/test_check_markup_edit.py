"""scripts/check_markup_edit.py: a claims-only edit of gold markup keeps text and entities, and lists what it added."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tiny_models import load_script

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_markup_edit.py"
BEFORE = """### id: t001 | domain: test
[[ROLE@o1|رئیس]] [[ORG@o1|سازمان آب]] گفت: سد [[LOC|کرج]] افتتاح شد.
"""


def test_added_claims_are_listed_and_other_changes_refused(tmp_path):
    script = load_script(SCRIPT, "check_markup_edit")
    old = script.articles(BEFORE)
    claimed = BEFORE.replace("گفت: سد [[LOC|کرج]] افتتاح شد", "<<گفت>>: {{c@o1|سد [[LOC|کرج]] افتتاح شد}}")
    added, problems = script.compare(old, script.articles(claimed))
    assert problems == [] and added == ["+ t001 [o1 | گفت] سد کرج افتتاح شد"]
    _, problems = script.compare(old, script.articles(BEFORE.replace("افتتاح شد", "افتتاح خواهد شد")))
    assert problems == ["t001: plain text changed (add markup only, never edit words)"]
    _, problems = script.compare(old, script.articles(BEFORE.replace("[[LOC|کرج]]", "کرج")))
    assert problems == ["t001: entities changed"]
    _, problems = script.compare(script.articles(claimed), old)
    assert problems and "claims removed" in problems[0]


def test_command_line_compares_with_a_git_revision(tmp_path):
    script = load_script(SCRIPT, "check_markup_edit")
    markup = tmp_path / "batch.txt"
    markup.write_text(BEFORE, encoding="utf-8")
    for command in (["init", "-q"], ["add", "batch.txt"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=tmp_path, check=True)
    markup.write_text(BEFORE.replace("گفت: سد [[LOC|کرج]] افتتاح شد", "<<گفت>>: {{c@o1|سد [[LOC|کرج]] افتتاح شد}}"), encoding="utf-8")
    assert script.main([str(markup)]) == 0
    markup.write_text(BEFORE.replace("سد", "سدِ"), encoding="utf-8")
    assert script.main([str(markup)]) == 1
