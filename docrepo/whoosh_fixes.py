"""A fix to Whoosh 2.7.5 (pinned in pyproject.toml), applied when docrepo is imported.

Writing a segment, Whoosh asks each posting's field length from a per-document reader
that caches the column readers it finds but not the ones it does not: for a field
without lengths (ids, keywords) it looks for the missing column file on disk again at
every posting, a `stat` each time, a third of a full build. Segments never change once
written, so a missing column stays missing: the answer is kept like a found one.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import W3PerDocReader


def _cached_reader(self: W3PerDocReader, fieldname: str, column: Any) -> Any:
    if fieldname not in self._readers:
        found = self.has_column(fieldname)
        self._readers[fieldname] = self.column_reader(fieldname, column) if found else None
    return self._readers[fieldname]


W3PerDocReader._cached_reader = _cached_reader
