"""The index side (SPEC §8): incremental updates, relations, generations, concurrency."""

from __future__ import annotations

import gc
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, MakeTree, front_matter
from index_support import (
    assert_equals_fresh_rebuild,
    current_name,
    damage,
    load_manifest,
    stored_records,
)

import docrepo.indexing.pipeline as index_module
from docrepo import schema
from docrepo.access import EVERYONE
from docrepo.content.taxonomy import load_taxonomy
from docrepo.indexing.pipeline import UpdateSummary, update_index
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.store.manifest import MANIFESTS
from docrepo.store.writing import IndexStore

# --------------------------------------------------------------------------- helpers


def doc(title: str, body: str = "Texte du document.", **fields: object) -> str:
    """A valid page (or any type given in fields) with this title and body."""
    return front_matter(body, title=title, **fields)


def decision(title: str, reference: str, body: str = "Texte.", **fields: object) -> str:
    """A valid decision: dated, with a reference."""
    fields.setdefault("date", "2024-01-15")
    return front_matter(body, title=title, type="decision", reference=reference, **fields)


def invalid(title: str = "Cassé") -> str:
    """A document with an unknown field: never valid."""
    return front_matter("Texte cassé.", title=title, institue="INSB")


def update(content: Path, index_dir: Path, rebuild: bool = False) -> UpdateSummary:
    return update_index(content, IndexStore(index_dir), rebuild=rebuild)


def counts(summary: UpdateSummary) -> tuple[int, int, int, int]:
    """(added, updated, deleted, invalid) of a run."""
    return summary.added, summary.updated, summary.deleted, summary.invalid


def library(content: Path, index_dir: Path) -> Library:
    taxonomy, _ = load_taxonomy(content)
    return Library(index_dir)


def found(lib: Library, q: str = "", **filters: str) -> set[str]:
    """Ids of every document a search finds (as the command line sees them)."""
    params = {"q": [q], "per_page": ["100"], **{k: [v] for k, v in filters.items()}}
    result = lib.search(SearchRequest.from_params(params), EVERYONE)
    return {hit.record["id"] for hit in result.hits}


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.glob("gen-*"))


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


THREE = {
    "a.md": doc("Alpha", "Le télétravail des agents."),
    "b.md": doc("Beta", "Les missions à l'étranger."),
    "sub/c.md": doc("Gamma", "Les achats publics."),
}

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
    lib = library(content, index_dir)
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
    lib = library(content, index_dir)
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
    lib = library(content, index_dir)
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
    lib = library(content, index_dir)
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
    lib = library(content, index_dir)
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
    assert found(library(content, index_dir), "cassé") == set()


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
    lib = library(content, index_dir)
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
    lib = library(content, index_dir)
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
    lib = library(content, index_dir)
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
    assert found(library(content, index_dir), "Delta") == {"d"}


# --------------------------------------------------------------------------- generations


