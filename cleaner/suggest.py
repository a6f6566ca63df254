"""`cleaner suggest CORPUS... -o OUT_DIR`: propose drop-line rules from lines a corpus repeats.

Page chrome repeats: a site prints the same navigation and footer lines on every page, and many sites print
the same "Share this article" or "Advertisement". This command counts, for every short line, how many
documents of each site hold it and on how many sites it occurs, and writes the lines past the thresholds as
YAML rule packs to review: `OUT_DIR/sites/<host>.yaml` (a site pack, `domains: [host]`) for lines repeated
across one site's documents, and `OUT_DIR/generic.yaml` for lines found on many sites. Every pack loads as
written and every rule carries examples taken from the corpus; nothing is removed from any text here.

Input: text files and folders (`*.txt`; a text file's site is the host of `--url`, or else the name of the
folder it is in: `corpus/example.com/page1.txt`), and JSON-lines files (`*.jsonl`, `*.jsonl.gz`, or any file
when `--text-field` is given), one document a record, its text in `--text-field` and its address in
`--url-field`. Documents without a site are left out (and counted).

How lines are compared: each line is repaired by the default typography, then casefolded, with curly quotes and
dashes made plain, every run of digits made `0` and every run of white space one space. A document counts
once per line whatever its order or repeats. Lines longer than `--max-words` words or without a letter are
never candidates.

Memory and order: the first pass counts document frequencies in two count-min sketches (`--sketch-width`
counters by 4 rows of 32 bits each: 32 MB in all by default), one for (site, line) and one for the line
alone; their counts never fall below the true ones. The second pass counts exactly, and gathers examples
for, only the lines whose sketch counts pass the thresholds: memory grows with the number of suggestions
(and rare hash collisions), not with the corpus, plus one counter per site. Counts are sums and every
choice (examples, sample sources, the order of rules) takes the smallest by a fixed key, so the packs are
the same for any order of the input.

Exit status: 0 done (also when nothing was found), 2 a usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import hashlib
import json
import os
import shutil
import sys
import unicodedata
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import regex
import yaml

from .files import SKIPPED_FOLDERS, Unreadable, read_text
from .kinds import line_info
from .loader import load_packs
from .model import CleanerError
from .typography import Typography, TypographyConfig

DESCRIPTION = ("Propose drop-line rules from lines repeated across a corpus: one pack per site (lines many of "
               "its documents share) and one generic pack (lines found on many sites), written for review.")
DEFAULT_MIN_DOCS_PER_SITE = 3
DEFAULT_MIN_SITES = 3
DEFAULT_MAX_WORDS = 12
DEFAULT_SKETCH_WIDTH = 1 << 20
SKETCH_ROWS = 4
KEEP_MIN_WORDS = 6  # a "body line" offered as a keep example has at least this many words
MAX_EXAMPLES = 3  # remove examples and sample sources per rule
MAX_HOSTS = 1000  # sites remembered per line: enough to count them up to this many (--min-sites at most this)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")

_DIGITS = regex.compile(r"\d+")
_SPACE = regex.compile(r"\s+")
_LETTER = regex.compile(r"[^\W\d_]")
_WORD = regex.compile(r"\w+")
_PLAIN = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
                        "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-"})
# In a pattern, a quote or dash stands for all its forms: the rule then also works with --keep-quotes.
_CLASSES = {"'": "['‘’‚‛]", '"': '["“”„‟]', "-": "[-–—‒―−]"}
_TYPOGRAPHY = Typography(TypographyConfig())


@dataclass(frozen=True, slots=True)
class Document:
    source: str  # the URL, or the path (and line of a JSONL file): shown as a sample source
    host: str | None
    text: str


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    return host or None


def normalise(line: str) -> str:
    """The comparison key of a typography-repaired, stripped line."""
    folded = line.casefold().translate(_PLAIN)
    return _SPACE.sub(" ", _DIGITS.sub("0", folded)).strip()


def pattern_for(line: str) -> str:
    """A whole-line pattern for a line: its text escaped, digits as \\d+, spaces as \\s+, quotes and dashes
    as classes of their forms."""
    out = []
    for piece in regex.finditer(r"\d+|\s+|.", line.translate(_PLAIN), flags=regex.S):
        text = piece.group()
        if text[0].isdigit() and text.isdigit():
            out.append(r"\d+")
        elif text.isspace():
            out.append(r"\s+")
        elif text in _CLASSES:
            out.append(_CLASSES[text])
        else:
            out.append(regex.escape(text))
    return "".join(out)


# ---------------------------------------------------------------- input

def _jsonl_records(path: Path) -> Iterator[tuple[int, str]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield number, line
    except (OSError, UnicodeDecodeError) as exc:
        raise CleanerError(f"{path}: cannot read: {exc}") from None


@dataclass
class Reader:
    """Reads the corpus into Documents, the same way on each pass."""

    paths: tuple[str, ...]
    text_field: str | None
    url_field: str
    url: str | None
    skipped: dict[str, int] = field(default_factory=dict)

    def files(self) -> list[Path]:
        found: dict[str, Path] = {}
        for name in self.paths:
            path = Path(name)
            if path.is_dir():
                for folder, subfolders, files in os.walk(path):
                    subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS and not d.startswith("."))
                    for file in sorted(files):
                        if file.endswith((".txt", *JSONL_SUFFIXES)):
                            found.setdefault(os.path.realpath(Path(folder) / file), Path(folder) / file)
            elif path.is_file():
                found.setdefault(os.path.realpath(path), path)
            else:
                raise CleanerError(f"no such file or folder: {name}")
        return list(found.values())

    def _skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1

    def documents(self) -> Iterator[Document]:
        self.skipped = {}
        fallback = host_of(self.url)
        for path in self.files():
            if self.text_field is not None or path.name.endswith(JSONL_SUFFIXES):
                text_field = self.text_field or "text"
                for number, line in _jsonl_records(path):
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError:
                        self._skip("not a JSON record")
                        continue
                    text = record.get(text_field) if isinstance(record, dict) else None
                    if not isinstance(text, str):
                        self._skip(f"no text in field '{text_field}'")
                        continue
                    url = record.get(self.url_field)
                    url = url if isinstance(url, str) and url else None
                    host = host_of(url) or fallback
                    if host is None:
                        self._skip("no site (no URL)")
                        continue
                    yield Document(url or f"{path}:{number}", host, text)
            else:
                try:
                    text = read_text(path)
                except (Unreadable, OSError) as exc:
                    sys.stderr.write(f"cleaner suggest: skipping {path}: {exc}\n")
                    self._skip("unreadable file")
                    continue
                yield Document(str(path), fallback or path.resolve().parent.name.lower(), text)


def document_lines(text: str, max_words: int | None = None) -> list[tuple[str, str | None, int]]:
    """Each non-empty line as (repaired text, key or None when it cannot be a candidate, words)."""
    out = []
    for raw in text.removeprefix("\ufeff").split("\n"):
        line = _TYPOGRAPHY.fix(raw.rstrip("\r"))[0].strip()
        if not line:
            continue
        words = len(line.split())
        candidate = (max_words is None or words <= max_words) and _LETTER.search(line) is not None
        out.append((line, normalise(line) if candidate else None, words))
    return out


# ---------------------------------------------------------------- counting

class CountMinSketch:
    """Document frequencies in fixed memory: estimates never fall below the true count."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows = [array("I", bytes(4 * width)) for _ in range(SKETCH_ROWS)]

    @staticmethod
    def _digest(item: str) -> int:
        return int.from_bytes(hashlib.blake2b(item.encode("utf-8", "surrogatepass"), digest_size=16).digest(),
                              "little")

    def _cells(self, item: str) -> Iterator[tuple[array, int]]:
        digest = self._digest(item)
        for n, row in enumerate(self.rows):
            yield row, ((digest >> (32 * n)) & 0xFFFFFFFF) % self.width

    def add(self, item: str) -> None:
        for row, cell in self._cells(item):
            if row[cell] < 0xFFFFFFFF:
                row[cell] += 1

    def estimate(self, item: str) -> int:
        return min(row[cell] for row, cell in self._cells(item))


