"""Query evaluation on NumPy arrays: which documents match, and their BM25F scores.

Each term's postings are arrays mapped from the segments' files (`columns`, docrepo's
codec), and a query (`query`'s tree) is evaluated on arrays, never posting by posting:
each part gives the documents it matches (sorted) and their scores, by the BM25F
formula and parameters of Whoosh's default scoring, with collection statistics over
live documents only (so that scores do not depend on the index's history of updates
and merges). Parts are combined in one scratch array the size of the index, so the
work follows the postings, not the number of parts times the number of documents.
A phrase takes its candidates from its words, then checks their positions.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .columns import MASKS_KEPT, Columns
from .query import And, Compiled, DisMax, Or, Phrase, Prefix, Query, Term

#: BM25F's parameters (Whoosh's defaults, scoring.BM25F)
B, K1 = 0.75, 1.2
#: document and word position in one integer key (a document holds fewer words than this)
_POSITIONS = 1 << 24
#: bytes of the recent queries' parts kept per snapshot, all its visibility classes
#: together (`_Kept`): else each distinct set of groups would add as much again
KEPT_BYTES = 16 * 2**20


@dataclass
class Scored:
    """The documents a query matches, and the score of each (0 where it does not)."""

    mask: np.ndarray
    score: np.ndarray


@dataclass
class Words:
    """What the words of a query match: each required part's documents, the documents
    holding every part and no excluded clause, and every document's score."""

    parts: list[np.ndarray]
    mask: np.ndarray
    score: np.ndarray
    #: what an excluded clause matches (None: the query excludes nothing)
    excluded: np.ndarray | None = None


@dataclass
class Sparse:
    """The documents a part of a query matches (sorted, distinct) and their scores."""

    ids: np.ndarray
    score: np.ndarray


_NOTHING = Sparse(np.zeros(0, dtype=np.int64), np.zeros(0))


#: a part of a query in a visibility class (None: every live document)
_KeptKey = tuple[frozenset[str] | None, Query]
#: what a kept part holds besides its arrays' data (its key, its objects), counted so
#: that parts matching nothing are not kept without bound
_ENTRY_BYTES = 1024


class _Kept:
    """The documents and scores of the compound parts of recent queries (a word over
    every field, a phrase, a prefix) in each visibility class, up to a number of bytes
    for all of them, the oldest dropped first: staff search for the same words again and
    again, and each is evaluated once per snapshot (which never changes) and class while
    it is among the most recent."""

    def __init__(self, budget: int) -> None:
        self._found: OrderedDict[_KeptKey, Sparse] = OrderedDict()
        self._budget, self._bytes = budget, 0

    def get(self, query: _KeptKey) -> Sparse | None:
        found = self._found.get(query)
        if found is not None:
            self._found.move_to_end(query)
        return found

    def put(self, query: _KeptKey, found: Sparse) -> None:
        for array in (found.ids, found.score):
            array.flags.writeable = False  # shared by every later search
        if query not in self._found:
            self._found[query] = found
            self._bytes += _size(found)
        while self._bytes > self._budget and len(self._found) > 1:
            _, dropped = self._found.popitem(last=False)
            self._bytes -= _size(dropped)


def _size(found: Sparse) -> int:
    return _ENTRY_BYTES + found.ids.nbytes + found.score.nbytes


@dataclass
class _Scope:
    """The documents a search may see (a visibility class), and their statistics: the
    number of documents and each field's average length, over them alone."""

    #: its access terms (None: every live document)
    visibility: frozenset[str] | None
    mask: np.ndarray
    count: int
    averages: dict[str, float] = field(default_factory=dict)


