"""How long searches wait while a rebuild swaps in a new generation, and while an
anonymous reader's problems are listed (issue #24, point 12).

    .venv/bin/python -m benchmarks.swap_stall --docs 20000

Builds (or reuses) a generated corpus and its index, opens a `Library` as a web worker
does, and runs searches without pause in several threads, each timed. Meanwhile:

1. `docrepo index --rebuild` runs in a process of its own and swaps in a new
   generation: the first request after the swap makes the worker verify the new
   generation's checksums and open it;
2. one thread lists the problems an anonymous reader may see, again and again.

Prints, for the searches that ran during each phase (even in part), their number,
median, p99 and longest, and the p99 and longest of the time they waited for a reader
(`Library.reader()`: where the swap's verification made every search wait).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from docrepo.access import ANONYMOUS
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest

from .harness import ROOT, log, ms, percentile
from .measures import ensure_corpus

#: the words searched, in turn (common and rarer words of the generated corpus)
WORDS = ["télétravail", "congés", "marché", "sécurité", "formation", "recrutement",
         "données personnelles", "mission", "budget", "laboratoire"]  # fmt: skip


@dataclass
class Timings:
    """(start, seconds, seconds waited for a reader) of each search, from every thread."""

    found: list[tuple[float, float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, start: float, seconds: float, waited: float) -> None:
        with self.lock:
            self.found.append((start, seconds, waited))

    def between(self, start: float, end: float) -> list[tuple[float, float]]:
        """(seconds, waited) of the searches that ran during [start, end), even in part
        (one waiting since before `start` too)."""
        with self.lock:
            return [(s, w) for t, s, w in self.found if t < end and t + s > start]


def _searching(library: Library, timings: Timings, stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        start = time.perf_counter()
        reader = library.reader()
        waited = time.perf_counter() - start
        reader.search(SearchRequest(q=WORDS[n % len(WORDS)]), ANONYMOUS)
        timings.add(start, time.perf_counter() - start, waited)
        n += 1


def _row(name: str, found: list[tuple[float, float]]) -> str:
    """The searches' number, median, p99 and longest; then the p99 and longest of the
    time they waited for a reader (the library's part)."""
    seconds, waited = [s for s, _ in found], [w for _, w in found]
    return (
        f"{name:<34} {len(seconds):>7,} {ms(percentile(seconds, 50)):>10} "
        f"{ms(percentile(seconds, 99)):>10} {ms(max(seconds, default=float('nan'))):>10} "
        f"{ms(percentile(waited, 99)):>10} {ms(max(waited, default=float('nan'))):>10}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "corpora")
    parser.add_argument("--threads", type=int, default=4, help="searching threads")
    parser.add_argument("--problems-seconds", type=float, default=10.0)
    args = parser.parse_args(argv)

    from docrepo.indexing.pipeline import update_index
    from docrepo.store.writing import IndexStore

    content, _ = ensure_corpus(args.work, args.docs, args.seed)
    index = content.parent / "index-swap"
    if index.exists():
        log("bringing the index up to date")
    else:
        log(f"indexing {args.docs:,} documents into {index}")
    update_index(content, IndexStore(index))
    library = Library(index, content)

    for words in WORDS:  # every word's arrays read once
        library.search(SearchRequest(q=words), ANONYMOUS)
    timings, stop = Timings(), threading.Event()
    threads = [
        threading.Thread(target=_searching, args=(library, timings, stop), daemon=True)
        for _ in range(args.threads)
    ]
    rows: list[str] = []
    try:
        for thread in threads:
            thread.start()
        time.sleep(3)
        quiet = time.perf_counter()
        rows.append(_row("no writer (3 s)", timings.between(quiet - 3, quiet)))

        old = library.directory.current()
        log("rebuilding in another process")
        started = time.perf_counter()
        rebuild = subprocess.Popen(
            [sys.executable, "-m", "docrepo", "index", "--rebuild",
             "--content", str(content), "--index", str(index)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        while library.directory.current() == old:
            if rebuild.poll() not in (None, 0):
                raise SystemExit(f"the rebuild failed ({rebuild.returncode})")
            time.sleep(0.005)
        swapped = time.perf_counter()
        log(f"swapped after {swapped - started:.1f} s")
        # the swap's window: until a search served from the new generation has ended
        while library.reader().snapshot.generation == old:
            time.sleep(0.005)
        served = time.perf_counter()
        time.sleep(2)
        rebuild.wait(timeout=600)
        after = time.perf_counter()
        rows.append(_row("rebuild, before the swap", timings.between(started, swapped)))
        rows.append(_row("swap: until the new one serves", timings.between(swapped, served)))
        rows.append(_row("swap, and 2 s after", timings.between(swapped, after)))
        log(f"the new generation served {served - swapped:.2f} s after the swap")

        log(f"listing an anonymous reader's problems for {args.problems_seconds:.0f} s")
        listed = 0
        start = time.perf_counter()
        while time.perf_counter() - start < args.problems_seconds:
            library.reader().problems(ANONYMOUS)
            listed += 1
        end = time.perf_counter()
        rows.append(_row(f"anonymous problems ({listed} lists)", timings.between(start, end)))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    print(f"{args.docs:,} documents, {args.threads} searching threads")
    print(
        f"{'searches running during':<34} {'number':>7} {'median':>10} {'p99':>10} {'max':>10} "
        f"{'wait p99':>10} {'wait max':>10}"
    )
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
