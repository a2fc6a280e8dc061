"""Each Whoosh detail docrepo relies on that is not an extension point, named in
store/whoosh_internals.py, is still what the installed Whoosh does: an upgrade that
changes one fails here, by name, before anything subtler breaks."""

from __future__ import annotations

import inspect
import pickle
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from docrepo.store import codec, whoosh_internals
from docrepo.store.codec import ArrayPool
from docrepo.store.fields import build_schema


def test_a_segment_writer_hands_every_posting_to_the_pool_put_in_its_place(
    tmp_path: Path,
) -> None:
    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True)))
    writer = SegmentWriter(ix)
    pool = ArrayPool()
    whoosh_internals.replace_pool(writer, pool)
    writer.add_document(id="a")
    writer.add_document(id="b")
    assert list(pool.fields) == ["id"]
    assert pool.fields["id"].terms == {b"a": 0, b"b": 1}
    assert list(pool.fields["id"].docs) == [0, 1]
    writer.cancel()


def test_a_writer_without_whoosh_lock_writes_a_segment_a_later_commit_lists(
    tmp_path: Path,
) -> None:
    """The forked writers of a parallel rebuild: no lock taken (the parent's writer
    holds it), the segment finished without a commit, then listed by the parent's."""
    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True)))
    parent = ix.writer()  # holds Whoosh's lock
    child = codec.ArrayWriter(ix, **whoosh_internals.UNLOCKED)
    child.add_document(id="a")
    segment = whoosh_internals.finish_segment(child)
    parent.commit(mergetype=lambda writer, segments: [*segments, segment])
    with ix.searcher() as searcher:
        assert searcher.document(id="a") == {"id": "a"}


def test_uncommitted_segments_files_are_removed(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True)))
    writer = codec.ArrayWriter(ix, **whoosh_internals.UNLOCKED)
    writer.add_document(id="a")
    segment = whoosh_internals.finish_segment(writer)

    def files() -> list[str]:
        return [p.name for p in tmp_path.iterdir() if segment.segment_id() in p.name]

    assert len(files()) >= 2  # its postings and documents files, and Whoosh's own
    whoosh_internals.remove_uncommitted(ix)
    assert files() == []


def test_stored_fields_are_in_the_column_named_and_read_back(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(), record=STORED()))
    writer = codec.ArrayWriter(ix)
    writer.add_document(id="a", record={"title": "Alpha"})
    writer.add_document(id="b", record={"title": "Bêta"})
    writer.commit()
    with ix.reader() as reader:  # records written by Whoosh's default per-document writer
        opened = whoosh_internals.open_stored_records(ix.storage, reader.segment())
    assert opened is not None
    records, records_file = opened
    try:
        assert [dict(records[n]) for n in (0, 1)] == [
            {"record": {"title": "Alpha"}},
            {"record": {"title": "Bêta"}},
        ]
    finally:
        records_file.close()


def test_a_file_storage_names_its_folder(tmp_path: Path) -> None:
    assert whoosh_internals.folder_of(FileStorage(str(tmp_path))) == str(tmp_path)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (codec.DocrepoCodec, whoosh_internals.BaseCodec),
        (codec.ArrayPerDocWriter, whoosh_internals.BasePerDocWriter),
        (codec.ArrayPerDocReader, whoosh_internals.BasePerDocReader),
        (codec.ArraySegment, whoosh_internals.BaseSegment),
    ],
)
def test_the_concrete_classes_the_codec_extends_have_the_methods_it_overrides(
    ours: type, theirs: type
) -> None:
    """Every method docrepo's codec overrides is still a method of Whoosh's class, with
    as many parameters (a renamed or reshaped one would silently stop being called)."""
    assert issubclass(ours, theirs)
    for name, method in vars(ours).items():
        if not inspect.isfunction(method) or name in ("__init__",):
            continue
        base = getattr(theirs, name, None)
        assert base is not None, f"{theirs.__name__}.{name} is gone"
        ours_count = len(inspect.signature(method).parameters)
        theirs_count = len(inspect.signature(base).parameters)
        assert ours_count == theirs_count, (theirs.__name__, name)


def test_the_schema_s_analyzers_pickle_as_their_language() -> None:
    """The schema (with its analyzers) is pickled into each index's table of contents:
    each text field's analyzer comes back as the same analysis."""
    schema = build_schema()
    loaded = pickle.loads(pickle.dumps(schema))
    analyzers = {name: field.analyzer for name, field in schema.items() if name.startswith("title")}
    assert analyzers and {name: loaded[name].analyzer for name in analyzers} == analyzers
    assert loaded["title_fr"].analyzer.positions("les sécurités") == {"secur": [0], "securit": [0]}
