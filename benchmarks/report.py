"""The report of the benchmarks: the rows of the table, their targets (issue #7), the
printing, and the results as JSON."""

from __future__ import annotations

import os
from dataclasses import dataclass
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
    build, bare = results.get("build"), results.get("bare_whoosh")
    if build:
        target_ok = build["rate"] >= 600 and (bare is None or build["rate"] >= 2 * bare["rate"])
        rows.append(
            Row(
                "full index build (update_index rebuild)",
                f"{build['rate']:.0f} docs/s ({build['seconds']:.1f} s)",
                "≥ 600 docs/s and ≥ 2× bare Whoosh",
                target_ok,
            )
        )
        rows.append(Row("  peak RSS of the harness after the build", mb(build["peak_rss"])))
    if bare:
        rows.append(
            Row(
                "bare Whoosh add_document, same texts",
                f"{bare['rate']:.0f} docs/s ({bare['seconds']:.1f} s)",
            )
        )
    elif "bare_whoosh_error" in results:
        rows.append(
            Row("bare Whoosh add_document, same texts", "n/a", results["bare_whoosh_error"])
        )
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
