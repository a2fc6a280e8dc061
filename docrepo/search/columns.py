"""The index as NumPy arrays: facet values, dates, title order, field lengths, postings.

A document's status depends on the day asked about (its period in force is stored, as
two day numbers): the `status` facet of a day is computed from the periods, once per
searcher and day (`Columns.on`).

Each segment's postings, lengths and sort columns are arrays of docrepo's codec, mapped
from the segment's files (`store.segment_files`): a term's postings are read where they
lie, the first time as every time. Segments never change once written (a deletion only
marks documents), so what is derived from a segment (its facet pairs) is kept as long as
the segment lives, keyed by its id: after a commit that adds a small segment, only that
segment is read, and the arrays of a searcher are the segments' arrays put end to end.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..access import Viewer
from ..schema import FACET_NAMES, IN_FORCE, REPEALED, iso_day
from ..store.reading import CommitReader, SegmentSource
from ..store.segment_files import SortedValues, ragged_indexes

#: the facet whose values depend on the day: computed from the periods in force
DAY_FACET = "status"
#: facet-like fields read as (document, value) pairs (facets, and who may see what)
PAIRED_FIELDS = (*(name for name in FACET_NAMES if name != DAY_FACET), "access", "text")
#: facets are counted over the matches' own pairs when fewer than 1 in this many match
SPARSE_FROM = 8
#: document sets of filters and viewers kept per searcher (the most recent ones)
MASKS_KEPT = 64
#: days whose statuses are kept per searcher (today, and the most recent `at`)
DAYS_KEPT = 8

Postings = tuple[np.ndarray, np.ndarray]
#: a visibility class: the access terms a viewer may see (None: every document)
Visibility = frozenset[str] | None
_EMPTY: Postings = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


@dataclass(frozen=True)
class WordPositions:
    """Where a term occurs in one segment: the positions of the word in document
    `ids[k]` are `positions[starts[k] : starts[k + 1]]`."""

    ids: np.ndarray
    starts: np.ndarray
    positions: np.ndarray

    def of(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document, position) of each occurrence in the given documents (sorted)."""
        at = np.minimum(np.searchsorted(self.ids, docs), max(len(self.ids) - 1, 0))
        held = at[self.ids[at] == docs] if len(self.ids) else at[:0]
        counts = self.starts[held + 1] - self.starts[held]
        found: np.ndarray = self.positions[ragged_indexes(self.starts, held)]
        return np.repeat(self.ids[held], counts).astype(np.int64), found.astype(np.int64)


@dataclass(frozen=True)
class SortKeys:
    """A column's values, sorted (UTF-8 bytes, whose order is the order of code points):
    `order[k]` is the document of `sorted[k]`."""

    sorted: np.ndarray
    order: np.ndarray

    @classmethod
    def of(cls, values: SortedValues) -> SortKeys:
        return cls(values.sorted, values.order)

    def in_document_order(self) -> np.ndarray:
        keys = np.empty_like(self.sorted)
        keys[self.order] = self.sorted
        return keys

    def starting_with(self, prefix: str) -> np.ndarray:
        """The documents whose value starts with `prefix` (sorted); no UTF-8 byte is 0xFF."""
        start = prefix.encode("utf-8")
        low, high = np.searchsorted(self.sorted, [start, start + b"\xff"])
        return np.sort(self.order[low:high]).astype(np.int64)


@dataclass(frozen=True)
class Vocabulary:
    """The terms of a field in one segment (sorted) and how many documents hold each."""

    terms: np.ndarray
    counts: np.ndarray


