"""`SearchResult`: what one search found, in codes and counts, for any face to render
(and `ProblemReport`: what the content's problems are, for a viewer).

Labels, the order in which a face lists facet values, JSON shapes and URLs are the
faces' own; a result holds only what the index says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from .request import MAX_DEPTH, SearchRequest


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet: its code, how many documents hold it, whether it is ticked."""

    value: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Section:
    """The part of a document where its snippet was found: the nearest heading above."""

    title: str
    anchor: str


@dataclass(frozen=True)
class AttachmentPlace:
    """Where in a document's attached files a snippet was found: the file's name (the
    last part of its URL), its title, and the page (None for a file without pages)."""

    name: str
    title: str
    page: int | None


@dataclass(frozen=True)
class Translation:
    """Another language version of a result's text: its language, id and title."""

    lang: str
    id: str
    title: str


@dataclass(frozen=True)
class Hit:
    """One result: the stored record of a document, its snippet and score, where the
    snippet was found, and the query's words (as typed) it lacks when the search widened."""

    record: dict[str, Any]
    snippet: str
    score: float | None
    section: Section | None = None
    missing: tuple[str, ...] = ()
    #: the attached file the snippet comes from (None: the document's own text)
    attachment: AttachmentPlace | None = None
    #: the other language versions of its text that the viewer may see
    translations: tuple[Translation, ...] = ()


@dataclass
class SearchResult:
    """What one search found."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    suggestion: str | None = None
    #: the correction whose results these are (the query as typed found too little)
    corrected: str | None = None
    #: whether too few documents held every word, so that some results lack some
    relaxed: bool = False

    @property
    def pages(self) -> int:
        reachable = min(self.total, MAX_DEPTH)
        return max(1, math.ceil(reachable / self.request.per_page))


@dataclass(frozen=True)
class FileProblem:
    """A problem as the problems page shows it, with what it means for the file's
    readers: `published` when a valid version of the file is in the index (an error
    then leaves that last valid version searchable), not when the file was never valid
    or is a draft; `doc_id`, the file's document when the viewer may open it."""

    problem: Problem
    published: bool
    doc_id: str | None = None


@dataclass(frozen=True)
class ProblemReport:
    """The problems a viewer may know of, and how many others there are in files never
    published, whose access is unknown, shown to signed-in viewers only (`unpublished`).
    Nothing counts those of files hidden from the viewer: that would tell they exist."""

    problems: list[FileProblem]
    unpublished: int = 0
