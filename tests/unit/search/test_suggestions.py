"""Suggestions and corrections depend only on the live documents, as a fresh rebuild
would give them, whatever the index's history."""

from __future__ import annotations

from pathlib import Path

from docrepo.access import EVERYONE
from docrepo.indexing.pipeline import update_index
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.store.writing import IndexStore
from support.trees import MakeTree, doc


def suggestion(index_dir: Path, q: str) -> str | None:
    return Library(index_dir).search(SearchRequest(q=q), EVERYONE).suggestion


def test_a_word_only_a_replaced_version_held_is_not_suggested(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A word removed by an edit (its old version only marked deleted in the index) is
    never suggested, as a fresh rebuild would not; a word still held is."""
    content = make_tree(
        {
            "a.md": doc("Glossaire", "The earth and the moon."),
            "b.md": doc("Autre", "Le personnel des unités."),
        }
    )
    live = tmp_path / "live"
    update_index(content, IndexStore(live))
    assert suggestion(live, "eartj") == "earth"
    (content / "a.md").write_text(doc("Glossaire", "The moon alone."), encoding="utf-8")
    update_index(content, IndexStore(live))
    fresh = tmp_path / "fresh"
    update_index(content, IndexStore(fresh), rebuild=True)
    assert suggestion(live, "eartj") is None is suggestion(fresh, "eartj")
    assert suggestion(live, "presonnel") == suggestion(fresh, "presonnel") == "personnel"
