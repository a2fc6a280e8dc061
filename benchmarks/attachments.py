"""Attached files, measured (issue 26): the build of the synthetic corpus of which one
document in ten carries a 10-page PDF, beside the same build without them, the reading
of the PDFs alone (pages/s), and save-to-searchable of an attached PDF replaced.

    .venv/bin/python -m benchmarks.attachments [--docs N] [--runs N] [--saves N]

The corpus is the one of `benchmarks.run` (`ensure_corpus`), copied twice into
`WORK/attachments-N/`: as it is (`plain/`), and (`content/`) with every tenth document
given `attachments: [NAME-annexe.pdf]` and a PDF of 10 pages of 40 lines beside it, each
PDF its own words (so that the cache of extractions, keyed by the bytes' hash, serves
none of them to another). The builds are `update_index(rebuild=True)` into a fresh
index directory, so the extraction cache starts empty; the build with attachments is
run again into a new generation of the same index directory (its cache kept), as a
rebuild after an upgrade would be. The three builds and the PDFs read alone (through
the reading processes, without cache) run in turns, `--runs` times; the table gives
medians. Then a watcher follows the built index, and PDFs are replaced one at a time by
a rename over them (as editors' tools save), each timed until a search finds a word
only the new file holds.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from benchmarks.harness import log, percentile
from benchmarks.measures import ensure_corpus

PAGES = 10
LINES = 40
WORDS = (
    "barème indemnité mission transport hébergement remboursement agent laboratoire "
    "délégation signature marché achat formation congé télétravail sécurité budget"
).split()


def pdf(rng: random.Random, unique: str) -> bytes:
    """A PDF of `PAGES` pages of `LINES` lines of words, `unique` on its last page."""
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4)
    for page in range(PAGES):
        for line in range(LINES):
            words = " ".join(rng.choice(WORDS) for _ in range(8))
            sheet.drawString(50, 790 - 18 * line, f"{page + 1}.{line} {words}")
        if page == PAGES - 1:
            sheet.drawString(50, 40, f"Annexe : {unique}")
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def unique_word(rng: random.Random) -> str:
    return "zorglub" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


def attach_every_tenth(content: Path, rng: random.Random) -> list[Path]:
    """Give every tenth document (in path order) an `annexe.pdf` of its own; its path."""
    attached: list[Path] = []
    for number, path in enumerate(sorted(content.rglob("*.md"))):
        if number % 10:
            continue
        annex = path.with_name(path.stem + "-annexe.pdf")
        annex.write_bytes(pdf(rng, unique_word(rng)))
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("---\n", f"---\nattachments:\n  - {annex.name}\n", 1), encoding="utf-8"
        )
        attached.append(annex)
    return attached


def build(content: Path, index: Path, fresh: bool = True) -> tuple[int, float]:
    """A rebuild: documents indexed and seconds (a fresh index directory unless not)."""
    from docrepo.indexing.pipeline import update_index
    from docrepo.store.writing import IndexStore

    if fresh:
        shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    summary = update_index(content, IndexStore(index), rebuild=True)
    errors = [p for p in summary.problems if p.level == "error"]
    if errors:
        raise RuntimeError(f"the build found errors: {errors[:3]}")
    return summary.added, time.perf_counter() - started


def read_alone(content: Path, annexes: list[Path]) -> tuple[int, float]:
    """The PDFs read through the reading processes only (no cache): pages and seconds."""
    from docrepo.content.documents import parse_file
    from docrepo.content.taxonomy import load_taxonomy
    from docrepo.indexing.extracting import attachment_reader

    taxonomy, _ = load_taxonomy(content)
    documents = []
    for annex in annexes:
        path = annex.with_name(annex.name.removesuffix("-annexe.pdf") + ".md")
        parsed = parse_file(path, content, taxonomy)
        assert parsed.document is not None, path
        documents.append(parsed.document)
    started = time.perf_counter()
    found = attachment_reader(50, None)(content, documents)
    seconds = time.perf_counter() - started
    pages = sum(len(t.pages) for got in found.values() for t in got.texts)
    return pages, seconds


def replacements(
    content: Path, index: Path, annexes: list[Path], count: int
) -> tuple[list[float], list[float]]:
    """Seconds from a PDF replaced (a rename over it) to a search finding its new word, and
    the seconds of the watcher's updates meanwhile."""
    from docrepo.access import EVERYONE
    from docrepo.indexing.watcher import Watcher
    from docrepo.search.library import Library
    from docrepo.search.request import SearchRequest

    rng = random.Random(26)
    library = Library(index)
    updates: list[float] = []
    watcher = Watcher(content, index, on_update=lambda s: updates.append(s.seconds))
    delays: list[float] = []

    def found(word: str) -> bool:
        return library.search(SearchRequest(q=word, spell=False), EVERYONE).total > 0

    try:
        watcher.start()
        deadline = time.monotonic() + 600
        while not updates and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(2)  # events flow once the watches are set
        for target in rng.sample(annexes, count):
            word = unique_word(rng)
            temp = target.with_name(f".{target.name}.tmp")
            temp.write_bytes(pdf(rng, word))
            before = len(updates)
            started = time.perf_counter()
            os.replace(temp, target)
            while not found(word):
                if time.perf_counter() - started > 30:
                    raise RuntimeError(f"{target} was not searchable after 30 s")
                time.sleep(0.005)
            delays.append(time.perf_counter() - started)
            while len(updates) <= before:  # its update ended (the manifest written)
                time.sleep(0.01)
            time.sleep(0.3)
    finally:
        watcher.stop()
        library.close()
    return delays, updates[1:]


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each build (default 3)")
    parser.add_argument("--saves", type=int, default=20, help="PDFs replaced (default 20)")
    parser.add_argument("--work", type=Path, default=Path("benchmarks/corpora"))
    args = parser.parse_args()
    source, _ = ensure_corpus(args.work, args.docs, 1)
    root = args.work / f"attachments-{args.docs}"
    plain, content, index = root / "plain", root / "content", root / "index"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(source, plain)
    shutil.copytree(source, content)
    log("writing the PDFs")
    annexes = attach_every_tenth(content, random.Random(1))
    pages = len(annexes) * PAGES

    builds: dict[str, list[float]] = {"plain": [], "cold": [], "warm": [], "read": []}
    docs = 0
    for run in range(args.runs):  # in turns, so that no kind has the machine to itself
        log(f"run {run + 1}: without attachments, with (cache empty, then kept), PDFs alone")
        builds["plain"].append(build(plain, index)[1])
        docs, seconds = build(content, index)
        builds["cold"].append(seconds)
        builds["warm"].append(build(content, index, fresh=False)[1])
        read, seconds = read_alone(content, annexes)
        assert read == pages, (read, pages)
        builds["read"].append(seconds)
    log(f"replacing {args.saves} PDFs under a watcher")
    delays, updates = replacements(content, index, annexes, args.saves)

    def rate(kind: str, count: int) -> str:
        return f"{count / statistics.median(builds[kind]):,.0f}"

    print(f"| {docs:,} documents, {len(annexes)} with a {PAGES}-page PDF; {args.runs} runs "
          "| seconds, median (min–max) | rate (median) |")  # fmt: skip
    print("|---|---|---|")
    print(
        f"| build without attachments | {spread(builds['plain'])} | {rate('plain', docs)} docs/s |"
    )
    print(f"| build with attachments, cache empty | {spread(builds['cold'])} | "
          f"{rate('cold', docs)} docs/s |")  # fmt: skip
    print(f"| build with attachments, cache kept | {spread(builds['warm'])} | "
          f"{rate('warm', docs)} docs/s |")  # fmt: skip
    print(f"| the {pages:,} PDF pages read alone | {spread(builds['read'])} | "
          f"{rate('read', pages)} pages/s |")  # fmt: skip
    print(
        f"\nsave → searchable of a replaced PDF, {len(delays)} saves: "
        f"p50 {percentile(delays, 50) * 1000:.0f} ms, p95 {percentile(delays, 95) * 1000:.0f} ms, "
        f"max {max(delays) * 1000:.0f} ms (target p95 ≤ 1 s); the watcher's updates: "
        f"p50 {percentile(updates, 50) * 1000:.0f} ms, p95 {percentile(updates, 95) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
