"""A snapshot: a searcher on one commit of one generation, with its arrays.

A snapshot never changes: the library opens a new one when a commit or a swap happens,
and a request that holds one reads that commit alone, from start to end. Its Whoosh
files and its evaluator's scratch arrays are not safe across threads: `lock` guards
them.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np
from whoosh.index import Index
from whoosh.searching import Searcher

from ..store.generations import Generation
from .columns import Columns, SegmentCache
from .engine import Evaluator


class Snapshot:
    """A searcher on one generation of the index, with its arrays."""

    def __init__(self, ix: Index, generation: Generation, segments: SegmentCache) -> None:
        self.generation = generation
        self.searcher: Searcher = ix.searcher()
        # closes the searcher's files once nobody holds the snapshot any more
        self._finalizer = weakref.finalize(self, self.searcher.close)
        self.columns = Columns.build(self.searcher, segments)
        self.evaluator = Evaluator(self.searcher, self.columns)
        self.lock = threading.RLock()

    def up_to_date(self) -> bool:
        return bool(self.searcher.up_to_date())

    def record(self, docnum: int) -> dict[str, Any]:
        """The stored record of a document number."""
        record: dict[str, Any] = self.searcher.stored_fields(docnum)["record"]
        return record

    def record_of(self, doc_id: str) -> dict[str, Any] | None:
        stored = self.searcher.document(id=doc_id)
        return None if stored is None else dict(stored["record"])

    def number_of(self, doc_id: str) -> int | None:
        """The document number of an id (None: not in this snapshot)."""
        number = self.searcher.document_number(id=doc_id)
        return None if number is None else int(number)

    def numbers(self, field_name: str, value: str) -> list[int]:
        """The documents whose `field_name` holds `value`."""
        return list(self.searcher.document_numbers(**{field_name: value}))

    def document_count(self) -> int:
        return int(np.count_nonzero(self.columns.live))

    def close(self) -> None:
        self._finalizer()
