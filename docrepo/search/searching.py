"""One search for every face: a `SearchRequest` in, a `SearchResult` out.

The text query is parsed and compiled (`query`), then evaluated and scored on the
index's arrays (`engine`, `columns`); filters, visibility and dates are masks over the
same arrays, and each facet is counted with one `bincount`, whatever the number of
matches. Whoosh stores the index and its records; it does not run the searches.

In steps: the words are matched (all of them); when that finds almost nothing and a
correction of the words finds more, the correction's results are taken; when too few
documents hold every word, the search widens to those holding the most significant
ones; then facets are counted, the page is ranked (the text in force above the texts it
replaced) and its snippets made.

Statuses are those of a day: the request's `at` (the texts not yet in force then are
left out), else today, so that a text counts as repealed from the day after its period
ends, whenever it was indexed; and periods are those the viewer is told, without the
texts hidden from them (`search.periods`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..access import Viewer
from ..content.synonyms import NO_SYNONYMS, Synonyms
from ..schema import FACET_NAMES, day_number
from ..text import words_key
from .columns import Columns, Day
from .engine import Words
from .periods import told
from .query import ANALYZERS, Compiled, ParsedQuery, compile_query, highlight_terms, parse
from .request import MAX_DEPTH, SearchRequest
from .result import FacetCount, Hit, SearchResult
from .snapshot import Snapshot
from .snippets import SeenWords, best_passage, section_of
from .suggestions import suggest
from .translations import one_per_text, versions

#: a repealed text scores this fraction of a text in force with the same relevance
REPEALED_FACTOR = 0.5
#: below this many results, a spelling correction is looked for
FEW_RESULTS = 3
#: below this many documents holding every word (a page of the widget or of live
#: results: measured on the judged set, 3 → 5 → 10 → 20 gave nDCG@10 0.848, 0.854,
#: 0.856, 0.856), the search widens
RELAX_BELOW = 10
#: a widened search keeps documents holding at least this share of the query's parts
RELAXED_SHARE = 0.5
#: how many words a half-typed word stands for (the most frequent it begins)
COMPLETIONS = 8
#: a repealed text replaced by a matching text in force ranks just below it
BELOW_REPLACEMENT = 0.99


def search(
    snap: Snapshot,
    request: SearchRequest,
    viewer: Viewer,
    synonyms: Synonyms = NO_SYNONYMS,
    today: dt.date | None = None,
) -> SearchResult:
    """The result of a request for a viewer, from one snapshot, with the statuses of the
    request's `at` or of `today` (by default the clock's)."""
    visibility = viewer.access_terms()
    with snap.lock:
        visible = snap.columns.visible(viewer)  # read-only, as are the filters' masks
        day = snap.columns.on(
            day_number(request.at or today or dt.date.today()), told(snap, viewer)
        )
        shown = visible if request.at is None else visible & day.started
        with snap.evaluator.within(None if visibility is None else frozenset(visibility), visible):
            return _search(snap, request, shown, day, synonyms)


def _search(
    snap: Snapshot, request: SearchRequest, visible: np.ndarray, day: Day, synonyms: Synonyms
) -> SearchResult:
    """The steps of a search, within the viewer's visibility class, on one day (the
    documents of `visible` only)."""
    words = _Words.of(snap, request.q, request.complete_last, synonyms, visible)
    suggestion = corrected = None
    if request.spell and words.mask is not None and words.total < FEW_RESULTS:
        suggestion = suggest(snap, words.parsed, request.q, visible, words.total, synonyms)
        if suggestion is not None:
            better = _Words.of(snap, suggestion, False, synonyms, visible)
            if better.total > words.total:
                words, corrected = better, suggestion
    if words.mask is not None and words.total < RELAX_BELOW:
        words = words.widened(visible)
    matches = _Matches.find(snap, words, request, visible, day)
    facets = {
        name: _facet_counts(snap.columns, matches, request, name, day) for name in FACET_NAMES
    }
    page = _page(snap, words, matches, request, day)
    hits = [
        dataclasses.replace(hit, translations=versions(snap, hit.record, visible))
        for hit in _hits(snap, words, page, day)
    ]
    relaxed = words.coverage is not None
    return SearchResult(request, matches.total, hits, facets, suggestion, corrected, relaxed)


@dataclass
class _Words:
    """What the words of a query match (None: no words, every document) and the scores;
    each required part's documents; after widening, the share of the parts each
    document holds."""

    text: str
    parsed: ParsedQuery
    compiled: Compiled
    completions: Callable[[str], list[str]]
    found: Words | None
    mask: np.ndarray | None
    coverage: np.ndarray | None = None

    @property
    def total(self) -> int:
        """How many documents the words match (0 without words: filters alone)."""
        return 0 if self.mask is None else int(np.count_nonzero(self.mask))

    @property
    def score(self) -> np.ndarray | None:
        return None if self.found is None else self.found.score

    @classmethod
    def of(
        cls,
        snap: Snapshot,
        text: str,
        complete_last: bool,
        synonyms: Synonyms,
        visible: np.ndarray,
    ) -> _Words:
        parsed = parse(text, synonyms, complete_last)
        known: dict[str, list[str]] = {}

        def completions(prefix: str) -> list[str]:
            key = prefix.lower()
            if key not in known:
                known[key] = snap.columns.completions("spell", _folded(key), COMPLETIONS)
            return known[key]

        compiled = compile_query(parsed, completions)
        if parsed.empty:
            return cls(text, parsed, compiled, completions, None, None)
        found = snap.evaluator.words(compiled)
        return cls(text, parsed, compiled, completions, found, found.mask & visible)

    def widened(self, visible: np.ndarray) -> _Words:
        """The documents that hold at least half of the required parts that some
        document holds (a part found nowhere is left out: a word no text uses), ranked
        by how many they hold, then by score (which weighs rare words more)."""
        if self.found is None or len(self.found.parts) < 2:
            return self
        parts = [part & visible for part in self.found.parts]
        held_somewhere = [part for part in parts if part.any()]
        if not held_somewhere:
            return self
        held = np.add.reduce([part.astype(np.int32) for part in held_somewhere])
        mask = held >= max(1, math.ceil(len(held_somewhere) * RELAXED_SHARE))
        if self.found.excluded is not None:
            mask &= ~self.found.excluded
        if np.count_nonzero(mask) <= self.total:
            return self
        return dataclasses.replace(self, mask=mask, coverage=held / len(held_somewhere))

    def missing(self, docnum: int) -> tuple[str, ...]:
        """The required parts of the query, as typed, that a document lacks."""
        if self.coverage is None or self.found is None:
            return ()
        return tuple(
            typed
            for typed, part in zip(self.compiled.typed, self.found.parts, strict=True)
            if not part[docnum]
        )


def _folded(word: str) -> str:
    return "".join(words_key(word)[:1])


@dataclass
class _Matches:
    """What a request matches: before its facet filters (`base`), with each facet's
    filter, and with all of them (`final`, its documents in `matching`), one version per
    text (in the reader's `language` when it matches)."""

    base: np.ndarray
    selected: dict[str, np.ndarray]
    final: np.ndarray
    matching: np.ndarray
    columns: Columns
    language: str

    @property
    def total(self) -> int:
        return len(self.matching)

    @classmethod
    def find(
        cls, snap: Snapshot, words: _Words, request: SearchRequest, visible: np.ndarray, day: Day
    ) -> _Matches:
        columns = snap.columns
        base = visible.copy() if words.mask is None else words.mask.copy()
        dates = _date_mask(columns, request)
        if dates is not None:
            base &= dates
        selected = {
            name: columns.any_of(name, values, day) for name, values in request.filters.items()
        }
        final = base.copy()
        for mask in selected.values():
            final &= mask
        final = one_per_text(columns, final, request.language)
        return cls(base, selected, final, np.flatnonzero(final), columns, request.language)

    def without(self, facet: str) -> tuple[np.ndarray, np.ndarray]:
        """(mask, documents) of the matches with every filter but the facet's own, one
        per text; for `lang`, every version (ticking a language lists its versions)."""
        if facet not in self.selected and facet != "lang":
            return self.final, self.matching
        scope = self.base.copy()
        for other, mask in self.selected.items():
            if other != facet:
                scope &= mask
        if facet != "lang":
            scope = one_per_text(self.columns, scope, self.language)
        return scope, np.flatnonzero(scope)


def _date_mask(columns: Columns, request: SearchRequest) -> np.ndarray | None:
    if not request.date_from and not request.date_to:
        return None
    low = int(request.date_from.strftime("%Y%m%d")) if request.date_from else 1
    high = int(request.date_to.strftime("%Y%m%d")) if request.date_to else 99_999_999
    return np.asarray((columns.date >= low) & (columns.date <= high))


def _facet_counts(
    columns: Columns, matches: _Matches, request: SearchRequest, name: str, day: Day
) -> list[FacetCount]:
    """A facet's values with their counts, multi-select (its own filter left out), by
    count then code; a ticked value is listed even when nothing holds it."""
    scope, documents = matches.without(name)
    values = columns.values(name, day)
    counts = values.counts(scope, documents)
    chosen = set(request.filters.get(name, ()))
    found = [
        FacetCount(v, int(c), v in chosen)
        for v, c in zip(values.values, counts.tolist(), strict=True)
        if c > 0 or v in chosen
    ]
    found += [FacetCount(v, 0, True) for v in sorted(chosen - set(values.values))]
    return sorted(found, key=lambda f: (-f.count, f.value))


Page = list[tuple[int, float | None]]


def _page(
    snap: Snapshot, words: _Words, matches: _Matches, request: SearchRequest, day: Day
) -> Page:
    """The document numbers (and scores) of the page asked for."""
    start = (request.page - 1) * request.per_page
    end = min(start + request.per_page, MAX_DEPTH)
    if start >= matches.total:
        return []
    if request.effective_sort == "relevance" and words.score is not None:
        return _ranked(snap, words, matches, end, day)[start:end]
    ordered = _sorted_docs(snap.columns, matches.matching, request)
    return [(int(d), None) for d in ordered[start:end]]


def _ranked(snap: Snapshot, words: _Words, matches: _Matches, end: int, day: Day) -> Page:
    """The first `end` matches by the share of the query they cover (when the search
    widened), then by score (texts repealed on the day lowered, and never above a
    matching text that replaced them), then by id."""
    assert words.score is not None
    docs = matches.matching
    scores = words.score * np.where(day.repealed, REPEALED_FACTOR, 1.0)
    coverage = words.coverage.copy() if words.coverage is not None else np.ones(len(scores))
    key = np.round(coverage[docs], 6) * 1e12 + scores[docs]  # coverage first, then score
    if len(docs) > end:  # keep what can be in the first `end`: every tie of the last one
        threshold = np.partition(key, len(key) - end)[len(key) - end]
        docs = docs[key >= threshold]
    _below_replacements(snap, words, matches, docs, scores, coverage, day)
    order = np.lexsort((snap.columns.id_rank[docs], -scores[docs], -np.round(coverage[docs], 6)))
    ranked = docs[order][:end]
    return [(int(d), float(scores[d])) for d in ranked]


def _below_replacements(
    snap: Snapshot,
    words: _Words,
    matches: _Matches,
    docs: np.ndarray,
    scores: np.ndarray,
    coverage: np.ndarray,
    day: Day,
) -> None:
    """Lower each repealed text among `docs` below every text down its chain of
    replacements that matches too, as much of the query, each link below the next (a
    text replaced in turn is lowered first); a query naming the repealed text (its
    reference, or its whole title) keeps it."""
    named = words_key(words.text)
    lowered: dict[int, float] = {}

    def score(doc: int) -> float:
        if doc not in lowered:
            lowered[doc] = float(scores[doc])  # so that a cycle of replacements ends
            record = snap.record(doc)
            if day.repealed[doc] and not _names(named, record):
                for successor in _successors(snap, record, day):
                    if matches.final[successor] and coverage[successor] >= coverage[doc]:
                        lowered[doc] = min(lowered[doc], score(successor) * BELOW_REPLACEMENT)
        return lowered[doc]

    for doc in docs[day.repealed[docs]].tolist():
        scores[doc] = score(doc)


def _names(named: tuple[str, ...], record: dict[str, object]) -> bool:
    reference, title = record.get("reference"), record.get("title")
    return bool(
        (reference and words_key(str(reference))[0] in named)
        or (title and words_key(str(title)) == named)
    )


def _successors(snap: Snapshot, record: dict[str, object], day: Day) -> list[int]:
    """The document numbers of the texts that replace a text, directly or down a chain
    of texts repealed on the day in turn (a text in force ends a chain)."""
    found: list[int] = []
    seen: set[str] = set()
    pending = list(record.get("superseded_by") or [])  # type: ignore[call-overload]
    while pending:
        doc_id = str(pending.pop())
        if doc_id in seen:
            continue
        seen.add(doc_id)
        number = snap.number_of(doc_id)
        if number is None:
            continue
        found.append(number)
        if day.repealed[number]:
            pending += snap.record(number).get("superseded_by") or []
    return found


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


def _hits(snap: Snapshot, words: _Words, page: Page, day: Day) -> list[Hit]:
    """The records of a page, with their status on the day, their snippets (each
    distinct word stemmed once), the section each snippet is in, and the words each
    result lacks."""
    terms = {lang: highlight_terms(words.parsed, lang, words.completions) for lang in ANALYZERS}
    seen = {lang: SeenWords() for lang in ANALYZERS}
    hits = []
    for docnum, score in page:
        record = day.record(docnum, snap.record(docnum))
        found = best_passage(record, terms, seen)
        section = section_of(record, found.word)
        hits.append(
            Hit(record, found.html, score, section, words.missing(docnum), found.attachment)
        )
    return hits
