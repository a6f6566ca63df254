"""A datatrove pipeline step that cleans each Document's text with a Cleaner (`pip install 'cleaner[datatrove]'`).

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner import Config
    from cleaner.datatrove_step import CleanerStep

    LocalPipelineExecutor(pipeline=[JsonlReader("in/"), CleanerStep(config=Config(preset="page")),
                                    JsonlWriter("out/")], tasks=4).run()

Per document the step:

- cleans `doc.text` (the page URL, for site packs, is read from `doc.metadata["url"]`, see `url_key`);
- stores the lifted metadata and the rules version under `doc.metadata[metadata_key]`: a dict with `title`,
  `standfirst`, `authors`, `dateline`, `published`, `rules_version`, `edits` (how many) and, for a document
  left unchanged because a rule ran out of its time budget (`Config(on_timeout="skip")`), `skipped`;
- counts every edit under its rule id with datatrove's stats (`comments.counter: 12`), plus `documents`,
  `changed`, `chars_removed`, `skipped` and `dropped_empty`;
- with `drop_empty=True`, drops documents whose cleaned text is empty.

The Cleaner is either given (`cleaner=`, shipped to every worker pickled, rules compiled once on the
driver) or built from `config=` in each worker on its first document (only the small Config is shipped).
The step pickles either way.
"""

from __future__ import annotations

from typing import Any

try:
    from datatrove.data import DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("cleaner.datatrove_step needs datatrove: pip install 'cleaner[datatrove]'") from exc

from .pipeline import Cleaner, Config


class CleanerStep(PipelineStep):
    """Clean every Document with a Cleaner; see the module's docstring for what it records."""

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(self, cleaner: Cleaner | None = None, config: Config | None = None, drop_empty: bool = False,
                 metadata_key: str = "cleaner", url_key: str | None = "url") -> None:
        super().__init__()
        if cleaner is not None and config is not None:
            raise ValueError("give a Cleaner or a Config, not both")
        if cleaner is not None and not isinstance(cleaner, Cleaner):
            raise TypeError(f"cleaner must be a cleaner.Cleaner, got {type(cleaner).__name__}")
        if config is not None and not isinstance(config, Config):
            raise TypeError(f"config must be a cleaner.Config, got {type(config).__name__}")
        self.cleaner = cleaner
        self.config = config
        self.drop_empty = drop_empty
        self.metadata_key = metadata_key
        self.url_key = url_key

    def _cleaner(self) -> Cleaner:
        # Built here, in the worker, the first time it is needed: only the Config travels.
        if self.cleaner is None:
            self.cleaner = Cleaner(self.config or Config())
        return self.cleaner

    def record(self, metadata: dict[str, Any], result) -> None:
        """What goes into doc.metadata[metadata_key]: JSON-ready values only."""
        entry = result.metadata.as_dict()
        entry["rules_version"] = result.rules_version
        entry["edits"] = len(result.edits)
        if result.skipped:
            entry["skipped"] = result.skipped
        metadata[self.metadata_key] = entry

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        cleaner = self._cleaner()
        for doc in data:
            self.stat_update("documents")
            url = doc.metadata.get(self.url_key) if self.url_key else None
            with self.track_time():
                result = cleaner.clean_and_explain(doc.text, url=url if isinstance(url, str) else None)
            for edit in result.edits:
                self.stat_update(edit.rule)
            if result.skipped:
                self.stat_update("skipped")
            if result.text != doc.text:
                self.stat_update("changed")
                self.stat_update("chars_removed", value=max(len(doc.text) - len(result.text), 0))
            doc.text = result.text
            self.record(doc.metadata, result)
            if self.drop_empty and not result.text.strip():
                self.stat_update("dropped_empty")
                continue
            self.update_doc_stats(doc)
            yield doc
