"""The array engine agrees with an index written by Whoosh's own default codec.

`columns` reads docrepo's codec (`store/codec.py`) and `engine` evaluates queries as
arrays. What they are checked against is independent of both: the same documents indexed
by the same pipeline, but written by Whoosh's default codec (W3Codec: its blocks, its
pickled positions, its own reader) — only the schema and the analysis (which terms,
positions and weights a text gives) are shared, and `tests/unit/store/test_codec.py`
checks those against Whoosh's own `Positions` format; the weights are checked here too
(a word's frequency times its field's boost). From that index, read through Whoosh's
public reader, the tests take each term's live documents, frequencies, weights and
positions, and each document's exact field lengths (the count of its words' positions:
Whoosh's codec rounds the lengths it keeps to a byte). Scores are computed here by BM25F
written out in plain Python (Whoosh's formula and defaults B = 0.75, K1 = 1.2;
statistics over live documents, docrepo's documented choice), and that formula is itself
checked against Whoosh's own BM25F scorer on an index where the two must agree (one
segment, no deletions, Whoosh's own byte-rounded lengths and statistics). Phrases are
matched from Whoosh's positions and score what their words score (docrepo's rule: Whoosh
scores them its own way). Everything is compared by document id, on the sample and on an
index of several segments with deleted documents, within float error.
"""

from __future__ import annotations

import functools
import gc
import math
import shutil
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from whoosh.fields import Schema
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from docrepo.access import Viewer
from docrepo.analysis import fold
from docrepo.indexing.pipeline import update_index
from docrepo.search import engine
from docrepo.search.columns import Columns, SegmentCache
from docrepo.search.engine import Evaluator
from docrepo.search.query import And, DisMax, Or, Phrase, Prefix, Query, Term, compile_query, parse
from docrepo.store import writing
from docrepo.store.codec import DocrepoCodec
from docrepo.store.reading import CommitReader
from docrepo.store.writing import IndexStore
from support.trees import SAMPLE_CONTENT
from support.whoosh_queries import to_whoosh

QUERIES = [
    "télétravail",
    "teletravail",
    "délégation de signature",
    '"délégation de signature"',
    "frais de déplacement -mission",
    "ERC OR ANR",
    "compte épargne-temps",
    "l'unité",
    "les",
    "DEC24*",
    "DEC210702",
    "Grenoble",
    "travel expenses",
    '"travel expenses"',
    "data protection officer",
    '"ordre de mission" hébergement',
    '"frais de mission" -"ordre de mission"',
    "Île-de-France",
]
#: Whoosh's BM25F defaults (whoosh.scoring.BM25F), written here, not imported
B, K1 = 0.75, 1.2
#: relative float error allowed between two computations of one score
FLOAT_ERROR = 1e-9


def _history(root: Path, whoosh_codec: bool) -> Path:
    """The sample corpus indexed in three commits, with documents rewritten (deleted
    from their first segment) on the way, by docrepo's codec or Whoosh's default one."""
    content = root / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    folders = sorted(p for p in content.iterdir() if p.is_dir())
    held = root / "held"
    with pytest.MonkeyPatch.context() as patched:
        if whoosh_codec:
            patched.setattr(writing, "ArrayWriter", lambda ix, **kw: SegmentWriter(ix, **kw))
        store = IndexStore(root / "index")
        for folder in folders[1:]:
            shutil.move(folder, held / folder.name)
        update_index(content, store)
        for folder in folders[1:]:
            shutil.move(held / folder.name, folder)
        update_index(content, store)
        for path in sorted(content.glob("*/*.md"))[::7]:
            path.write_text(path.read_text(encoding="utf-8") + "\nRévision.\n", encoding="utf-8")
        update_index(content, store)
    return root / "index"


def _whoosh_build(root: Path) -> Path:
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(writing, "ArrayWriter", lambda ix, **kw: SegmentWriter(ix, **kw))
        update_index(SAMPLE_CONTENT, IndexStore(root))
    return root


@pytest.fixture(scope="module")
def several_segments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _history(tmp_path_factory.mktemp("segments"), whoosh_codec=False)


