"""One search for every face: `SearchRequest` in, `SearchResult` out.

The text query is parsed and compiled (`query`), then evaluated and scored on the
index's arrays (`engine`, `columns`); filters, visibility and dates are masks over the
same arrays, and each facet is counted with one `bincount`, whatever the number of
matches. Whoosh stores the index and its records; it does not run the searches.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import math
import re
import threading
import weakref
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.index import Index
from whoosh.searching import Searcher

from .access import Viewer
from .analysis import SPELLING_PATTERN, WORD, fold, spelling_words
from .columns import Columns, SegmentCache
from .engine import Evaluator, Scored
from .errors import BadRequest, IndexUnavailable
from .i18n import LANG_LABELS, STATUS_LABELS
from .index import FACET_FIELDS, IndexStore
from .query import ANALYZERS, Compiled, ParsedQuery, compile_query, highlight_terms, parse
from .taxonomy import Taxonomy

SORTS = ("relevance", "newest", "oldest", "title")
#: relations of a record, in the order pages show them
RELATIONS = ("supersedes", "superseded_by", "amends", "amended_by")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
#: deepest result reachable by paging (page × per_page)
MAX_DEPTH = 10_000
#: a repealed text scores this fraction of a text in force with the same relevance
REPEALED_FACTOR = 0.5
SNIPPET_WORDS = 36
#: below this many results, a spelling suggestion is looked for
FEW_RESULTS = 3
#: longer words are not corrected (the edit-distance automaton grows with the word)
MAX_CORRECTED = 30

_VOCABULARY = {"type": "types", "institute": "institutes", "region": "regions",
               "issuer": "issuers", "theme": "themes"}  # fmt: skip


@dataclass(frozen=True)
class SearchRequest:
    """The whole state of a view: what the URL's query string (or the CLI's options) says."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q.strip() else "newest")

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> SearchRequest:
        """Parse query-string parameters (each a list of values); raise BadRequest."""

        def one(name: str) -> str:
            values = params.get(name) or []
            return values[-1].strip() if values else ""

        filters = {
            name: tuple(dict.fromkeys(v.strip() for v in params.get(name, []) if v.strip()))
            for name in FACET_FIELDS
        }
        return cls(
            q=one("q"),
            filters={k: v for k, v in filters.items() if v},
            date_from=_date("from", one("from")),
            date_to=_date("to", one("to")),
            sort=_sort(one("sort")),
            page=_int("page", one("page"), 1, MAX_DEPTH, "a positive integer") or 1,
            per_page=_int("per_page", one("per_page"), 1, MAX_PER_PAGE, "an integer from 1 to 100")
            or DEFAULT_PER_PAGE,
        )

    def to_params(self, **changes: Any) -> list[tuple[str, str]]:
        """The query string of this view (with some parameters changed), in a stable order."""
        values: dict[str, Any] = {
            "q": self.q,
            **{k: list(v) for k, v in self.filters.items()},
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "sort": self.sort or "",
            "page": str(self.page) if self.page != 1 else "",
            "per_page": str(self.per_page) if self.per_page != DEFAULT_PER_PAGE else "",
        }
        values.update(changes)
        pairs: list[tuple[str, str]] = []
        for name in ("q", *FACET_FIELDS, "from", "to", "sort", "page", "per_page"):
            value = values.get(name)
            for item in value if isinstance(value, list | tuple) else [value]:
                if item:
                    pairs.append((name, str(item)))
        return pairs


