"""docrepo's codec for Whoosh: postings, lengths and columns kept as arrays.

Whoosh stays the index: schema, segments, generations, table of contents, stored
fields, deletions and locking are Whoosh's, through its codec extension points. What
docrepo's engine reads is docrepo's: a segment's postings (every indexed field), field
lengths and sort columns are written in bulk, from arrays, into the two array files of
`segment_files`, which the engine maps into memory and reads where they lie.

Writing: `ArrayPool` takes the place of Whoosh's sorting pool and collects a segment's
postings in flat arrays, field by field (a term becomes a number when first seen);
`ArrayFieldWriter` sorts them with NumPy and writes them out in one piece. Whoosh's
own readers (`Searcher.document`, deletions by term, merges) read the same arrays
through `ArrayTermsReader`. A segment records its codec in the table of contents, so an
index of another codec is never read as this one (the schema version makes it rebuilt).
"""

from __future__ import annotations

import sys
import weakref
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from whoosh.codec.base import FieldWriter, Segment, TermsReader
from whoosh.columns import NumericColumn
from whoosh.fields import FieldType, Schema
from whoosh.formats import Positions
from whoosh.index import Index
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.reading import TermInfo, TermNotFound
from whoosh.writing import SegmentWriter

from .analyzers import TermAnalyzer
from .array_file import write_arrays
from .segment_files import (
    DOCUMENTS_EXT,
    POSTINGS_EXT,
    SegmentDocuments,
    SegmentPostings,
    open_documents,
    open_postings,
    ragged_indexes,
)
from .whoosh_internals import (
    BaseCodec,
    BasePerDocReader,
    BasePerDocWriter,
    BaseSegment,
    folder_of,
    open_stored_records,
    replace_pool,
)

__all__ = [
    "ArrayPositions", "ArrayPool", "ArrayWriter", "CODEC", "DocrepoCodec", "NUMBER_COLUMN",
]  # fmt: skip

_SWAP = sys.byteorder != "little"
#: a column of 32-bit integers (a date, a day number): read as an array, never a term
NUMBER_COLUMN = NumericColumn("i")


class ArrayPositions(Positions):  # type: ignore[misc]
    """Word positions encoded as they are stored: 32-bit integers, little-endian (Whoosh's
    own format pickles their gaps, which only Python can read back)."""

    def word_values(
        self, value: Any, analyzer: Any, **options: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        """(term, frequency, weight, positions) of each term; docrepo's analyzer gives the
        positions of all terms at once."""
        if not isinstance(analyzer, TermAnalyzer) or not isinstance(value, str):
            yield from super().word_values(value, analyzer, **options)
            return
        boost = self.field_boost
        for term, positions in analyzer.positions(value).items():
            yield term, len(positions), len(positions) * boost, self.encode(positions)

    def encode(self, poslist: list[int]) -> bytes:
        values = array("i", poslist)
        if _SWAP:
            values.byteswap()
        return values.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        positions: list[int] = np.frombuffer(valuestring, dtype="<i4").tolist()
        return positions

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(p, 1.0) for p in self.decode_positions(valuestring)]


class _FieldPostings:
    """The postings of one field, in the order they came."""

    def __init__(self) -> None:
        self.terms: dict[bytes, int] = {}
        self.term_ids = array("i")
        self.docs = array("i")
        self.weights = array("f")
        #: the postings' encoded values (word positions) end to end, and the size of each
        self.values = bytearray()
        self.value_sizes = array("i")


class ArrayPool:
    """Where a segment writer puts its postings (in place of Whoosh's sorting pool)."""

    def __init__(self) -> None:
        self.fields: dict[str, _FieldPostings] = {}

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, term, docnum, weight, value = item
        if docnum < 0:  # Whoosh's mark of a word for a separate spelling field: none here
            return
        found = self.fields.get(fieldname)
        if found is None:
            found = self.fields[fieldname] = _FieldPostings()
        terms = found.terms
        found.term_ids.append(terms.setdefault(term, len(terms)))
        found.docs.append(docnum)
        found.weights.append(weight)
        if value:
            found.values += value
        found.value_sizes.append(len(value) if value else 0)

    def iter_postings(self) -> ArrayPool:
        """Handed whole to the field writer (Whoosh passes it on unread)."""
        return self

    def cleanup(self) -> None:
        self.fields = {}


