"""Scores reveal nothing of hidden documents: what a viewer observes (results, order,
scores, totals, facets, suggestions) is what a repository holding only the documents
that viewer may see would give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from docrepo.access import ANONYMOUS, Viewer
from docrepo.indexing.pipeline import update_index
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.store.writing import IndexStore
from support.trees import MakeTree, doc, write_tree

PUBLIC = {
    "pub/a.md": doc("Alpha", "alpha alpha texte commun."),
    "pub/b.md": doc("Beta", "beta beta texte commun."),
}
INTERNAL = {
    f"int/{n}.md": doc(f"Interne {n}", "alpha texte interne commun.", access="internal")
    for n in range(3)
}
QUERIES = [
    "alpha OR beta",
    "alpha",
    "texte commun",
    '"texte commun"',
    "alpa",
    "alph",
    "beta -alpha",
]


def answers(index: Path, viewer: Viewer) -> list[Any]:
    library = Library(index)
    found = []
    for q in QUERIES:
        for prefix in ("", "last"):
            params = {"q": [q], "prefix": [prefix]} if prefix else {"q": [q]}
            r = library.search(SearchRequest.from_params(params), viewer)
            found.append((
                q, prefix, r.total, r.suggestion, r.corrected, r.relaxed,
                [(h.record["id"], None if h.score is None else round(h.score, 9), h.missing)
                 for h in r.hits],
                {k: [(v.value, v.count) for v in vs] for k, vs in r.facets.items()},
            ))  # fmt: skip
    return found


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_viewer_observes_what_a_repository_of_their_documents_gives(
    make_tree: MakeTree, tmp_path: Path, signed_in: bool
) -> None:
    content = make_tree({**PUBLIC, **INTERNAL})
    update_index(content, IndexStore(tmp_path / "all"))
    viewer = Viewer(user="alice") if signed_in else ANONYMOUS
    visible = {**PUBLIC, **INTERNAL} if signed_in else PUBLIC
    (tmp_path / "only").mkdir()
    own = write_tree(tmp_path / "only", dict(visible))
    update_index(own, IndexStore(tmp_path / "own"))
    assert answers(tmp_path / "all", viewer) == answers(tmp_path / "own", viewer)


def test_the_public_files_score_alike_whatever_the_internal_ones_hold(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """The issue's case: anonymous `alpha OR beta` scores both public files alike."""
    content = make_tree({**PUBLIC, **INTERNAL})
    update_index(content, IndexStore(tmp_path / "index"))
    result = Library(tmp_path / "index").search(SearchRequest(q="alpha OR beta"), ANONYMOUS)
    scores = {h.record["id"]: h.score for h in result.hits}
    assert set(scores) == {"pub/a", "pub/b"}
    assert scores["pub/a"] == pytest.approx(scores["pub/b"])
