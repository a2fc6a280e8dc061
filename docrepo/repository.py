"""The whole content tree: scanning, the manifest of files, relations in both directions.

The manifest remembers, for each file, what it was when last read (mtime, size, hash)
and the facts relations need (id, reference, aliases, supersedes, amends, links). Every
relation and cross-file check is a pure function of the manifest, so an incremental
update and a full rebuild derive the same thing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .documents import Document, ParsedFile, parse_file
from .errors import ContentUnreadable, Problem
from .taxonomy import load_taxonomy


def is_hidden(relative: str) -> bool:
    """Whether a path has a part starting with `.` or `_` (not content)."""
    return any(part.startswith((".", "_")) for part in relative.split("/") if part)


def is_document_path(relative: str) -> bool:
    """A `.md` file whose path has no part starting with `.` or `_`."""
    return relative.endswith(".md") and not is_hidden(relative)


def scan(content_dir: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(relative path, stat) of every document file under the content directory.

    A folder that cannot be listed stops the scan: taken as empty, it would delete
    every document under it from the index.
    """
    stack = [content_dir]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            if folder == content_dir:
                raise ContentUnreadable(f"the folder {folder} does not exist") from None
            continue  # removed while we walked: what was in it is gone
        except OSError as exc:
            raise ContentUnreadable(
                f"cannot read the folder {folder}: {exc.strerror or exc}"
            ) from None
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.name.endswith(".md") and entry.is_file(follow_symlinks=False):
                relative = Path(entry.path).relative_to(content_dir).as_posix()
                try:
                    stat = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue  # removed while we walked
                yield relative, stat


@dataclass
class Entry:
    """What the manifest keeps of one file: its last read, and its last valid version."""

    path: str
    mtime_ns: int
    size: int
    hash: str
    problems: list[Problem] = field(default_factory=list)
    #: facts of the last valid version, None when the file never was valid (not indexed)
    id: str | None = None
    reference: str | None = None
    status: str = "in-force"
    aliases: list[str] = field(default_factory=list)
    supersedes: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    @property
    def indexed(self) -> bool:
        """Whether a version of this file is in the index (drafts never are)."""
        return self.id is not None and self.status != "draft"

    def remember(self, document: Document) -> None:
        self.id = document.id
        self.reference = document.reference
        self.status = document.status
        self.aliases = list(document.aliases)
        self.supersedes = list(document.supersedes)
        self.amends = list(document.amends)
        self.links = [(link.target, link.line) for link in document.links]
        self.lines = dict(document.field_lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "mtime_ns": self.mtime_ns,
            "size": self.size,
            "hash": self.hash,
            "problems": [p.to_dict() for p in self.problems],
            "id": self.id,
            "reference": self.reference,
            "status": self.status,
            "aliases": self.aliases,
            "supersedes": self.supersedes,
            "amends": self.amends,
            "links": self.links,
            "lines": self.lines,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        entry = cls(**{**data, "problems": []})
        entry.problems = [Problem.from_dict(p) for p in data.get("problems", [])]
        entry.links = [(str(t), int(n)) for t, n in data.get("links", [])]
        return entry


def entry_for(parsed: ParsedFile, stat: os.stat_result, previous: Entry | None) -> Entry:
    """The manifest entry after reading a file: a broken save keeps the last valid facts."""
    entry = Entry(parsed.path, stat.st_mtime_ns, stat.st_size, parsed.hash, list(parsed.problems))
    if parsed.document is not None:
        entry.remember(parsed.document)
    elif previous is not None and previous.id is not None:
        for name in (
            "id",
            "reference",
            "status",
            "aliases",
            "supersedes",
            "amends",
            "links",
            "lines",
        ):
            setattr(entry, name, getattr(previous, name))
    return entry


@dataclass(frozen=True)
class Derived:
    """What a document's neighbours say of it: its effective status and reverse relations."""

    status: str
    superseded_by: tuple[str, ...] = ()
    amended_by: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    amends: tuple[str, ...] = ()


@dataclass
class Relations:
    """Relations resolved over the whole repository, with the problems they reveal."""

    derived: dict[str, Derived]
    problems: list[Problem]
    by_alias: dict[str, str]


def resolve(entries: dict[str, Entry]) -> Relations:
    """Resolve references, relations, aliases and links across every indexed document."""
    problems: list[Problem] = []
    live = {e.id: e for e in entries.values() if e.indexed and e.id}
    known_ids = {e.id for e in entries.values() if e.id}
    by_reference: dict[str, Entry] = {}
    for entry in sorted(entries.values(), key=lambda e: e.path):
        if entry.reference and entry.id:
            key = entry.reference.upper()
            first = by_reference.setdefault(key, entry)
            if first is not entry:
                problems.append(
                    Problem(
                        entry.path,
                        entry.lines.get("reference", 1),
                        "error",
                        "reference",
                        f"reference {entry.reference} is already "
                        f"used by {first.path}; references must be unique",
                        first.id,
                    )
                )
    by_alias: dict[str, str] = {}
    for entry in sorted(live.values(), key=lambda e: e.path):
        for alias in entry.aliases:
            if alias in known_ids or alias in by_alias:
                owner = alias if alias in known_ids else by_alias[alias]
                problems.append(
                    Problem(
                        entry.path,
                        entry.lines.get("aliases", 1),
                        "error",
                        "aliases",
                        f"alias {alias!r} is already the id or an alias of {owner}",
                        owner,
                    )
                )
            else:
                by_alias[alias] = entry.id or ""

    def target(entry: Entry, name: str, value: str) -> str | None:
        if value in live:
            return value
        if value in by_alias:
            return by_alias[value]
        found = by_reference.get(value.upper())
        if found is not None and found.indexed:
            return found.id
        problems.append(
            Problem(
                entry.path,
                entry.lines.get(name, 1),
                "error",
                name,
                f"field '{name}': {value!r} names no document (neither a reference nor an id)",
            )
        )
        return None

    superseded_by: dict[str, list[str]] = {}
    amended_by: dict[str, list[str]] = {}
    forward: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for entry in sorted(live.values(), key=lambda e: e.path):
        doc_id = entry.id or ""
        sup = tuple(t for v in entry.supersedes if (t := target(entry, "supersedes", v)))
        ame = tuple(t for v in entry.amends if (t := target(entry, "amends", v)))
        forward[doc_id] = (sup, ame)
        for t in sup:
            superseded_by.setdefault(t, []).append(doc_id)
        for t in ame:
            amended_by.setdefault(t, []).append(doc_id)
        for link, line in entry.links:
            if link not in known_ids and link not in by_alias:
                shown = f"{link}.md" if link else "a file outside the content directory"
                problems.append(
                    Problem(
                        entry.path, line, "warning", None, f"link to {shown}, which does not exist"
                    )
                )
    derived: dict[str, Derived] = {}
    for doc_id, entry in live.items():
        by = tuple(sorted(superseded_by.get(doc_id, [])))
        status = "repealed" if by else entry.status
        sup, ame = forward[doc_id]
        derived[doc_id] = Derived(status, by, tuple(sorted(amended_by.get(doc_id, []))), sup, ame)
    return Relations(derived, problems, by_alias)


def check_content(content_dir: Path) -> list[Problem]:
    """Every problem of the content directory: taxonomy, each file, and across files."""
    taxonomy, problems = load_taxonomy(content_dir)
    entries: dict[str, Entry] = {}
    for path, stat in scan(content_dir):
        entries[path] = entry_for(parse_file(content_dir / path, content_dir, taxonomy), stat, None)
    problems += [p for e in entries.values() for p in e.problems]
    return sorted(problems + resolve(entries).problems)
