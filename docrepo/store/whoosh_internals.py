"""The one door to Whoosh's internals: every private name docrepo uses is here.

A rebuild writes its segments in forked processes, which Whoosh's public API does not
offer: a segment written by a writer that does not hold Whoosh's lock (the parent holds
docrepo's), finished without a commit, and joined to the index by the parent's commit.
What that takes of `whoosh.writing` is written once, in this module, for the version
pinned in pyproject.toml, which `check_version()` checks: the composition roots (the CLI
and the web application) call it at start, since docrepo's codec builds on Whoosh's own
classes. Nothing of Whoosh is patched: the codec extends it through its extension points.
"""

from __future__ import annotations

import whoosh
from whoosh.codec.base import Segment
from whoosh.index import TOC, Index, clean_files

from ..errors import ConfigError
from .codec import ArrayWriter

#: the Whoosh this module was written against (the `whoosh-reloaded` distribution)
WHOOSH_VERSION = (2, 7, 5)

__all__ = [
    "Segment",
    "WHOOSH_VERSION",
    "check_version",
    "finish_segment",
    "remove_uncommitted",
    "segment_writer",
]


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


def finish_segment(writer: ArrayWriter) -> Segment:
    """Write out what a segment writer holds and return the segment, without committing
    it: a commit of the index lists it later (the segments of a parallel rebuild)."""
    segment: Segment = writer._finalize_segment()
    return segment


def segment_writer(ix: Index) -> ArrayWriter:
    """A writer of a new segment in a process that does not hold Whoosh's lock (the
    parent of a parallel rebuild holds docrepo's writer lock)."""
    return ArrayWriter(ix, _lk=False)


def remove_uncommitted(ix: Index) -> None:
    """Delete the files of segments that no commit lists (a writer cancelled half-way)."""
    toc = TOC.read(ix.storage, ix.indexname)
    clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
