"""Generations of the index (SPEC §8): rebuilds swap a new one in and keep one older one,
the manifest and its schema version, a damaged generation rebuilt."""

from __future__ import annotations

import gc
import re
import sqlite3
import warnings
from pathlib import Path

import pytest

from docrepo import schema
from docrepo.indexing.pipeline import UpdateSummary
from docrepo.search.library import Library
from docrepo.store.manifest import MANIFESTS
from docrepo.store.writing import IndexStore
from support.index import (
    THREE,
    counts,
    current_name,
    damage,
    found,
    load_manifest,
    stored_records,
    update,
)
from support.trees import MakeTree, invalid


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.glob("gen-*"))


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def test_rebuild_swaps_a_new_generation_and_keeps_only_the_previous_one(
    make_tree: MakeTree, index_dir: Path
) -> None:
    """`rebuild=True` builds a new generation, points CURRENT at it, keeps one older one."""
    content = make_tree(THREE)
    update(content, index_dir)
    first = current_name(index_dir)
    lib = Library(index_dir)
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
    assert found(Library(index_dir)) == {"a", "b", "sub/c"}
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
    assert found(Library(index_dir), "étranger") == {"b"}

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
    assert found(Library(index_dir)) == {"a", "b", "sub/c"}


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

    Whoosh leaves the file it was reading open when a .toc or a column is truncated
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
        "delete-drp",
        "truncate-drd",
        "truncate-drp",
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
    assert found(Library(index_dir), "télétravail") == {"a"}
    assert not update(content, index_dir).rebuilt
