"""The check use case: every problem of a content directory, as `docrepo check` says."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ..config import Settings
from ..errors import Problem
from .attachments import DocumentAttachments, locate
from .documents import Document, parse_file
from .entries import Entry, entry_for
from .relations import Derived, resolve
from .synonyms import load_synonyms
from .taxonomy import load_taxonomy
from .translation_lag import lagging
from .tree import scan

#: reads the attachments of some documents (the writer's, which extracts their text)
AttachmentReader = Callable[[Path, Sequence[Document]], Mapping[str, DocumentAttachments]]


def locate_only(content_dir: Path, documents: Sequence[Document]) -> dict[str, DocumentAttachments]:
    """The attachments' problems of where they are (not of their text)."""
    found = {
        d.id: locate(d, content_dir, Settings.attachment_max_mb) for d in documents if d.attachments
    }
    return {
        doc_id: DocumentAttachments(problems=problems) for doc_id, (_, problems) in found.items()
    }


def check_content(
    content_dir: Path, read_attachments: AttachmentReader = locate_only
) -> list[Problem]:
    """Every problem of the content directory: taxonomy, synonyms, each file, its
    attachments (`read_attachments`), and across files."""
    taxonomy, problems = load_taxonomy(content_dir)
    problems += load_synonyms(content_dir)[1]
    tree = scan(content_dir)
    problems += tree.problems
    entries: dict[str, Entry] = {}
    documents: list[Document] = []
    for path, stat in tree.files.items():
        parsed = parse_file(content_dir / path, content_dir, taxonomy)
        entries[path] = entry_for(parsed, stat, None)
        documents += [parsed.document] if parsed.document is not None else []
    problems += [p for e in entries.values() for p in e.problems]
    problems += [p for a in read_attachments(content_dir, documents).values() for p in a.problems]
    relations = resolve(entries)
    return sorted(
        problems
        + relations.problems
        + _translations_behind(content_dir, entries, relations.derived)
    )


def _translations_behind(
    content_dir: Path, entries: dict[str, Entry], derived: Mapping[str, Derived]
) -> list[Problem]:
    """The warnings of the translations whose original was committed after them (git
    is read only when there are translations)."""
    pairs = [
        (
            f"{doc_id}.md",
            f"{found.original}.md",
            entries[f"{doc_id}.md"].lines.get("translation_of", 1),
        )
        for doc_id, found in derived.items()
        if found.original is not None
    ]
    if not pairs:
        return []
    from .history import ContentRepository

    repository = ContentRepository.open(content_dir)
    return lagging(repository, pairs) if repository is not None else []
