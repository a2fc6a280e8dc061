"""The report of the benchmarks: the rows of the table, their targets (issue #7), the
printing, and the results as JSON."""

from __future__ import annotations

import os
from dataclasses import dataclass
from statistics import median
from typing import Any

from .harness import Latencies, Load, mb, ms, percentile


@dataclass
class Row:
    measure: str
    value: str
    target: str = "—"
    met: bool | None = None


def met_text(met: bool | None) -> str:
    return {True: "met", False: "NOT met", None: "—"}[met]


def print_table(title: str, rows: list[Row]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # plain text
        print(title)
        for r in rows:
            print(f"  {r.measure:<48} {r.value:<34} {r.target:<30} {met_text(r.met)}")
        return
    table = Table(title=title, show_lines=False)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target")
    table.add_column("met")
    for r in rows:
        style = {True: "green", False: "bold red", None: "dim"}[r.met]
        table.add_row(r.measure, r.value, r.target, f"[{style}]{met_text(r.met)}[/{style}]")
    Console(width=160).print(table)


def ratio_text(ratio: float) -> str:
    if ratio != ratio or ratio <= 0:
        return "n/a"
    if ratio <= 1:
        return f"{ratio:.3f} ({1 / ratio:.1f}× lower)"
    return f"{ratio:.2f} ({ratio:.1f}× higher)"


def runs_text(runs: list[dict[str, Any]]) -> str:
    """The median rate of some runs, its time, and every run's rate."""
    rate = median(run["rate"] for run in runs)
    seconds = median(run["seconds"] for run in runs)
    each = " / ".join(f"{run['rate']:.0f}" for run in runs)
    return f"{rate:.0f} docs/s ({seconds:.1f} s; runs {each})"


def build_comparison(builds: list[dict[str, Any]], bare: list[dict[str, Any]]) -> list[Row]:
    """docrepo's build and bare Whoosh's, each the median of its runs, and their ratio: a
    target is met by the medians, not by the best run."""
    rows: list[Row] = []
    rate = median(run["rate"] for run in builds) if builds else float("nan")
    if builds:
        rows.append(
            Row(
                f"full index build (update_index rebuild), median of {len(builds)}",
                runs_text(builds),
                "≥ 600 docs/s",
                rate >= 600,
            )
        )
        peak = max(run["peak_rss"] for run in builds)
        rows.append(Row("  peak RSS of the harness after the builds", mb(peak)))
    if bare:
        procs = "/".join(sorted({str(run["procs"]) for run in bare}))
        rows.append(
            Row(
                f"bare Whoosh writer(procs={procs}) on the same files, median of {len(bare)}",
                runs_text(bare),
            )
        )
    if builds and bare:
        ratio = rate / median(run["rate"] for run in bare)
        pairs = ""  # the runs' own ratios, when every run of both builds went through
        if len(builds) == len(bare):
            each = (f"{a['rate'] / b['rate']:.2f}" for a, b in zip(builds, bare, strict=True))
            pairs = f" (run by run {' / '.join(each)})"
        rows.append(
            Row(
                "  docrepo / bare Whoosh: the medians' ratio",
                f"{ratio:.2f}×{pairs}",
                "≥ 2×",
                ratio >= 2,
            )
        )
    return rows


def build_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    corpus = results["corpus"]
    rows.append(
        Row(
            "corpus",
            f"{corpus['docs']:,} docs, {corpus['english']:,} en, "
            f"{corpus['words'] / max(corpus['docs'], 1):.0f} words/doc",
        )
    )
    loads = [round(value, 1) for _, value in results.get("loadavg", [])]
    rows.append(
        Row(
            "machine: CPUs, 1-min load average at each phase",
            f"{os.cpu_count()} CPUs, load {' / '.join(map(str, loads))}",
            "— (other processes skew the numbers)",
        )
    )
    rows += build_comparison(results.get("builds") or [], results.get("bare_whoosh") or [])
    if "bare_whoosh_error" in results:
        rows.append(Row("bare Whoosh, same files", "failed", results["bare_whoosh_error"], False))
    saves = results.get("saves")
    if saves:
        lat = saves["latencies"]
        p95 = percentile(lat, 95)
        rows.append(
            Row(
                f"save-to-searchable p50 / p95 (N={len(lat)})",
                f"{ms(percentile(lat, 50))} / {ms(p95)}",
                "p95 ≤ 500 ms",
                p95 <= 0.5 and not saves["timeouts"],
            )
        )
        if saves["timeouts"]:
            rows.append(Row("  saves never found", str(saves["timeouts"]), "0", False))
        rows.append(Row("  watcher start: first full update", f"{saves['catch_up']:.2f} s"))
        updates, nan = saves.get("update_seconds") or [], float("nan")
        rows.append(
            Row(
                "  one incremental update_index (p50 / max)",
                f"{ms(percentile(updates, 50))} / {ms(max(updates, default=float('nan')))}",
            )
        )
        rows.append(
            Row(
                "  one Library.search poll (p50 / max)",
                f"{ms(saves.get('poll_p50', nan))} / {ms(saves.get('poll_max', nan))}",
            )
        )
    elif "saves_error" in results:
        rows.append(Row("save-to-searchable", "failed", results["saves_error"], False))
    server = results.get("server")
    if server:
        rows.append(
            Row(
                "cold start (serve --no-watch → /healthz 200)",
                f"{server['cold_start']:.2f} s",
                "≤ 2 s",
                server["cold_start"] <= 2,
            )
        )
        for name, lat in server["sets"].items():
            ok = lat.p50 <= 0.008 and lat.p95 <= 0.025 and not lat.errors
            errors = f", {lat.errors} errors" if lat.errors else ""
            rows.append(
                Row(
                    f"/api/search p50 / p95, {name}",
                    f"{ms(lat.p50)} / {ms(lat.p95)}{errors}",
                    "p50 ≤ 8 ms, p95 ≤ 25 ms (first runs included)",
                    ok,
                )
            )
        load: Load = server["load"]
        rows.append(
            Row(
                f"throughput, 16 clients, {load.seconds:.0f} s, {len(server['workers'])} worker(s)",
                f"{load.rate:.1f} searches/s, {load.errors} errors",
                "≥ 200/s, no error",
                load.rate >= 200 and not load.errors,
            )
        )
        rows.append(
            Row(
                "  latency under load p50 / p95",
                f"{ms(percentile(load.latencies, 50))} / {ms(percentile(load.latencies, 95))}",
            )
        )
        for n, worker in enumerate(server["workers"], 1):
            rows.append(
                Row(
                    f"reader {n} after the load: RSS (USS + shared)",
                    f"{mb(worker['rss'])} ({mb(worker['uss'])} + {mb(worker['shared'])}), "
                    f"PSS {mb(worker['pss'])}, heap {mb(worker['anonymous'])}",
                    "RSS ≤ 200 MB",
                    worker["rss"] <= 200 * 1_048_576,
                )
            )
    elif "server_error" in results:
        rows.append(Row("docrepo serve", "failed", results["server_error"], False))
    if "index_size" in results:
        size = results["index_size"]
        rows.append(
            Row("index size on disk", f"{mb(size['generation'])} (manifest {mb(size['manifest'])})")
        )
    datasette = results.get("datasette")
    if datasette and server:
        for name, lat in datasette["sets"].items():
            mine: Latencies = server["sets"][name]
            ratio = mine.p50 / lat.p50 if lat.p50 else float("nan")
            errors = f", {lat.errors} errors" if lat.errors else ""
            rows.append(
                Row(f"Datasette p50 / p95, {name}", f"{ms(lat.p50)} / {ms(lat.p95)}{errors}")
            )
            rows.append(
                Row(
                    f"  docrepo / Datasette p50, {name}",
                    ratio_text(ratio),
                    "≤ 0.05 (≥ 20× lower)",
                    ratio <= 0.05,
                )
            )
    elif "datasette_error" in results:
        rows.append(Row("Datasette (SQLite FTS5, same facets)", "n/a", results["datasette_error"]))
    return rows


def plain(obj: Any) -> Any:
    """The results as JSON values (latency summaries instead of every timing)."""
    if isinstance(obj, Latencies | Load):
        return obj.to_json()
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def print_results(results: dict[str, Any], seed: int) -> None:
    """The table, then the warnings, the failures and the first notes of each query set."""
    corpus = results["corpus"]
    title = (
        f"docrepo benchmarks — {corpus['docs']:,} documents (seed {seed}), "
        f"commit {results['commit']}"
    )
    print_table(title, build_rows(results))
    for warning in results.get("warnings", []):
        print(f"WARNING: {warning}")
    for key in ("build", "server", "saves", "datasette"):
        if f"{key}_error" in results:
            print(f"{key}: {results[key + '_error']}")
    if "server" in results:
        for name, lat in results["server"]["sets"].items():
            for note in lat.notes[:3]:
                print(f"note (docrepo, {name}): {note}")
    if "datasette" in results:
        for name, lat in results["datasette"]["sets"].items():
            for note in lat.notes[:3]:
                print(f"note (Datasette, {name}): {note}")
