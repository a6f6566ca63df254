"""The distributed engines: CleanerStep in a datatrove pipeline, and the `datasets.map` function of cleaner.hf.

The datatrove tests skip when datatrove is not installed (`pip install -e '.[datatrove]'`); the map function needs
no `datasets` install: it is called on a dict batch, as `Dataset.map(batched=True)` calls it.
"""

from __future__ import annotations

import json
import pickle

import pytest

from cleaner import Cleaner, Config
from cleaner.hf import map_function

PAGE = """Leaders meet in Geneva as talks resume
Tuesday 14 December 2021 10:00 GMT
Share this article
The two leaders met for three hours on Tuesday and agreed to keep talking about the border.
Officials said the next meeting would be held in the spring, after both sides consult their allies.
Comments
"""
BODY = ("The two leaders met for three hours on Tuesday and agreed to keep talking about the border.\n"
        "Officials said the next meeting would be held in the spring, after both sides consult their allies.\n")
CHROME_ONLY = "Share this article\nComments\n"


def _docs() -> list[dict]:
    docs = []
    for n in range(6):
        text = CHROME_ONLY if n == 5 else PAGE.replace("Geneva", f"Geneva ({n})")
        docs.append({"id": f"doc-{n}", "text": text, "metadata": {"url": f"https://news.example.com/{n}"}})
    return docs


# ---------------------------------------------------------------- datasets.map

def test_map_function_cleans_a_batch_and_adds_metadata_columns():
    cleaner = Cleaner()
    fn = map_function(cleaner, text_column="body", url_column="url")
    batch = {"body": [PAGE, "", None], "url": ["https://news.example.com/a", None, None], "other": [1, 2, 3]}
    out = fn(batch)
    assert set(out) == {"body", "cleaner_title", "cleaner_standfirst", "cleaner_authors", "cleaner_dateline",
                        "cleaner_published", "cleaner_edits", "cleaner_rules_version"}
    expected = cleaner.clean_and_explain(PAGE, url="https://news.example.com/a")
    assert out["body"] == [expected.text, "", None]
    assert BODY in out["body"][0] and "Share this article" not in out["body"][0]
    assert out["cleaner_title"][0] == expected.metadata.title == "Leaders meet in Geneva as talks resume"
    assert out["cleaner_published"][0] == expected.metadata.published == "2021-12-14T10:00:00+00:00"
    assert out["cleaner_authors"] == [list(expected.metadata.authors), [], []]
    assert out["cleaner_edits"][0] == len(expected.edits) > 0
    assert out["cleaner_rules_version"] == [cleaner.rules_version] * 3
    assert all(len(column) == 3 for column in out.values())


def test_map_function_defaults_and_errors():
    fn = map_function()
    assert fn({"text": [PAGE]})["text"] == [Cleaner().clean(PAGE)]
    with pytest.raises(KeyError, match="text_column"):
        fn({"content": [PAGE]})
    with pytest.raises(KeyError, match="'link'"):
        map_function(url_column="link")({"text": [PAGE]})
    with pytest.raises(TypeError):
        map_function(Config())


def test_map_function_pickles():
    fn = pickle.loads(pickle.dumps(map_function(Cleaner(preset="page"), url_column="url")))
    assert fn({"text": [PAGE], "url": [None]})["text"] == [Cleaner(preset="page").clean(PAGE)]


# ---------------------------------------------------------------- datatrove

def _datatrove():
    return pytest.importorskip("datatrove", reason="datatrove is not installed: pip install -e '.[datatrove]'")


def test_step_pickles_and_cleans_in_process():
    _datatrove()
    from datatrove.data import Document

    from cleaner.datatrove_step import CleanerStep

    for step in (CleanerStep(), CleanerStep(config=Config(preset="page")), CleanerStep(cleaner=Cleaner())):
        step = pickle.loads(pickle.dumps(step))
        docs = [Document(text=d["text"], id=d["id"], metadata=dict(d["metadata"])) for d in _docs()]
        out = list(step.run(iter(docs)))
        assert len(out) == 6
        assert out[0].metadata["cleaner"]["title"] == "Leaders meet in Geneva (0) as talks resume"
    with pytest.raises(ValueError):
        CleanerStep(cleaner=Cleaner(), config=Config())


def test_pipeline_on_local_executor(tmp_path):
    _datatrove()
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.datatrove_step import CleanerStep

    source, target, logs = tmp_path / "in", tmp_path / "out", tmp_path / "logs"
    source.mkdir()
    docs = _docs()
    for part, chunk in enumerate((docs[:3], docs[3:])):  # two files: one for each of the two tasks
        with (source / f"part-{part}.jsonl").open("w", encoding="utf-8") as handle:
            for doc in chunk:
                handle.write(json.dumps({"id": doc["id"], "text": doc["text"], "url": doc["metadata"]["url"]}) + "\n")
    cleaner = Cleaner()
    executor = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(source)), CleanerStep(cleaner=cleaner, drop_empty=True),
                  JsonlWriter(str(target), compression=None)],
        tasks=2, logging_dir=str(logs))
    executor.run()

    written = [json.loads(line) for path in sorted(target.glob("*.jsonl")) for line in path.open(encoding="utf-8")]
    assert sorted(d["id"] for d in written) == [f"doc-{n}" for n in range(5)]  # the chrome-only page dropped
    for doc in written:
        n = doc["id"].split("-")[1]
        expected = cleaner.clean_and_explain(PAGE.replace("Geneva", f"Geneva ({n})"), url=doc["metadata"]["url"])
        assert doc["text"] == expected.text and BODY in doc["text"]
        meta = doc["metadata"]["cleaner"]
        assert meta["title"] == f"Leaders meet in Geneva ({n}) as talks resume"
        assert meta["published"] == "2021-12-14T10:00:00+00:00"
        assert meta["rules_version"] == cleaner.rules_version
        assert meta["edits"] == len(expected.edits)

    stats = json.loads((logs / "stats.json").read_text(encoding="utf-8"))
    step = next(s for s in stats if "cleaner" in s["name"])["stats"]

    def total(name):
        value = step[name]
        return value["total"] if isinstance(value, dict) else value

    assert total("documents") == 6 and total("dropped_empty") == 1
    removed = {edit.rule for d in docs for edit in cleaner.clean_and_explain(d["text"]).edits}
    assert removed and removed <= set(step)  # one counter per rule id
    assert total(next(iter(sorted(removed)))) >= 1