def test_rebuild_swaps_a_new_generation_and_keeps_only_the_previous_one(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """`rebuild=True` builds a new generation, points CURRENT at it, keeps one older one."""
    content = make_tree(THREE)
    update(content, index_dir)
    first = current_name(index_dir)
    lib = library(content, index_dir)
    assert found(lib) == {"a", "b", "sub/c"}

    summary = update(content, index_dir, rebuild=True)
    assert summary.rebuilt
    assert counts(summary) == (3, 0, 0, 0)
    second = current_name(index_dir)
    assert second != first
    assert generations(index_dir) == sorted([first, second])
    assert not (index_dir / "CURRENT.tmp").exists()
    assert found(lib) == {"a", "b", "sub/c"}

    update(content, index_dir, rebuild=True)
    third = current_name(index_dir)
    assert generations(index_dir) == sorted([second, third])
    assert found(library(content, index_dir)) == {"a", "b", "sub/c"}
    assert found(lib) == {"a", "b", "sub/c"}


def test_rebuild_without_a_taxonomy_file_keeps_every_document(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """taxonomy.yml deleted: every file fails to validate, and keeps its last valid
    version, through an update and then a rebuild (files that did not change included)."""
    content = make_tree(THREE)
    update(content, index_dir)
    (content / "taxonomy.yml").unlink()
    assert update(content, index_dir).invalid == 3
    assert set(stored_records(index_dir)) == {"a", "b", "sub/c"}
    summary = update(content, index_dir, rebuild=True)
    assert summary.rebuilt and summary.invalid == 3
    assert set(stored_records(index_dir)) == {"a", "b", "sub/c"}


def test_a_forgotten_manifest_is_read_again_from_disk(make_tree: MakeTree, index_dir: Path) -> None:
    """What `serve --no-watch` does after its first indexing pass: nothing stays cached,
    and the manifest still reads the same."""
    content = make_tree(THREE)
    update(content, index_dir)
    generation = IndexStore(index_dir).current()
    assert generation is not None
    cached = MANIFESTS.load(generation.path)
    assert cached is not None and MANIFESTS.load(generation.path) is cached
    MANIFESTS.forget()
    again = MANIFESTS.load(generation.path)
    assert again is not None and again is not cached
    assert again.entries == cached.entries and again.derived == cached.derived
    assert update(content, index_dir).updated == 0


def test_a_reader_on_the_old_generation_keeps_answering_after_a_swap(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """A searcher opened before a rebuild still reads its (kept) generation afterwards."""
    content = make_tree(THREE)
    update(content, index_dir)
    store = IndexStore(index_dir)
    old = store.open()
    with old.searcher() as searcher:
        update(content, index_dir, rebuild=True)
        assert {f["id"] for f in searcher.all_stored_fields()} == {"a", "b", "sub/c"}


def test_rebuild_keeps_the_last_valid_version_of_an_invalid_file(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """A rebuild salvages, from the previous generation, files that are broken now."""
    content = make_tree(THREE)
    update(content, index_dir)
    (content / "b.md").write_text(invalid("Beta cassé"), "utf-8")
    update(content, index_dir)

    summary = update(content, index_dir, rebuild=True)
    assert summary.rebuilt
    assert summary.invalid == 1
    assert {p.path for p in summary.problems} == {"b.md"}
    records = stored_records(index_dir)
    assert set(records) == {"a", "b", "sub/c"}
    assert records["b"]["title"] == "Beta"
    assert found(library(content, index_dir), "étranger") == {"b"}

    # and once more: the salvaged version survives a second rebuild
    update(content, index_dir, rebuild=True)
    assert stored_records(index_dir)["b"]["title"] == "Beta"


def test_a_schema_version_mismatch_in_the_manifest_triggers_a_rebuild(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """An index whose manifest has another schema version is rebuilt at the next update."""
    content = make_tree(THREE)
    update(content, index_dir)
    db = sqlite3.connect(index_dir / current_name(index_dir) / "manifest.sqlite")
    with db:  # as an older docrepo would have written it (a new revision: caches reload)
        db.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'",
            (str(schema.SCHEMA_VERSION - 1),),
        )
        db.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")
    db.close()
    assert load_manifest(index_dir) is None

    summary = update(content, index_dir)
    assert summary.rebuilt
    assert counts(summary) == (3, 0, 0, 0)
    assert load_manifest(index_dir) is not None
    assert found(library(content, index_dir)) == {"a", "b", "sub/c"}


def test_a_new_schema_version_triggers_a_rebuild_then_updates_incrementally(
    make_tree: MakeTree, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bumping SCHEMA_VERSION rebuilds once; the next run is incremental again."""
    content = make_tree(THREE)
    update(content, index_dir)
    before = current_name(index_dir)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    summary = update(content, index_dir)
    assert summary.rebuilt
    assert current_name(index_dir) != before
    again = update(content, index_dir)
    assert not again.rebuilt
    assert counts(again) == (0, 0, 0, 0)


def update_on_damaged_index(content: Path, index_dir: Path, damaged: Path) -> UpdateSummary | str:
    """Run an update; an exception comes back as text, its traceback already dropped.

    Whoosh leaves the file it was reading open when a .toc or .seg is truncated
    (TOC.read, CompoundStorage): the garbage collector closes it and warns. Only that
    third-party warning, about a file of the damaged generation, is tolerated here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", f"unclosed file .*{re.escape(str(damaged))}", ResourceWarning
        )
        try:
            return update(content, index_dir)
        except Exception as exc:  # the caller asserts there was none
            return f"update_index raised {type(exc).__name__}: {exc}"
        finally:
            gc.collect()


def _damage(index_dir: Path, how: str) -> None:
    generation = index_dir / current_name(index_dir)
    if how == "garbage-current":
        (index_dir / "CURRENT").write_bytes(b"\x00\xff\xfe garbage \x80\n")
        return
    if how == "unknown-current":
        (index_dir / "CURRENT").write_text("gen-that-does-not-exist", "utf-8")
        return
    damage(generation, how)


@pytest.mark.parametrize(
    "how",
    [
        "delete-seg",
        "truncate-seg",
        "delete-toc",
        "truncate-toc",
        "garbage-current",
        "unknown-current",
    ],
)
def test_a_damaged_generation_is_rebuilt_at_the_next_update(
    make_tree: MakeTree, index_dir: Path, how: str
) -> None:
    """An index that no longer opens is rebuilt by the next update and then answers."""
    content = make_tree(THREE)
    update(content, index_dir)
    damaged = index_dir / current_name(index_dir)
    _damage(index_dir, how)
    summary = update_on_damaged_index(content, index_dir, damaged)
    assert isinstance(summary, UpdateSummary), summary
    assert summary.rebuilt
    assert counts(summary) == (3, 0, 0, 0)
    assert set(stored_records(index_dir)) == {"a", "b", "sub/c"}
    assert found(library(content, index_dir), "télétravail") == {"a"}
    assert not update(content, index_dir).rebuilt


# --------------------------------------------------------------------------- readers


def test_a_library_sees_commits_without_being_recreated(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """One Library object follows incremental commits and generation swaps."""
    content = make_tree(THREE)
    update(content, index_dir)
    lib = library(content, index_dir)
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
    lib = library(content, index_dir)
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


# --------------------------------------------------------------------------- writers


def _change_tree(content: Path) -> None:
    """A batch of edits of every kind, as a `git pull` would bring."""
    (content / "a.md").write_text(doc("Alpha 2", "Le télétravail révisé."), "utf-8")
    (content / "b.md").unlink()
    for i in range(15):
        (content / "lot" / f"x{i}.md").parent.mkdir(exist_ok=True)
        (content / "lot" / f"x{i}.md").write_text(doc(f"Lot {i}", f"Pièce {i}."), "utf-8")
    (content / "old.md").write_text(decision("Ancienne", "DEC200001DAJ"), "utf-8")
    (content / "new.md").write_text(
        decision("Nouvelle", "DEC240002DAJ", supersedes=["DEC200001DAJ"]), "utf-8"
    )


def test_a_second_writer_waits_for_the_lock_instead_of_failing(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """While the writer lock is held, update_index blocks; it proceeds once it is released."""
    content = make_tree(THREE)
    update(content, index_dir)
    (content / "d.md").write_text(doc("Delta"), "utf-8")
    results: list[UpdateSummary | BaseException] = []

    def run() -> None:
        try:
            results.append(update(content, index_dir))
        except BaseException as exc:  # reported below
            results.append(exc)

    with IndexStore(index_dir).writer_lock():
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive(), "the second writer did not wait for the lock"
    thread.join(30)
    assert not thread.is_alive()
    assert len(results) == 1 and isinstance(results[0], UpdateSummary), results
    assert results[0].added == 1


def test_two_writer_threads_at_once_both_succeed_and_equal_a_rebuild(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """Two threads updating the same index both succeed and leave it equal to a rebuild."""
    content = make_tree(THREE)
    update(content, index_dir)
    _change_tree(content)
    results: list[UpdateSummary | BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            results.append(update(content, index_dir))
        except BaseException as exc:  # reported below
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(isinstance(r, UpdateSummary) for r in results), results
    assert len(results) == 2
    summaries = sorted(counts(r) for r in results if isinstance(r, UpdateSummary))
    assert summaries == [(0, 0, 0, 0), (17, 1, 1, 0)]
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)


WRITER = """
import sys
from pathlib import Path
from docrepo.indexing.pipeline import update_index
from docrepo.store.writing import IndexStore
print("ready", flush=True)
summary = update_index(Path(sys.argv[1]), IndexStore(Path(sys.argv[2])))
print(summary.line(), flush=True)
"""


def test_two_writer_processes_at_once_both_succeed_and_equal_a_rebuild(
    make_tree: MakeTree, index_dir: Path, tmp_path: Path
) -> None:
    """Two processes indexing at once both exit 0 (one waits) and the index equals a rebuild."""
    content = make_tree(THREE)
    update(content, index_dir)
    _change_tree(content)
    command = [sys.executable, "-c", WRITER, str(content), str(index_dir)]
    with IndexStore(index_dir).writer_lock():
        processes = [
            subprocess.Popen(
                command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
        time.sleep(0.3)  # both are now queued on the lock
    outputs = [process.communicate(timeout=60) for process in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err
    lines = sorted(out.strip() for out, _ in outputs)
    assert lines[0].startswith("0 added, 0 updated, 0 deleted, 0 invalid")
    assert lines[1].startswith("17 added, 1 updated, 1 deleted, 0 invalid")
    assert_equals_fresh_rebuild(content, index_dir, tmp_path)