class SegmentArrays:
    """What one segment holds, as arrays: facet values, sort keys, lengths, postings."""

    def __init__(self, source: SegmentSource) -> None:
        self.size = source.size
        self._postings = source.postings()
        self._documents = source.documents()
        self.facets = {name: self._facet(name) for name in PAIRED_FIELDS}
        # the title key ends with the id: equal titles are ordered alike on every copy
        self.keys = {
            "ids": SortKeys.of(self._documents.sorted_values("id")),
            "title_keys": SortKeys.of(self._documents.sorted_values("title_key")),
        }
        self.date, self.valid_from, self.valid_until = (
            self._documents.numbers(name) for name in ("date", "valid_from", "valid_until")
        )

    def _facet(self, name: str) -> SegmentValues:
        values = [t.decode("utf-8") for t in self._postings.terms(name).tolist()]
        docs = self._postings.field_docs(name)
        codes = np.repeat(
            np.arange(len(values), dtype=np.int32), self._postings.doc_frequencies(name)
        )
        order = np.argsort(docs, kind="stable")
        return SegmentValues(values, docs[order], codes[order])

    def lengths(self, name: str) -> np.ndarray:
        """The length of a text field in each document."""
        return self._documents.lengths(name)

    def postings(self, name: str, term: bytes) -> Postings:
        """(segment document numbers, weights) of a term."""
        found = self._postings.postings(name, term)
        return found.docs, found.weights

    def starting_with(self, name: str, prefix: str) -> np.ndarray:
        """The documents whose value of a column field starts with `prefix` (sorted)."""
        return SortKeys.of(self._documents.sorted_values(name)).starting_with(prefix)

    def vocabulary(self, name: str) -> Vocabulary:
        """The terms of a field, sorted, with the number of documents of each."""
        return Vocabulary(self._postings.terms(name), self._postings.doc_frequencies(name))

    def positions(self, name: str, term: bytes) -> WordPositions:
        """Where a term occurs (a phrase asks for each of its words')."""
        found = self._postings.postings(name, term, positions=True)
        return WordPositions(found.docs, found.starts, found.positions)


class SegmentCache:
    """The arrays of every live segment, by segment id (shared by successive searchers)."""

    def __init__(self) -> None:
        self._segments: dict[str, SegmentArrays] = {}
        self._lock = threading.Lock()

    def arrays(self, reader: CommitReader) -> list[tuple[SegmentSource, int, SegmentArrays]]:
        """(segment, first document number, arrays) for each segment of a commit; forgets
        the segments it no longer has (merged away)."""
        sources = reader.segments()
        with self._lock:
            kept: dict[str, SegmentArrays] = {}
            for source in sources:
                kept[source.key] = self._segments.get(source.key) or SegmentArrays(source)
            self._segments = kept
            return [(source, source.offset, kept[source.key]) for source in sources]


@dataclass
class SegmentValues:
    """The values of one field in one segment, as (document, value code) pairs sorted by
    document (32-bit: the pairs are the bulk of a reader's own memory)."""

    values: list[str]
    docs: np.ndarray
    codes: np.ndarray


@dataclass
class DocumentValues:
    """The values of one field in each document, as (document, value code) pairs sorted
    by document: the pairs of document `d` are `starts[d]` to `starts[d + 1]`. A count is
    one `bincount` over the pairs of the matches."""

    values: list[str]
    docs: np.ndarray
    codes: np.ndarray
    starts: np.ndarray

    def counts(self, scope: np.ndarray, matches: np.ndarray) -> np.ndarray:
        """How many documents of `scope` (a mask; `matches`: its documents) hold each value."""
        if len(matches) * SPARSE_FROM < len(scope):  # the pairs of the matches only
            codes = self.codes[ragged_indexes(self.starts, matches)]
        else:
            codes = self.codes[scope[self.docs]]
        return np.bincount(codes, minlength=len(self.values))

    def holding(self, wanted: Collection[str], size: int) -> np.ndarray:
        """The documents that hold any of the wanted values."""
        mask = np.zeros(size, dtype=bool)
        index = [j for j, value in enumerate(self.values) if value in wanted]
        if index:
            mask[self.docs[np.isin(self.codes, index)]] = True
        return mask


@dataclass(frozen=True)
class Periods:
    """The last days in force of the documents for one visibility class, as it is told
    them (worked out by `search.periods`)."""

    visibility: Visibility
    #: every document's last day in force (read-only; the stored one's when no text
    #: superseding it is hidden from the class)
    valid_until: np.ndarray
    #: id → last day in force, where it is not the stored one's
    told: dict[str, int] = field(default_factory=dict)

    def record(self, record: dict[str, Any]) -> dict[str, Any]:
        """A stored record with the period this class is told."""
        until = self.told.get(record["id"])
        if until is None:
            return record
        return {**record, "validity": [record["validity"][0], until], "ends": iso_day(until)}