@pytest.fixture(scope="module")
def whooshs_segments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _history(tmp_path_factory.mktemp("whoosh-segments"), whoosh_codec=True)


@pytest.fixture(scope="module")
def whooshs_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _whoosh_build(tmp_path_factory.mktemp("whoosh-sample"))


@dataclass
class Reference:
    """An index as Whoosh's default codec holds it, read through Whoosh's reader: the
    live documents' ids, each term's live postings by id (weight, positions), and each
    text field's exact length in each document (the number of its words)."""

    schema: Schema
    ids: dict[int, str]
    postings: dict[tuple[str, bytes], dict[str, tuple[float, tuple[int, ...]]]]
    lengths: dict[str, Counter[str]]

    @classmethod
    def read(cls, searcher: Searcher) -> Reference:
        reader = searcher.reader()
        assert not any(isinstance(r.codec(), DocrepoCodec) for r, _ in reader.leaf_readers())
        ids = {d: reader.stored_fields(d)["id"] for d in reader.all_doc_ids()}
        postings: dict[tuple[str, bytes], dict[str, tuple[float, tuple[int, ...]]]] = {}
        lengths: dict[str, Counter[str]] = defaultdict(Counter)
        for name, term in reader.all_terms():
            positional = reader.schema[name].format.supports("positions")
            matcher, rows = reader.postings(name, term), {}
            while matcher.is_active():
                doc = matcher.id()
                assert not reader.is_deleted(doc)
                places = tuple(matcher.value_as("positions")) if positional else ()
                rows[ids[doc]] = (matcher.weight(), places)
                lengths[name][ids[doc]] += len(places)
                matcher.next()
            if rows:
                postings[(name, term)] = rows
        return cls(reader.schema, ids, postings, lengths)

    def terms(self, name: str) -> list[bytes]:
        return [term for field, term in self.postings if field == name]


@dataclass
class Statistics:
    """What BM25F needs besides a posting: the number of documents, a term's document
    frequency, a field's average length, and a field's length in a document (by id)."""

    count: int
    frequency: Callable[[str, bytes], int]
    average: Callable[[str], float]
    length: Callable[[str, str], float]

    @classmethod
    def live(cls, ref: Reference) -> Statistics:
        """Over live documents, with exact lengths: docrepo's statistics."""
        n = len(ref.ids)
        return cls(
            n,
            lambda name, term: len(ref.postings.get((name, term), {})),
            lambda name: sum(ref.lengths[name].values()) / n,
            lambda name, doc: ref.lengths[name][doc],
        )

    @classmethod
    def whooshs(cls, searcher: Searcher) -> Statistics:
        """Whoosh's own: deleted documents counted, lengths rounded to a byte."""
        docnum = {fields["id"]: d for d, fields in searcher.reader().iter_docs()}
        return cls(
            searcher.doc_count_all(),
            searcher.doc_frequency,
            searcher.avg_field_length,
            lambda name, doc: searcher.doc_field_length(docnum[doc], name),
        )


def bm25f(idf: float, tf: float, length: float, average: float) -> float:
    return idf * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / average))


