"""cleaner: remove page chrome from scraped article text, normalise its typography, and say what changed.

    >>> from cleaner import clean
    >>> clean(text)                      # default rule packs and typography
    >>> Cleaner().clean_and_explain(text, url=url)   # Result: text, edits, metadata
"""

from __future__ import annotations

from functools import lru_cache

from .model import CleanerError, Edit, Metadata, Result, RuleError
from .pipeline import Cleaner, Config
from .typography import TypographyConfig

from .version import __version__
__all__ = ["clean", "clean_and_explain", "Cleaner", "Config", "TypographyConfig", "Result", "Edit", "Metadata",
           "RuleError", "CleanerError", "clean_many", "__version__"]


@lru_cache(maxsize=1)
def _default_cleaner() -> Cleaner:
    # Built once and never changed afterwards: the compiled default rules, shared by every call.
    return Cleaner()


def clean_and_explain(text: str, *, url: str | None = None) -> Result:
    """Clean text with the default rule packs; the Result holds the text, every edit and lifted metadata."""
    return _default_cleaner().clean_and_explain(text, url=url)


def clean(text: str, *, url: str | None = None) -> str:
    """Clean text with the default rule packs and typography."""
    return clean_and_explain(text, url=url).text


def __getattr__(name: str):
    # The batch API pulls in multiprocessing and tqdm: imported when first used, not on every start.
    if name == "clean_many":
        from .parallel import clean_many

        return clean_many
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
