"""The check use case: every problem of a content directory, as `docrepo check` says."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from .documents import parse_file
from .entries import Entry, entry_for
from .relations import resolve
from .synonyms import load_synonyms
from .taxonomy import load_taxonomy
from .tree import scan


def check_content(content_dir: Path) -> list[Problem]:
    """Every problem of the content directory: taxonomy, synonyms, each file, and across
    files."""
    taxonomy, problems = load_taxonomy(content_dir)
    problems += load_synonyms(content_dir)[1]
    tree = scan(content_dir)
    problems += tree.problems
    entries: dict[str, Entry] = {}
    for path, stat in tree.files.items():
        entries[path] = entry_for(parse_file(content_dir / path, content_dir, taxonomy), stat, None)
    problems += [p for e in entries.values() for p in e.problems]
    return sorted(problems + resolve(entries).problems)