class Evaluator:
    """Evaluates queries against the columns of one commit."""

    def __init__(self, columns: Columns) -> None:
        self.columns = columns
        self._lengths: dict[str, np.ndarray] = {}
        self._everything = _Scope(None, columns.live, int(columns.live.sum()))
        self._scope: _Scope | None = None  # None: every live document
        #: the most recent visibility classes (as many as the columns keep masks), last
        self._scopes: dict[frozenset[str], _Scope] = {}
        self._kept = _Kept(KEPT_BYTES)
        # scratch arrays, all zero between two combinations (see _clean_on_error)
        self._sum = np.zeros(columns.size)
        self._count = np.zeros(columns.size, dtype=np.int32)

    @contextmanager
    def within(self, visibility: frozenset[str] | None, mask: np.ndarray) -> Iterator[None]:
        """Evaluate as if the index held only the documents of `mask`, those of a
        visibility class (None: every live document): matches, scores and every statistic
        behind them then depend on those documents alone, so that no score reveals what
        a hidden text holds. The statistics of each class are kept for the next search."""
        if visibility is None:
            scope = None
        else:
            scope = self._scopes.pop(visibility, None)
            if scope is None or scope.mask is not mask:
                scope = _Scope(visibility, mask, int(np.count_nonzero(mask)))
            self._scopes[visibility] = scope
            if len(self._scopes) > MASKS_KEPT:
                del self._scopes[next(iter(self._scopes))]  # the least recent
        previous, self._scope = self._scope, scope
        try:
            yield
        finally:
            self._scope = previous

    def matches(self, query: Query) -> np.ndarray:
        return self.evaluate(query).mask

    def words(self, compiled: Compiled) -> Words:
        """What a compiled query matches: each required part's documents, what every
        part and no excluded clause holds, and the scores (the parts' and the boosts')."""
        parts = [self.evaluate(part) for part in compiled.parts]
        if parts:
            mask = np.logical_and.reduce([p.mask for p in parts])
            score = np.add.reduce([p.score for p in parts])
        else:
            empty = compiled.excluded is None  # nothing asked for: nothing matches
            mask = np.zeros(self.columns.size, dtype=bool) if empty else self.columns.live.copy()
            score = np.zeros(self.columns.size)
        excluded = None
        if compiled.excluded is not None:
            excluded = self.matches(compiled.excluded)
            mask &= ~excluded
        if compiled.boosts is not None:
            score = score + self.evaluate(compiled.boosts).score
        return Words([p.mask for p in parts], mask, score, excluded)

    def evaluate(self, query: Query) -> Scored:
        found = self._sparse(query)
        scored = Scored(np.zeros(self.columns.size, dtype=bool), np.zeros(self.columns.size))
        scored.mask[found.ids] = True
        scored.score[found.ids] = found.score
        return scored

    def _sparse(self, query: Query) -> Sparse:
        if isinstance(query, Term):
            found = self._term(query.field, query.text)
            return Sparse(found.ids, found.score * query.boost) if query.boost != 1.0 else found
        key = ((self._scope or self._everything).visibility, query)
        before = self._kept.get(key)
        if before is not None:
            return before
        found = self._compound(query)
        self._kept.put(key, found)
        return found

    def _compound(self, query: Prefix | Phrase | Or | And | DisMax) -> Sparse:
        if isinstance(query, Phrase):
            return self._phrase(query)
        if isinstance(query, DisMax):
            return self._combined([self._sparse(sub) for sub in query.parts], "best")
        if isinstance(query, Prefix):
            found = self._prefix(query.field, query.text)
        else:
            how = "all" if isinstance(query, And) else "any"
            found = self._combined([self._sparse(sub) for sub in query.parts], how)
        if query.boost != 1.0:
            found = Sparse(found.ids, found.score * query.boost)
        return found

    def _combined(self, parts: list[Sparse], how: str) -> Sparse:
        """Documents in any of the parts, scores added ("any") or the best one ("best"),
        or in all of them, scores added ("all")."""
        if len(parts) == 1:
            return parts[0]
        total, count = self._sum, self._count
        with self._clean_on_error():
            for part in parts:
                if how == "best":
                    total[part.ids] = np.maximum(total[part.ids], part.score)
                else:
                    total[part.ids] += part.score
                count[part.ids] += 1
            touched = _union([part.ids for part in parts], count)
            ids = touched[count[touched] == len(parts)] if how == "all" else touched
            found = Sparse(ids, total[ids])
            total[touched] = 0.0
            count[touched] = 0
        return found

    @contextmanager
    def _clean_on_error(self) -> Iterator[None]:
        """Zero the scratch arrays if a combination stops half-way (out of memory):
        every later search relies on them being zero."""
        try:
            yield
        except BaseException:
            self._sum[:] = 0.0
            self._count[:] = 0
            raise

    def _term(self, name: str, text: str) -> Sparse:
        try:
            term = text.encode("utf-8")  # the codec's terms are UTF-8
        except UnicodeEncodeError:  # a lone surrogate: no term holds it
            return _NOTHING
        ids, weights = self.columns.postings(name, term)
        scope = self._scope or self._everything
        if self._scope is not None and len(ids):
            seen = scope.mask[ids]
            ids, weights = ids[seen], weights[seen]
        if not len(ids) or name not in self.columns.scored:
            return Sparse(ids, weights)
        # Whoosh's BM25F, with statistics over the documents in scope only (the postings
        # leave out deleted ones): a copy of the index built anew, or holding only what
        # the viewer may see, scores alike.
        idf = math.log(scope.count / (len(ids) + 1)) + 1
        average = self._average_length(scope, name) or 1
        lengths = self._field_lengths(name)[ids]
        return Sparse(
            ids, idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / average)))
        )

    def _average_length(self, scope: _Scope, name: str) -> float:
        if scope is self._everything:
            return self.columns.average_length(name)
        if name not in scope.averages:
            lengths = self._field_lengths(name)[scope.mask]
            scope.averages[name] = float(lengths.mean()) if len(lengths) else 0.0
        return scope.averages[name]

    def _field_lengths(self, name: str) -> np.ndarray:
        if name not in self._lengths:
            self._lengths[name] = self.columns.lengths(name)
        return self._lengths[name]

    def _prefix(self, name: str, prefix: str) -> Sparse:
        """Every value starting with `prefix` (a range of the field's sorted column),
        each match scoring 1 (Whoosh's constant score)."""
        ids = self.columns.starting_with(name, prefix)
        if self._scope is not None:
            ids = ids[self._scope.mask[ids]]
        return Sparse(ids, np.ones(len(ids)))

    def _phrase(self, query: Phrase) -> Sparse:
        """Words side by side: candidates from the arrays, then the word positions of the
        candidates only; a match scores what its words score."""
        slots = [[self._term(query.field, text) for text in slot] for slot in query.slots]
        words = self._combined([self._combined(slot, "best") for slot in slots], "all")
        if not len(words.ids):
            return words
        exact = self._side_by_side(query, words.ids)
        keep = np.isin(words.ids, exact, assume_unique=True)
        return Sparse(words.ids[keep], words.score[keep])

    def _side_by_side(self, query: Phrase, candidates: np.ndarray) -> np.ndarray:
        """The candidates where a word of each slot follows one of the slot before."""
        common: np.ndarray | None = None
        length = len(query.slots)
        for offset, texts in enumerate(query.slots):
            keys = []
            for text in texts:
                docs, positions = self.columns.positions(
                    query.field, text.encode("utf-8"), candidates
                )
                keys.append(docs * _POSITIONS + (positions + length - offset))
            found = np.unique(np.concatenate(keys))
            common = found if common is None else np.intersect1d(common, found, assume_unique=True)
            if not len(common):
                break
        return (
            np.unique(common // _POSITIONS) if common is not None else np.zeros(0, dtype=np.int64)
        )


def _union(ids: list[np.ndarray], count: np.ndarray) -> np.ndarray:
    """The documents in any of the sorted arrays `ids` (`count`: nonzero exactly there):
    merged when they are few, else read from `count` (a scan of the whole index)."""
    if sum(len(i) for i in ids) * 16 < len(count):
        return np.unique(np.concatenate(ids))
    return np.flatnonzero(count)
