"""The one door to Whoosh's internals: every Whoosh detail docrepo relies on that is not
an extension point is named here, for the version pinned in pyproject.toml, which
`check_version()` checks (the composition roots, the CLI and the web application, call
it at start). `tests/unit/store/test_whoosh_internals.py` checks each one against the Whoosh
installed, so that an upgrade that changes one fails there, by name.

- A rebuild writes its segments in forked processes, which Whoosh's public API does not
  offer: a segment writer that does not take Whoosh's lock (`UNLOCKED`: the parent holds
  docrepo's), a segment finished without a commit (`finish_segment`) and joined to the
  index by the parent's commit, and the files of a cancelled one removed
  (`remove_uncommitted`).
- docrepo's codec (`codec`) gives a segment writer its own pool of postings
  (`replace_pool`), reads the stored records from the column Whoosh keeps them in
  (`open_stored_records`), finds a segment's files in the folder of Whoosh's file
  storage (`folder_of`), and extends Whoosh's concrete default codec (`BaseCodec`,
  `BasePerDocWriter`, `BasePerDocReader`, `BaseSegment`).
"""

from __future__ import annotations

from typing import Any

import whoosh
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import STORED_COLUMN
from whoosh.codec.whoosh3 import W3Codec as BaseCodec
from whoosh.codec.whoosh3 import W3PerDocReader as BasePerDocReader
from whoosh.codec.whoosh3 import W3PerDocWriter as BasePerDocWriter
from whoosh.codec.whoosh3 import W3Segment as BaseSegment
from whoosh.index import TOC, Index, clean_files
from whoosh.writing import SegmentWriter

from ..errors import ConfigError

#: the Whoosh this module was written against (the `whoosh-reloaded` distribution)
WHOOSH_VERSION = (2, 7, 5)
#: the options of a `SegmentWriter` that takes no Whoosh lock
UNLOCKED: dict[str, Any] = {"_lk": False}
#: the column in which Whoosh's default codec keeps a segment's stored fields
STORED_FIELDS_COLUMN = "_stored"

__all__ = [
    "BaseCodec", "BasePerDocReader", "BasePerDocWriter", "BaseSegment",
    "STORED_FIELDS_COLUMN", "Segment", "UNLOCKED", "WHOOSH_VERSION", "finish_segment",
    "check_version", "folder_of", "open_stored_records", "remove_uncommitted", "replace_pool",
]  # fmt: skip


def check_version() -> None:
    """Check that the installed Whoosh is the one docrepo was written against."""
    found = tuple(whoosh.__version__)
    if found != WHOOSH_VERSION:
        wanted = ".".join(map(str, WHOOSH_VERSION))
        raise ConfigError(
            f"docrepo needs Whoosh {wanted} (the whoosh-reloaded package pinned in "
            f"pyproject.toml); found {'.'.join(map(str, found))}: reinstall docrepo "
            "(pip install -e .) in a fresh virtual environment"
        )


def finish_segment(writer: SegmentWriter) -> Segment:
    """Write out what a segment writer holds and return the segment, without committing
    it: a commit of the index lists it later (the segments of a parallel rebuild)."""
    segment: Segment = writer._finalize_segment()
    return segment


def remove_uncommitted(ix: Index) -> None:
    """Delete the files of segments that no commit lists (a writer cancelled half-way)."""
    toc = TOC.read(ix.storage, ix.indexname)
    clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)


def replace_pool(writer: SegmentWriter, pool: Any) -> None:
    """Make `pool` the one a segment writer (just made) hands each posting to (its
    `add`) and then to the field writer whole (its `iter_postings`)."""
    writer.pool = pool


def folder_of(storage: Any) -> str:
    """The folder of a Whoosh file storage, where a segment's files are."""
    folder: str = storage.folder
    return folder


def open_stored_records(storage: Any, segment: Segment) -> tuple[Any, Any] | None:
    """(reader, open file) of the stored fields of a segment of Whoosh's default codec
    (None: a segment without); the caller closes the file."""
    name = BaseCodec.column_filename(segment, STORED_FIELDS_COLUMN)
    if not storage.file_exists(name):
        return None
    records_file = storage.open_file(name)
    length = storage.file_length(name)
    return STORED_COLUMN.reader(records_file, 0, length, segment.doc_count_all()), records_file
