"""Updating the index (SPEC §8): incremental updates, relations, taxonomy changes."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

import docrepo.indexing.pipeline as index_module
from docrepo.access import EVERYONE
from docrepo.indexing.pipeline import update_index
from docrepo.search.library import Library
from docrepo.store.writing import IndexStore
from support.index import (
    THREE,
    assert_equals_fresh_rebuild,
    counts,
    found,
    load_manifest,
    stored_records,
    update,
)
from support.trees import MakeTree, decision, doc, front_matter, invalid


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


# --------------------------------------------------------------------------- incremental


def test_first_run_adds_every_valid_document_and_skips_drafts(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """A first run indexes every valid document, and no draft or hidden file."""
    content = make_tree(
        {
            **THREE,
            "brouillon.md": doc("Brouillon", "Un texte pas encore publié.", status="draft"),
            "_modeles/m.md": doc("Modèle"),
            ".cache/x.md": doc("Caché"),
        }
    )
    summary = update(content, index_dir)
    assert counts(summary) == (3, 0, 0, 0)
    assert summary.problems == []
    lib = Library(index_dir)
    assert found(lib) == {"a", "b", "sub/c"}
    assert found(lib, "publié") == set()
    assert lib.reader().document("brouillon", EVERYONE) is None
    assert set(stored_records(index_dir)) == {"a", "b", "sub/c"}


def test_second_run_without_change_touches_nothing(make_tree: MakeTree, index_dir: Path) -> None:
    """Running the index again over an unchanged tree adds, updates and deletes nothing."""
    content = make_tree(THREE)
    update(content, index_dir)
    before = stored_records(index_dir)
    summary = update(content, index_dir)
    assert counts(summary) == (0, 0, 0, 0)
    assert not summary.rebuilt
    assert stored_records(index_dir) == before


def test_editing_one_file_updates_only_it(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """Editing one file updates exactly that document, and its new text is searchable."""
    content = make_tree(THREE)
    update(content, index_dir)
    before = stored_records(index_dir)
    (content / "b.md").write_text(doc("Beta révisé", "Les déplacements en avion."), "utf-8")
    summary = update(content, index_dir)
    assert counts(summary) == (0, 1, 0, 0)
    after = stored_records(index_dir)
    assert after["b"]["title"] == "Beta révisé"
    assert after["a"] == before["a"] and after["sub/c"] == before["sub/c"]
    lib = Library(index_dir)
    assert found(lib, "avion") == {"b"}
    assert found(lib, "étranger") == set()
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)


def test_touching_a_file_without_changing_it_updates_nothing(
    make_tree: MakeTree, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new mtime with the same bytes updates nothing, and the new mtime is remembered."""
    content = make_tree(THREE)
    update(content, index_dir)
    later = time.time() + 100
    os.utime(content / "a.md", (later, later))
    assert counts(update(content, index_dir)) == (0, 0, 0, 0)

    parsed: list[str] = []
    real_parse = index_module.parse_file

    def counting_parse(path: Path, *args: Any) -> Any:
        parsed.append(path.name)
        return real_parse(path, *args)

    monkeypatch.setattr(index_module, "parse_file", counting_parse)
    assert counts(update(content, index_dir)) == (0, 0, 0, 0)
    assert parsed == [], "an unchanged file was read again"


def test_deleting_a_file_removes_it(make_tree: MakeTree, index_dir: Path, tmp_path: Path) -> None:
    """A deleted file's document leaves the index."""
    content = make_tree(THREE)
    update(content, index_dir)
    (content / "sub" / "c.md").unlink()
    assert counts(update(content, index_dir)) == (0, 0, 1, 0)
    lib = Library(index_dir)
    assert found(lib) == {"a", "b"}
    assert found(lib, "achats") == set()
    assert lib.reader().document("sub/c", EVERYONE) is None
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)


def test_renaming_a_file_is_a_delete_and_an_add(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """A renamed file counts as one deletion and one addition, under its new id."""
    content = make_tree(THREE)
    update(content, index_dir)
    (content / "archives").mkdir()
    os.replace(content / "a.md", content / "archives" / "a2.md")
    assert counts(update(content, index_dir)) == (1, 0, 1, 0)
    lib = Library(index_dir)
    assert found(lib, "télétravail") == {"archives/a2"}
    assert lib.reader().document("a", EVERYONE) is None
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)


