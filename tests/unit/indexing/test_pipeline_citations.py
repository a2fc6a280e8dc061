"""Citations through the indexer: a reference written in a text links to the document
claiming it, both ways, and follows that document as it is added, changed and deleted,
without the citing file being read again; the index always equals a fresh rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docrepo.access import EVERYONE
from docrepo.search.library import Library
from support.index import assert_equals_fresh_rebuild, update
from support.trees import MakeTree, decision, doc

CITING = doc("Note", "Vu la décision DEC 240187 DAJ et la note `NOT240002DRH`.")
CITED_LINK = '<a class="citation" data-reference="DEC240187DAJ" data-doc="dec/new">'


def record(index_dir: Path, doc_id: str) -> dict[str, Any]:
    found = Library(index_dir).reader().document(doc_id, EVERYONE)
    assert found is not None, doc_id
    return found


def test_a_citation_appears_moves_and_goes_with_the_cited_document(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """The citing text is linked when the cited document comes, follows it when its
    reference moves to another file, and is plain text again when it goes; only the
    cited files are read."""
    index_dir = tmp_path / "index"
    content = make_tree({"note.md": CITING})
    update(content, index_dir)
    before = record(index_dir, "note")
    assert before["cites"] == [] and "<a " not in before["html"]
    assert 'data-reference="DEC240187DAJ">DEC 240187 DAJ</span>' in before["html"]

    (content / "dec").mkdir()
    (content / "dec/new.md").write_text(decision("Décision", "DEC240187DAJ"), "utf-8")
    summary = update(content, index_dir)
    assert (summary.added, summary.updated) == (1, 0)
    note = record(index_dir, "note")
    assert note["cites"] == ["dec/new"]
    assert f"{CITED_LINK}DEC 240187 DAJ</a>" in note["html"]
    assert record(index_dir, "dec/new")["cited_by"] == ["note"]
    assert_equals_fresh_rebuild(content, index_dir, tmp_path / "a")

    (content / "dec/new.md").write_text(decision("Décision", "DEC240999DAJ"), "utf-8")
    (content / "dec/other.md").write_text(decision("Autre", "DEC240187DAJ"), "utf-8")
    summary = update(content, index_dir)
    assert (summary.added, summary.updated) == (1, 1)
    note = record(index_dir, "note")
    assert note["cites"] == ["dec/other"]
    assert 'data-doc="dec/other">DEC 240187 DAJ</a>' in note["html"]
    assert record(index_dir, "dec/new")["cited_by"] == []
    assert_equals_fresh_rebuild(content, index_dir, tmp_path / "b")

    (content / "dec/other.md").unlink()
    update(content, index_dir)
    note = record(index_dir, "note")
    assert note["cites"] == [] and note["html"] == before["html"]
    assert_equals_fresh_rebuild(content, index_dir, tmp_path / "c")


def test_a_text_does_not_cite_itself_nor_what_names_nothing(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A text's own reference, and a reference no document claims, are not citations."""
    index_dir = tmp_path / "index"
    content = make_tree(
        {"dec.md": decision("Décision", "DEC240187DAJ", "La présente DEC240187DAJ.")}
    )
    update(content, index_dir)
    own = record(index_dir, "dec")
    assert own["cites"] == [] and own["cited_by"] == [] and "<a " not in own["html"]


def test_citing_a_text_that_becomes_repealed_is_warned_of(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """A text in force citing one that another text comes to supersede gets a warning,
    which goes when the superseding text does; the citing file is not read again."""
    index_dir = tmp_path / "index"
    content = make_tree(
        {
            "old.md": decision("Ancienne", "DEC201155DAJ"),
            "note.md": doc("Note", "Texte.\n\nEn application de DEC201155DAJ.\n"),
        }
    )
    assert update(content, index_dir).problems == []
    superseding = decision(
        "Nouvelle", "DEC240187DAJ", supersedes=["DEC201155DAJ"], date="2024-03-12"
    )
    (content / "new.md").write_text(superseding, "utf-8")
    summary = update(content, index_dir)
    assert [str(p) for p in summary.problems] == [
        "note.md:8: warning: cites DEC201155DAJ, repealed by DEC240187DAJ since 2024-03-12"
    ]
    assert summary.updated == 0
    assert_equals_fresh_rebuild(content, index_dir, tmp_path / "a")
    (content / "new.md").unlink()
    assert update(content, index_dir).problems == []
