"""The array engine agrees with Whoosh: same postings, same matches, BM25F scores.

`columns` reads Whoosh's posting blocks directly and `engine` evaluates queries as
arrays; Whoosh's own matchers are the reference they are checked against, on the
sample corpus and on an index of several segments with deleted documents.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from whoosh.searching import Searcher

from docrepo.analysis import fold
from docrepo.indexing.pipeline import update_index
from docrepo.search import engine
from docrepo.search.columns import Columns, SegmentCache
from docrepo.search.engine import Evaluator
from docrepo.search.query import compile_query, parse
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
    "Grenoble",
    "travel expenses",
    "data protection officer",
    '"ordre de mission" hébergement',
    "Île-de-France",
]


@pytest.fixture(scope="module")
def several_segments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus indexed in three commits, with documents rewritten (deleted from
    their first segment) on the way."""
    root = tmp_path_factory.mktemp("segments")
    content = root / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    folders = sorted(p for p in content.iterdir() if p.is_dir())
    held = root / "held"
    for folder in folders[1:]:
        shutil.move(folder, held / folder.name)
    store = IndexStore(root / "index")
    update_index(content, store)
    for folder in folders[1:]:
        shutil.move(held / folder.name, folder)
    update_index(content, store)
    for path in sorted(content.glob("*/*.md"))[::7]:
        path.write_text(path.read_text(encoding="utf-8") + "\nRévision.\n", encoding="utf-8")
    update_index(content, store)
    return root / "index"


@pytest.fixture(params=["sample", "segments"])
def searcher(
    request: pytest.FixtureRequest, sample_index: Path, several_segments: Path
) -> Iterator[Searcher]:
    index_dir = sample_index if request.param == "sample" else several_segments
    with IndexStore(index_dir).open().searcher() as searcher:
        yield searcher


def test_several_segments_with_deletions_is_what_it_says(several_segments: Path) -> None:
    with IndexStore(several_segments).open().searcher() as searcher:
        leaves = [r for r, _ in searcher.reader().leaf_readers()]
        assert len(leaves) >= 2
        assert any(r.has_deletions() for r in leaves)


@pytest.mark.parametrize("field", ["body_fr", "title_en", "meta", "institute", "spell"])
def test_postings_read_by_blocks_are_whooshs(searcher: Searcher, field: str) -> None:
    """Every term's documents and weights, as Whoosh's matcher gives them one by one."""
    columns = Columns.build(searcher, SegmentCache())
    reader = searcher.reader()
    terms = list(reader.lexicon(field))
    assert terms
    for term in terms:
        matcher = reader.postings(field, term)
        expected_ids, expected_weights = [], []
        while matcher.is_active():
            expected_ids.append(matcher.id())
            expected_weights.append(matcher.weight())
            matcher.next()
        ids, weights = columns.postings(field, term)
        order = np.argsort(ids, kind="stable")
        assert ids[order].tolist() == expected_ids, term
        assert np.allclose(weights[order], expected_weights), term


@pytest.mark.parametrize("field", ["body_fr", "title_en", "meta"])
def test_word_positions_decoded_at_once_are_whooshs(searcher: Searcher, field: str) -> None:
    """Every term's (document, position) pairs, for all its documents and for a few."""
    columns = Columns.build(searcher, SegmentCache())
    reader = searcher.reader()
    everyone = np.flatnonzero(columns.live)
    for n, term in enumerate(reader.lexicon(field)):
        matcher = reader.postings(field, term)
        expected = []
        while matcher.is_active():
            expected += [(matcher.id(), p) for p in matcher.value_as("positions")]
            matcher.next()
        docs, positions = columns.positions(field, term, everyone)
        assert sorted(zip(docs.tolist(), positions.tolist(), strict=True)) == expected, term
        some = everyone[n % 3 :: 3]
        docs, positions = columns.positions(field, term, some)
        kept = [(d, p) for d, p in expected if d in set(some.tolist())]
        assert sorted(zip(docs.tolist(), positions.tolist(), strict=True)) == kept, term


