"""What changed in the documents of a view: the events a changes feed lists.

A document's events are its commits (the first publishes it, the others modify it, each
with its message and author: `search.history`), and what other texts did to it: an
amending text amends it on the day that text takes effect, a superseding text repeals
it on that day; a translation of it is published on its own first commit. Without a
git history, a text is published on its `published` date (or its `date`). Every event
names only documents the viewer may see now, and the commits only versions the viewer
may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..access import Viewer
from .history import DocumentHistory, when
from .library import Reader

Record = dict[str, Any]
Kind = Literal["published", "modified", "amended", "repealed", "translated"]


@dataclass(frozen=True)
class Change:
    """One event in the life of a document."""

    when: dt.datetime
    kind: Kind
    record: Record
    #: the commit of a published or modified version (None: an event of the relations)
    commit: str | None = None
    #: the commit of the version before a modification (for the comparison)
    before: str | None = None
    author: str = ""
    message: str = ""
    #: the text that amended or repealed the document, or its published translation
    by: Record | None = None


def _day(iso: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(iso).replace(tzinfo=dt.UTC) if iso else None


def _commits(record: Record, history: DocumentHistory, viewer: Viewer) -> list[Change] | None:
    """The commits of a document's visible versions (None: the content has no history)."""
    versions = history.versions(record, viewer)
    if not versions:
        return None
    oldest_first = list(reversed(versions))
    return [
        Change(
            when(version),
            "published" if previous is None else "modified",
            record,
            commit=version.commit.sha,
            before=previous.commit.sha if previous else None,
            author=version.commit.author,
            message=version.commit.message,
        )
        for previous, version in zip([None, *oldest_first], oldest_first, strict=False)
    ]


#: what another text does to a document, by the relation that names it
_DONE_BY: tuple[tuple[Kind, str], ...] = (("amended", "amended_by"), ("repealed", "superseded_by"))


def _by_others(record: Record, reader: Reader, viewer: Viewer) -> Iterable[Change]:
    """Amended or repealed by a text, on the day that text takes effect."""
    for kind, key in _DONE_BY:
        for other in reader.records(record[key], viewer):
            day = _day(other.get("effective") or other.get("date"))
            if day is not None:
                yield Change(day, kind, record, by=other)


def _published(record: Record, history: DocumentHistory, viewer: Viewer) -> dt.datetime | None:
    """When a document was published: its first visible commit, else its `published` date
    (or its `date`) when the content has no history."""
    commits = _commits(record, history, viewer)
    return commits[0].when if commits else _day(record.get("published") or record.get("date"))


def _translations(
    record: Record, reader: Reader, history: DocumentHistory, viewer: Viewer
) -> Iterable[Change]:
    """The publication of each translation of a text that the viewer may see."""
    for other in reader.records(record.get("translations", ()), viewer):
        day = _published(other, history, viewer)
        if other.get("original") == record["id"] and day is not None:
            yield Change(day, "translated", record, by=other)


def changes(
    records: Iterable[Record], reader: Reader, history: DocumentHistory, viewer: Viewer, limit: int
) -> list[Change]:
    """The newest `limit` events of these documents, newest first."""
    found: list[Change] = []
    for record in records:
        commits = _commits(record, history, viewer)
        if commits is None:
            day = _day(record.get("published") or record.get("date"))
            commits = [Change(day, "published", record)] if day else []
        found += commits
        found += _by_others(record, reader, viewer)
        found += _translations(record, reader, history, viewer)
    found.sort(key=lambda change: change.when, reverse=True)
    return found[:limit]