@dataclass
class Candidate:
    """What the second pass learns about one line (of one site, or of all sites). Every field keeps the smallest
    items by a fixed order, so the result does not depend on the order of the documents."""

    docs: int = 0
    hosts: list[str] = field(default_factory=list)  # the MAX_HOSTS smallest hosts, sorted
    forms: set[str] = field(default_factory=set)  # the MAX_EXAMPLES smallest distinct forms
    sources: dict[str, set[str]] = field(default_factory=dict)  # sample sources of the smallest hosts
    keep: tuple | None = None  # the best (no shared word, distance, text) body line seen near it

    def see(self, host: str, form: str, source: str, keep: tuple | None) -> None:
        self.docs += 1
        at = bisect.bisect_left(self.hosts, host)
        if at == len(self.hosts) or self.hosts[at] != host:
            self.hosts.insert(at, host)
            if len(self.hosts) > MAX_HOSTS:
                self.hosts.pop()
        _add_smallest(self.forms, form)
        if host in self.sources or len(self.sources) < MAX_EXAMPLES or host < max(self.sources):
            _add_smallest(self.sources.setdefault(host, set()), source)
            if len(self.sources) > MAX_EXAMPLES:
                del self.sources[max(self.sources)]
        if keep is not None and (self.keep is None or keep < self.keep):
            self.keep = keep

    def sample_sources(self) -> tuple[str, ...]:
        """One source from each of the first sites, or (one site) its first sources."""
        if len(self.sources) == 1:
            return tuple(sorted(next(iter(self.sources.values()))))
        return tuple(min(self.sources[host]) for host in sorted(self.sources))

    @property
    def site_count(self) -> str:
        return f"{MAX_HOSTS} or more" if len(self.hosts) >= MAX_HOSTS else str(len(self.hosts))