@pytest.mark.parametrize("share", [0.02, 0.5, 1.0])
def test_facet_counts_are_whooshs(searcher: Searcher, share: float) -> None:
    """Counted over the matches' own pairs (few matches) or over all pairs (many), each
    value's count is the number of live documents of the scope whose postings hold it."""
    columns = Columns.build(searcher, SegmentCache())
    reader = searcher.reader()
    rng = np.random.default_rng(7)
    scope = columns.live & (rng.random(columns.size) < share)
    for name, facet in columns.facets.items():
        counts = facet.counts(scope, np.flatnonzero(scope))
        for value, count in zip(facet.values, counts.tolist(), strict=True):
            holders = [d for d in reader.postings(name, value).all_ids() if scope[d]]
            assert count == len(holders), (name, value)
        chosen = facet.values[:2]
        expected = {d for v in chosen for d in reader.postings(name, v).all_ids()}
        assert set(np.flatnonzero(columns.any_of(name, chosen)).tolist()) == {
            d for d in expected if columns.live[d]
        }


@pytest.mark.parametrize("text", QUERIES)
def test_matches_and_scores_are_whooshs(searcher: Searcher, text: str) -> None:
    """The documents each compiled query matches, and (without phrases, which Whoosh
    scores its own way) their BM25F scores, within 2 %."""
    evaluator = Evaluator(searcher, Columns.build(searcher, SegmentCache()))
    compiled = compile_query(parse(text))
    for query in (compiled.required, compiled.excluded, compiled.boosts):
        if query is None:
            continue
        scored = evaluator.evaluate(query)
        theirs = to_whoosh(query)
        assert set(np.flatnonzero(scored.mask).tolist()) == set(theirs.docs(searcher)), query
        if "Sequence" in repr(theirs):
            continue
        expected = {hit.docnum: hit.score for hit in searcher.search(theirs, limit=None)}
        got = {int(d): float(scored.score[d]) for d in np.flatnonzero(scored.mask)}
        assert got.keys() == expected.keys()
        if searcher.reader().has_deletions():
            continue  # Whoosh counts deleted documents in its statistics (see below)
        # the average field length is taken from the lengths Whoosh keeps per document
        # (one byte each): close to Whoosh's, not equal
        assert all(np.isclose(got[d], expected[d], rtol=0.02) for d in got), query


def scores_by_id(index_dir: Path, text: str) -> dict[str, float]:
    with IndexStore(index_dir).open().searcher() as searcher:
        columns = Columns.build(searcher, SegmentCache())
        ranking = compile_query(parse(text)).required
        assert ranking is not None
        scored = Evaluator(searcher, columns).evaluate(ranking)
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
        before = {id(arrays) for _, _, arrays in cache.arrays(first)}
    page = sorted(content.glob("pages/*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nMot zanzibarique.\n", "utf-8")
    update_index(content, store)
    with store.open().searcher() as second:
        segments = cache.arrays(second)
        columns = Columns.build(second, cache)
        assert len(segments) == 2
        assert {id(arrays) for _, _, arrays in segments} & before
        assert (
            Evaluator(second, columns).matches(compile_query(parse("zanzibarique")).required).sum()
            == 1
        )


def test_ranks_merged_from_segments_are_a_full_sort(several_segments: Path) -> None:
    """Title and id order, merged from each segment's sorted keys, order the live
    documents as sorting them all at once would."""
    with IndexStore(several_segments).open().searcher() as searcher:
        columns = Columns.build(searcher, SegmentCache())
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
        columns = Columns.build(searcher, SegmentCache())
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
    columns = Columns.build(searcher, SegmentCache())
    shared = Evaluator(searcher, columns)
    classes = [None, frozenset({"public"})]
    for text in QUERIES + QUERIES[::-1]:
        query = compile_query(parse(text)).required
        if query is None:
            continue
        for visibility in classes:
            mask = columns.live if visibility is None else columns.any_of("access", visibility)
            fresh = Evaluator(searcher, columns)
            with shared.within(visibility, mask), fresh.within(visibility, mask):
                got, expected = shared.evaluate(query), fresh.evaluate(query)
            assert np.array_equal(got.mask, expected.mask), (text, visibility)
            assert np.array_equal(got.score, expected.score), (text, visibility)