def _field_arrays(found: _FieldPostings, positions: bool) -> dict[str, np.ndarray]:
    """A field's postings sorted by term then document, as the arrays of its file."""
    terms = np.array(list(found.terms), dtype=bytes)
    sizes = np.fromiter(map(len, found.terms), dtype=np.int64, count=len(found.terms))
    if not np.array_equal(np.char.str_len(terms), sizes):  # NumPy drops trailing NULs
        raise ValueError("a term ends with a NUL byte, which docrepo's codec cannot hold")
    by_term = np.argsort(terms, kind="stable")
    rank = np.empty(len(terms), dtype=np.int64)
    rank[by_term] = np.arange(len(terms))
    docs = np.frombuffer(found.docs, dtype=np.int32)
    order = np.lexsort((docs, rank[np.frombuffer(found.term_ids, dtype=np.int32)]))
    counts = np.bincount(np.frombuffer(found.term_ids, dtype=np.int32), minlength=len(terms))
    starts = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(counts[by_term], out=starts[1:])
    arrays = {
        "terms": terms[by_term],
        "starts": _compact(starts),
        "docs": docs[order],
        "weights": np.frombuffer(found.weights, dtype=np.float32)[order],
    }
    if positions:
        value_starts = np.zeros(len(found.value_sizes) + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(found.value_sizes, dtype=np.int32) // 4, out=value_starts[1:])
        flat = np.frombuffer(found.values, dtype="<i4")
        pos_starts = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(np.diff(value_starts)[order], out=pos_starts[1:])
        arrays["pos_starts"] = _compact(pos_starts)
        arrays["positions"] = flat[ragged_indexes(value_starts, order)]
    return arrays


def _compact(offsets: np.ndarray) -> np.ndarray:
    """Ascending offsets in 32 bits when they fit (they nearly always do)."""
    return offsets.astype(np.uint32) if offsets[-1] < 2**32 else offsets


class ArrayFieldWriter(FieldWriter):  # type: ignore[misc]
    """Writes a segment's postings file from the pool's arrays, in one piece."""

    def __init__(self, storage: Any, segment: Segment) -> None:
        self._storage, self._segment = storage, segment
        self._pool = ArrayPool()
        self._schema: Schema | None = None  # set by `add_postings`: a cancel never sets it
        self.is_closed = False

    def add_postings(self, schema: Schema, lengths: Any, items: Iterable[Any]) -> None:
        """Take the postings: the pool itself from a segment writer (`ArrayPool`), or
        posting tuples from anything else."""
        self._schema = schema
        if isinstance(items, ArrayPool):
            self._pool = items
        else:
            for item in items:
                self._pool.add(item)

    def close(self) -> None:
        """Write the postings file (nothing when the writer was cancelled)."""
        self.is_closed = True
        if self._schema is None:
            return
        arrays: dict[str, np.ndarray] = {}
        names = sorted(self._pool.fields)
        for name in names:
            has_positions = _has_positions(self._schema[name])
            for key, values in _field_arrays(self._pool.fields[name], has_positions).items():
                arrays[f"{name}:{key}"] = values
        with self._segment.create_file(self._storage, POSTINGS_EXT) as out:
            write_arrays(out, arrays, {"fields": names})
        self._pool.cleanup()

    # Whoosh's term-by-term interface: postings only ever come whole (`add_postings`)
    def start_field(self, fieldname: str, fieldobj: FieldType) -> None:
        raise NotImplementedError("docrepo's codec takes a segment's postings whole")

    start_term = finish_term = finish_field = add = start_field


def _has_positions(field: FieldType) -> bool:
    return bool(field.format and field.format.supports("positions"))


class ArrayTermsReader(TermsReader):  # type: ignore[misc]
    """Whoosh's view of a segment's postings (documents by id, deletions, merges)."""

    def __init__(self, postings: SegmentPostings, documents: SegmentDocuments) -> None:
        self._postings, self._documents = postings, documents

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        return self._postings.term_number(*term) is not None

    def indexed_field_names(self) -> list[str]:
        return self._postings.fields

    def terms(self) -> Iterator[tuple[str, bytes]]:
        for name in self._postings.fields:
            for term in self._postings.terms(name).tolist():
                yield name, term

    def terms_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, bytes]]:
        terms = self._postings.terms(fieldname)
        for term in terms[np.searchsorted(terms, prefix) :].tolist():
            yield fieldname, term

    def items(self) -> Iterator[tuple[tuple[str, bytes], TermInfo]]:
        for key in self.terms():
            yield key, self.term_info(*key)

    def items_from(
        self, fieldname: str, prefix: bytes
    ) -> Iterator[tuple[tuple[str, bytes], TermInfo]]:
        for key in self.terms_from(fieldname, prefix):
            yield key, self.term_info(*key)

    def term_info(self, fieldname: str, text: bytes) -> TermInfo:
        found = self._postings.postings(fieldname, text)
        if not len(found.docs):
            raise TermNotFound(f"{fieldname}:{text!r}")
        lengths = self._documents.lengths(fieldname)[found.docs]
        return TermInfo(
            weight=float(found.weights.sum()),
            df=len(found.docs),
            minlength=int(lengths.min()),
            maxlength=int(lengths.max()),
            maxweight=float(found.weights.max()),
            minid=int(found.docs[0]),
            maxid=int(found.docs[-1]),
        )

    def frequency(self, fieldname: str, text: bytes) -> float:
        return float(self._postings.postings(fieldname, text).weights.sum())

    def doc_frequency(self, fieldname: str, text: bytes) -> int:
        return len(self._postings.postings(fieldname, text).docs)

    def matcher(self, fieldname: str, text: bytes, format_: Any, scorer: Any = None) -> Any:
        found = self._postings.postings(fieldname, text, positions=True)
        if not len(found.docs):
            return NullMatcher()
        values: list[bytes] | None = None
        if len(found.positions):
            raw = found.positions.astype("<i4").tobytes()
            values = [
                raw[4 * a : 4 * b]
                for a, b in zip(found.starts[:-1].tolist(), found.starts[1:].tolist(), strict=True)
            ]
        return ListMatcher(
            found.docs.tolist(),
            found.weights.tolist(),
            values,
            format_,
            scorer=scorer,
            term=(fieldname, text),
        )

    def close(self) -> None:
        pass


