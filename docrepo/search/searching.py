"""One search for every face: a `SearchRequest` in, a `SearchResult` out.

The text query is parsed and compiled (`query`), then evaluated and scored on the
index's arrays (`engine`, `columns`); filters, visibility and dates are masks over the
same arrays, and each facet is counted with one `bincount`, whatever the number of
matches. Whoosh stores the index and its records; it does not run the searches.

In steps: the words are matched; when almost no document holds every word and a
correction of the words finds more, the correction's results are taken; the documents
holding enough of what the words are worth are the matches (`_Words.of`); then facets
are counted, the page is ranked by one rule (`_ranked`: what the words a text holds are
worth, times its score, a text repealed on the day lowered, and never above the text in
force that replaced it) and its snippets made.

Statuses are those of a day: the request's `at` (the texts not yet in force then are
left out), else today, so that a text counts as repealed from the day after its period
ends, whenever it was indexed; and periods are those the viewer is told, without the
texts hidden from them (`search.periods`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from ..access import Viewer
from ..analysis import ENGLISH_STOP_WORDS, FRENCH_STOP_WORDS, NOT_CONTENT_WORDS
from ..content.synonyms import NO_SYNONYMS, Synonyms
from ..schema import FACET_NAMES, day_number
from ..text import words_key
from .bilingual import vocabulary
from .columns import Columns, Day
from .engine import Words
from .periods import told
from .query import (
    ANALYZERS,
    Compiled,
    Completions,
    ParsedQuery,
    compile_query,
    highlight_terms,
    parse,
)
from .request import MAX_DEPTH, SearchRequest
from .result import FacetCount, Hit, SearchResult
from .snapshot import Snapshot
from .snippets import SeenWords, best_passage, section_of
from .suggestions import suggest
from .translations import one_per_text, versions

# The parameters of the ranking, each measured on the development part of the judged
# queries (docs/performance.md, "Relevance"):
#: a repealed text ranks as a text in force that is worth this fraction of it
REPEALED_FACTOR = 0.4
#: below this many documents holding every word, a spelling correction is looked for
FEW_RESULTS = 3
#: a document matches when the words it holds are worth this share of what the words
#: some document holds are worth (Elasticsearch's minimum_should_match, weighted by idf)
MIN_COVERAGE = 0.2
#: how much what the words a document holds are worth counts against its score
COVERAGE_POWER = 1.0
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
    if request.spell and words.mask is not None and words.whole < FEW_RESULTS:
        suggestion = suggest(snap, words.parsed, request.q, visible, words.whole, synonyms)
        if suggestion is not None:
            better = _Words.of(snap, suggestion, False, synonyms, visible)
            if better.whole > words.whole:
                words, corrected = better, suggestion
    matches = _Matches.find(snap, words, request, visible, day)
    facets = {
        name: _facet_counts(snap.columns, matches, request, name, day) for name in FACET_NAMES
    }
    page = _page(snap, words, matches, request, day)
    hits = [
        dataclasses.replace(hit, translations=versions(snap, hit.record, visible))
        for hit in _hits(snap, words, page, day)
    ]
    relaxed = words.every is not None and not bool(words.every[matches.matching].all())
    return SearchResult(request, matches.total, hits, facets, suggestion, corrected, relaxed)


@dataclass
class _Words:
    """What the words of a query match (None: no words, every document) and the scores;
    each required part's documents; with several parts, what the parts each document
    holds are worth (`coverage`: 1 for a document holding them all)."""

    text: str
    parsed: ParsedQuery
    compiled: Compiled
    completions: Completions
    found: Words | None
    mask: np.ndarray | None
    coverage: np.ndarray | None = None
    #: the documents holding every part
    every: np.ndarray | None = None

    @property
    def whole(self) -> int:
        """How many documents hold every part."""
        return 0 if self.every is None else int(np.count_nonzero(self.every))

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
        parsed = parse(text, synonyms, complete_last, vocabulary())
        known: dict[str, list[tuple[str, float]]] = {}

        def completions(prefix: str) -> list[tuple[str, float]]:
            key = prefix.lower()
            if key not in known:
                found = snap.columns.completion_counts("spell", _folded(key), COMPLETIONS)
                most = max((count for _, count in found), default=1)
                known[key] = [(word, count / most) for word, count in found]
            return known[key]

        compiled = compile_query(parsed, completions)
        if parsed.empty:
            return cls(text, parsed, compiled, completions, None, None)
        # the title's boosts count for a text holding every part: a title holding some
        # words side by side does not make up for the words it lacks
        found = snap.evaluator.words(dataclasses.replace(compiled, boosts=None))
        every = found.mask & visible
        if compiled.boosts is not None:
            found.score = found.score + snap.evaluator.evaluate(compiled.boosts).score * every
        words = cls(text, parsed, compiled, completions, found, every, None, every)
        return words.weighed(visible) if len(found.parts) > 1 else words

    def weighed(self, visible: np.ndarray) -> _Words:
        """The documents holding parts worth `MIN_COVERAGE` of what the parts held by
        some document are worth (each part its idf over the documents in sight: a part
        no document holds is worth nothing, a rare word much more than a common one), or
        the best covered when none holds that much."""
        assert self.found is not None
        parts = [part & visible for part in self.found.parts]
        count = max(1, int(np.count_nonzero(visible)))
        worth = [
            math.log(count / (held + 1)) + 1 if (held := int(np.count_nonzero(part))) else 0.0
            for part in parts
        ]
        total = sum(worth)
        if total <= 0:
            return self
        coverage = np.add.reduce([part * (w / total) for part, w in zip(parts, worth, strict=True)])
        enough = min(MIN_COVERAGE, float(coverage.max())) - 1e-9
        mask = (coverage >= enough) & (coverage > 0)
        if self.found.excluded is not None:
            mask &= ~self.found.excluded
        return dataclasses.replace(self, mask=mask, coverage=np.minimum(coverage, 1.0))

    def missing(self, docnum: int) -> tuple[str, ...]:
        """The required parts of the query, as typed, that a document lacks."""
        if self.found is None or self.every is None or self.every[docnum]:
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
    """The first `end` matches by one rule: what the parts of the query a text holds
    are worth (`coverage`) to the power `COVERAGE_POWER`, times its BM25F score (which
    holds the proximity of the words in titles), times `REPEALED_FACTOR` for a text
    repealed on the day, a repealed text never above a matching text that replaced it
    unless the query names it; then by id."""
    assert words.score is not None
    docs = matches.matching
    coverage = words.coverage if words.coverage is not None else np.ones(len(words.score))
    raw = words.score * coverage**COVERAGE_POWER
    scores = raw * np.where(day.repealed, REPEALED_FACTOR, 1.0)
    # what can be in the first `end`: those lowered as repealed, and those the query may
    # name (a repealed text is not lowered when the query names it)
    repealed = docs[day.repealed[docs]]
    docs = np.union1d(_first(docs, scores, end), _first(repealed, raw, end))
    named = words_key(words.text)
    for doc in docs[day.repealed[docs]].tolist():
        if _names(named, snap.record(doc), by_title=True):
            scores[doc] = raw[doc]
    _below_replacements(snap, named, coverage, matches, docs, scores, day)
    order = np.lexsort((snap.columns.id_rank[docs], -scores[docs]))
    ranked = docs[order][:end]
    return [(int(d), float(scores[d])) for d in ranked]


def _first(docs: np.ndarray, key: np.ndarray, end: int) -> np.ndarray:
    """The documents among `docs` that can be in the first `end` by `key` (with every tie
    of the last one)."""
    if len(docs) <= end:
        return docs
    values = key[docs]
    threshold = np.partition(values, len(values) - end)[len(values) - end]
    kept: np.ndarray = docs[values >= threshold]
    return kept


def _below_replacements(
    snap: Snapshot,
    named: tuple[str, ...],
    coverage: np.ndarray,
    matches: _Matches,
    docs: np.ndarray,
    scores: np.ndarray,
    day: Day,
) -> None:
    """Lower each repealed text among `docs` below every text down its chain of
    replacements that matches too, as fully (it holds as much of the query), each link
    below the next (a text replaced in turn is lowered first); a query naming the
    repealed text by its reference keeps it where its score puts it."""
    lowered: dict[int, float] = {}

    def score(doc: int) -> float:
        if doc not in lowered:
            lowered[doc] = float(scores[doc])  # so that a cycle of replacements ends
            record = snap.record(doc)
            if day.repealed[doc] and not _names(named, record, by_title=False):
                for successor in _successors(snap, record, day):
                    if matches.final[successor] and coverage[successor] >= coverage[doc]:
                        lowered[doc] = min(lowered[doc], score(successor) * BELOW_REPLACEMENT)
        return lowered[doc]

    for doc in docs[day.repealed[docs]].tolist():
        scores[doc] = score(doc)


#: words that name nothing: a title is named by its other words
_NOT_NAMING = frozenset(
    words_key(" ".join(FRENCH_STOP_WORDS | ENGLISH_STOP_WORDS | NOT_CONTENT_WORDS))
)


def _names(named: tuple[str, ...], record: dict[str, object], by_title: bool) -> bool:
    """Whether the query names a text: its reference or, `by_title`, a run of two or
    more words of its title, articles and prepositions aside (`mise en oeuvre
    télétravail` names "Circulaire relative à la mise en œuvre du télétravail";
    `télétravail` alone names no text)."""
    reference, title = record.get("reference"), record.get("title")
    if reference and words_key(str(reference))[0] in named:
        return True
    if not by_title:
        return False
    asked = [w for w in named if w not in _NOT_NAMING]
    if len(asked) < 2 or not title:
        return False
    words = [w for w in words_key(str(title)) if w not in _NOT_NAMING]
    return any(words[i : i + len(asked)] == asked for i in range(len(words) - len(asked) + 1))


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
