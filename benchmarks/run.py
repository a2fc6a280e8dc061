"""The benchmark harness of docrepo: one command, one table.

    python -m benchmarks.run --docs 10000          # or --docs 100000, or --quick

Generates (or reuses) a synthetic corpus under ``--work`` (default
``benchmarks/corpora/``), then measures, in this order:

1. the full index build (``update_index`` with ``rebuild=True``), in documents/s, and
2. bare Whoosh indexing the same files as its users would (front matter read, Markdown
   rendered to text, ``writer(procs=N)`` with N the cores) in a fresh process that
   imports no docrepo module (`benchmarks.bare_whoosh`): three runs of each, in turns,
   and the ratio of their medians;
3. the cold start of ``docrepo serve --no-watch`` on the up-to-date index (process
   start to the first 200 of ``/healthz``);
4. ``/api/search`` latency over HTTP (one keep-alive client, sequential) for three
   query sets: words without filters, words with filters, empty query with filters;
5. throughput with 16 concurrent clients for a bounded time, with the errors;
6. the server's RSS after that load, and the index size on disk;
7. save-to-searchable: a `Watcher` thread on the corpus, files created and edited one
   at a time, a `Library` polled until the new word is found;
8. Datasette serving the same corpus from SQLite FTS5 with the same facets, timed
   with the same client on the equivalent queries (when Datasette is installed).

Everything listens on 127.0.0.1, every loop has a deadline, every process started is
terminated at the end.

The pieces: `benchmarks.harness` (processes, HTTP client, timing, ports, percentiles),
`benchmarks.measures` (the corpus, the query sets, the measures) with
`benchmarks.bare_whoosh`, and `benchmarks.report` (rows, targets, the table); this
module runs them in order.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .harness import ROOT, Processes, code_fingerprint, git_commit, log
from .measures import (
    build_sqlite,
    datasette_missing,
    ensure_corpus,
    measure_bare_whoosh,
    measure_build,
    measure_datasette,
    measure_index_size,
    measure_saves,
    measure_server,
    query_sets,
)
from .report import plain, print_results

DEFAULT_WORK = ROOT / "benchmarks" / "corpora"
#: runs of each build, docrepo's and bare Whoosh's, in turns: the table gives their medians
BUILD_RUNS = 3


@contextlib.contextmanager
def phase(results: dict[str, Any], key: str) -> Iterator[None]:
    """Run a measure; on failure, note why in the results and go on with the next."""
    results.setdefault("loadavg", []).append((key, os.getloadavg()[0]))
    if code_fingerprint() != results.get("code"):
        warning = f"docrepo's code changed before the {key} measure: a mix of two versions"
        results.setdefault("warnings", []).append(warning)
        log(f"warning: {warning}")
        results["code"] = code_fingerprint()
    try:
        yield
    except Exception as exc:  # a failed measure is reported in the table, not a traceback
        results[f"{key}_error"] = f"{type(exc).__name__}: {exc}"[:300]
        log(f"{key} failed: {results[f'{key}_error']}")


def _stop_on_signal(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    # SIGTERM (and SIGINT, even in a background job) end the run through the `finally`
    # clauses, which stop the servers and restore the corpus
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description="docrepo benchmarks: prints one table")
    parser.add_argument("--docs", type=int, help="corpus size (default 10000; 2000 with --quick)")
    parser.add_argument("--quick", action="store_true", help="a smaller, shorter smoke run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="work directory")
    parser.add_argument("--queries", type=int, help="requests per query set (default 200)")
    parser.add_argument("--duration", type=float, help="seconds of concurrent load (default 20)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=2, help="web workers of docrepo serve (default 2)"
    )
    parser.add_argument("--saves", type=int, help="files saved one at a time (default 30)")
    parser.add_argument("--no-datasette", action="store_true", help="skip the Datasette comparison")
    parser.add_argument("--no-bare-whoosh", action="store_true", help="skip bare Whoosh")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    docs = args.docs or (2000 if args.quick else 10_000)
    n_queries = args.queries or (40 if args.quick else 200)
    duration = args.duration or (5.0 if args.quick else 20.0)
    n_saves = args.saves or (10 if args.quick else 30)
    budget = 60.0 if args.quick else 300.0

    import yaml

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    content, corpus = ensure_corpus(work, docs, args.seed)
    run_dir = content.parent
    index = run_dir / "index"
    taxonomy = yaml.safe_load((content / "taxonomy.yml").read_text(encoding="utf-8"))
    sets = query_sets(corpus["sample_references"], taxonomy, n_queries, args.seed)
    indexed = corpus["docs"] - corpus["drafts"]
    results: dict[str, Any] = {
        "corpus": corpus,
        "args": {
            "docs": docs,
            "queries": n_queries,
            "duration": duration,
            "saves": n_saves,
            "clients": args.clients,
        },
    }
    results["code"], results["commit"] = code_fingerprint(), git_commit()
    procs = Processes()
    try:
        for run in range(1, BUILD_RUNS + 1):  # taken in turns: the machine's drift hits both
            with phase(results, "build"):
                log(f"full index build (update_index, rebuild), run {run} of {BUILD_RUNS}")
                build = measure_build(content, index)
                results.setdefault("builds", []).append(build)
                log(f"built {build['documents']:,} documents in {build['seconds']:.1f} s")
            if not args.no_bare_whoosh:
                with phase(results, "bare_whoosh"):
                    log(f"bare Whoosh indexing the same files, run {run} of {BUILD_RUNS}")
                    bare = measure_bare_whoosh(procs, content, run_dir)
                    results.setdefault("bare_whoosh", []).append(bare)
                    log(f"bare Whoosh: {bare['rate']:.0f} docs/s ({bare['procs']} processes)")
        with phase(results, "server"):
            results["server"] = measure_server(
                procs,
                content,
                index,
                run_dir,
                sets,
                indexed,
                args.clients,
                duration,
                budget,
                args.workers,
            )
        with phase(results, "index_size"):
            results["index_size"] = measure_index_size(index)
        with phase(results, "saves"):
            log(f"save-to-searchable: {n_saves} saves, one at a time")
            results["saves"] = measure_saves(content, index, n_saves, timeout=30.0)
        if args.no_datasette:
            results["datasette_error"] = "skipped (--no-datasette)"
        elif missing := datasette_missing():
            results["datasette_error"] = missing
        else:
            with phase(results, "datasette"):
                db_path = run_dir / "bench.db"
                log("building the SQLite FTS5 database for Datasette")
                results["sqlite"] = build_sqlite(content, db_path)
                log(
                    f"SQLite: {results['sqlite']['rows']:,} rows in "
                    f"{results['sqlite']['seconds']:.1f} s"
                )
                results["datasette"] = measure_datasette(procs, db_path, run_dir, sets, budget)
    finally:
        procs.stop_all()
    print_results(results, args.seed)
    if args.json:
        args.json.write_text(json.dumps(plain(results), indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
