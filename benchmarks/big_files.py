"""One large Markdown file at a time, measured (issue 29, point 6): `docrepo index` of a
content folder holding only the taxonomy and one valid file just under the 1 MB cap, of
four kinds — 140,000 distinct numbers, distinct words, one word repeated, a long table.

    .venv/bin/python -m benchmarks.big_files [--runs N]

Each run is a whole `docrepo index` process on a fresh index (start-up included), as an
editor's save would be indexed; the table prints the median and the spread of the runs.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docrepo.content.documents import MAX_DISTINCT_WORDS, MAX_TABLE_BARS

#: the file cap of docrepo (content.documents.MAX_FILE_SIZE), less room for the front matter
BODY_BYTES = 999_000
TAXONOMY = Path(__file__).resolve().parents[1] / "content" / "taxonomy.yml"


def _fill(words: Callable[[int], str], width: int = 12) -> str:
    """Lines of `width` words taken in turn from words(0), words(1)… up to BODY_BYTES."""
    lines, size = [], 0
    for start in itertools.count(0, width):
        line = " ".join(words(n) for n in range(start, start + width)) + "\n"
        if size + len(line.encode()) > BODY_BYTES:
            break
        lines.append(line)
        size += len(line.encode())
    return "".join(lines)


def _word(n: int) -> str:
    """A distinct made-up word for each n (letters only): 'bacedo', 'bacedu'…"""
    consonants, vowels = "bcdfglmnprstv", "aeiou"
    letters = []
    for _ in range(4):
        n, c = divmod(n, len(consonants))
        n, v = divmod(n, len(vowels))
        letters += [consonants[c], vowels[v]]
    return "".join(letters)


def _table(width: int = 6) -> str:
    """A Markdown table of short cells, one row after another up to BODY_BYTES."""
    head = "| " + " | ".join(f"Colonne {c}" for c in range(width)) + " |\n"
    rows = [head, "|" + "---|" * width + "\n"]
    size = sum(len(r) for r in rows)
    for n in itertools.count():
        row = "| " + " | ".join(f"cellule {n}.{c}" for c in range(width)) + " |\n"
        if size + len(row) > BODY_BYTES:
            break
        rows.append(row)
        size += len(row)
    return "".join(rows)


def _at_the_limit(head: str) -> str:
    """A text that the limits admit, the costliest way: `head`, then distinct numbers."""
    return head + _fill(str)[: BODY_BYTES - len(head.encode())].rsplit(" ", 1)[0]


def _accented_words(count: int = MAX_DISTINCT_WORDS - 10) -> str:
    """As many distinct accented words as admitted: each is stemmed twice."""
    return " ".join("é" + _word(n) for n in range(count)) + "\n"


def _dense_table(bars: int = MAX_TABLE_BARS - 10, width: int = 8) -> str:
    """A table of one-letter cells with as many '|' as admitted."""
    row = "|" + "|".join("a" for _ in range(width)) + "|\n"
    return row + "|" + "-|" * width + "\n" + row * (bars // (width + 1) - 2) + "\n"


#: each kind of file: its body (the four of issue 29, then the costliest the limits admit)
KINDS: dict[str, Callable[[], str]] = {
    "distinct numbers": lambda: _fill(str),
    "distinct words": lambda: _fill(_word),
    "one word repeated": lambda: _fill(lambda n: "télétravail"),
    "long table": _table,
    "accented words at the limit, then numbers": lambda: _at_the_limit(_accented_words()),
    "a table at the limit, then numbers": lambda: _at_the_limit(_dense_table()),
}
#: a short valid text beside them (the tests: the other files are indexed)
SHORT = "Le télétravail des agents.\n"


def big_file(kind: str) -> str:
    """The whole file of a kind: a valid page's front matter, then its body."""
    body = SHORT if kind == "short" else KINDS[kind]()
    return f"---\ntitle: Un long document\ntype: page\n---\n\n{body}"


def write_content(root: Path, kind: str) -> Path:
    """A content folder with the sample's taxonomy and the one file of this kind."""
    content = root / "content"
    (content / "pages").mkdir(parents=True)
    (content / "taxonomy.yml").write_bytes(TAXONOMY.read_bytes())
    (content / "pages" / "long.md").write_text(big_file(kind), encoding="utf-8")
    return content


def time_index(content: Path, index: Path) -> tuple[float, str]:
    """The wall seconds of one `docrepo index` process on a fresh index, and its output."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "docrepo", "index", "--content", str(content),
               "--index", str(index), "--rebuild"]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - start, (done.stdout + done.stderr).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind (default 3)")
    args = parser.parse_args()
    print("| file (just under 1 MB) | bytes | docrepo index, median (min–max) | says |")
    print("|---|---|---|---|")
    for kind in KINDS:
        with tempfile.TemporaryDirectory() as tmp:
            content = write_content(Path(tmp), kind)
            size = (content / "pages" / "long.md").stat().st_size
            runs = [time_index(content, Path(tmp) / "index") for _ in range(args.runs)]
            seconds = [s for s, _ in runs]
            said = runs[-1][1].splitlines()[-1] if runs[-1][1] else ""
            print(f"| {kind} | {size:,} | {statistics.median(seconds):.2f} s "
                  f"({min(seconds):.2f}–{max(seconds):.2f}) | {said} |")  # fmt: skip


if __name__ == "__main__":
    main()
