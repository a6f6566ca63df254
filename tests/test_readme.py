"""The README's rule pack example loads and its examples hold."""

from __future__ import annotations

import re

from conftest import ROOT

from cleaner import Cleaner, Config


def test_readme_pack_example(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(description: Our site.*?)```", readme, re.S).group(1)
    pack = tmp_path / "example.yaml"
    pack.write_text(block, encoding="utf-8")
    cleaner = Cleaner(Config(rules=(str(pack),), default_rules=False))
    for rule in cleaner.rules:
        single = cleaner.only(rule.id)
        for line in rule.examples.get("remove", []):
            assert single.clean(line) == ""
        for line in rule.examples.get("keep", []):
            assert single.clean(line) == line + "\n"
        for doc in rule.examples.get("documents", []):
            assert single.clean(doc["input"]) == doc["output"]
    text = "Body text.\nGet the app\n"
    assert cleaner.clean(text, url="https://www.example.com/story") == "Body text.\n"
    assert cleaner.clean(text, url="https://other.org/story") == text
