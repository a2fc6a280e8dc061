"""A committed version of a document, read and rendered as the document it was, and
what changed between two versions (the fields of the front matter, the text word by
word).

This module loads the front-matter reader and the Markdown renderer: the web faces
import it only when a version or a comparison is asked for (see docs/design.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from .comparison import compare_html
from .documents import Document, ParsedFile, parse_bytes
from .history import ContentRepository
from .taxonomy import TAXONOMY_FILE, Taxonomy, read_taxonomy

#: what a record of the index holds that is not in the front matter
_NOT_FIELDS = {"id", "path", "hash", "html", "text", "toc", "links", "field_lines"}
_NOT_FIELDS.add("heading_words")


def read_version(path: str, data: bytes, taxonomy: Taxonomy) -> ParsedFile:
    """A version's bytes read as the document at `path` (problems if it was invalid)."""
    return parse_bytes(path, data, taxonomy)


def taxonomy_at(repository: ContentRepository, commit: str) -> Taxonomy | None:
    """The vocabularies as a commit left taxonomy.yml, which its versions were written
    against (None: the commit has no readable taxonomy.yml)."""
    data = repository.file_at(commit, TAXONOMY_FILE)
    taxonomy = None if data is None else read_taxonomy(data)[0]
    return taxonomy if taxonomy is not None and any(taxonomy.vocabularies.values()) else None


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def front_matter(document: Document) -> dict[str, Any]:
    """The fields a version's front matter gave (dates as ISO strings)."""
    return {
        f.name: _plain(getattr(document, f.name))
        for f in dataclasses.fields(document)
        if f.name not in _NOT_FIELDS
    }


def as_record(document: Document) -> dict[str, Any]:
    """A version in the shape of the index's records, as the document page shows them."""
    return {
        **front_matter(document),
        "id": document.id,
        "path": document.path,
        "html": document.html,
        "toc": [[h.level, h.anchor, h.title] for h in document.toc],
    }


@dataclass(frozen=True)
class FieldChange:
    """A field of the front matter that two versions give differently."""

    name: str
    before: str
    after: str


@dataclass(frozen=True)
class Comparison:
    """What changed from one version to another."""

    fields: list[FieldChange]
    #: the newer text, with the words inserted and removed marked
    html: str

    @property
    def text_changed(self) -> bool:
        return "<ins>" in self.html or "<del>" in self.html


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def compare(old: Document, new: Document) -> Comparison:
    before, after = front_matter(old), front_matter(new)
    fields = [
        FieldChange(name, _shown(before[name]), _shown(after[name]))
        for name in before
        if before[name] != after[name]
    ]
    return Comparison(fields, compare_html(old.html, new.html))