def _date(name: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(name, f"'{name}' must be a date YYYY-MM-DD, not {value!r}") from None


def _sort(value: str) -> str | None:
    if value and value not in SORTS:
        raise BadRequest("sort", f"'sort' must be one of {', '.join(SORTS)}, not {value!r}")
    return value or None


def _int(name: str, value: str, low: int, high: int, expected: str) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", value) or not low <= int(value) <= high:
        raise BadRequest(name, f"'{name}' must be {expected}, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Hit:
    """One result: the stored record of a document, its snippet and score."""

    record: dict[str, Any]
    snippet: str
    score: float | None

    def to_json(self) -> dict[str, Any]:
        r = self.record
        return {
            "id": r["id"],
            "url": f"/doc/{r['id']}",
            "title": r["title"],
            "type": r["type"],
            "reference": r["reference"],
            "date": r["date"],
            "status": r["status"],
            "lang": r["lang"],
            "institutes": r["institutes"],
            "regions": r["regions"],
            "snippet": self.snippet,
            "score": None if self.score is None else round(self.score, 3),
        }


@dataclass
class SearchResult:
    """What one search found, ready for any face to render."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        reachable = min(self.total, MAX_DEPTH)
        return max(1, math.ceil(reachable / self.request.per_page))

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.request.q,
            "total": self.total,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "suggestion": self.suggestion,
            "results": [h.to_json() for h in self.hits],
            "facets": {name: [vars(v) for v in values] for name, values in self.facets.items()},
        }


class Snapshot:
    """A searcher on one generation of the index, with its arrays."""

    def __init__(self, ix: Index, generation: Path, segments: SegmentCache) -> None:
        self.generation = generation
        self.searcher: Searcher = ix.searcher()
        # closes the searcher's files when the snapshot is dropped, if close() was not called
        self._finalizer = weakref.finalize(self, self.searcher.close)
        self.columns = Columns.build(self.searcher, segments)
        self.evaluator = Evaluator(self.searcher, self.columns)
        self.repealed = self.columns.any_of("status", ("repealed",))

    def close(self) -> None:
        self._finalizer()


class Library:
    """The index as the faces see it: searches, documents, always the newest commit."""

    def __init__(self, index_dir: Path, taxonomy: Taxonomy) -> None:
        self.store = IndexStore(index_dir)
        self.taxonomy = taxonomy
        # Held by every search, not only by the reopening: a snapshot's Whoosh files and
        # its evaluator's scratch arrays are shared, and neither is safe across threads.
        self._lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._segments = SegmentCache()

    def snapshot(self) -> Snapshot:
        """The current snapshot, reopened when a commit or a swap happened."""
        with self._lock:
            current = self._snapshot
            generation = self.store.current()
            if (
                current is not None
                and current.generation == generation
                and current.searcher.up_to_date()
            ):
                return current
            try:
                fresh = Snapshot(self.store.open(generation), generation or Path(), self._segments)
            except IndexUnavailable:
                raise
            except Exception as exc:  # a damaged index fails in many ways
                raise IndexUnavailable(
                    f"the index in {generation} cannot be read ({exc}): run 'docrepo index'"
                ) from exc
            self._snapshot = fresh
            if current is not None:
                current.close()
            return fresh

    def close(self) -> None:
        with self._lock:
            if self._snapshot is not None:
                self._snapshot.close()
                self._snapshot = None

    def search(self, request: SearchRequest, viewer: Viewer, ui_lang: str = "fr") -> SearchResult:
        with self._lock:
            return _search(self.snapshot(), self.taxonomy, request, viewer, ui_lang)

    def document(self, doc_id: str, viewer: Viewer) -> dict[str, Any] | None:
        """The stored record of a document this viewer may see."""
        with self._lock:
            stored = self.snapshot().searcher.document(id=doc_id)
        if stored is None or not viewer.may_see(stored["record"]["access"]):
            return None
        record: dict[str, Any] = stored["record"]
        return record

    def records(self, ids: Sequence[str], viewer: Viewer) -> list[dict[str, Any]]:
        """The records of several documents, leaving out those the viewer may not see."""
        found = (self.document(i, viewer) for i in ids)
        return [r for r in found if r is not None]

    def referrers(self, field_name: str, doc_id: str, viewer: Viewer) -> list[dict[str, Any]]:
        """Documents whose `field_name` (links, aliases) holds this id."""
        with self._lock:
            searcher = self.snapshot().searcher
            records = [
                fields["record"]
                for fields in (
                    searcher.stored_fields(n)
                    for n in searcher.document_numbers(**{field_name: doc_id})
                )
            ]
        visible = (r for r in records if viewer.may_see(r["access"]))
        return sorted(visible, key=lambda r: (r["title"], r["id"]))

    def neighbours(self, record: dict[str, Any], viewer: Viewer) -> dict[str, list[dict[str, Any]]]:
        """The visible documents a document is related to, links to, and is linked from.

        Read from one snapshot in one go: a document page asks for all of them at once.
        """
        with self._lock:
            related = {name: self.records(record[name], viewer) for name in RELATIONS}
            related["links_out"] = self.records(record["links"], viewer)
            related["links_in"] = self.referrers("links", record["id"], viewer)
        return related


def _label(taxonomy: Taxonomy, facet: str, value: str, lang: str) -> str:
    if facet in _VOCABULARY:
        return taxonomy.label(_VOCABULARY[facet], value, lang)
    if facet == "status":
        return STATUS_LABELS.get(value, {}).get(lang, value)
    if facet == "lang":
        return LANG_LABELS.get(value, {}).get(lang, value)
    return value


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _date_mask(columns: Columns, request: SearchRequest) -> np.ndarray | None:
    if not request.date_from and not request.date_to:
        return None
    low = int(request.date_from.strftime("%Y%m%d")) if request.date_from else 1
    high = int(request.date_to.strftime("%Y%m%d")) if request.date_to else 99_999_999
    return np.asarray((columns.date >= low) & (columns.date <= high))


def _search(
    snap: Snapshot, taxonomy: Taxonomy, request: SearchRequest, viewer: Viewer, ui_lang: str
) -> SearchResult:
    columns, searcher = snap.columns, snap.searcher
    parsed = parse(request.q)
    compiled = compile_query(parsed)
    visible = columns.visible(viewer)  # read-only, as are the filters' masks
    base = visible.copy()
    scored = snap.evaluator.evaluate(compiled.ranking) if compiled.ranking is not None else None
    if not parsed.empty:
        base &= _matching(compiled, snap.evaluator, scored)
    dates = _date_mask(columns, request)
    if dates is not None:
        base &= dates
    selected = {name: columns.any_of(name, values) for name, values in request.filters.items()}
    final = base.copy()
    for mask in selected.values():
        final &= mask

    matching = np.flatnonzero(final)
    facets: dict[str, list[FacetValue]] = {}
    for name in FACET_FIELDS:
        if name in selected:  # multi-select: a facet's counts ignore its own filter
            scope = base.copy()
            for other, mask in selected.items():
                if other != name:
                    scope &= mask
            matches = np.flatnonzero(scope)
        else:
            scope, matches = final, matching
        names = columns.facets[name].values
        counts = columns.facets[name].counts(scope, matches)
        chosen = set(request.filters.get(name, ()))
        values = [
            FacetValue(v, _label(taxonomy, name, v, ui_lang), int(c), v in chosen)
            for v, c in zip(names, counts.tolist(), strict=True)
            if c > 0 or v in chosen
        ]
        values += [FacetValue(v, _label(taxonomy, name, v, ui_lang), 0, True)
                   for v in chosen - set(names)]  # fmt: skip
        facets[name] = sorted(values, key=lambda f: (-f.count, fold(f.label).casefold()))

    total = len(matching)
    start = (request.page - 1) * request.per_page
    end = min(start + request.per_page, MAX_DEPTH)
    page_hits: list[tuple[int, float | None]] = []
    if start < total:
        if request.effective_sort == "relevance" and scored is not None:
            page_hits = _ranked(snap, scored, matching, end)[start:end]
        else:
            ordered = _sorted_docs(columns, matching, request)
            page_hits = [(int(d), None) for d in ordered[start:end]]

    terms = {lang: highlight_terms(parsed, lang) for lang in ANALYZERS}
    seen = {lang: _Seen() for lang in ANALYZERS}
    hits = []
    for docnum, score in page_hits:
        record = searcher.stored_fields(docnum)["record"]
        lang = record["lang"]
        hits.append(Hit(record, snippet(record, terms[lang], seen[lang]), score))
    suggestion = None
    if total < FEW_RESULTS and parsed.groups:
        suggestion = _suggest(snap, parsed, request.q, visible, total)
    return SearchResult(request, total, hits, facets, suggestion)


def _matching(compiled: Compiled, evaluator: Evaluator, scored: Scored | None) -> np.ndarray:
    """Documents that hold every required clause and no excluded one (`scored`: the
    ranking query already evaluated, whose matches are the required clauses')."""
    size = evaluator.columns.size
    if compiled.required is None and compiled.excluded is None:
        return np.zeros(size, dtype=bool)
    if compiled.required is None:
        matched = evaluator.columns.live.copy()
    else:
        matched = (scored or evaluator.evaluate(compiled.required)).mask.copy()
    if compiled.excluded is not None:
        matched &= ~evaluator.matches(compiled.excluded)
    return matched


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


@dataclass
class _Seen:
    """The words already looked at for a page's snippets in one language, and those of
    them that a query term matches."""

    words: set[str] = field(default_factory=set)
    hits: set[str] = field(default_factory=set)


def _hit_words(words: set[str], terms: set[str], lang: str, seen: _Seen) -> set[str]:
    """The words (as written) that a query term matches."""
    analyzer = ANALYZERS[lang]
    # a term keeps its word's first letter, folded or not (stemmers change endings): a word
    # whose first letter begins no term is not stemmed (most words, on a cold cache)
    initials = {term[:1] for term in terms}
    for word in words - seen.words:
        lowered = word.lower()
        first = lowered[:1]  # stop words stand for themselves, unfolded
        if (first in initials or fold(first)[:1] in initials) and not terms.isdisjoint(
            analyzer.word_terms(lowered)
        ):
            seen.hits.add(word)
    seen.words |= words
    return words & seen.hits


#: words and what separates them, alternately: separator, word, separator, …, separator
_WORDS_AND_GAPS = re.compile(f"({WORD})")
#: private-use characters (taken out of texts) around the marked words until escaping
_MARK, _END_MARK = "\ue000", "\ue001"


def snippet(record: dict[str, Any], terms: set[str], seen: _Seen | None = None) -> str:
    """A passage around the query's words, with matches in <mark> and all else escaped."""
    text = "\n".join(p for p in (record.get("summary"), record["text"]) if p)
    text = " ".join(text.replace(_MARK, "").replace(_END_MARK, "").split())
    parts = _WORDS_AND_GAPS.split(text) if terms else [text]
    words = parts[1::2]
    matching = _hit_words(set(words), terms, record["lang"], seen or _Seen())
    hits = [i for i, word in enumerate(words) if word in matching] if matching else []
    if not hits:
        lead = record.get("summary") or text
        lead_words = lead.split()
        short = " ".join(lead_words[:SNIPPET_WORDS])
        return _escape(short) + (" …" if len(lead_words) > SNIPPET_WORDS else "")
    best_start, best_score = 0, -1
    for k, first in enumerate(hits):
        window = hits[k : bisect.bisect_left(hits, first + SNIPPET_WORDS, k)]
        score = len({words[h].lower() for h in window}) * 10 + len(window)
        if score > best_score:
            best_start, best_score = first, score
    begin = max(0, best_start - 6)
    end = min(len(words), begin + SNIPPET_WORDS)
    marked = set(hits)
    passage = []
    for i in range(begin, end):
        passage.append(f"{_MARK}{words[i]}{_END_MARK}" if i in marked else words[i])
        passage.append(parts[2 * i + 2])  # what follows the word
    passage.pop()  # not after the last one
    marked_up = _escape("".join(passage)).replace(_MARK, "<mark>").replace(_END_MARK, "</mark>")
    before = "… " if begin > 0 else ""
    after = " …" if end < len(words) else ""
    return f"{before}{marked_up}{after}".strip()


def _suggest(
    snap: Snapshot, parsed: ParsedQuery, text: str, visible: np.ndarray, total: int
) -> str | None:
    """A corrected query that would find more, with accents restored from a visible text.

    Only what the viewer may see counts: a word is known if a visible document holds
    it, and corrections are ranked by how many visible documents hold them.
    """
    reader = snap.searcher.reader()

    def seen_in(folded: str) -> int:
        if not reader.doc_frequency("spell", folded):
            return 0
        docs = list(reader.postings("spell", folded).all_ids())
        return int(visible[docs].sum())

    replacements: dict[str, str] = {}
    for clause in parsed.clauses():
        if clause.kind != "word":
            continue
        word = clause.text.strip()
        folded = fold(word.lower())
        if not 4 <= len(folded) <= MAX_CORRECTED or not folded.isalpha() or seen_in(folded):
            continue
        maxdist = 1 if len(folded) < 6 else 2
        candidates = {
            t: seen_in(t) for t in reader.terms_within("spell", folded, maxdist, prefix=1)
        }
        best = max(candidates, key=lambda t: candidates[t], default=None)
        if best is not None and candidates[best] > 0:
            replacements[word] = best
    if not replacements:
        return None
    corrected = " ".join(replacements.get(w, w) for w in text.split())
    matched = _matching(compile_query(parse(corrected)), snap.evaluator, None) & visible
    if int(matched.sum()) <= total:
        return None
    docs = np.flatnonzero(matched)
    first = docs[np.argsort(snap.columns.id_rank[docs], kind="stable")][:20]
    return _restore_spelling(snap, first.tolist(), corrected)


def _restore_spelling(snap: Snapshot, docs: list[int], query: str) -> str:
    """The query's words as the documents write them (accents, capitals) where they differ
    only by those."""
    forms: dict[str, Counter[str]] = {}
    wanted = {fold(w).lower() for w in spelling_words(query)}
    for docnum in docs:
        record = snap.searcher.stored_fields(docnum)["record"]
        for word in spelling_words(f"{record['title']} {record['text']}"):
            key = fold(word).lower()
            if key in wanted:
                forms.setdefault(key, Counter())[word] += 1

    def written(match: re.Match[str]) -> str:
        word = match.group(0)
        counter = forms.get(fold(word).lower())
        if not counter:
            return word
        if all(w[0].isupper() for w in counter):  # a proper name: keep its capital
            return counter.most_common(1)[0][0]
        lowered: Counter[str] = Counter()
        for form, n in counter.items():
            lowered[form.lower()] += n
        return lowered.most_common(1)[0][0]

    return SPELLING_PATTERN.sub(written, query)