@dataclass(frozen=True)
class Day:
    """The index as it stands on one day (a day number) for one visibility class: the
    status of each document then, as the values of the `status` facet, and which
    documents had entered into force by then (the others are left out of a search `at`
    that day)."""

    number: int
    status: DocumentValues
    repealed: np.ndarray
    started: np.ndarray
    #: the periods of the class the statuses follow (None: the stored ones)
    periods: Periods | None = None

    @property
    def visibility(self) -> Visibility:
        return None if self.periods is None else self.periods.visibility

    def status_of(self, doc: int) -> str:
        return REPEALED if self.repealed[doc] else IN_FORCE

    def record(self, doc: int, record: dict[str, Any]) -> dict[str, Any]:
        """A document's stored record with its period and status that day, as its
        class is told them."""
        told = record if self.periods is None else self.periods.record(record)
        return {**told, "status": self.status_of(doc)}


@dataclass
class Columns:
    """The arrays of one searcher: its segments' arrays end to end, with a live mask."""

    size: int
    live: np.ndarray
    facets: dict[str, DocumentValues]
    access: DocumentValues
    #: the text each document is a version of (its language versions share one value)
    texts: DocumentValues
    date: np.ndarray
    valid_from: np.ndarray
    valid_until: np.ndarray
    segments: list[tuple[SegmentSource, int, SegmentArrays]] = field(repr=False)
    #: the fields whose postings are scored (text fields; facets and ids only match)
    scored: frozenset[str] = frozenset()
    _averages: dict[str, float] = field(default_factory=dict, repr=False)
    #: (facet, values, the day and class of a status)
    _masks: dict[tuple[str, frozenset[str], object], np.ndarray] = field(
        default_factory=dict, repr=False
    )
    _days: dict[tuple[int, Visibility], Day] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, reader: CommitReader, cache: SegmentCache) -> Columns:
        segments = cache.arrays(reader)
        size = sum(arrays.size for _, _, arrays in segments)
        live = np.ones(size, dtype=bool)
        for source, offset, _ in segments:
            live[source.deleted + offset] = False
        live.flags.writeable = False
        facets = {name: _joined_facet(segments, name, live) for name in PAIRED_FIELDS}
        return cls(
            size=size,
            live=live,
            facets={name: facets[name] for name in FACET_NAMES if name != DAY_FACET},
            access=facets["access"],
            texts=facets["text"],
            date=_joined_arrays([a.date for _, _, a in segments]),
            valid_from=_joined_arrays([a.valid_from for _, _, a in segments]),
            valid_until=_joined_arrays([a.valid_until for _, _, a in segments]),
            segments=segments,
            scored=reader.scored,
        )

    def on(self, day: int, periods: Periods | None = None) -> Day:
        """The statuses of a day, from the periods a visibility class is told (by default
        the stored ones; kept for the next searches of that day and class)."""
        visibility = None if periods is None else periods.visibility
        found = self._days.get((day, visibility))
        if found is None:
            valid_until = self.valid_until if periods is None else periods.valid_until
            docs = np.flatnonzero(self.live)
            repealed = self.live & (valid_until < day)
            starts = np.zeros(self.size + 1, dtype=np.int64)
            np.cumsum(self.live, out=starts[1:])
            status = DocumentValues(
                [IN_FORCE, REPEALED], docs, repealed[docs].astype(np.int64), starts
            )
            started = self.valid_from <= day
            for mask in (repealed, started):
                mask.flags.writeable = False
            found = Day(day, status, repealed, started, periods)
            if len(self._days) >= DAYS_KEPT:
                del self._days[next(iter(self._days))]  # the oldest
            self._days[day, visibility] = found
        return found

    def values(self, facet: str, day: Day | None = None) -> DocumentValues:
        """A facet's values in each document, those of the status on `day` (by default
        day 0, from the stored periods)."""
        return (day or self.on(0)).status if facet == DAY_FACET else self.facets[facet]

    @cached_property
    def id_rank(self) -> np.ndarray:
        """Each document's place in id order: what orders ties, so that every copy of the
        index orders them alike, whatever order its files were indexed in."""
        return self._merged_rank("ids")

    def ids(self, docs: np.ndarray) -> list[str]:
        """The ids of documents (their numbers, sorted), from the arrays: no stored
        record is read."""
        found: list[str] = []
        for _, offset, arrays in self.segments:
            inside = docs[(docs >= offset) & (docs < offset + arrays.size)] - offset
            if len(inside):
                keys = arrays.keys["ids"].in_document_order()[inside]
                found += [key.decode("utf-8") for key in keys.tolist()]
        return found

    @cached_property
    def text_of(self) -> np.ndarray:
        """Each live document's text, as a number its language versions share."""
        found = np.full(self.size, -1, dtype=np.int64)
        found[self.texts.docs] = self.texts.codes
        return found

    @cached_property
    def translated(self) -> bool:
        """Whether some text has more than one live version (the values of the deleted
        documents are still among `texts.values`: the live pairs are counted)."""
        return len(np.unique(self.texts.codes)) < len(self.texts.codes)

    @cached_property
    def title_rank(self) -> np.ndarray:
        """Each document's place in title order, then id order."""
        return self._merged_rank("title_keys")

    def _merged_rank(self, key: str) -> np.ndarray:
        """Ranks in the order of a key, from each segment's keys sorted once: a document's
        rank is the number of keys before its own in every segment (a commit adds a small
        segment; the large one is not sorted again)."""
        rank = np.zeros(self.size, dtype=np.int64)
        for s, (_, offset, arrays) in enumerate(self.segments):
            keys = arrays.keys[key].in_document_order()
            for t, (_, _, other) in enumerate(self.segments):
                # equal keys (an updated document's deleted version) go by segment order
                before = other.keys[key].sorted
                before_count = (
                    np.searchsorted(before, keys, side="left")
                    if t >= s
                    else np.searchsorted(before, keys, side="right")
                )
                rank[offset : offset + arrays.size] += before_count
        return rank

    def average_length(self, name: str) -> float:
        """The average length of a text field over the live documents (Whoosh counts the
        deleted ones too, until a merge: answers would then depend on the index's history)."""
        if name not in self._averages:
            lengths = self.lengths(name)[self.live]
            self._averages[name] = float(lengths.mean()) if len(lengths) else 0.0
        return self._averages[name]

    def any_of(self, facet: str, values: Collection[str], day: Day | None = None) -> np.ndarray:
        """The documents holding any of the values, those of the status on `day`
        (read-only: kept for the next search)."""
        dated = (day.number, day.visibility) if day and facet == DAY_FACET else None
        key = (facet, frozenset(values), dated)
        mask = self._masks.get(key)
        if mask is None:
            source = self.access if facet == "access" else self.values(facet, day)
            mask = source.holding(values, self.size)
            mask.flags.writeable = False
            if len(self._masks) >= MASKS_KEPT:
                del self._masks[next(iter(self._masks))]  # the oldest
            self._masks[key] = mask
        return mask

    def visible(self, viewer: Viewer) -> np.ndarray:
        """What a viewer may see (read-only)."""
        allowed = viewer.access_terms()
        return self.live if allowed is None else self.any_of("access", allowed)

    def postings(self, name: str, term: bytes) -> Postings:
        """(document numbers, weights) of a term over every segment, deleted ones left out."""
        parts = [
            (ids.astype(np.int64) + offset, weights.astype(np.float64))
            for _, offset, arrays in self.segments
            for ids, weights in [arrays.postings(name, term)]
            if len(ids)
        ]
        if not parts:
            return _EMPTY
        ids = _joined_arrays([p[0] for p in parts])
        weights = _joined_arrays([p[1] for p in parts])
        keep = self.live[ids]
        return (ids, weights) if keep.all() else (ids[keep], weights[keep])

    def positions(self, name: str, term: bytes, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document, position) of each occurrence of a term in the given documents
        (sorted document numbers)."""
        found_docs: list[np.ndarray] = []
        found_positions: list[np.ndarray] = []
        for _, offset, arrays in self.segments:
            local = docs[(docs >= offset) & (docs < offset + arrays.size)] - offset
            if len(local):
                held, positions = arrays.positions(name, term).of(local)
                found_docs.append(held + offset)
                found_positions.append(positions)
        return _joined_arrays(found_docs), _joined_arrays(found_positions)

    def starting_with(self, name: str, prefix: str) -> np.ndarray:
        """The live documents whose value of a column field starts with `prefix` (sorted)."""
        ids = _joined_arrays(
            [a.starting_with(name, prefix) + offset for _, offset, a in self.segments]
        )
        kept: np.ndarray = ids[self.live[ids]]
        return kept

    def lengths(self, name: str) -> np.ndarray:
        """The length of a text field in each document."""
        lengths = [arrays.lengths(name).astype(np.float64) for _, _, arrays in self.segments]
        return _joined_arrays(lengths)

    def terms(self, name: str) -> np.ndarray:
        """Every term of a field, sorted (of deleted documents too, until a merge)."""
        found = [a.vocabulary(name).terms for _, _, a in self.segments]
        found = [terms for terms in found if len(terms)]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype="S1")

    def numbers_of(self, ids: np.ndarray) -> np.ndarray:
        """The live document of each id (UTF-8 bytes), -1 where none has it."""
        found = np.full(len(ids), -1, dtype=np.int64)
        for _, offset, arrays in self.segments:
            keys = arrays.keys["ids"]
            if not len(keys.sorted) or not len(ids):
                continue
            at = np.minimum(np.searchsorted(keys.sorted, ids), len(keys.sorted) - 1)
            numbers = keys.order[at].astype(np.int64) + offset
            held = (keys.sorted[at] == ids) & self.live[numbers]
            found[held] = numbers[held]
        return found

    def terms_like(self, name: str, word: str, difference: int) -> set[str]:
        """The terms of a field that begin with the word's first letter and whose length
        differs from it by at most `difference`: the candidates of a correction."""
        first = word[:1].encode("utf-8")
        found: set[str] = set()
        for _, _, arrays in self.segments:
            terms = arrays.vocabulary(name).terms
            low, high = np.searchsorted(terms, [first, first + b"\xff"])
            for raw in terms[low:high].tolist():
                term = raw.decode("utf-8")
                if abs(len(term) - len(word)) <= difference:
                    found.add(term)
        return found

    def completions(self, name: str, prefix: str, limit: int) -> list[str]:
        """The `limit` terms of a field that begin with `prefix` and that the most
        documents hold (a bounded look-up, however short the prefix)."""
        return [term for term, _ in self.completion_counts(name, prefix, limit)]

    def completion_counts(self, name: str, prefix: str, limit: int) -> list[tuple[str, int]]:
        """`completions`, each with the number of documents holding it."""
        start = prefix.encode("utf-8")
        terms: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        for _, _, arrays in self.segments:
            vocabulary = arrays.vocabulary(name)
            low, high = np.searchsorted(vocabulary.terms, [start, start + b"\xff"])
            terms.append(vocabulary.terms[low:high])
            counts.append(vocabulary.counts[low:high])
        if not terms or not sum(len(t) for t in terms):
            return []
        distinct, where = np.unique(np.concatenate(terms), return_inverse=True)
        total = np.bincount(where, weights=np.concatenate(counts))
        best = np.argsort(-total, kind="stable")[:limit]
        found = zip(distinct[best], total[best], strict=True)
        return [(bytes(term).decode("utf-8"), int(count)) for term, count in found]


def _joined_arrays(arrays: list[np.ndarray]) -> np.ndarray:
    if len(arrays) == 1:
        return arrays[0]
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)


def _joined_facet(
    segments: list[tuple[SegmentSource, int, SegmentArrays]], name: str, live: np.ndarray
) -> DocumentValues:
    """One field's pairs over every segment (values sorted), live documents only."""
    values = sorted({v for _, _, arrays in segments for v in arrays.facets[name].values})
    column = {v: j for j, v in enumerate(values)}
    docs, codes = [], []
    for _, offset, arrays in segments:
        part = arrays.facets[name]
        if part.values:
            docs.append(part.docs + offset)
            codes.append(np.array([column[v] for v in part.values], dtype=np.int32)[part.codes])
    joined_docs, joined_codes = _joined_arrays(docs), _joined_arrays(codes)
    keep = live[joined_docs]
    joined_docs, joined_codes = joined_docs[keep], joined_codes[keep]
    # each segment's pairs are sorted by document, and segments come in document order
    starts = np.zeros(len(live) + 1, dtype=np.int64)
    np.cumsum(np.bincount(joined_docs, minlength=len(live)), out=starts[1:])
    return DocumentValues(values, joined_docs, joined_codes, starts)
