"""A document's history as a viewer may see it, read from the history the writer keeps
(`store.history_file`), never from git.

The caller has already found the document visible to the viewer (its record): history
exists only for documents a viewer may see now. Each version is shown only to a viewer
its own `access` lets in (a text internal before it was published keeps its internal
versions hidden from the public). `events` is the API a changes feed builds on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..access import Viewer
from ..store import history_file
from ..store.history_file import Version

__all__ = ["DocumentHistory", "Event", "Lag", "Version"]


@dataclass(frozen=True)
class Event:
    """One commit in the life of a document: what a changes feed lists."""

    commit: str
    date: dt.datetime
    author: str
    message: str
    #: added, modified or renamed (the file; a deletion is no version of a document)
    kind: str


@dataclass(frozen=True)
class Lag:
    """A translation left behind its original: the original's last version, committed
    after the translation's last (`changed`), and the original's version the translation
    last followed (`since`: its newest not after the translation's; None: none)."""

    changed: Version
    translated: Version
    since: Version | None


def when(version: Version) -> dt.datetime:
    """The author's date of a version, in the author's time zone."""
    zone = dt.timezone(dt.timedelta(minutes=version.commit.offset))
    return dt.datetime.fromtimestamp(version.commit.time, zone)


class DocumentHistory:
    """The versions of documents, from the history file of one index directory."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir

    def all_versions(self, record: dict[str, Any]) -> list[Version] | None:
        """Every committed version of a document's file, newest first, whoever looks
        (None: the content has no history)."""
        paths = [record["path"], *(f"{alias}.md" for alias in record.get("aliases", []))]
        return history_file.versions_of(self.index_dir, paths)

    def versions(self, record: dict[str, Any], viewer: Viewer) -> list[Version] | None:
        """The versions this viewer may see, newest first (None: no history)."""
        found = self.all_versions(record)
        if found is None:
            return None
        return [v for v in found if viewer.may_see(list(v.change.access))]

    def version(self, record: dict[str, Any], commit: str, viewer: Viewer) -> Version | None:
        """The version of a commit (its id, or the first 7 or more of its digits)."""
        if len(commit) < 7:
            return None
        return next(
            (v for v in self.versions(record, viewer) or [] if v.commit.sha.startswith(commit)),
            None,
        )

    def lag(self, record: dict[str, Any], original: dict[str, Any], viewer: Viewer) -> Lag | None:
        """Whether a translation's original was committed after it (the versions this
        viewer may see; None: it was not, or there is no history)."""
        translated, followed = self.versions(record, viewer), self.versions(original, viewer)
        if not translated or not followed or followed[0].seq <= translated[0].seq:
            return None
        since = next((v for v in followed if v.seq <= translated[0].seq), None)
        return Lag(followed[0], translated[0], since)

    def events(self, record: dict[str, Any], viewer: Viewer) -> list[Event]:
        """The commits that made the versions this viewer may see, newest first."""
        return [
            Event(v.commit.sha, when(v), v.commit.author, v.commit.message, v.change.kind)
            for v in self.versions(record, viewer) or []
        ]
