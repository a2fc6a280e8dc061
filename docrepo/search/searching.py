"""One search for every face: a `SearchRequest` in, a `SearchResult` out.

The text query is parsed and compiled (`query`), then evaluated and scored on the
index's arrays (`engine`, `columns`); filters, visibility and dates are masks over the
same arrays, and each facet is counted with one `bincount`, whatever the number of
matches. Whoosh stores the index and its records; it does not run the searches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..access import Viewer
from ..schema import FACET_NAMES
from .columns import Columns
from .engine import Scored
from .query import ANALYZERS, ParsedQuery, compile_query, highlight_terms, parse
from .request import MAX_DEPTH, SearchRequest
from .result import FacetCount, Hit, SearchResult
from .snapshot import Snapshot
from .snippets import SeenWords, snippet
from .suggestions import suggest

#: a repealed text scores this fraction of a text in force with the same relevance
REPEALED_FACTOR = 0.5
#: below this many results, a spelling suggestion is looked for
FEW_RESULTS = 3


def search(snap: Snapshot, request: SearchRequest, viewer: Viewer) -> SearchResult:
    """The result of a request for a viewer, from one snapshot."""
    with snap.lock:
        parsed = parse(request.q)
        matches = _Matches.find(snap, parsed, request, viewer)
        facets = {name: _facet_counts(snap.columns, matches, request, name) for name in FACET_NAMES}
        page = _page(snap, matches, request)
        hits = _hits(snap, parsed, page)
        suggestion = None
        if matches.total < FEW_RESULTS and parsed.groups:
            suggestion = suggest(snap, parsed, request.q, matches.visible, matches.total)
    return SearchResult(request, matches.total, hits, facets, suggestion)


@dataclass
class _Matches:
    """What a request matches: before its facet filters (`base`), with each facet's
    filter, and with all of them (`final`, its documents in `matching`)."""

    visible: np.ndarray
    scored: Scored | None
    base: np.ndarray
    selected: dict[str, np.ndarray]
    final: np.ndarray
    matching: np.ndarray

    @property
    def total(self) -> int:
        return len(self.matching)

    @classmethod
    def find(
        cls, snap: Snapshot, parsed: ParsedQuery, request: SearchRequest, viewer: Viewer
    ) -> _Matches:
        columns = snap.columns
        compiled = compile_query(parsed)
        visible = columns.visible(viewer)  # read-only, as are the filters' masks
        base = visible.copy()
        scored = snap.evaluator.evaluate(compiled.ranking) if compiled.ranking is not None else None
        if not parsed.empty:
            base &= snap.evaluator.matching(compiled, scored)
        dates = _date_mask(columns, request)
        if dates is not None:
            base &= dates
        selected = {name: columns.any_of(name, values) for name, values in request.filters.items()}
        final = base.copy()
        for mask in selected.values():
            final &= mask
        return cls(visible, scored, base, selected, final, np.flatnonzero(final))

    def without(self, facet: str) -> tuple[np.ndarray, np.ndarray]:
        """(mask, documents) of the matches with every filter but the facet's own."""
        if facet not in self.selected:
            return self.final, self.matching
        scope = self.base.copy()
        for other, mask in self.selected.items():
            if other != facet:
                scope &= mask
        return scope, np.flatnonzero(scope)


def _date_mask(columns: Columns, request: SearchRequest) -> np.ndarray | None:
    if not request.date_from and not request.date_to:
        return None
    low = int(request.date_from.strftime("%Y%m%d")) if request.date_from else 1
    high = int(request.date_to.strftime("%Y%m%d")) if request.date_to else 99_999_999
    return np.asarray((columns.date >= low) & (columns.date <= high))


def _facet_counts(
    columns: Columns, matches: _Matches, request: SearchRequest, name: str
) -> list[FacetCount]:
    """A facet's values with their counts, multi-select (its own filter left out), by
    count then code; a ticked value is listed even when nothing holds it."""
    scope, documents = matches.without(name)
    values = columns.facets[name]
    counts = values.counts(scope, documents)
    chosen = set(request.filters.get(name, ()))
    found = [
        FacetCount(v, int(c), v in chosen)
        for v, c in zip(values.values, counts.tolist(), strict=True)
        if c > 0 or v in chosen
    ]
    found += [FacetCount(v, 0, True) for v in sorted(chosen - set(values.values))]
    return sorted(found, key=lambda f: (-f.count, f.value))


def _page(
    snap: Snapshot, matches: _Matches, request: SearchRequest
) -> list[tuple[int, float | None]]:
    """The document numbers (and scores) of the page asked for."""
    start = (request.page - 1) * request.per_page
    end = min(start + request.per_page, MAX_DEPTH)
    if start >= matches.total:
        return []
    if request.effective_sort == "relevance" and matches.scored is not None:
        return _ranked(snap, matches.scored, matches.matching, end)[start:end]
    ordered = _sorted_docs(snap.columns, matches.matching, request)
    return [(int(d), None) for d in ordered[start:end]]


def _ranked(
    snap: Snapshot, scored: Scored, docs: np.ndarray, end: int
) -> list[tuple[int, float | None]]:
    """The first `end` of `docs` by score (repealed texts lowered), then by id."""
    scores = scored.score[docs] * np.where(snap.repealed[docs], REPEALED_FACTOR, 1.0)
    if len(docs) > end:  # keep what can be in the first `end`: every tie of the last one
        threshold = np.partition(scores, len(scores) - end)[len(scores) - end]
        keep = scores >= threshold
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((snap.columns.id_rank[docs], -scores))[:end]
    return [(int(d), float(s)) for d, s in zip(docs[order], scores[order], strict=True)]


def _sorted_docs(columns: Columns, docs: np.ndarray, request: SearchRequest) -> np.ndarray:
    sort = request.effective_sort
    if sort == "title":
        return docs[np.argsort(columns.title_rank[docs], kind="stable")]
    dates = columns.date[docs]
    ranks = columns.title_rank[docs]
    if sort == "oldest":
        undated = dates == 0
        return docs[np.lexsort((ranks, dates, undated))]
    return docs[np.lexsort((ranks, -dates))]


def _hits(snap: Snapshot, parsed: ParsedQuery, page: list[tuple[int, float | None]]) -> list[Hit]:
    """The records of a page with their snippets (each distinct word stemmed once)."""
    terms = {lang: highlight_terms(parsed, lang) for lang in ANALYZERS}
    seen = {lang: SeenWords() for lang in ANALYZERS}
    hits = []
    for docnum, score in page:
        record = snap.record(docnum)
        lang = record["lang"]
        hits.append(Hit(record, snippet(record, terms[lang], seen[lang]), score))
    return hits
