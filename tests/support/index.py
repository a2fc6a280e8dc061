"""What the index tests share: updates and their counts, searches as the command line
sees them, reading back stored records, comparing with a rebuild, damaging files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from docrepo.access import EVERYONE
from docrepo.indexing.pipeline import UpdateSummary, update_index
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.store.manifest import Manifest
from docrepo.store.writing import IndexStore
from support.trees import doc

#: a small valid tree, in a folder and out of one
THREE = {
    "a.md": doc("Alpha", "Le télétravail des agents."),
    "b.md": doc("Beta", "Les missions à l'étranger."),
    "sub/c.md": doc("Gamma", "Les achats publics."),
}


def update(content: Path, index_dir: Path, rebuild: bool = False) -> UpdateSummary:
    """Bring the index in `index_dir` up to date with `content` (or rebuild it)."""
    return update_index(content, IndexStore(index_dir), rebuild=rebuild)


def counts(summary: UpdateSummary) -> tuple[int, int, int, int]:
    """(added, updated, deleted, invalid) of a run."""
    return summary.added, summary.updated, summary.deleted, summary.invalid


def found(lib: Library, q: str = "", **filters: str) -> set[str]:
    """Ids of every document a search for exactly these words finds (as the command line
    sees them; no spelling correction)."""
    params = {
        "q": [q],
        "per_page": ["100"],
        "spell": ["off"],
        **{k: [v] for k, v in filters.items()},
    }
    result = lib.search(SearchRequest.from_params(params), EVERYONE)
    return {hit.record["id"] for hit in result.hits}


def load_manifest(index_dir: Path) -> Manifest | None:
    """The manifest of the generation being served, as its writer sees it (if any)."""
    served = IndexStore(index_dir).served()
    return served.manifest if served else None


def stored_records(index_dir: Path) -> dict[str, dict[str, Any]]:
    """Every stored record of the served generation, by id (a duplicate fails)."""
    ix = IndexStore(index_dir).open()
    try:
        with ix.searcher() as searcher:
            records = [fields["record"] for fields in searcher.all_stored_fields()]
    finally:
        ix.close()
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), f"a document is in the index twice: {sorted(ids)}"
    return {r["id"]: r for r in records}


def current_name(index_dir: Path) -> str:
    """The name of the generation being served."""
    return (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


def fresh_rebuild(content: Path, scratch: Path) -> Path:
    """A full rebuild of `content` into a new index directory."""
    shutil.rmtree(scratch, ignore_errors=True)
    update_index(content, IndexStore(scratch), rebuild=True)
    return scratch


def assert_equals_fresh_rebuild(content: Path, index_dir: Path, scratch: Path) -> None:
    """Same ids, same stored records, same problems as a full rebuild from nothing (built
    in a folder of `scratch`)."""
    fresh = fresh_rebuild(content, scratch / "fresh-index")
    expected = stored_records(fresh)
    actual = stored_records(index_dir)
    assert set(actual) == set(expected), (
        f"missing {sorted(set(expected) - set(actual))[:10]}, "
        f"extra {sorted(set(actual) - set(expected))[:10]}"
    )
    differ = sorted(i for i in actual if actual[i] != expected[i])
    assert differ == [], f"records differ from a rebuild: {differ[:10]}"
    manifest, fresh_manifest = load_manifest(index_dir), load_manifest(fresh)
    assert manifest is not None and fresh_manifest is not None
    assert manifest.problems() == fresh_manifest.problems()
    assert_same_suggestions(index_dir, fresh, expected)


def typos_of(records: dict[str, dict[str, Any]], count: int = 40) -> list[str]:
    """Misspellings of words of the texts (a letter dropped, two swapped), and of words
    no text holds any more: what a suggestion must answer as a fresh index would."""
    words = sorted(
        {w.lower() for r in records.values() for w in re.findall(r"[^\W\d_]{6,}", r["text"])}
    )
    picked = words[:: max(1, len(words) // count)][:count]
    typos = [w[:2] + w[3:] for w in picked] + [w[:2] + w[3] + w[2] + w[4:] for w in picked]
    return typos + ["eartj", "presonnel", "teletravial"]


def assert_same_suggestions(
    index_dir: Path, fresh: Path, records: dict[str, dict[str, Any]]
) -> None:
    """The suggestions, corrections and totals of misspelt queries are those of a fresh
    rebuild: they come from the live documents only, whatever the index's history."""
    live, rebuilt = Library(index_dir), Library(fresh)
    for typo in typos_of(records):
        request = SearchRequest(q=typo)
        a, b = live.search(request, EVERYONE), rebuilt.search(request, EVERYONE)
        assert (a.suggestion, a.corrected, a.total) == (b.suggestion, b.corrected, b.total), typo


def damage(generation: Path, how: str) -> None:
    """Delete, truncate or garble (`delete-toc`, `truncate-drp`, `garble-drp`…) the files
    of one kind; garbling overwrites 4 KB at three offsets and keeps the size."""
    action, ext = how.split("-")
    files = sorted(generation.glob(f"*.{ext}"))
    assert files, f"no .{ext} file in {generation}"
    for path in files:
        if action == "delete":
            path.unlink()
        elif action == "garble":
            size = path.stat().st_size
            with path.open("r+b") as f:
                for offset in (size // 5, size // 2, size * 4 // 5):
                    f.seek(offset)
                    f.write(bytes((offset + i * 7) % 256 for i in range(min(4096, size - offset))))
        else:
            path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])
