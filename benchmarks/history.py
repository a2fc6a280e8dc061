"""The history benchmark: history and version pages over HTTP on a generated repository.

    python -m benchmarks.history --docs 10000 --commits 50000      # target: p95 ≤ 50 ms
    python -m benchmarks.history --quick                           # 2,000 docs, 5,000 commits

Generates the repository (`benchmarks.history_repo`: a folder `content/` of documents,
then commits editing or renaming one document each), builds the index (the time of the
index and of the history's first recording are printed apart), records one more commit
incrementally, then starts `docrepo serve --no-watch` and requests, one after the other
on one connection, the history pages and the version pages of documents picked at random
among those edited most (the longest histories), and of any document.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import time
from pathlib import Path

from .harness import ROOT, Client, Processes, free_port, log, ms, sequential, wait_for
from .history_repo import generate_repository
from .measures import docrepo_command

DEFAULT_WORK = ROOT / "benchmarks" / "corpora"


def _build(content: Path, index: Path) -> None:
    from docrepo.indexing.history import update_history
    from docrepo.indexing.pipeline import update_index
    from docrepo.store import whoosh_internals
    from docrepo.store.writing import IndexStore

    whoosh_internals.check_version()
    started = time.perf_counter()
    summary = update_index(content, IndexStore(index), rebuild=True)
    log(f"index built with its history: {summary.line()} ({time.perf_counter() - started:.1f} s)")
    (index / "history.sqlite").unlink()
    started = time.perf_counter()
    update_history(content, index)
    log(f"history recorded from nothing alone: {time.perf_counter() - started:.1f} s")
    path = next(p for p in sorted(content.rglob("*.md")))
    path.write_text(path.read_text(encoding="utf-8") + "\nUne modification.\n", "utf-8")
    repo = content.parent
    subprocess.run(["git", "commit", "-qam", "Une modification de plus"], cwd=repo, check=True)
    started = time.perf_counter()
    update_index(content, IndexStore(index))
    log(f"one more commit, indexed and recorded: {ms(time.perf_counter() - started)}")


def _doc_ids(content: Path, rng: random.Random, count: int) -> list[str]:
    """Ids of documents: half among the most edited ones (the longest histories)."""
    edits: dict[str, int] = {}
    for path in content.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        edits[path.relative_to(content).as_posix()[:-3]] = text.count("Mise à jour n°")
    ranked = sorted(edits, key=lambda d: (-edits[d], d))
    longest = ranked[: max(1, len(ranked) // 20)]
    return [rng.choice(longest if n % 2 else ranked) for n in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="serve the repository and index of the last run"
    )
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = parser.parse_args(argv)
    if args.quick:
        args.docs, args.commits, args.requests = 2_000, 5_000, 100
    work = args.work / f"history-{args.docs}-{args.commits}"
    content, index = work / "repo" / "content", work / "index"
    if not (args.reuse and (index / "history.sqlite").is_file()):
        generate_repository(work / "repo", args.docs, args.commits)
        _build(content, index)
    ids = _doc_ids(content, random.Random(1), args.requests)
    procs = Processes()
    port = free_port()
    serve = ["serve", "--no-watch", "--port", str(port), "--content", str(content)]
    proc = procs.start(
        [*docrepo_command(), *serve, "--index", str(index)], work / "serve.log", work
    )
    try:
        if wait_for(port, "/healthz", time.monotonic() + 300, lambda: proc.poll() is None) is None:
            raise SystemExit("docrepo serve did not start: see " + str(work / "serve.log"))
        client = Client(port)
        versions: list[str] = []
        lengths: list[int] = []
        for doc_id in ids:  # the commit of a version of each, from its history page
            found = re.findall(
                r"version=([0-9a-f]{40})", client.get(f"/doc/{doc_id}/history")[1].decode()
            )
            if not found:  # a draft: not served
                continue
            lengths.append(len(found))
            versions.append(f"/doc/{doc_id}?version={random.Random(doc_id).choice(found)}")
        client.close()
        served = [v.split("?")[0] for v in versions]
        history = sequential(port, [f"{d}/history" for d in served], budget=300)
        version = sequential(port, versions, budget=300)
    finally:
        procs.stop_all()
    print(
        f"{args.docs:,} documents, {args.commits:,} commits; versions per page: "
        f"median {sorted(lengths)[len(lengths) // 2]}, max {max(lengths)}"
    )
    for name, result in (("history page", history), ("version page", version)):
        verdict = "met" if result.p95 <= 0.050 and not result.errors else "NOT met"
        print(
            f"{name:13} p50 {ms(result.p50)}  p95 {ms(result.p95)}  "
            f"({len(result.seconds)} requests, {result.errors} errors)  "
            f"target p95 ≤ 50 ms: {verdict}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
