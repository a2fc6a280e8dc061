"""A reader answers a whole request from one commit, whatever lands meanwhile."""

from __future__ import annotations

from pathlib import Path

from docrepo.access import ANONYMOUS, EVERYONE
from docrepo.indexing.pipeline import update_index
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.search.result import ProblemReport
from docrepo.store.writing import IndexStore
from support.trees import MakeTree, front_matter


def test_a_reader_keeps_its_commit_while_a_new_one_lands(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A reader taken before a commit still reads the document, its links and its search
    results as they were; a reader taken after sees the commit."""
    content = make_tree(
        {
            "a.md": front_matter("Voir [b](b.md).", title="Alpha"),
            "b.md": front_matter("Texte lié.", title="Bêta"),
        }
    )
    store = IndexStore(tmp_path / "index")
    update_index(content, store)
    library = Library(store.root)
    before = library.reader()
    (content / "b.md").unlink()
    update_index(content, store)
    after = library.reader()

    alpha = before.document("a", EVERYONE)
    assert alpha is not None and before.document("b", EVERYONE) is not None
    assert [r["id"] for r in before.neighbours(alpha, EVERYONE)["links_out"]] == ["b"]
    assert before.search(SearchRequest(q="lié"), EVERYONE).total == 1
    assert before.document_count() == 2

    assert after.document("b", EVERYONE) is None
    assert after.search(SearchRequest(q="lié"), EVERYONE).total == 0
    assert after.document_count() == 1


def test_problems_and_health_come_from_the_reader(make_tree: MakeTree, tmp_path: Path) -> None:
    """The reader says how many files are invalid and lists their problems to a signed-in
    editor, hiding from anonymous viewers the files never valid (their access is unknown)."""
    content = make_tree({"ok.md": front_matter(), "bad.md": "---\ntitle: x\n---\n\nTexte\n"})
    update_index(content, IndexStore(tmp_path / "index"))
    reader = Library(tmp_path / "index").reader()
    health = reader.health()
    assert health is not None and health.invalid == 1
    report = reader.problems(EVERYONE)
    assert [(s.problem.path, s.published) for s in report.problems] == [("bad.md", False)]
    assert report.unpublished == 0
    assert reader.problems(ANONYMOUS) == ProblemReport([], unpublished=1)