def expected_scores(query: Query, ref: Reference, stats: Statistics) -> dict[str, float]:
    """The documents (by id) a query matches and their scores, computed from the
    reference index alone: terms by BM25F (unscored fields: the weight), prefixes a
    constant, phrases from positions, Or and And adding up, DisMax keeping the best."""
    if isinstance(query, Term):
        field = ref.schema[query.field]
        term = field.to_bytes(query.text)
        rows = ref.postings.get((query.field, term), {})
        if not field.scorable:
            return {doc: weight * query.boost for doc, (weight, _) in rows.items()}
        idf = math.log(stats.count / (stats.frequency(query.field, term) + 1)) + 1
        average = stats.average(query.field) or 1
        return {
            doc: query.boost * bm25f(idf, weight, stats.length(query.field, doc), average)
            for doc, (weight, _) in rows.items()
        }
    if isinstance(query, Prefix):
        return {
            doc: query.boost
            for (name, term), rows in ref.postings.items()
            if name == query.field and term.decode("utf-8").startswith(query.text)
            for doc in rows
        }
    if isinstance(query, Phrase):
        slots = [DisMax(tuple(Term(query.field, t) for t in slot)) for slot in query.slots]
        words = expected_scores(And(tuple(slots)), ref, stats)
        places = [
            [ref.postings.get((query.field, t.encode("utf-8")), {}) for t in slot]
            for slot in query.slots
        ]

        def side_by_side(doc: str) -> bool:
            at = [{p for rows in slot for p in rows.get(doc, (0.0, ()))[1]} for slot in places]
            return any(all(start + k in at[k] for k in range(len(at))) for start in at[0])

        return {doc: score for doc, score in words.items() if side_by_side(doc)}
    parts = [expected_scores(part, ref, stats) for part in query.parts]
    if isinstance(query, DisMax):
        return {doc: max(p[doc] for p in parts if doc in p) for doc in set().union(*parts)}
    docs = set().union(*parts) if isinstance(query, Or) else set.intersection(*map(set, parts))
    return {doc: query.boost * sum(p.get(doc, 0.0) for p in parts) for doc in docs}


def queries_of(text: str) -> list[Query]:
    compiled = compile_query(parse(text))
    return [q for q in (compiled.required, compiled.excluded, compiled.boosts) if q is not None]


def whoosh_scores_its_own_way(query: Query) -> bool:
    """Whether the query holds a phrase (Whoosh scores the phrase, not its words) or a
    prefix (Whoosh's constant score ignores the boost; docrepo's prefix scores it)."""
    return isinstance(query, Phrase | Prefix) or any(
        map(whoosh_scores_its_own_way, getattr(query, "parts", ()))
    )


@pytest.fixture(params=["sample", "segments"])
def indexes(
    request: pytest.FixtureRequest,
    sample_index: Path,
    several_segments: Path,
    whooshs_sample: Path,
    whooshs_segments: Path,
) -> Iterator[tuple[Searcher, Reference]]:
    """docrepo's index (searcher) and the same history written by Whoosh's codec."""
    ours, theirs = (
        (sample_index, whooshs_sample)
        if request.param == "sample"
        else (several_segments, whooshs_segments)
    )
    with IndexStore(ours).open().searcher() as searcher:
        yield searcher, reference_of(theirs)


@functools.cache
def reference_of(index_dir: Path) -> Reference:
    with IndexStore(index_dir).open().searcher() as searcher:
        return Reference.read(searcher)


@pytest.fixture(params=["sample", "segments"])
def searcher(
    request: pytest.FixtureRequest, sample_index: Path, several_segments: Path
) -> Iterator[Searcher]:
    index_dir = sample_index if request.param == "sample" else several_segments
    with IndexStore(index_dir).open().searcher() as searcher:
        yield searcher


def ids_of(searcher: Searcher) -> dict[int, str]:
    return {d: searcher.stored_fields(d)["id"] for d in searcher.reader().all_doc_ids()}


def test_several_segments_with_deletions_is_what_it_says(
    several_segments: Path, whooshs_segments: Path
) -> None:
    for index_dir in (several_segments, whooshs_segments):
        with IndexStore(index_dir).open().searcher() as searcher:
            leaves = [r for r, _ in searcher.reader().leaf_readers()]
            assert len(leaves) >= 2
            assert any(r.has_deletions() for r in leaves)


