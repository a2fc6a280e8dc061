"""A `Library` follows the index as it is updated: commits and generation swaps, while
searches run."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from docrepo.access import ANONYMOUS, EVERYONE
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.search.result import ProblemReport
from docrepo.search.snapshot import Snapshot
from docrepo.store.generations import Generation, IndexDirectory
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


def test_searches_read_the_served_snapshot_while_a_new_generation_is_verified(
    make_tree: MakeTree, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a swap, the request that verifies the new generation's files (some 800 MB
    at 100,000 documents) is the only one to wait: meanwhile the others search the
    generation served until then; once verified, the new one serves."""
    content = make_tree(THREE)
    update(content, index_dir)
    lib = Library(index_dir)
    assert found(lib, "formation") == set()
    old = lib.reader().snapshot.generation
    (content / "d.md").write_text(doc("Delta", "La formation continue."), "utf-8")
    update(content, index_dir, rebuild=True)
    new = IndexDirectory(index_dir).current()
    assert new is not None and new != old

    verifying, verified = threading.Event(), threading.Event()
    checked = Generation.damage

    def slow_damage(generation: Generation, again: bool = False) -> str | None:
        if generation == new:
            verifying.set()
            verified.wait(timeout=20)
        return checked(generation, again)

    monkeypatch.setattr(Generation, "damage", slow_damage)
    renewing = threading.Thread(target=lib.reader)
    renewing.start()
    try:
        assert verifying.wait(timeout=20)
        answers: list[set[str]] = []
        other = threading.Thread(target=lambda: answers.append(found(lib, "formation")))
        other.start()
        other.join(timeout=5)
        assert not other.is_alive(), "a search waited for the new generation's verification"
        assert answers == [set()]  # the old generation answered
    finally:
        verified.set()
        renewing.join(timeout=20)
    assert found(lib, "formation") == {"d"}


def test_an_anonymous_list_of_problems_leaves_searches_running(
    make_tree: MakeTree, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listing the problems an anonymous reader may see looks for the links of public
    texts to hidden ones: it reads no hidden document's stored record (each one slow
    here, as 50,000 of them are at 100,000 documents), and never holds the snapshot
    for long: a search started meanwhile answers at once."""
    hidden = {
        f"i{n}.md": doc(f"Interne {n}", "Note interne.", access="internal") for n in range(40)
    }
    content = make_tree(
        {**hidden, "p.md": doc("Publique", "Voir [la note](i7.md) sur le télétravail.")}
    )
    update(content, index_dir)
    lib = Library(index_dir)
    stored = Snapshot.record

    def slow_record(snapshot: Snapshot, docnum: int) -> dict[str, Any]:
        time.sleep(0.05)
        return stored(snapshot, docnum)

    monkeypatch.setattr(Snapshot, "record", slow_record)
    listing = threading.Event()
    reports: list[ProblemReport] = []

    def problems() -> None:
        listing.set()
        reports.append(lib.reader().problems(ANONYMOUS))

    lister = threading.Thread(target=problems)
    lister.start()
    try:
        assert listing.wait(timeout=10)
        time.sleep(0.2)
        started = time.perf_counter()
        lib.search(SearchRequest.from_params({"q": ["télétravail"]}), ANONYMOUS)
        waited = time.perf_counter() - started
    finally:
        lister.join(timeout=30)
    assert waited < 1.0, f"a search waited {waited:.1f} s for the list of problems"
    # the public text's link to a text hidden from the reader reads as a missing file
    assert [(p.problem.path, p.problem.line) for p in reports[0].problems] == [("p.md", 6)]
