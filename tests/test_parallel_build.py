"""A rebuild of many files shares the work among processes and indexes what one would.

From `PARALLEL_FROM` files, a rebuild started from a main thread reads the files in a
pool of processes and writes one segment per process; the result must be the index
that a rebuild in one process makes: same documents, records, relations and problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from index_support import assert_equals_fresh_rebuild

from benchmarks.generate import generate
from docrepo import index
from docrepo.access import EVERYONE
from docrepo.index import IndexStore, update_index
from docrepo.search import Library, SearchRequest
from docrepo.taxonomy import load_taxonomy

DOCS = 1200


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("parallel") / "content"
    generate(content, DOCS, seed=3)
    return content


def test_a_parallel_rebuild_equals_one_made_in_one_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parallel = tmp_path / "parallel-index"
    summary = update_index(corpus, IndexStore(parallel), rebuild=True)
    assert summary.added > index.PARALLEL_FROM
    with IndexStore(parallel).open().searcher() as searcher:
        assert len(list(searcher.reader().leaf_readers())) > 1  # one segment per process
    monkeypatch.setattr(index, "PARALLEL_FROM", 10**9)  # the reference: one process
    assert_equals_fresh_rebuild(corpus, parallel, tmp_path)


def test_a_parallel_rebuild_is_searchable_and_updatable(corpus: Path, tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index")
    built = update_index(corpus, store, rebuild=True)
    probe = corpus / "pages" / "parallel-probe.md"
    probe.parent.mkdir(exist_ok=True)
    probe.write_text("---\ntitle: Sonde\ntype: page\n---\n\nMot xylophonique.\n", "utf-8")
    try:
        update_index(corpus, store, paths=["pages/parallel-probe.md"])
        library = Library(store.root, load_taxonomy(corpus)[0])
        try:
            found = library.search(SearchRequest(q="xylophonique"), EVERYONE)
            assert [h.record["id"] for h in found.hits] == ["pages/parallel-probe"]
            assert library.search(SearchRequest(), EVERYONE).total == built.added + 1
        finally:
            library.close()
    finally:
        probe.unlink()