@pytest.mark.parametrize(
    "field", ["body_fr", "title_fr", "title_en", "meta", "place", "institute", "spell", "reference"]
)
def test_postings_are_those_whooshs_codec_wrote(
    indexes: tuple[Searcher, Reference], field: str
) -> None:
    """Every term's live documents and weights; a weight is the word's frequency (its
    positions in Whoosh's index) times the field's boost."""
    searcher, ref = indexes
    columns, ids = Columns.build(CommitReader(searcher), SegmentCache()), ids_of(searcher)
    boost = ref.schema[field].format.field_boost
    terms = ref.terms(field)
    assert terms
    for term in terms:
        expected = {doc: weight for doc, (weight, _) in ref.postings[(field, term)].items()}
        if ref.schema[field].format.supports("positions"):
            freqs = {doc: len(p) for doc, (_, p) in ref.postings[(field, term)].items()}
            assert expected == {doc: boost * f for doc, f in freqs.items()}, term
        docs, weights = columns.postings(field, term)
        got = {ids[int(d)]: float(w) for d, w in zip(docs, weights, strict=True)}
        assert got == pytest.approx(expected, rel=FLOAT_ERROR), term
    held = {t for t in searcher.reader().lexicon(field) if len(columns.postings(field, t)[0])}
    assert held == set(terms)


@pytest.mark.parametrize("field", ["body_fr", "title_en", "meta"])
def test_word_positions_are_those_whooshs_codec_wrote(
    indexes: tuple[Searcher, Reference], field: str
) -> None:
    """Every term's (document, position) pairs, for all its documents and for a few."""
    searcher, ref = indexes
    columns, ids = Columns.build(CommitReader(searcher), SegmentCache()), ids_of(searcher)
    everyone = np.flatnonzero(columns.live)
    for n, term in enumerate(ref.terms(field)):
        expected = {
            (doc, p) for doc, (_, places) in ref.postings[(field, term)].items() for p in places
        }
        docs, positions = columns.positions(field, term, everyone)
        got = [(ids[int(d)], int(p)) for d, p in zip(docs, positions, strict=True)]
        assert sorted(got) == sorted(expected), term
        some = everyone[n % 3 :: 3]
        docs, positions = columns.positions(field, term, some)
        kept = {ids[int(d)] for d in some}
        got = [(ids[int(d)], int(p)) for d, p in zip(docs, positions, strict=True)]
        assert sorted(got) == sorted((d, p) for d, p in expected if d in kept), term


@pytest.mark.parametrize("share", [0.02, 0.5, 1.0])
def test_facet_counts_are_those_whooshs_codec_wrote(
    indexes: tuple[Searcher, Reference], share: float
) -> None:
    """Counted over the matches' own pairs (few matches) or over all pairs (many), each
    value's count is the number of live documents of the scope whose postings hold it."""
    searcher, ref = indexes
    columns, ids = Columns.build(CommitReader(searcher), SegmentCache()), ids_of(searcher)
    rng = np.random.default_rng(7)
    scope = columns.live & (rng.random(columns.size) < share)
    in_scope = {ids[int(d)] for d in np.flatnonzero(scope)}
    for name, facet in columns.facets.items():
        counts = facet.counts(scope, np.flatnonzero(scope))
        for value, count in zip(facet.values, counts.tolist(), strict=True):
            holders = ref.postings.get((name, value.encode("utf-8")), {})
            assert count == len(in_scope.intersection(holders)), (name, value)
        chosen = facet.values[:2]
        expected = {d for v in chosen for d in ref.postings.get((name, v.encode("utf-8")), {})}
        assert {ids[int(d)] for d in np.flatnonzero(columns.any_of(name, chosen))} == expected


@pytest.mark.parametrize("text", QUERIES)
def test_the_reference_formula_is_whooshs_bm25f(whooshs_sample: Path, text: str) -> None:
    """On Whoosh's own index of one segment without deletions, fed Whoosh's statistics
    and byte-rounded lengths, the BM25F written in this test scores every document as
    Whoosh's own scorer does (phrases and prefixes aside: Whoosh scores them its own
    way); the documents matched are the same for every query."""
    with IndexStore(whooshs_sample).open().searcher() as searcher:
        assert not searcher.reader().has_deletions()
        ref, stats = reference_of(whooshs_sample), Statistics.whooshs(searcher)
        for query in queries_of(text):
            expected = expected_scores(query, ref, stats)
            theirs = to_whoosh(query)
            found = {ref.ids[hit.docnum]: hit.score for hit in searcher.search(theirs, limit=None)}
            assert found.keys() == expected.keys(), query
            if not whoosh_scores_its_own_way(query):
                assert found == pytest.approx(expected, rel=FLOAT_ERROR), query


