"""The arrays of one segment, as docrepo's codec writes them: what the engine reads.

A segment of docrepo's codec has two array files (`array_file`) beside Whoosh's own:

- `.drp`, its postings: for each indexed field `F`, `F:terms` (the terms, sorted, as a
  fixed-width byte string array), `F:starts` (term `t`'s postings are `starts[t]` to
  `starts[t + 1]`), `F:docs` (segment document numbers, ascending within a term) and
  `F:weights`; for a field with positions, `F:pos_starts` (posting `p`'s positions are
  `pos_starts[p]` to `pos_starts[p + 1]`) and `F:positions`.
- `.drd`, its documents: `lengths:F` (the length of text field `F` in each document),
  `numbers:F` (a number column's values) and, for a text column `F`, `sorted:F` (its
  values sorted) with `order:F` (`order[k]` is the document of `sorted[k]`).

The layout, field by field, is in docs/index-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.codec.base import Segment
from whoosh.reading import IndexReader

from .array_file import ArrayFile, open_arrays
from .whoosh_internals import folder_of

#: the extensions of a segment's array files
POSTINGS_EXT, DOCUMENTS_EXT = ".drp", ".drd"

__all__ = [
    "DOCUMENTS_EXT", "POSTINGS_EXT", "SegmentDocuments", "SegmentPostings", "SortedValues",
    "TermPostings", "documents_of", "open_documents", "open_postings", "postings_of",
    "ragged_indexes",
]  # fmt: skip

_NO_DOCS = np.zeros(0, dtype=np.int32)
_NO_WEIGHTS = np.zeros(0, dtype=np.float32)
_NO_STARTS = np.zeros(1, dtype=np.int64)


@dataclass(frozen=True)
class TermPostings:
    """One term's postings in a segment: documents (ascending), weights and, for a field
    with positions, where each document's positions are (`starts`, `len(docs) + 1` of
    them, into `positions`)."""

    docs: np.ndarray
    weights: np.ndarray
    starts: np.ndarray
    positions: np.ndarray


_NO_POSTINGS = TermPostings(_NO_DOCS, _NO_WEIGHTS, _NO_STARTS, _NO_DOCS)


class SegmentPostings:
    """The postings file of a segment."""

    def __init__(self, arrays: ArrayFile) -> None:
        self._arrays = arrays
        self.fields: list[str] = list(arrays.meta["fields"])

    def terms(self, field: str) -> np.ndarray:
        """The terms of a field, sorted (bytes)."""
        return self._arrays.array(f"{field}:terms") if field in self.fields else _NO_DOCS[:0]

    def term_number(self, field: str, term: bytes) -> int | None:
        terms = self.terms(field)
        at = int(np.searchsorted(terms, term))
        return at if at < len(terms) and terms[at] == term else None

    def doc_frequencies(self, field: str) -> np.ndarray:
        """How many documents hold each term of the field."""
        return np.diff(self._arrays.array(f"{field}:starts")) if field in self.fields else _NO_DOCS

    def field_docs(self, field: str) -> np.ndarray:
        """The documents of every term of the field, term after term."""
        return self._arrays.array(f"{field}:docs") if field in self.fields else _NO_DOCS

    def postings(self, field: str, term: bytes, positions: bool = False) -> TermPostings:
        number = self.term_number(field, term)
        if number is None:
            return _NO_POSTINGS
        low, high = self._arrays.array(f"{field}:starts")[number : number + 2].tolist()
        docs = self._arrays.array(f"{field}:docs")[low:high]
        weights = self._arrays.array(f"{field}:weights")[low:high]
        if not positions or f"{field}:pos_starts" not in self._arrays:
            return TermPostings(docs, weights, _NO_STARTS, _NO_DOCS)
        starts = self._arrays.array(f"{field}:pos_starts")[low : high + 1].astype(np.int64)
        found = self._arrays.array(f"{field}:positions")[starts[0] : starts[-1]]
        return TermPostings(docs, weights, starts - starts[0], found)


@dataclass(frozen=True)
class SortedValues:
    """A text column's values, sorted: `order[k]` is the document of `sorted[k]`."""

    sorted: np.ndarray
    order: np.ndarray


class SegmentDocuments:
    """The documents file of a segment."""

    def __init__(self, arrays: ArrayFile, size: int) -> None:
        self._arrays, self.size = arrays, size

    def lengths(self, field: str) -> np.ndarray:
        """The length of a text field in each document (zeros: a field without)."""
        name = f"lengths:{field}"
        return self._arrays.array(name) if name in self._arrays else np.zeros(self.size, np.uint32)

    def numbers(self, field: str) -> np.ndarray:
        """A number column's values in each document (0: none)."""
        name = f"numbers:{field}"
        return self._arrays.array(name) if name in self._arrays else np.zeros(self.size, np.int64)

    def sorted_values(self, field: str) -> SortedValues:
        if f"sorted:{field}" not in self._arrays:
            return SortedValues(np.full(self.size, b""), np.arange(self.size, dtype=np.int32))
        return SortedValues(
            self._arrays.array(f"sorted:{field}"), self._arrays.array(f"order:{field}")
        )


def ragged_indexes(starts: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The indexes `starts[r]` to `starts[r + 1]` of each row `r`, end to end: the items
    of those rows of an array whose row `r` is `starts[r]` to `starts[r + 1]`."""
    begins = starts[rows]
    counts = starts[rows + 1] - begins
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    indexes: np.ndarray = np.repeat(begins, counts) + offsets
    return indexes


def _path(folder: str, segment: Segment, ext: str) -> Path:
    """The path of one of a segment's files (in a folder of Whoosh's FileStorage)."""
    return Path(folder) / str(segment.make_filename(ext))


def open_postings(folder: str, segment: Segment) -> SegmentPostings:
    """The postings file of a segment of docrepo's codec in `folder`."""
    return SegmentPostings(open_arrays(_path(folder, segment, POSTINGS_EXT)))


def open_documents(folder: str, segment: Segment) -> SegmentDocuments:
    """The documents file of a segment of docrepo's codec in `folder`."""
    path = _path(folder, segment, DOCUMENTS_EXT)
    return SegmentDocuments(open_arrays(path), segment.doc_count_all())


def postings_of(reader: IndexReader) -> SegmentPostings:
    """The postings of a segment reader of docrepo's codec."""
    return open_postings(folder_of(reader.storage()), reader.segment())


def documents_of(reader: IndexReader) -> SegmentDocuments:
    """The documents file of a segment reader of docrepo's codec."""
    return open_documents(folder_of(reader.storage()), reader.segment())