def _add_smallest(bag: set[str], item: str) -> None:
    bag.add(item)
    if len(bag) > MAX_EXAMPLES:
        bag.remove(max(bag))


def _tokens(text: str) -> set[str]:
    return {t for t in _WORD.findall(text.casefold()) if len(t) >= 3 and _LETTER.search(t)}


@dataclass
class Counts:
    site_docs: dict[str, int]
    site: dict[tuple[str, str], Candidate]
    generic: dict[str, Candidate]
    documents: int
    skipped: dict[str, int]


def count(reader: Reader, *, min_docs_per_site: int, min_sites: int, max_words: int,
          sketch_width: int = DEFAULT_SKETCH_WIDTH) -> Counts:
    by_site, by_line = CountMinSketch(sketch_width), CountMinSketch(sketch_width)
    site_docs: dict[str, int] = {}
    for doc in reader.documents():  # pass 1: sketches
        site_docs[doc.host] = site_docs.get(doc.host, 0) + 1
        for key in {key for _, key, _ in document_lines(doc.text, max_words) if key is not None}:
            by_site.add(doc.host + "\0" + key)
            by_line.add(key)
    site: dict[tuple[str, str], Candidate] = {}
    generic: dict[str, Candidate] = {}
    documents = 0
    for doc in reader.documents():  # pass 2: exact counts and examples for the lines past the thresholds
        documents += 1
        lines = document_lines(doc.text, max_words)
        flags = []
        for _, key, _ in lines:
            if key is None:
                flags.append((False, False))
            else:
                flags.append((by_site.estimate(doc.host + "\0" + key) >= min_docs_per_site,
                              by_line.estimate(key) >= min_sites))
        body = [(i, line, _tokens(line)) for i, ((line, _, words), flag) in enumerate(zip(lines, flags))
                if words >= KEEP_MIN_WORDS and not any(flag)]
        seen: set[str] = set()
        for i, ((line, key, _), (site_hit, generic_hit)) in enumerate(zip(lines, flags)):
            if key is None or not (site_hit or generic_hit) or key in seen:
                continue
            seen.add(key)
            keep = _best_keep(i, _tokens(line), body)
            if site_hit:
                site.setdefault((doc.host, key), Candidate()).see(doc.host, line, doc.source, keep)
            if generic_hit:
                generic.setdefault(key, Candidate()).see(doc.host, line, doc.source, keep)
    return Counts(site_docs, site, generic, documents, dict(reader.skipped))


def _best_keep(index: int, tokens: set[str], body: list[tuple[int, str, set[str]]]) -> tuple | None:
    """The body line to show as a near miss: one sharing a word with the rule's line, nearest first; else
    the nearest long body line. Ties go to the smaller text, so any input order picks the same line."""
    best = None
    for j, line, words in body:
        choice = (0 if tokens & words else 1, abs(j - index), line)
        if best is None or choice < best:
            best = choice
    return best


# ---------------------------------------------------------------- rules

@dataclass(frozen=True)
class Suggestion:
    key: str
    pattern: str
    max_words: int
    remove: tuple[str, ...]
    keep: str
    docs: int
    hosts: int
    sites: str  # how many sites, as written in the description
    sources: tuple[str, ...]


def _slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = regex.findall(r"[a-z0-9]+", ascii_text)
    words = [w for w in words if not w.isdigit()] or words  # "(c) 2024 Example" -> c-example
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit and slug:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug[:limit] or "line"