@pytest.mark.parametrize("text", QUERIES)
def test_matches_and_scores_are_bm25f_over_whooshs_index(
    indexes: tuple[Searcher, Reference], text: str
) -> None:
    """Each compiled query (what is required, excluded, boosted, phrases included)
    matches the documents it matches in Whoosh's index, each scoring BM25F over the
    live documents with exact lengths, within float error."""
    searcher, ref = indexes
    evaluator = Evaluator(Columns.build(CommitReader(searcher), SegmentCache()))
    ids, stats = ids_of(searcher), Statistics.live(ref)
    for query in queries_of(text):
        expected = expected_scores(query, ref, stats)
        scored = evaluator.evaluate(query)
        got = {ids[int(d)]: float(scored.score[d]) for d in np.flatnonzero(scored.mask)}
        assert got.keys() == expected.keys(), query
        assert got == pytest.approx(expected, rel=FLOAT_ERROR), query


def scores_by_id(index_dir: Path, text: str) -> dict[str, float]:
    with IndexStore(index_dir).open().searcher() as searcher:
        columns = Columns.build(CommitReader(searcher), SegmentCache())
        ranking = compile_query(parse(text)).required
        assert ranking is not None
        scored = Evaluator(columns).evaluate(ranking)
        return {
            searcher.stored_fields(int(d))["record"]["id"]: float(scored.score[d])
            for d in np.flatnonzero(scored.mask)
        }


