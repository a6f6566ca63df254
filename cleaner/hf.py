"""A batched function for Hugging Face `datasets.Dataset.map` (this module does not import `datasets`).

    from datasets import load_dataset
    from cleaner import Cleaner
    from cleaner.hf import map_function

    ds = load_dataset("json", data_files="pages.jsonl", split="train")
    ds = ds.map(map_function(Cleaner(preset="page"), url_column="url"), batched=True, num_proc=4)

The function takes a batch (a dict of column name -> list of values) and returns the cleaned text column
plus these new columns, one value per row:

| column | value |
|---|---|
| `cleaner_title`, `cleaner_standfirst`, `cleaner_dateline`, `cleaner_published` | a string, or None |
| `cleaner_authors` | a list of strings |
| `cleaner_edits` | how many edits the cleaner made |
| `cleaner_rules_version` | the hash of the rule files that cleaned the row |

`datasets` merges the returned columns into the dataset: other columns stay as they are. The function is
a small picklable object holding the Cleaner, so `num_proc` workers receive the compiled rules, and
`datasets` can fingerprint it for its cache.
"""

from __future__ import annotations

from typing import Any

from .pipeline import Cleaner

METADATA_FIELDS = ("title", "standfirst", "authors", "dateline", "published")


class CleanBatch:
    """The callable map_function returns: batch dict in, dict of the cleaned and new columns out."""

    def __init__(self, cleaner: Cleaner, text_column: str, url_column: str | None, prefix: str) -> None:
        self.cleaner = cleaner
        self.text_column = text_column
        self.url_column = url_column
        self.prefix = prefix

    @property
    def columns(self) -> tuple[str, ...]:
        """The new columns, in order (the text column is replaced, not added)."""
        return tuple(self.prefix + name for name in (*METADATA_FIELDS, "edits", "rules_version"))

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        if self.text_column not in batch:
            raise KeyError(f"no column '{self.text_column}' in the batch (columns: {', '.join(batch)}); "
                           "pass text_column=")
        texts = batch[self.text_column]
        if self.url_column is not None and self.url_column not in batch:
            raise KeyError(f"no column '{self.url_column}' in the batch (columns: {', '.join(batch)})")
        urls = batch[self.url_column] if self.url_column is not None else [None] * len(texts)
        out: dict[str, list[Any]] = {self.text_column: []}
        out.update({column: [] for column in self.columns})
        for text, url in zip(texts, urls):
            if text is None:  # a missing value stays missing
                result = None
            else:
                result = self.cleaner.clean_and_explain(text, url=url or None)
            out[self.text_column].append(None if result is None else result.text)
            metadata = result.metadata.as_dict() if result is not None else {}
            for name in METADATA_FIELDS:
                out[self.prefix + name].append(metadata.get(name, [] if name == "authors" else None))
            out[self.prefix + "edits"].append(0 if result is None else len(result.edits))
            out[self.prefix + "rules_version"].append(self.cleaner.rules_version)
        return out


def map_function(cleaner: Cleaner | None = None, text_column: str = "text", url_column: str | None = None,
                 *, prefix: str = "cleaner_") -> CleanBatch:
    """A function for `dataset.map(..., batched=True)` that cleans `text_column` with `cleaner` (default
    packs when None), reading each row's URL from `url_column` (for site packs) when given."""
    if cleaner is None:
        cleaner = Cleaner()
    elif not isinstance(cleaner, Cleaner):
        raise TypeError(f"cleaner must be a cleaner.Cleaner, got {type(cleaner).__name__}")
    return CleanBatch(cleaner, text_column, url_column, prefix)
