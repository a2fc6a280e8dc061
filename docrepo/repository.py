"""The whole content tree: scanning, and the manifest entry of each file.

The manifest remembers, for each file, what it was when last read (mtime, size, hash)
and the facts relations need (id, reference, aliases, supersedes, amends, links). Every
relation and cross-file check is a function of the entries (`relations`), so an
incremental update and a full rebuild derive the same thing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .documents import Document, ParsedFile, parse_file
from .errors import ContentUnreadable, Problem
from .relations import resolve
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
    root = f"{os.fspath(content_dir).rstrip('/')}/"
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
                relative = entry.path[len(root) :]
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
        return not self.problems or not any(p.level == "error" for p in self.problems)

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


def check_content(content_dir: Path) -> list[Problem]:
    """Every problem of the content directory: taxonomy, each file, and across files."""
    taxonomy, problems = load_taxonomy(content_dir)
    entries: dict[str, Entry] = {}
    for path, stat in scan(content_dir):
        entries[path] = entry_for(parse_file(content_dir / path, content_dir, taxonomy), stat, None)
    problems += [p for e in entries.values() for p in e.problems]
    return sorted(problems + resolve(entries).problems)
