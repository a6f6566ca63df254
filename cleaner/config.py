"""Settings for a run: defaults <- a configuration file <- the command line.

The file is `[tool.cleaner]` in a pyproject.toml, or a cleaner.toml with the same keys at top level: found from
the working folder upwards, or named with `--config`. Unknown keys and wrong types are errors naming the file,
so a typo never silently changes what gets cleaned.
"""

from __future__ import annotations

import argparse
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .model import CleanerError
from .pipeline import Config
from .typography import TypographyConfig

CONFIG_NAMES = ("cleaner.toml", "pyproject.toml")  # per folder, the first that holds settings wins
DEFAULT_INCLUDE = ("*.txt",)
_TYPOGRAPHY_KEYS = {f.name.replace("_", "-"): f.name for f in fields(TypographyConfig)}


class ConfigError(CleanerError):
    """The configuration file is wrong: the message names the file and the key (exit status 2)."""


@dataclass(frozen=True)
class Settings:
    """Everything a run needs beyond the paths: the Cleaner's Config plus which files and which URLs."""

    config: Config = field(default_factory=Config)
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    url_map: tuple[tuple[str, str], ...] = ()  # (path glob, domain), first match wins
    root: Path = field(default_factory=Path.cwd)  # globs are relative to this folder
    source: Path | None = None  # the file the settings came from, if any


def _table(path: Path) -> dict[str, Any] | None:
    """The cleaner table of a file, or None when a pyproject.toml has none."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("cleaner")
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.cleaner] must be a table")
        return table
    return data


def find_config(start: Path) -> Path | None:
    """The nearest cleaner.toml, or pyproject.toml with a [tool.cleaner] table, from start upwards."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _table(candidate) is not None):
                return candidate
    return None


def _strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: key '{key}' must be a list of strings, got {value!r}")
    return tuple(value)


def _boolean(path: Path, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: key '{key}' must be true or false, got {value!r}")
    return value


def _choice(path: Path, key: str, value: Any, allowed: tuple[str, ...] | None) -> str:
    if not isinstance(value, str) or (allowed and value not in allowed):
        raise ConfigError(f"{path}: '{key}' must be " + (f"one of {', '.join(allowed)}" if allowed else "a string"))
    return value


def _seconds(path: Path, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{path}: '{key}' must be a number of seconds >= 0")
    return float(value)


def _typography(path: Path, value: Any) -> TypographyConfig:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: key 'typography' must be a table")
    unknown = sorted(set(value) - set(_TYPOGRAPHY_KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key 'typography.{unknown[0]}'; allowed: {', '.join(_TYPOGRAPHY_KEYS)}")
    return TypographyConfig(**{_TYPOGRAPHY_KEYS[k]: _boolean(path, f"typography.{k}", v) for k, v in value.items()})


def _url_map(path: Path, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{path}: key 'url-map' must be a table of \"path glob\" = \"domain\"")
    return tuple(value.items())


def settings_from_table(path: Path, table: dict[str, Any]) -> Settings:
    """Validate one cleaner table; pack paths are made relative to the file's folder."""
    folder = path.parent.resolve()
    parsers = {
        "rules": lambda v: tuple(str(folder / p) for p in _strings(path, "rules", v)),
        "default-rules": lambda v: _boolean(path, "default-rules", v),
        "select": lambda v: _strings(path, "select", v),
        "ignore": lambda v: _strings(path, "ignore", v),
        "drop-headline": lambda v: _boolean(path, "drop-headline", v),
        "preset": lambda v: _choice(path, "preset", v, None),
        "on-timeout": lambda v: _choice(path, "on-timeout", v, ("error", "skip")),
        "time-budget": lambda v: _seconds(path, "time-budget", v),
        "time-budget-per-mb": lambda v: _seconds(path, "time-budget-per-mb", v),
        "typography": lambda v: _typography(path, v),
        "include": lambda v: _strings(path, "include", v),
        "exclude": lambda v: _strings(path, "exclude", v),
        "url-map": lambda v: _url_map(path, v),
    }
    unknown = sorted(set(table) - set(parsers))
    if unknown:
        raise ConfigError(f"{path}: unknown key '{unknown[0]}'; allowed: {', '.join(parsers)}")
    values = {key.replace("-", "_"): parsers[key](value) for key, value in table.items()}
    config = Config(**{k: values.pop(k) for k in ("rules", "default_rules", "select", "ignore", "drop_headline",
                                                    "typography", "preset", "on_timeout", "time_budget",
                                                    "time_budget_per_mb") if k in values})
    return Settings(config=config, root=folder, source=path, **values)


def load(config_file: str | None, cwd: Path | None = None) -> Settings:
    """Settings from the named file, else from the nearest one above the working folder, else the defaults."""
    cwd = cwd or Path.cwd()
    path = Path(config_file) if config_file else find_config(cwd)
    if path is None:
        return Settings(root=cwd)
    table = _table(path)
    if table is None:
        raise ConfigError(f"{path}: no [tool.cleaner] table")
    return settings_from_table(path, table)


def apply_arguments(settings: Settings, args: argparse.Namespace) -> Settings:
    """Command-line flags win: --select, --include and --exclude replace; --rules and --ignore add."""
    config = settings.config
    typography = config.typography
    if getattr(args, "no_typography", False):
        typography = TypographyConfig(**{name: False for name in _TYPOGRAPHY_KEYS.values()})
    elif getattr(args, "keep_quotes", False):
        typography = replace(typography, quotes=False)
    config = replace(
        config,
        rules=config.rules + tuple(getattr(args, "rules", ())),
        default_rules=config.default_rules and not getattr(args, "no_default_rules", False),
        select=tuple(getattr(args, "select", ())) or config.select,
        ignore=config.ignore + tuple(getattr(args, "ignore", ())),
        drop_headline=config.drop_headline or getattr(args, "drop_headline", False),
        typography=typography,
        preset=getattr(args, "preset", None) or config.preset,
        on_timeout=getattr(args, "on_timeout", None) or config.on_timeout,
    )
    include = tuple(getattr(args, "include", None) or ()) or settings.include
    exclude = tuple(getattr(args, "exclude", None) or ()) or settings.exclude
    return replace(settings, config=config, include=include, exclude=exclude)


def resolve(args: argparse.Namespace) -> Settings:
    """The settings for one command line: its configuration file, then its flags."""
    return apply_arguments(load(getattr(args, "config", None)), args)