def test_drafts_and_never_valid_files_count_in_neither_direction(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """A draft or never-valid file is not counted as added, nor as deleted when removed."""
    content = make_tree(THREE)
    update(content, index_dir)
    (content / "brouillon.md").write_text(doc("Brouillon", status="draft"), "utf-8")
    (content / "casse.md").write_text(invalid(), "utf-8")
    assert counts(update(content, index_dir)) == (0, 0, 0, 1)
    (content / "brouillon.md").unlink()
    (content / "casse.md").unlink()
    assert counts(update(content, index_dir)) == (0, 0, 0, 0)
    assert set(stored_records(index_dir)) == {"a", "b", "sub/c"}


def test_a_file_that_becomes_invalid_keeps_its_last_valid_version(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """A broken save keeps the last valid version searchable and reports the problem."""
    content = make_tree(THREE)
    update(content, index_dir)
    broken = front_matter("Les déplacements en avion.", title="Beta cassé", institue="INSB")
    (content / "b.md").write_text(broken, "utf-8")
    summary = update(content, index_dir)
    assert counts(summary) == (0, 0, 0, 1)
    assert [(p.path, p.level, p.field) for p in summary.problems] == [("b.md", "error", "institue")]
    manifest = load_manifest(index_dir)
    assert manifest is not None
    assert [p.path for p in manifest.problems()] == ["b.md"]
    assert manifest.invalid_paths() == ["b.md"]
    lib = Library(index_dir)
    assert found(lib, "étranger") == {"b"}
    assert found(lib, "avion") == set()
    record = lib.reader().document("b", EVERYONE)
    assert record is not None and record["title"] == "Beta"

    # a second run over the still-broken file keeps it (and still reports it)
    again = update(content, index_dir)
    assert counts(again) == (0, 0, 0, 1)
    assert found(lib, "étranger") == {"b"}

    (content / "b.md").write_text(doc("Beta corrigé", "Les déplacements en avion."), "utf-8")
    fixed = update(content, index_dir)
    assert counts(fixed) == (0, 1, 0, 0)
    assert fixed.problems == []
    manifest = load_manifest(index_dir)
    assert manifest is not None and manifest.problems() == []
    assert found(lib, "avion") == {"b"}
    assert found(lib, "étranger") == set()
    fixed_record = lib.reader().document("b", EVERYONE)
    assert fixed_record is not None and fixed_record["title"] == "Beta corrigé"


def test_a_file_that_was_never_valid_is_not_indexed(make_tree: MakeTree, index_dir: Path) -> None:
    """A file that never was valid is reported as invalid and is nowhere in the index."""
    content = make_tree({**THREE, "casse.md": invalid("Jamais valide")})
    summary = update(content, index_dir)
    assert counts(summary) == (3, 0, 0, 1)
    assert {p.path for p in summary.problems} == {"casse.md"}
    assert "casse" not in stored_records(index_dir)
    assert found(Library(index_dir), "cassé") == set()


def test_a_large_batch_of_changes_equals_a_rebuild(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """Hundreds of files changed at once (a git pull) leave the index equal to a rebuild."""
    content = make_tree(
        {f"lot/{i:03}.md": doc(f"Pièce {i}", f"Version un {i}.") for i in range(150)}
    )
    update(content, index_dir)
    for i in range(0, 50):
        (content / "lot" / f"{i:03}.md").write_text(doc(f"Pièce {i}", "Version deux."), "utf-8")
    for i in range(50, 100):
        (content / "lot" / f"{i:03}.md").unlink()
    for i in range(150, 200):
        (content / "lot" / f"{i:03}.md").write_text(doc(f"Pièce {i}", "Nouvelle."), "utf-8")
    os.replace(content / "lot", content / "lot2")
    summary = update(content, index_dir)
    assert counts(summary) == (150, 0, 150, 0)
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)


def test_an_update_limited_to_paths_follows_a_renamed_folder(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """With `paths` naming a folder's old and new names, the index equals a rebuild."""
    content = make_tree({**THREE, "sub/d.md": doc("Delta")})
    update(content, index_dir)
    os.replace(content / "sub", content / "moved")
    summary = update_index(content, IndexStore(index_dir), paths=["sub", "moved"])
    assert counts(summary) == (2, 0, 2, 0)
    assert set(stored_records(index_dir)) == {"a", "b", "moved/c", "moved/d"}
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)


def test_an_update_limited_to_paths_looks_only_at_them(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """`paths` updates the files named; the others wait for the next full scan."""
    content = make_tree(THREE)
    update(content, index_dir)
    (content / "a.md").write_text(doc("Alpha 2"), "utf-8")
    (content / "b.md").write_text(doc("Beta 2"), "utf-8")
    (content / "sub" / "c.md").unlink()
    summary = update_index(content, IndexStore(index_dir), paths=["a.md", "sub/c.md"])
    assert counts(summary) == (0, 1, 1, 0)
    records = stored_records(index_dir)
    assert records["a"]["title"] == "Alpha 2" and records["b"]["title"] == "Beta"
    assert counts(update(content, index_dir)) == (0, 1, 0, 0)
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)


# --------------------------------------------------------------------------- relations


@pytest.mark.parametrize("by", ["reference", "id"])
def test_supersedes_repeals_the_other_document_and_deleting_restores_it(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path, by: str
) -> None:
    """Adding a superseding text repeals the other without editing it; deleting it undoes that."""
    content = make_tree({"old.md": decision("Ancienne décision", "DEC200001DAJ")})
    update(content, index_dir)
    old_bytes = (content / "old.md").read_bytes()
    target = "DEC200001DAJ" if by == "reference" else "old"
    (content / "new.md").write_text(
        decision("Nouvelle décision", "DEC240002DAJ", supersedes=[target]), "utf-8"
    )
    summary = update(content, index_dir)
    assert summary.added == 1 and summary.problems == []
    lib = Library(index_dir)
    old = lib.reader().document("old", EVERYONE)
    assert old is not None
    assert old["status"] == "repealed"
    assert old["superseded_by"] == ["new"]
    new = lib.reader().document("new", EVERYONE)
    assert new is not None and new["supersedes"] == ["old"] and new["status"] == "in-force"
    assert found(lib, status="repealed") == {"old"}
    assert (content / "old.md").read_bytes() == old_bytes
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)

    (content / "new.md").unlink()
    summary = update(content, index_dir)
    assert summary.deleted == 1
    restored = lib.reader().document("old", EVERYONE)
    assert restored is not None
    assert restored["status"] == "in-force"
    assert restored["superseded_by"] == []
    assert found(lib, status="in-force") == {"old"}
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)