class ArrayPerDocWriter(BasePerDocWriter):  # type: ignore[misc]
    """Whoosh's per-document writer (stored fields, columns for merges), with the field
    lengths and sort columns also collected, for the documents file."""

    def __init__(self, codec: BaseCodec, storage: Any, segment: Segment) -> None:
        super().__init__(codec, storage, segment)
        self._file_segment, self._file_storage = segment, storage
        self._doc = -1
        self._lengths: dict[str, dict[int, int]] = {}
        self._columns: dict[str, tuple[bool, dict[int, Any]]] = {}

    def start_doc(self, docnum: int) -> None:
        super().start_doc(docnum)
        self._doc = docnum

    def add_field(self, fieldname: str, fieldobj: FieldType, value: Any, length: int) -> None:
        if length:
            self._lengths.setdefault(fieldname, {})[self._doc] = length
        super().add_field(fieldname, fieldobj, value, 0)  # Whoosh keeps no lengths of its own

    def add_column_value(self, fieldname: str, columnobj: Any, value: Any) -> None:
        numeric = isinstance(columnobj, NumericColumn)
        self._columns.setdefault(fieldname, (numeric, {}))[1][self._doc] = value
        super().add_column_value(fieldname, columnobj, value)

    def close(self) -> None:
        super().close()
        size = self._doc + 1
        arrays: dict[str, np.ndarray] = {}
        for name, by_doc in self._lengths.items():
            lengths = np.zeros(size, dtype=np.uint32)
            lengths[np.fromiter(by_doc, np.int64)] = np.fromiter(by_doc.values(), np.int64)
            arrays[f"lengths:{name}"] = lengths
        for name, (numeric, values) in self._columns.items():
            docs = np.fromiter(values, np.int64, count=len(values))
            if numeric:
                numbers = np.zeros(size, dtype=np.int64)
                numbers[docs] = np.fromiter(values.values(), np.int64, count=len(values))
                arrays[f"numbers:{name}"] = numbers
            else:
                texts = [b""] * size
                for doc, text in values.items():
                    texts[doc] = text
                column = np.array(texts, dtype=bytes)
                order = np.argsort(column, kind="stable").astype(np.int32)
                arrays[f"sorted:{name}"], arrays[f"order:{name}"] = column[order], order
        with self._file_segment.create_file(self._file_storage, DOCUMENTS_EXT) as out:
            write_arrays(out, arrays)


