"""One commit of the index as the search reads it: its segments' arrays, which documents
are deleted, and the stored records, behind an interface that names nothing of Whoosh.

A `CommitReader` holds one Whoosh searcher (the files of one commit, opened once) and
lists its segments as `SegmentSource`s: a segment's id, its first document number in
the commit, its size, its deleted documents and its two array files (`segment_files`).
Terms are UTF-8 bytes, as docrepo's codec writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from .segment_files import SegmentDocuments, SegmentPostings, documents_of, postings_of

__all__ = ["CommitReader", "SegmentSource"]


@dataclass(frozen=True)
class SegmentSource:
    """One segment of a commit: what the search maps of it, opened when asked (a segment
    already mapped by an earlier commit's reader is not opened again)."""

    #: the segment's id, the same in every commit that holds the segment
    key: str
    #: its first document number in the commit
    offset: int
    size: int
    #: its deleted documents (segment document numbers)
    deleted: np.ndarray
    _postings: Callable[[], SegmentPostings] = field(repr=False)
    _documents: Callable[[], SegmentDocuments] = field(repr=False)

    def postings(self) -> SegmentPostings:
        return self._postings()

    def documents(self) -> SegmentDocuments:
        return self._documents()


class CommitReader:
    """The read side of one commit of a generation (`Generation.reader`)."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = searcher
        #: the fields whose postings are scored (text fields; facets and ids only match)
        self.scored = frozenset(name for name, kind in searcher.schema.items() if kind.scorable)

    def segments(self) -> list[SegmentSource]:
        """The commit's segments that hold documents, in document order."""
        found = []
        for reader, offset in self._searcher.reader().leaf_readers():
            segment = reader.segment()
            if not reader.doc_count_all() or segment is None:
                continue
            deleted = np.array(sorted(segment.deleted_docs()), dtype=np.int64)
            found.append(
                SegmentSource(
                    str(segment.segment_id()),
                    offset,
                    int(reader.doc_count_all()),
                    deleted,
                    partial(postings_of, reader),
                    partial(documents_of, reader),
                )
            )
        return found

    def up_to_date(self) -> bool:
        """Whether this is still the generation's last commit."""
        return bool(self._searcher.up_to_date())

    def record(self, docnum: int) -> dict[str, Any]:
        """The stored record of a document number."""
        record: dict[str, Any] = self._searcher.stored_fields(docnum)["record"]
        return record

    def record_of(self, doc_id: str) -> dict[str, Any] | None:
        """The stored record of a document id (None: no such live document)."""
        stored = self._searcher.document(id=doc_id)
        return None if stored is None else dict(stored["record"])

    def number_of(self, doc_id: str) -> int | None:
        """The document number of an id (None: not in this commit)."""
        number = self._searcher.document_number(id=doc_id)
        return None if number is None else int(number)

    def numbers(self, field_name: str, value: str) -> list[int]:
        """The live documents whose `field_name` holds `value`."""
        return [int(n) for n in self._searcher.document_numbers(**{field_name: value})]

    def close(self) -> None:
        self._searcher.close()