@pytest.fixture(scope="module")
def rebuilt_copy(several_segments: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same files as `several_segments`, indexed anew in one go."""
    fresh = tmp_path_factory.mktemp("rebuilt") / "index"
    update_index(several_segments.parent / "content", IndexStore(fresh), rebuild=True)
    return fresh


@pytest.mark.parametrize("text", QUERIES)
def test_scores_do_not_depend_on_the_index_history(
    several_segments: Path, rebuilt_copy: Path, text: str
) -> None:
    """An index updated commit after commit (old versions deleted, not yet merged away)
    scores every document as an index built anew from the same files: statistics are
    taken over live documents, so two hosts answer alike whatever their history."""
    updated, rebuilt = scores_by_id(several_segments, text), scores_by_id(rebuilt_copy, text)
    assert updated.keys() == rebuilt.keys()
    assert all(np.isclose(updated[i], rebuilt[i], rtol=1e-12) for i in updated), text


def test_a_commit_reads_only_the_new_segment(tmp_path: Path) -> None:
    """After a commit, the arrays of segments that did not change are reused as they were."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    store = IndexStore(tmp_path / "index")
    update_index(content, store)
    cache = SegmentCache()
    with store.open().searcher() as first:
        before = {id(arrays) for _, _, arrays in cache.arrays(CommitReader(first))}
    page = sorted(content.glob("pages/*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nMot zanzibarique.\n", "utf-8")
    update_index(content, store)
    with store.open().searcher() as second:
        segments = cache.arrays(CommitReader(second))
        columns = Columns.build(CommitReader(second), cache)
        assert len(segments) == 2
        assert {id(arrays) for _, _, arrays in segments} & before
        assert Evaluator(columns).matches(compile_query(parse("zanzibarique")).required).sum() == 1


def test_ranks_merged_from_segments_are_a_full_sort(several_segments: Path) -> None:
    """Title and id order, merged from each segment's sorted keys, order the live
    documents as sorting them all at once would."""
    with IndexStore(several_segments).open().searcher() as searcher:
        columns = Columns.build(CommitReader(searcher), SegmentCache())
        live = np.flatnonzero(columns.live)
        records = {int(d): searcher.stored_fields(int(d))["record"] for d in live}
        by_id = sorted(live, key=lambda d: records[d]["id"])
        by_title = sorted(live, key=lambda d: (fold(records[d]["title"]).lower(), records[d]["id"]))
        assert live[np.argsort(columns.id_rank[live])].tolist() == by_id
        assert live[np.argsort(columns.title_rank[live])].tolist() == by_title
        assert len(set(columns.title_rank[live].tolist())) == len(live)


def test_a_title_that_begins_another_sorts_first(tmp_path: Path) -> None:
    """A title that begins another ("Recueil", "Recueil annexe") sorts first, and equal
    titles go by id, when the documents come in different commits (the merged ranks
    compare title and id as one key)."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    store = IndexStore(tmp_path / "index")

    def page(slug: str, title: str) -> None:
        text = f"---\ntitle: {title}\ntype: page\nlang: fr\n---\n\nTexte.\n"
        (content / "pages" / f"{slug}.md").write_text(text, encoding="utf-8")

    page("zz-recueil", "Recueil")
    update_index(content, store)
    page("aa-recueil-annexe", "Recueil annexe")
    page("mm-recueil", "Recueil")
    update_index(content, store)
    with store.open().searcher() as searcher:
        columns = Columns.build(CommitReader(searcher), SegmentCache())
        ranked = sorted(
            (int(columns.title_rank[d]), searcher.stored_fields(int(d))["record"]["id"])
            for d in np.flatnonzero(columns.live)
        )
    ids = [i for _, i in ranked]
    assert ids.index("pages/mm-recueil") < ids.index("pages/zz-recueil")
    assert ids.index("pages/zz-recueil") < ids.index("pages/aa-recueil-annexe")


@pytest.mark.parametrize("budget", [0, 16 * 2**20])
def test_parts_kept_from_earlier_searches_answer_as_a_fresh_evaluation(
    searcher: Searcher, budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One evaluator asked every query twice, in several visibility classes, keeping
    nothing or many recent parts, matches and scores each as a new evaluator does."""
    monkeypatch.setattr(engine, "KEPT_BYTES", budget)
    columns = Columns.build(CommitReader(searcher), SegmentCache())
    shared = Evaluator(columns)
    classes = [None, frozenset({"public"})]
    for text in QUERIES + QUERIES[::-1]:
        query = compile_query(parse(text)).required
        if query is None:
            continue
        for visibility in classes:
            mask = columns.live if visibility is None else columns.any_of("access", visibility)
            fresh = Evaluator(columns)
            with shared.within(visibility, mask), fresh.within(visibility, mask):
                got, expected = shared.evaluate(query), fresh.evaluate(query)
            assert np.array_equal(got.mask, expected.mask), (text, visibility)
            assert np.array_equal(got.score, expected.score), (text, visibility)


def test_the_parts_kept_for_many_visibility_classes_stay_within_one_budget(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each distinct set of groups is a visibility class of its own: what the parts of
    recent queries keep, for all the classes together, stays within one budget (it grew
    by as much again with each new set of groups, until the next commit)."""
    budget = 16 * 2**10
    monkeypatch.setattr(engine, "KEPT_BYTES", budget)
    queries = [compile_query(parse(text)).required for text in QUERIES]

    def search_as(viewers: range) -> int:
        """Search as each viewer in turn: the bytes then held."""
        for n in viewers:
            viewer = Viewer(user=f"user{n}", groups=frozenset({f"team-{n}"}))
            visibility = frozenset(viewer.access_terms() or ())
            with evaluator.within(visibility, columns.visible(viewer)):
                for query in queries:
                    if query is not None:
                        evaluator.evaluate(query)
        gc.collect()
        # what the search's own code holds (a thread an earlier test left running, such
        # as a site's insights recorder, allocates meanwhile: not counted)
        search_code = str(Path(engine.__file__).parent / "*")
        kept = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, search_code)])
        return sum(stat.size for stat in kept.statistics("filename"))

    with IndexStore(sample_index).open().searcher() as searcher:
        tracemalloc.start()
        try:
            columns = Columns.build(CommitReader(searcher), SegmentCache())
            evaluator = Evaluator(columns)
            held = search_as(range(100))  # what is kept of recent viewers is full
            grown = search_as(range(100, 400)) - held
        finally:
            tracemalloc.stop()
    assert grown < budget, f"{grown:,} bytes more held after 300 more viewers"
