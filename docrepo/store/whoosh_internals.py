"""The one door to Whoosh's internals: every private name docrepo uses is here.

docrepo reads Whoosh's segments as arrays and writes segments in forked processes,
which Whoosh's public API does not offer; what that takes of `whoosh.codec.whoosh3`,
`whoosh.columns` and `whoosh.writing` internals is written once, in this module, for
the version pinned in pyproject.toml. `install()` checks that version and applies the
one fix below; the composition roots (the CLI, the web application) call it at start.

The fix: writing a segment, Whoosh asks each posting's field length from a per-document
reader that caches the column readers it finds but not the ones it does not; for a
field without lengths (ids, keywords) it looks for the missing column file on disk again
at every posting, a `stat` each time, a third of a full build. Segments never change
once written, so a missing column stays missing: the answer is kept like a found one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import whoosh
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.columns import ColumnReader, NumericColumn, VarBytesColumn
from whoosh.index import TOC, Index, clean_files
from whoosh.reading import IndexReader
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from ..errors import ConfigError

#: the Whoosh this module was written against (the `whoosh-reloaded` distribution)
WHOOSH_VERSION = (2, 7, 5)
#: Whoosh stores a field's length in one byte; this table decodes it (byte_to_length)
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
#: bytes before the pickled positions in a posting's value (Positions format: a count)
POSITIONS_HEADER = _INT_SIZE

__all__ = [
    "LENGTH_OF_BYTE", "POSITIONS_HEADER", "Segment", "WHOOSH_VERSION", "field_lengths",
    "finish_segment", "has_term", "install", "numeric_column", "read_postings",
    "remove_uncommitted", "segment_writer", "text_column",
]  # fmt: skip

_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)


def install() -> None:
    """Check the installed Whoosh and apply docrepo's fix (idempotent)."""
    found = tuple(whoosh.__version__)
    if found != WHOOSH_VERSION:
        wanted = ".".join(map(str, WHOOSH_VERSION))
        raise ConfigError(
            f"docrepo needs Whoosh {wanted} (the whoosh-reloaded package pinned in "
            f"pyproject.toml); found {'.'.join(map(str, found))}: reinstall docrepo "
            "(pip install -e .) in a fresh virtual environment"
        )
    W3PerDocReader._cached_reader = _cached_reader


def _cached_reader(self: W3PerDocReader, fieldname: str, column: Any) -> Any:
    if fieldname not in self._readers:
        found = self.has_column(fieldname)
        self._readers[fieldname] = self.column_reader(fieldname, column) if found else None
    return self._readers[fieldname]


# --- reading a segment as arrays


def has_term(reader: IndexReader, name: str, term: bytes) -> bool:
    """Whether a segment holds a term (without reading its postings)."""
    return (name, term) in reader._terms


def read_postings(
    reader: IndexReader, name: str, term: bytes, values: bool = False
) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Every (document, weight) of a term in one segment, deleted documents included,
    and with `values` the encoded value (word positions) of each posting.

    Whoosh's posting blocks are read whole (ids delta-coded, weights minimized as
    W3PostingsWriter writes them) rather than posting by posting.
    """
    matcher = reader._terms.matcher(name, term, reader.schema[name].format)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    found_values: list[Any] = []
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            raw_ids, raw_weights, raw_values = matcher._data
            ids.append(np.cumsum(np.array(raw_ids, dtype=np.int64)))
            count = matcher._blocklength
            if raw_weights is None or isinstance(raw_weights, float):
                weights.append(np.full(count, 1.0 if raw_weights is None else raw_weights))
            else:
                weights.append(np.array(raw_weights, dtype=np.float64))
            if values:
                found_values.extend(raw_values)
            matcher._next_block()
    else:  # postings short enough to be kept inline in the term's record
        found: list[int] = []
        weighed: list[float] = []
        while matcher.is_active():
            found.append(matcher.id())
            weighed.append(matcher.weight())
            if values:
                found_values.append(matcher.value())
            matcher.next()
        ids.append(np.array(found, dtype=np.int64))
        weights.append(np.array(weighed, dtype=np.float64))
    if not ids:
        return _EMPTY_IDS, _EMPTY_WEIGHTS, []
    return np.concatenate(ids), np.concatenate(weights), found_values


def _numbers(column: ColumnReader, size: int) -> np.ndarray:
    """A numeric column's values, read in one piece (Whoosh reads them one at a time,
    a seek and a read each: a second for 100,000 documents)."""
    if not isinstance(column, NumericColumn.Reader):
        return np.array(list(column), dtype=np.int64)
    raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
    values = np.full(size, column._default, dtype=np.int64)
    values[: column._count] = np.frombuffer(raw, dtype=">" + column._typecode)
    return values


def numeric_column(reader: IndexReader, name: str) -> np.ndarray:
    """The values of a NUMERIC field's column in each document of a segment."""
    # a NUMERIC column holds each value shifted to be unsigned: shifted back here
    shift = int(reader.schema[name].from_column_value(0))
    column = reader.column_reader(name, translate=False)
    values: np.ndarray = _numbers(column, reader.doc_count_all()) + shift
    return values


def text_column(reader: IndexReader, name: str) -> list[bytes]:
    """A text column's values in UTF-8, read in one piece (see `_numbers`)."""
    column = reader.column_reader(name, translate=False)
    if not isinstance(column, VarBytesColumn.Reader):
        return list(column)
    lengths = np.asarray(column._lengths, dtype=np.int64)
    raw = column._dbfile.get(column._basepos, int(lengths.sum()))
    ends = np.cumsum(lengths).tolist()
    starts = [0, *ends[:-1]]
    return [raw[a:b] for a, b in zip(starts, ends, strict=True)]


def field_lengths(reader: IndexReader, name: str) -> np.ndarray:
    """The length of a text field in each document of a segment (as Whoosh stores it,
    one byte, decoded); zeros for a field without lengths."""
    size = reader.doc_count_all()
    column = _cached_reader(reader._perdoc, _lenfield(name), LENGTHS_COLUMN)
    if column is None:
        return np.zeros(size, dtype=np.float64)
    decoded: np.ndarray = LENGTH_OF_BYTE[_numbers(column, size)]
    return decoded


# --- writing


def finish_segment(writer: SegmentWriter) -> Segment:
    """Write out what a segment writer holds and return the segment, without committing
    it: a commit of the index lists it later (the segments of a parallel rebuild)."""
    segment: Segment = writer._finalize_segment()
    return segment


def segment_writer(ix: Index, limitmb: int) -> SegmentWriter:
    """A writer of a new segment in a process that does not hold Whoosh's lock (the
    parent of a parallel rebuild holds docrepo's writer lock)."""
    return SegmentWriter(ix, _lk=False, limitmb=limitmb)


def remove_uncommitted(ix: Index) -> None:
    """Delete the files of segments that no commit lists (a writer cancelled half-way)."""
    toc = TOC.read(ix.storage, ix.indexname)
    clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
