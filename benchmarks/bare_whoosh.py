"""Bare Whoosh on the corpus's texts, in a fresh process that imports no docrepo module.

    python -m benchmarks.bare_whoosh --content DIR --out DIR

reads the title and body of every document under ``--content`` (front matter
stripped, before the clock starts), then times, from ``writer()`` to the end of
``commit()``, ``add_document`` of each into a simple schema — ``id`` (ID, stored),
``title`` (TEXT, stored) and ``body`` (TEXT), both with Whoosh's ``StemmingAnalyzer``,
and a ``tags`` KEYWORD field left empty — with one writer of default settings, in this
one process, into a new index in ``--out`` (removed at the end). It prints one line of
JSON: documents, seconds, rate.

This is the engine's own limit, so it must be Whoosh as installed, with its own codec
(docrepo's codec and writer are loaded with docrepo's modules). This module imports
only the standard library and Whoosh (the measures import it too, for
`split_document`); it exits with an error if any docrepo module is loaded in its
process.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

TITLE_LINE = re.compile(r"^title: (.*)$", re.MULTILINE)


def split_document(text: str) -> tuple[str, str]:
    """(front matter, body) of a generated file."""
    _, front, body = text.split("---\n", 2)
    return front, body


def document_paths(content: Path) -> list[str]:
    """The relative paths of the document files, sorted: what `docrepo.content.tree.scan`
    finds (`.md` files, no part of the path starting with `.` or `_`, no symbolic link)."""
    found: list[str] = []
    root = f"{os.fspath(content).rstrip('/')}/"
    stack = [os.fspath(content)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.name.endswith(".md") and entry.is_file(follow_symlinks=False):
                    found.append(entry.path[len(root) :])
    return sorted(found)


def read_texts(content: Path) -> list[dict[str, str]]:
    """The id, title and body of every document, in path order."""
    texts: list[dict[str, str]] = []
    for relative in document_paths(content):
        front, body = split_document((content / relative).read_text(encoding="utf-8"))
        found = TITLE_LINE.search(front)
        title = json.loads(found.group(1)) if found else ""
        texts.append({"id": relative, "title": title, "body": body})
    return texts


def docrepo_modules() -> list[str]:
    return sorted(m for m in sys.modules if m == "docrepo" or m.startswith("docrepo."))


def check_unpatched() -> None:
    """Exit with an error if this process is not plain Whoosh."""
    loaded = docrepo_modules()
    if loaded:
        sys.exit(f"bare Whoosh: docrepo modules are loaded in this process: {loaded}")


def measure(content: Path, out: Path) -> dict[str, Any]:
    """Whoosh alone on the same texts: a simple schema, one writer, one commit."""
    import whoosh
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    check_unpatched()
    texts = read_texts(content)
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True, analyzer=StemmingAnalyzer()),
        body=TEXT(analyzer=StemmingAnalyzer()),
        tags=KEYWORD(commas=True),
    )
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    try:
        ix = whoosh_index.create_in(str(out), schema)
        started = time.perf_counter()
        writer = ix.writer()
        for doc in texts:
            writer.add_document(**doc)
        writer.commit()
        seconds = time.perf_counter() - started
        ix.close()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    check_unpatched()  # nothing imported docrepo along the way either
    return {
        "documents": len(texts),
        "seconds": seconds,
        "rate": len(texts) / seconds,
        "whoosh": ".".join(map(str, whoosh.__version__)),
        "python": sys.version.split()[0],
        "pid": os.getpid(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bare Whoosh add_document on a corpus's texts")
    parser.add_argument("--content", type=Path, required=True, help="the content directory")
    parser.add_argument("--out", type=Path, required=True, help="index directory (removed)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.content, args.out)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
