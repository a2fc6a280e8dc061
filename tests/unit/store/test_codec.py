"""docrepo's codec holds what Whoosh's own codec holds, reads it as arrays, survives
merges, and refuses a cut-short array file at open."""

from __future__ import annotations

import gc
import io
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh.formats import Positions
from whoosh.reading import IndexReader
from whoosh.writing import SegmentWriter

from docrepo.analysis import language_analyzer
from docrepo.indexing.pipeline import update_index
from docrepo.search.library import Library
from docrepo.store import checksums, writing
from docrepo.store.analyzers import TermAnalyzer
from docrepo.store.array_file import ArrayFile, DamagedArrays, write_arrays
from docrepo.store.codec import ArrayPositions, DocrepoCodec
from docrepo.store.segment_files import postings_of
from docrepo.store.writing import IndexStore
from support.index import THREE, found, update
from support.trees import SAMPLE_CONTENT, MakeTree, doc


def test_an_array_file_reads_back_what_was_written(tmp_path: Path) -> None:
    arrays = {
        "a": np.arange(1000, dtype=np.int32),
        "b": np.array([b"alpha", b"be", b""], dtype=bytes),
        "c": np.linspace(0, 1, 7, dtype=np.float32),
        "empty": np.zeros(0, dtype=np.int64),
    }
    path = tmp_path / "x.drp"
    with path.open("wb") as out:
        write_arrays(out, arrays, {"fields": ["a"]})
    read = ArrayFile(path)
    assert read.meta == {"fields": ["a"]}
    for name, array in arrays.items():
        assert read.array(name).dtype == array.dtype
        assert np.array_equal(read.array(name), array)
        assert not read.array(name).flags.writeable
    assert path.stat().st_size % 64 == 0


@pytest.mark.parametrize("cut", [0, 10, 100, -64, -1])
def test_an_array_file_cut_short_is_refused_at_open(tmp_path: Path, cut: int) -> None:
    buffer = io.BytesIO()
    write_arrays(buffer, {"a": np.arange(100, dtype=np.int64)})
    path = tmp_path / "x.drd"
    path.write_bytes(buffer.getvalue()[:cut])
    with pytest.raises(DamagedArrays) as raised:
        ArrayFile(path)
    assert raised.value.path == path and "x.drd" in str(raised.value)


def test_a_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.drp"
    path.write_bytes(b"MAIN toc\0" * 100)
    with pytest.raises(DamagedArrays, match="not an array file"):
        ArrayFile(path)


def _postings(reader: IndexReader) -> dict[tuple[str, bytes], Any]:
    """Every term's postings as Whoosh's public reader gives them: documents, weights and,
    where the field has them, word positions."""
    held: dict[tuple[str, bytes], Any] = {}
    for name, term in reader.all_terms():
        matcher = reader.postings(name, term)
        positions = reader.schema[name].format.supports("positions")
        rows = []
        while matcher.is_active():
            row = (matcher.id(), round(matcher.weight(), 4))
            rows.append(row + (tuple(matcher.value_as("positions")),) if positions else row)
            matcher.next()
        held[(name, term)] = rows
    return held