def suggestion(key: str, candidate: Candidate) -> Suggestion | None:
    """A rule for one candidate line, its examples checked against it; None when no example holds."""
    forms = sorted(candidate.forms)
    pattern = pattern_for(forms[0])
    compiled = regex.compile(pattern, regex.IGNORECASE)
    max_words = max(line_info(form, 1, 1).words for form in forms)
    remove = tuple(f for f in forms if compiled.fullmatch(f))
    if not remove or candidate.keep is None:
        return None
    keep = candidate.keep[2]
    if compiled.fullmatch(keep) and line_info(keep, 1, 1).words <= max_words:
        return None
    return Suggestion(key, pattern, max_words, remove, keep, candidate.docs, len(candidate.hosts),
                      candidate.site_count, candidate.sample_sources())


@dataclass
class Packs:
    generic: list[Suggestion]
    sites: dict[str, list[Suggestion]]
    dropped: int  # lines past the thresholds that got no rule (no example held, or no body line to keep)


def select(counts: Counts, *, min_docs_per_site: int, min_sites: int, min_site_share: float = 0.0) -> Packs:
    dropped = 0
    generic_keys = {key for key, c in counts.generic.items() if len(c.hosts) >= min_sites}
    generic = []
    for key in generic_keys:
        made = suggestion(key, counts.generic[key])
        if made is None:
            dropped += 1
        else:
            generic.append(made)
    sites: dict[str, list[Suggestion]] = {}
    for (host, key), candidate in counts.site.items():
        if key in generic_keys or candidate.docs < min_docs_per_site:
            continue
        if candidate.docs < min_site_share * counts.site_docs[host]:
            continue
        made = suggestion(key, candidate)
        if made is None:
            dropped += 1
        else:
            sites.setdefault(host, []).append(made)
    order = lambda s: (-s.hosts, -s.docs, s.key)  # noqa: E731
    return Packs(sorted(generic, key=order), {h: sorted(r, key=order) for h, r in sorted(sites.items())}, dropped)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # the loader refuses anchors and aliases
        return True


class _Pattern(str):
    """Written in single quotes, as the README asks of every pattern."""


