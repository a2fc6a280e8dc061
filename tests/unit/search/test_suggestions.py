"""Suggestions and corrections depend only on the live documents, as a fresh rebuild
would give them, whatever the index's history."""

from __future__ import annotations

from pathlib import Path

from docrepo.access import EVERYONE
from docrepo.indexing.pipeline import update_index
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.search.suggestions import distance
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
    assert suggestion(live, "eartj") == suggestion(live, "earht") == "earth"  # swapped too
    (content / "a.md").write_text(doc("Glossaire", "The moon alone."), encoding="utf-8")
    update_index(content, IndexStore(live))
    fresh = tmp_path / "fresh"
    update_index(content, IndexStore(fresh), rebuild=True)
    assert suggestion(live, "eartj") is None is suggestion(fresh, "eartj")
    assert suggestion(live, "presonnel") == suggestion(fresh, "presonnel") == "personnel"


def test_a_parallel_rebuild_suggests_as_a_single_process_one(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """The candidates of a correction come from docrepo's own arrays, segment by segment,
    and the choice is the closest, then the most frequent, then the first: an index of
    several segments corrects as one of a single segment."""
    files = {f"d{i}.md": doc(f"Doc {i}", "beneficiaries beneficiaires") for i in range(3)}
    content = make_tree(files)
    one = tmp_path / "one"
    update_index(content, IndexStore(one))
    (content / "d9.md").write_text(doc("Autre", "beneficiaires seulement"), encoding="utf-8")
    update_index(content, IndexStore(one))  # a second segment
    fresh = tmp_path / "fresh"
    update_index(content, IndexStore(fresh), rebuild=True)
    for typo in ("beeficiaries", "benefciaires", "beneficaires"):
        assert suggestion(one, typo) == suggestion(fresh, typo), typo
    assert suggestion(fresh, "beeficiaries") == "beneficiaries"


def test_distance_counts_a_swap_as_one_edit() -> None:
    assert distance("earht", "earth", 2) == 1
    assert distance("eartj", "earth", 2) == 1
    assert distance("abcdef", "abcdef", 1) == 0
    assert distance("abcdef", "xyzdef", 1) == 2  # above the limit: limit + 1