def test_the_codec_holds_what_whooshs_own_codec_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample indexed with docrepo's codec and with Whoosh's default one: the same
    terms, documents, weights and positions, read through Whoosh's own reader; and the
    arrays the engine reads say the same."""
    ours = tmp_path / "ours"
    update_index(SAMPLE_CONTENT, IndexStore(ours))
    with monkeypatch.context() as patched:
        patched.setattr(writing, "ArrayWriter", lambda ix, **kw: SegmentWriter(ix, **kw))
        update_index(SAMPLE_CONTENT, IndexStore(tmp_path / "whoosh"))
    with (
        IndexStore(ours).open().reader() as mine,
        IndexStore(tmp_path / "whoosh").open().reader() as theirs,
    ):
        assert isinstance(mine.codec(), DocrepoCodec)
        assert not isinstance(theirs.codec(), DocrepoCodec)
        expected = _postings(theirs)
        assert _postings(mine) == expected
        arrays = postings_of(mine)
        for (name, term), rows in expected.items():
            got = arrays.postings(name, term, positions=True)
            assert got.docs.tolist() == [r[0] for r in rows]
            if len(rows[0]) == 3:
                assert [
                    tuple(got.positions[a:b].tolist())
                    for a, b in zip(got.starts[:-1], got.starts[1:], strict=True)
                ] == [r[2] for r in rows]
        for docnum, stored in mine.iter_docs():
            assert stored == theirs.stored_fields(docnum)
            for name in ("title_fr", "body_fr", "meta"):
                # docrepo keeps exact lengths (Whoosh rounds them to a byte's worth)
                length = mine.doc_field_length(docnum, name)
                words = sum(
                    len(r[2])
                    for (f, _), rows in expected.items()
                    if f == name
                    for r in rows
                    if r[0] == docnum
                )
                assert length == words


def test_a_merged_segment_holds_what_a_fresh_build_holds(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """Commits that add, rewrite and delete, then a merge of every segment (Whoosh reads
    the segments back through docrepo's codec): the terms of each document are those of
    the same files indexed anew."""
    files = {
        f"d{i}.md": doc(f"Texte {i}", f"Le télétravail numéro {i} et la mission.")
        for i in range(30)
    }
    content = make_tree(files)
    live = tmp_path / "live"
    update(content, live)
    for i in range(0, 30, 3):
        (content / f"d{i}.md").write_text(doc(f"Texte {i}", f"Le budget révisé {i}."), "utf-8")
        update(content, live)
    (content / "d1.md").unlink()
    update(content, live)
    ix = IndexStore(live).open()
    writer = writing.ArrayWriter(ix)
    writer.commit(optimize=True)
    fresh = tmp_path / "fresh"
    update(content, fresh, rebuild=True)

    def by_id(index_dir: Path) -> dict[tuple[str, bytes], set[str]]:
        with IndexStore(index_dir).open().searcher() as searcher:
            (reader,) = [r for r, _ in searcher.reader().leaf_readers()]
            ids = {n: s["id"] for n, s in reader.iter_docs()}
            return {
                key: {ids[r[0]] for r in rows if r[0] in ids and not reader.is_deleted(r[0])}
                for key, rows in _postings(reader).items()
            }

    merged, rebuilt = by_id(live), by_id(fresh)
    assert {k: v for k, v in merged.items() if v} == {k: v for k, v in rebuilt.items() if v}
    assert found(Library(live), "budget") == {f"d{i}" for i in range(0, 30, 3)}


def test_a_truncated_array_file_is_found_at_open_and_the_index_rebuilt(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """An array file cut short whose checksum was recorded again (as if the crash had
    come before the sums were taken): the file's own header tells, the generation is
    not served, and the next update rebuilds it."""
    content = make_tree(THREE)
    index_dir = tmp_path / "index"
    update(content, index_dir)
    served = IndexStore(index_dir).served()
    assert served is not None
    for path in served.generation.path.glob("*.drp"):
        path.write_bytes(path.read_bytes()[: path.stat().st_size - 64])
    checksums.record(served.generation.path)
    assert served.generation.damage(again=True) is None  # the sums cannot tell
    assert IndexStore(index_dir).served() is None
    summary = update(content, index_dir)
    assert summary.rebuilt
    assert found(Library(index_dir), "télétravail") == {"a"}
    shutil.rmtree(served.generation.path, ignore_errors=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_positions_format_indexes_what_whooshs_tokens_give(lang: str) -> None:
    """docrepo's analyzer gives each term's positions at once; Whoosh's Positions format,
    token by token, finds the same terms, frequencies and positions."""
    text = (SAMPLE_CONTENT / "guides" / "guide-teletravail.md").read_text("utf-8") + (
        " The officers' travel expenses, l'agent et les agents modifiant ou modifie 2024."
    )
    analyzer = TermAnalyzer(language_analyzer(lang))
    ours = {
        term: (freq, weight, ArrayPositions(2.0).decode_positions(value))
        for term, freq, weight, value in ArrayPositions(2.0).word_values(text, analyzer)
    }
    theirs = {
        term: (freq, weight, Positions(2.0).decode_positions(value))
        for term, freq, weight, value in Positions(2.0).word_values(text, analyzer)
    }
    assert ours == theirs and len(ours) > 100


def test_a_reader_whoosh_abandons_when_a_segment_vanishes_leaves_no_file_open(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """Whoosh opens a reader per segment and, when a later segment's files are gone (a
    commit's merge deleted them), drops the readers it opened and retries: the records
    file each dropped reader holds is closed when it is collected, not left to the
    garbage collector's warning (the flaky ResourceWarning of the 100-commits test)."""
    content = make_tree(THREE)
    index_dir = tmp_path / "index"
    update(content, index_dir)
    (content / "d.md").write_text(doc("Delta", "Un autre segment."), "utf-8")
    update(content, index_dir)
    ix = IndexStore(index_dir).open()
    served = IndexStore(index_dir).served()
    assert served is not None
    files = sorted(served.generation.path.glob("*.drp"))
    assert len(files) == 2, files
    newest = max(files, key=lambda path: path.stat().st_mtime_ns)
    newest.unlink()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(OSError):
            ix.reader()
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
