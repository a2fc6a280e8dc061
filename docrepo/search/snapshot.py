"""A snapshot: a reader on one commit of one generation, with its arrays.

A snapshot never changes: the library opens a new one when a commit or a swap happens,
and a request that holds one reads that commit alone, from start to end. Its reader's
files and its evaluator's scratch arrays are not safe across threads: `lock` guards
them.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np

from ..store.generations import Generation
from .columns import Columns, Periods, SegmentCache, Visibility
from .engine import Evaluator


class Snapshot:
    """A reader on one generation of the index, with its arrays."""

    def __init__(self, generation: Generation, segments: SegmentCache) -> None:
        self.generation = generation
        self.index = generation.reader()
        # closes the reader's files once nobody holds the snapshot any more
        self._finalizer = weakref.finalize(self, self.index.close)
        self.columns = Columns.build(self.index, segments)
        self.evaluator = Evaluator(self.columns)
        self.lock = threading.RLock()
        #: the periods each visibility class is told, the most recent classes' (kept by
        #: `search.periods`)
        self.periods: dict[Visibility, Periods] = {}

    def up_to_date(self) -> bool:
        return self.index.up_to_date()

    def record(self, docnum: int) -> dict[str, Any]:
        """The stored record of a document number."""
        return self.index.record(docnum)

    def record_of(self, doc_id: str) -> dict[str, Any] | None:
        return self.index.record_of(doc_id)

    def number_of(self, doc_id: str) -> int | None:
        """The document number of an id (None: not in this snapshot)."""
        return self.index.number_of(doc_id)

    def numbers(self, field_name: str, value: str) -> list[int]:
        """The documents whose `field_name` holds `value`."""
        return self.index.numbers(field_name, value)

    def document_count(self) -> int:
        return int(np.count_nonzero(self.columns.live))

    def close(self) -> None:
        self._finalizer()