_Dumper.add_representer(_Pattern, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", str(value), style="'"))


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pack_text(description: str, suggestions: list[Suggestion], *, host: str | None, site_docs: int = 0) -> str:
    rules, ids = [], set()
    for s in suggestions:
        rule_id = base = _slug(s.remove[0])
        n = 1
        while rule_id in ids:
            n += 1
            rule_id = f"{base}-{n}"
        ids.add(rule_id)
        if host is None:
            where = f"on {s.sites} sites, in {s.docs} documents"
        else:
            where = f"in {s.docs} of the {site_docs} documents of {host}"
        rules.append({
            "id": rule_id,
            "kind": "drop-line",
            "description": f"Suggested: the line \"{_quote(s.remove[0])}\" occurs {where} (for example "
                           f"{', '.join(s.sources)}). Review before use.",
            "match": [_Pattern(s.pattern)],
            "max_words": s.max_words,
            "examples": {"remove": list(s.remove), "keep": [s.keep]},
        })
    pack: dict = {"description": description}
    if host is not None:
        pack["domains"] = [host]
    pack["rules"] = rules
    return yaml.dump(pack, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 16,
                     default_flow_style=False)


def pack_name(host: str) -> str:
    return regex.sub(r"[^a-z0-9-]+", "-", host.lower()).strip("-") or "site"


def write(packs: Packs, counts: Counts, out_dir: Path, *, min_sites: int) -> list[Path]:
    written: list[tuple[Path, str]] = []
    if packs.generic:
        written.append((out_dir / "generic.yaml", pack_text(
            f"Lines `cleaner suggest` found on {min_sites} or more of {len(counts.site_docs)} sites "
            f"({counts.documents} documents): candidates to review.", packs.generic, host=None)))
    names: dict[str, str] = {}
    for host, suggestions in packs.sites.items():
        name = pack_name(host)
        if name in names.values():
            name = f"{name}-{hashlib.blake2b(host.encode(), digest_size=3).hexdigest()}"
        names[host] = name
        written.append((out_dir / "sites" / f"{name}.yaml", pack_text(
            f"Lines `cleaner suggest` found repeated across the documents of {host}: candidates to review.",
            suggestions, host=host, site_docs=counts.site_docs[host])))
    for path, text in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return [path for path, _ in written]


def _prepare(out_dir: Path, force: bool) -> None:
    """OUT_DIR must be new or empty; --force removes only what an earlier run wrote there."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise CleanerError(f"{out_dir} is not a folder")
    ours = [out_dir / "generic.yaml", out_dir / "sites"]
    others = [p for p in out_dir.iterdir() if p not in ours]
    if any(p.exists() for p in ours) or others:
        if not force or others:
            raise CleanerError(f"{out_dir} is not empty: choose a new folder"
                               + ("" if others else ", or pass --force to replace an earlier run's packs"))
        (out_dir / "generic.yaml").unlink(missing_ok=True)
        shutil.rmtree(out_dir / "sites", ignore_errors=True)


# ---------------------------------------------------------------- command line

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", nargs="+", metavar="CORPUS",
                        help="text files, folders (*.txt, *.jsonl searched recursively) or JSON-lines files")
    parser.add_argument("-o", "--output", required=True, metavar="OUT_DIR",
                        help="folder to write the packs to (new or empty): generic.yaml and sites/HOST.yaml")
    parser.add_argument("--text-field", metavar="NAME",
                        help="read every file as JSON lines, the text in this field (default for *.jsonl: text)")
    parser.add_argument("--url-field", default="url", metavar="NAME",
                        help="the field of a JSON record holding the page's URL (default: url)")
    parser.add_argument("--url", help="the URL (site) of documents that have none, e.g. every text file")
    parser.add_argument("--min-docs-per-site", type=int, default=DEFAULT_MIN_DOCS_PER_SITE, metavar="N",
                        help=f"a site line needs this many of the site's documents (default: "
                             f"{DEFAULT_MIN_DOCS_PER_SITE})")
    parser.add_argument("--min-site-share", type=float, default=0.0, metavar="SHARE",
                        help="... and this share of them, 0 to 1 (default: 0)")
    parser.add_argument("--min-sites", type=int, default=DEFAULT_MIN_SITES, metavar="N",
                        help=f"a generic line needs this many sites (default: {DEFAULT_MIN_SITES})")
    parser.add_argument("--max-words", type=int, default=DEFAULT_MAX_WORDS, metavar="N",
                        help=f"longer lines are never suggested (default: {DEFAULT_MAX_WORDS})")
    parser.add_argument("--sketch-width", type=int, default=DEFAULT_SKETCH_WIDTH, metavar="N",
                        help=f"counters per sketch row: memory is 32 bytes x N (default: {DEFAULT_SKETCH_WIDTH})")
    parser.add_argument("--force", action="store_true", help="replace the packs of an earlier run in OUT_DIR")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    for name in ("min_docs_per_site", "min_sites", "max_words", "sketch_width"):
        if getattr(args, name) < 1:
            sys.stderr.write(f"cleaner suggest: --{name.replace('_', '-')} must be at least 1\n")
            return 2
    if args.min_sites > MAX_HOSTS:
        sys.stderr.write(f"cleaner suggest: --min-sites must be at most {MAX_HOSTS}\n")
        return 2
    if not 0.0 <= args.min_site_share <= 1.0:
        sys.stderr.write("cleaner suggest: --min-site-share must be between 0 and 1\n")
        return 2
    out_dir = Path(args.output)
    _prepare(out_dir, args.force)
    reader = Reader(tuple(args.corpus), args.text_field, args.url_field, args.url)
    counts = count(reader, min_docs_per_site=args.min_docs_per_site, min_sites=args.min_sites,
                   max_words=args.max_words, sketch_width=args.sketch_width)
    packs = select(counts, min_docs_per_site=args.min_docs_per_site, min_sites=args.min_sites,
                   min_site_share=args.min_site_share)
    paths = write(packs, counts, out_dir, min_sites=args.min_sites)
    if paths:
        load_packs([out_dir])  # written packs must load as they are: a failure here is a bug, not the user's
    site_rules = sum(len(s) for s in packs.sites.values())
    report = (f"{_n(counts.documents, 'document')} from {_n(len(counts.site_docs), 'site')}: "
              f"{_n(len(packs.generic), 'generic rule')}, {_n(site_rules, 'site rule')} in "
              f"{_n(len(packs.sites), 'site pack')}, written to {out_dir}\n")
    if not paths:
        report = (f"{_n(counts.documents, 'document')} from {_n(len(counts.site_docs), 'site')}: no line passed "
                  "the thresholds; nothing written\n")
    if packs.dropped:
        report += f"{packs.dropped} repeated lines got no rule (no example held or no body line to keep)\n"
    for why, n in sorted(counts.skipped.items()):
        report += f"{n} documents left out: {why}\n"
    sys.stdout.write(report)
    return 0
