"""Query evaluation on NumPy arrays: which documents match, and their BM25F scores.

Whoosh evaluates a query posting by posting in Python (at 100,000 documents, a common
word takes hundreds of milliseconds). Here each term's postings are read once per
segment (`columns`) and a query is evaluated as whole arrays: a boolean mask of the
documents that match and a score for each, computed as Whoosh's BM25F does, so the
ranking is Whoosh's. Phrases need word positions, which only Whoosh's matchers
read: a phrase is handed to Whoosh, which is fast there (a phrase is rare).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as q
from whoosh.searching import Searcher

from .columns import Columns

#: Whoosh's BM25F defaults (scoring.BM25F)
B, K1 = 0.75, 1.2
#: document and word position in one integer key (a document holds fewer words than this)
_POSITIONS = 1 << 24


@dataclass
class Scored:
    """The documents a query matches, and the score of each (0 where it does not)."""

    mask: np.ndarray
    score: np.ndarray


class Evaluator:
    """Evaluates queries against one searcher and its columns."""

    def __init__(self, searcher: Searcher, columns: Columns) -> None:
        self.searcher = searcher
        self.columns = columns
        self._lengths: dict[str, np.ndarray] = {}

    def matches(self, query: q.Query) -> np.ndarray:
        return self.evaluate(query).mask

    def evaluate(self, query: q.Query) -> Scored:
        size = self.columns.size
        if isinstance(query, q.Term):
            scored = self._term(query.fieldname, query.text)
        elif isinstance(query, q.Prefix):
            scored = self._prefix(query.fieldname, query.text)
        elif isinstance(query, q.Sequence):
            scored = self._phrase(query)
        elif isinstance(query, q.AndMaybe):
            required, optional = (self.evaluate(sub) for sub in (query.a, query.b))
            scored = Scored(
                required.mask, np.where(required.mask, required.score + optional.score, 0.0)
            )
        elif isinstance(query, q.DisjunctionMax | q.Or | q.And):
            parts = [self.evaluate(sub) for sub in query.subqueries]
            if not parts:
                return Scored(np.zeros(size, dtype=bool), np.zeros(size))
            if isinstance(query, q.DisjunctionMax):
                scored = Scored(
                    np.logical_or.reduce([p.mask for p in parts]),
                    np.maximum.reduce([p.score for p in parts]),
                )
            elif isinstance(query, q.Or):
                scored = Scored(
                    np.logical_or.reduce([p.mask for p in parts]),
                    np.add.reduce([p.score for p in parts]),
                )
            else:
                mask = np.logical_and.reduce([p.mask for p in parts])
                scored = Scored(mask, np.where(mask, np.add.reduce([p.score for p in parts]), 0.0))
        else:  # not produced by docrepo's query compiler; Whoosh knows how
            return self._by_whoosh(query)
        if query.boost != 1.0:
            scored.score = scored.score * query.boost
        return scored

    def _term(self, name: str, text: str) -> Scored:
        size = self.columns.size
        scored = Scored(np.zeros(size, dtype=bool), np.zeros(size))
        field = self.searcher.schema[name]
        try:
            term = field.to_bytes(text)
        except ValueError:
            return scored
        ids, weights = self.columns.postings(name, term)
        if not len(ids):
            return scored
        scored.mask[ids] = True
        if not field.scorable:
            scored.score[ids] = weights
            return scored
        idf = self.searcher.idf(name, text)
        average = self.searcher.avg_field_length(name) or 1
        lengths = self._field_lengths(name)[ids]
        scored.score[ids] = idf * (
            (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / average))
        )
        return scored

    def _field_lengths(self, name: str) -> np.ndarray:
        if name not in self._lengths:
            self._lengths[name] = self.columns.lengths(name)
        return self._lengths[name]

    def _prefix(self, name: str, prefix: str) -> Scored:
        """Every term starting with `prefix`, each match scoring 1 (Whoosh's constant score)."""
        mask = np.zeros(self.columns.size, dtype=bool)
        for term in self.searcher.reader().expand_prefix(name, prefix):
            ids, _ = self.columns.postings(name, term if isinstance(term, bytes) else term.encode())
            mask[ids] = True
        return Scored(mask, mask.astype(np.float64))

    def _phrase(self, query: q.Sequence) -> Scored:
        """Words side by side: candidates from the arrays, then the word positions of the
        candidates only; a match scores what its words score."""
        words = Scored(np.ones(self.columns.size, dtype=bool), np.zeros(self.columns.size))
        slots: list[list[q.Term]] = []
        for sub in query.subqueries:
            part = self.evaluate(sub)
            words.mask &= part.mask
            words.score += part.score
            slots.append(list(sub.subqueries) if isinstance(sub, q.DisjunctionMax) else [sub])
        candidates = np.flatnonzero(words.mask)
        if not len(candidates):
            return Scored(words.mask, np.zeros(self.columns.size))
        terms = [t for slot in slots for t in slot]
        if not all(isinstance(t, q.Term) for t in terms) or len({t.fieldname for t in terms}) > 1:
            exact = self._by_whoosh(query).mask & words.mask  # not a phrase of docrepo's
        else:
            exact = np.zeros(self.columns.size, dtype=bool)
            exact[self._side_by_side(slots, candidates)] = True
        return Scored(exact, np.where(exact, words.score, 0.0))

    def _side_by_side(self, slots: list[list[q.Term]], candidates: np.ndarray) -> np.ndarray:
        """The candidates where a word of each slot follows one of the slot before."""
        common: np.ndarray | None = None
        for offset, terms in enumerate(slots):
            keys = []
            for term in terms:
                field = self.searcher.schema[term.fieldname]
                docs, positions = self.columns.positions(
                    term.fieldname, field.to_bytes(term.text), candidates
                )
                keys.append(docs * _POSITIONS + (positions + len(slots) - offset))
            found = np.unique(np.concatenate(keys))
            common = found if common is None else np.intersect1d(common, found, assume_unique=True)
            if not len(common):
                break
        return (
            np.unique(common // _POSITIONS) if common is not None else np.zeros(0, dtype=np.int64)
        )

    def _by_whoosh(self, query: q.Query) -> Scored:
        mask = np.zeros(self.columns.size, dtype=bool)
        mask[list(query.docs(self.searcher))] = True
        mask &= self.columns.live
        return Scored(mask, mask.astype(np.float64))