def test_amends_gives_amended_by_and_keeps_the_status(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """A text that amends another gives it `amended_by`, and it stays in force."""
    content = make_tree({"base.md": decision("Décision de base", "DEC210001MPR")})
    update(content, index_dir)
    (content / "modif.md").write_text(
        decision("Modification", "DEC240003MPR", amends=["DEC210001MPR"]), "utf-8"
    )
    update(content, index_dir)
    lib = Library(index_dir)
    base = lib.reader().document("base", EVERYONE)
    assert base is not None
    assert base["amended_by"] == ["modif"]
    assert base["status"] == "in-force"
    modif = lib.reader().document("modif", EVERYONE)
    assert modif is not None and modif["amends"] == ["base"]
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)

    (content / "modif.md").unlink()
    update(content, index_dir)
    base = lib.reader().document("base", EVERYONE)
    assert base is not None and base["amended_by"] == []


def test_renaming_a_superseded_document_keeps_the_relation(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """A relation by reference follows the superseded document to its new id."""
    content = make_tree(
        {
            "old.md": decision("Ancienne", "DEC200001DAJ"),
            "new.md": decision("Nouvelle", "DEC240002DAJ", supersedes=["DEC200001DAJ"]),
        }
    )
    update(content, index_dir)
    (content / "2020").mkdir()
    os.replace(content / "old.md", content / "2020" / "old.md")
    update(content, index_dir)
    lib = Library(index_dir)
    new = lib.reader().document("new", EVERYONE)
    assert new is not None and new["supersedes"] == ["2020/old"]
    moved = lib.reader().document("2020/old", EVERYONE)
    assert moved is not None and moved["status"] == "repealed"
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)


# --------------------------------------------------------------------------- taxonomy


def test_changing_the_taxonomy_rereads_every_document(make_tree: MakeTree, index_dir: Path) -> None:
    """Any change to taxonomy.yml re-reads all documents; a code it drops makes them invalid."""
    content = make_tree({**THREE, "d.md": doc("Delta", institutes=["INSB"])})
    update(content, index_dir)
    taxonomy = content / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text("utf-8") + "\n# relu\n", "utf-8")
    assert counts(update(content, index_dir)) == (0, 4, 0, 0)

    text = taxonomy.read_text("utf-8")
    taxonomy.write_text(
        "\n".join(line for line in text.splitlines() if "INSB:" not in line) + "\n", "utf-8"
    )
    summary = update(content, index_dir)
    assert summary.invalid == 1
    assert {(p.path, p.field) for p in summary.problems} == {("d.md", "institutes")}
    # the last valid version stays searchable
    assert found(Library(index_dir), "Delta") == {"d"}
