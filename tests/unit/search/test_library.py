"""A `Library` follows the index as it is updated: commits and generation swaps, while
searches run."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from docrepo.access import EVERYONE
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from support.index import THREE, found, update
from support.trees import MakeTree, doc


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def test_a_library_sees_commits_without_being_recreated(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """One Library object follows incremental commits and generation swaps."""
    content = make_tree(THREE)
    update(content, index_dir)
    lib = Library(index_dir)
    assert found(lib, "formation") == set()

    (content / "d.md").write_text(doc("Delta", "La formation continue."), "utf-8")
    update(content, index_dir)
    assert found(lib, "formation") == {"d"}

    (content / "d.md").write_text(doc("Delta", "La restauration collective."), "utf-8")
    update(content, index_dir)
    assert found(lib, "formation") == set()
    assert found(lib, "restauration") == {"d"}

    (content / "a.md").unlink()
    update(content, index_dir, rebuild=True)
    assert found(lib) == {"b", "sub/c", "d"}


def test_a_library_keeps_answering_while_the_index_is_updated(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """Searches run without error during a stream of commits and swaps, then see the result."""
    content = make_tree(
        {f"d{i}.md": doc(f"Doc {i}", f"Texte {i} sur le télétravail.") for i in range(20)}
    )
    update(content, index_dir)
    lib = Library(index_dir)
    errors: list[BaseException] = []
    done = threading.Event()

    def write() -> None:
        try:
            for n in range(12):
                (content / f"n{n}.md").write_text(doc(f"Nouveau {n}", "Du télétravail."), "utf-8")
                update(content, index_dir, rebuild=n % 4 == 3)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            done.set()

    writer = threading.Thread(target=write)
    writer.start()
    totals: list[int] = []
    try:
        while not done.is_set():
            request = SearchRequest.from_params({"q": ["télétravail"]})
            totals.append(lib.search(request, EVERYONE).total)
    finally:
        writer.join()
    assert errors == []
    assert totals and all(20 <= t <= 32 for t in totals)
    assert totals == sorted(totals), "a search went back to an older state"
    assert lib.search(SearchRequest.from_params({"q": ["télétravail"]}), EVERYONE).total == 32