class ArrayPerDocReader(BasePerDocReader):  # type: ignore[misc]
    """Whoosh's per-document reader, with the field lengths read from the documents file."""

    def __init__(self, storage: Any, segment: Segment) -> None:
        super().__init__(storage, segment)
        self._documents = open_documents(folder_of(storage), segment)
        # the records are opened with the reader, like the arrays: a commit's merge may
        # delete the segment's files while a reader still reads it. The reader owns that
        # file, and it is closed with the reader or, when Whoosh drops a reader without
        # closing it (its `FileIndex.reader` retries when a later segment's files are
        # gone), when the reader is collected.
        self._records: Any = None
        self._close_records: weakref.finalize[Any, Any] | None = None
        opened = open_stored_records(storage, segment)
        if opened is not None:
            self._records, records_file = opened
            self._close_records = weakref.finalize(self, records_file.close)

    def close(self) -> None:
        super().close()
        if self._close_records is not None:
            self._close_records()  # a finalizer runs once: collection will not close again

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        found = self._records[docnum] if self._records is not None else None
        return dict(found) if found else {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._documents.lengths(fieldname)
        return int(lengths[docnum]) if docnum < len(lengths) else default

    def field_length(self, fieldname: str) -> int:
        return int(self._documents.lengths(fieldname).sum())

    def min_field_length(self, fieldname: str) -> int:
        lengths = self._documents.lengths(fieldname)
        return int(lengths.min()) if len(lengths) else 0

    def max_field_length(self, fieldname: str) -> int:
        lengths = self._documents.lengths(fieldname)
        return int(lengths.max()) if len(lengths) else 0


class ArraySegment(BaseSegment):  # type: ignore[misc]
    """A segment of docrepo's codec: its files stay apart (Whoosh would otherwise join
    them into one compound file, and the array files must be mapped where they are)."""

    def should_assemble(self) -> bool:
        return False


class DocrepoCodec(BaseCodec):  # type: ignore[misc]
    """Whoosh's codec for stored fields and columns; docrepo's arrays for the rest."""

    #: the field writer takes no lengths from a per-document reader (it has its own)
    length_stats = False

    def field_writer(self, storage: Any, segment: Segment) -> ArrayFieldWriter:
        return ArrayFieldWriter(storage, segment)

    def terms_reader(self, storage: Any, segment: Segment) -> ArrayTermsReader:
        folder = folder_of(storage)
        return ArrayTermsReader(open_postings(folder, segment), open_documents(folder, segment))

    def per_document_writer(self, storage: Any, segment: Segment) -> ArrayPerDocWriter:
        return ArrayPerDocWriter(self, storage, segment)

    def per_document_reader(self, storage: Any, segment: Segment) -> ArrayPerDocReader:
        return ArrayPerDocReader(storage, segment)

    def new_segment(self, storage: Any, indexname: str) -> ArraySegment:
        return ArraySegment(self, indexname)


CODEC = DocrepoCodec()


class ArrayWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer, writing a segment of docrepo's codec from its pool."""

    def __init__(self, ix: Index, **options: Any) -> None:
        super().__init__(ix, codec=CODEC, **options)
        replace_pool(self, ArrayPool())
