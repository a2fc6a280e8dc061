"""Content trees written from a dict of files, document texts, the sample corpus's paths."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SAMPLE_CONTENT = REPO / "content"
TAXONOMY = SAMPLE_CONTENT / "taxonomy.yml"

Files = dict[str, str | bytes]
MakeTree = Callable[[Files], Path]


def front_matter(body: str = "Texte du document.", **fields: object) -> str:
    """A document's text from its fields (YAML-dumped) and body."""
    fields.setdefault("title", "Un document")
    fields.setdefault("type", "page")
    dumped = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return f"---\n{dumped}---\n\n{body}\n"


def doc(title: str, body: str = "Texte du document.", **fields: object) -> str:
    """A valid page (or any type given in fields) with this title and body."""
    return front_matter(body, title=title, **fields)


def decision(title: str, reference: str, body: str = "Texte.", **fields: object) -> str:
    """A valid decision: dated, with a reference."""
    fields.setdefault("date", "2024-01-15")
    return front_matter(body, title=title, type="decision", reference=reference, **fields)


def invalid(title: str = "Cassé") -> str:
    """A document with an unknown field: never valid."""
    return front_matter("Texte cassé.", title=title, institue="INSB")


def write_tree(root: Path, files: Files) -> Path:
    """Write files under root/content (with the sample taxonomy unless given)."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    if "taxonomy.yml" not in files:
        shutil.copy(TAXONOMY, content / "taxonomy.yml")
    for name, data in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return content
