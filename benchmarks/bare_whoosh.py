"""Bare Whoosh as its users index a folder of Markdown files, in a fresh process that
imports no docrepo module.

    python -m benchmarks.bare_whoosh --content DIR --out DIR [--procs N]

What a user of Whoosh writes in a few lines (`index_folder`): walk the folder, read each
file's front matter with python-frontmatter, render its Markdown with markdown-it-py and
strip the tags, and `add_document` the id, title, text and themes into a simple schema
— ``id`` (ID, stored), ``title`` (TEXT, stored) and ``body`` (TEXT), both with Whoosh's
``StemmingAnalyzer``, and ``tags`` (KEYWORD: the themes) — through
``ix.writer(procs=N, multisegment=True)``: Whoosh's own multiprocess writer, N being the
cores this process may use (as docrepo's rebuild uses them), one segment per process
left unmerged (as docrepo's rebuild leaves them). Timed from the walk of the folder to
the end of ``commit()``, like docrepo's build, which also reads, parses and renders every
file. It prints one line of JSON: documents, seconds, rate, processes.

This is what docrepo's build is compared with, so it must be Whoosh as installed, with its
own codec (docrepo's codec and writer are loaded with docrepo's modules). This module
imports only the standard library, Whoosh, python-frontmatter and markdown-it-py (the
measures import it too, for `split_document`); it exits with an error if any docrepo
module is loaded in its process.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

TAG = re.compile(r"<[^>]+>")


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


def index_folder(content: Path, ix: Any, procs: int) -> int:
    """The user's indexing code: every Markdown file of `content` read, parsed and added
    with Whoosh's writer for `procs` processes; the number of files indexed."""
    import frontmatter
    from markdown_it import MarkdownIt

    markdown = MarkdownIt()
    writer = ix.writer(procs=procs, multisegment=True) if procs > 1 else ix.writer()
    paths = document_paths(content)
    for relative in paths:
        post = frontmatter.load(content / relative)
        text = html.unescape(TAG.sub(" ", markdown.render(post.content)))
        themes = post.get("themes") or []
        title = str(post.get("title", ""))
        writer.add_document(id=relative, title=title, body=text, tags=",".join(themes))
    writer.commit()
    return len(paths)


def docrepo_modules() -> list[str]:
    return sorted(m for m in sys.modules if m == "docrepo" or m.startswith("docrepo."))


def check_unpatched() -> None:
    """Exit with an error if this process is not plain Whoosh."""
    loaded = docrepo_modules()
    if loaded:
        sys.exit(f"bare Whoosh: docrepo modules are loaded in this process: {loaded}")


def cores() -> int:
    """The cores this process may use (what docrepo's rebuild shares its work among)."""
    return len(os.sched_getaffinity(0))


def measure(content: Path, out: Path, procs: int) -> dict[str, Any]:
    """Whoosh as its users index the folder: read, parse, add, commit, timed whole."""
    import whoosh
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    check_unpatched()
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
        documents = index_folder(content, ix, procs)
        seconds = time.perf_counter() - started
        with whoosh_index.open_dir(str(out)).searcher() as searcher:
            indexed = searcher.doc_count()
        ix.close()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if indexed != documents:
        sys.exit(f"bare Whoosh: {documents} files added, {indexed} in the index")
    check_unpatched()  # nothing imported docrepo along the way either
    return {
        "documents": documents,
        "seconds": seconds,
        "rate": documents / seconds,
        "procs": procs,
        "whoosh": ".".join(map(str, whoosh.__version__)),
        "python": sys.version.split()[0],
        "pid": os.getpid(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bare Whoosh indexing a folder of Markdown")
    parser.add_argument("--content", type=Path, required=True, help="the content directory")
    parser.add_argument("--out", type=Path, required=True, help="index directory (removed)")
    parser.add_argument(
        "--procs", type=int, default=cores(), help="writer processes (default: the cores)"
    )
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.content, args.out, args.procs)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
