"""The manifest entry of each file: what it was when last read, and the facts of its
last valid version that relations need (id, reference, aliases, supersedes, amends,
links, the references its text cites, its entry into force, its language and the text
it translates). Every relation and
cross-file check is a function of the entries (`relations`), so an incremental update
and a full rebuild derive the same thing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from .attachments import FileState

if TYPE_CHECKING:
    from .documents import Document, ParsedFile


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
    #: the last valid version's reference; of a file never valid, the one it declares
    #: (relations name it by that reference, and by the id of its path)
    reference: str | None = None
    status: str = "in-force"
    aliases: list[str] = field(default_factory=list)
    supersedes: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    #: the references written in the text, with their lines (what it may cite)
    citations: list[tuple[str, int]] = field(default_factory=list)
    #: the period the text declares (ISO days): entry into force (`effective`, else
    #: `date`: when it repeals the texts it supersedes) and `ends`
    effective: str | None = None
    ends: str | None = None
    #: the language of the text, and the reference or id of the text it translates
    lang: str = "fr"
    translation_of: str | None = None
    #: the files the last valid version attaches (path, mtime, size), and the problems of
    #: its `attachments` line: kept apart from `problems`, they never make a file invalid
    attachments: list[FileState] = field(default_factory=list)
    attachment_problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    def all_problems(self) -> list[Problem]:
        """The file's problems, its attachments' included."""
        return self.problems + self.attachment_problems

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
        self.citations = [(c.reference, c.line) for c in document.citations]
        starts = document.in_force_from
        self.effective = starts.isoformat() if starts else None
        self.ends = document.ends.isoformat() if document.ends else None
        self.lang = document.lang
        self.translation_of = document.translation_of

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "mtime_ns": self.mtime_ns,
            "size": self.size,
            "hash": self.hash,
            "problems": [p.to_record() for p in self.problems],
            "id": self.id,
            "reference": self.reference,
            "status": self.status,
            "aliases": self.aliases,
            "supersedes": self.supersedes,
            "amends": self.amends,
            "links": self.links,
            "lines": self.lines,
            "citations": self.citations,
            "effective": self.effective,
            "ends": self.ends,
            "lang": self.lang,
            "translation_of": self.translation_of,
            "attachments": self.attachments,
            "attachment_problems": [p.to_record() for p in self.attachment_problems],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        entry = cls(**{**data, "problems": [], "attachment_problems": []})
        entry.problems = [Problem.from_dict(p) for p in data.get("problems", [])]
        entry.attachment_problems = [
            Problem.from_dict(p) for p in data.get("attachment_problems", [])
        ]
        entry.attachments = [(str(p), int(m), int(s)) for p, m, s in data.get("attachments", [])]
        entry.links = [(str(t), int(n)) for t, n in data.get("links", [])]
        entry.citations = [(str(r), int(n)) for r, n in data.get("citations", [])]
        return entry


def entry_for(parsed: ParsedFile, stat: os.stat_result, previous: Entry | None) -> Entry:
    """The manifest entry after reading a file: a broken save keeps the last valid facts,
    and a file never valid the reference it declares."""
    entry = Entry(parsed.path, stat.st_mtime_ns, stat.st_size, parsed.hash, list(parsed.problems))
    if parsed.document is not None:
        entry.remember(parsed.document)
    elif previous is None or previous.id is None:
        entry.reference = parsed.declared_reference
    else:
        for name in (
            "id",
            "reference",
            "status",
            "aliases",
            "supersedes",
            "amends",
            "links",
            "lines",
            "citations",
            "effective",
            "ends",
            "lang",
            "translation_of",
            "attachments",
            "attachment_problems",
        ):
            setattr(entry, name, getattr(previous, name))
    return entry
