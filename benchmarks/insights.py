"""Search insights, measured (issue 28): the search's p50 and throughput with recording on
and off, the size of the insights file after a simulated year (1,000 searches a day over
20,000 distinct queries), and the time /insights takes on it (target: p95 <= 200 ms).

    .venv/bin/python -m benchmarks.insights [--docs N] [--requests N]

Modest by default (the sample content, 190 texts, in this process, one request at a time):
what is compared is the same search with and without recording, alternated in rounds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from docrepo.app import create_app
from docrepo.config import Settings
from docrepo.indexing.pipeline import update_index
from docrepo.insights import storage
from docrepo.insights.events import Opened, Search
from docrepo.store.writing import IndexStore

SAMPLE = Path(__file__).resolve().parents[1] / "content"
WORDS = ("télétravail frais mission congés délégation signature marchés publics données "
         "RGPD astreinte formation recrutement achat budget véhicule sécurité laboratoire "
         "contrat partenariat thèse brevet éthique").split()  # fmt: skip
EDITOR = {"X-Remote-User": "bench", "X-Remote-Groups": "editors"}


def _queries(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.sample(WORDS, rng.randint(1, 3))) for _ in range(n)]


def _time(client: TestClient, queries: list[str]) -> list[float]:
    times = []
    for q in queries:
        start = time.perf_counter()
        client.get("/api/search", params={"q": q})
        times.append(time.perf_counter() - start)
    return times


def search_on_and_off(content: Path, index: Path, work: Path, requests: int) -> None:
    queries = _queries(requests)
    clients = {
        name: TestClient(create_app(Settings(content=content, index=index, insights=value)))
        for name, value in (("off", "off"), ("on", str(work / "bench-insights.sqlite")))
    }
    times: dict[str, list[float]] = {"off": [], "on": []}
    for client in clients.values():
        _time(client, queries[:50])  # warm up
    for round_ in range(6):  # alternated, so that the machine's other work falls on both
        for name in ("off", "on") if round_ % 2 == 0 else ("on", "off"):
            times[name] += _time(clients[name], queries)
    for name in ("off", "on"):
        t = times[name]
        print(f"search, recording {name:3}: p50 {statistics.median(t) * 1000:6.2f} ms, "
              f"throughput {len(t) / sum(t):6.0f} searches/s (one client)")  # fmt: skip
    off, on = (statistics.median(times[n]) for n in ("off", "on"))
    print(f"p50 with recording on / off: {on / off:.3f}")
    for client in clients.values():
        client.close()


def simulated_year(path: Path, today: dt.date, per_day: int = 1000, distinct: int = 20_000) -> None:
    """A year of searches: Zipf-like over `distinct` queries, 6 % finding nothing, 55 %
    opening a result (position 1 to 10), one in four with a filter, a few pairs."""
    rng = random.Random(7)
    weights = [1 / (rank + 1) for rank in range(distinct)]
    db = storage.open_for_writing(path)
    for back in range(365, 0, -1):
        day = today - dt.timedelta(days=back - 1)
        picked = rng.choices(range(distinct), weights, k=per_day)
        searches, opened = [], []
        for i in picked:
            q = f"requete {i} {WORDS[i % len(WORDS)]}"
            total = 0 if i % 17 == 0 else 1 + i % 40
            filters = (("type", "circular"),) if rng.random() < 0.25 else ()
            searches.append(Search(day, q, rng.choice(("page", "widget", "api")), total, filters))
            if total and rng.random() < 0.55:
                failed = f"requete {i + 1}" if rng.random() < 0.02 else ""
                doc = f"circulars/{2000 + i % 25}/doc{i % 500}"
                opened.append(
                    (Opened(day, q, doc, rng.randint(1, min(10, total)), "page", failed), True)
                )
        storage.write(db, searches, opened)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def insights_time(
    content: Path, index: Path, path: Path, days: int, n: int = 30
) -> tuple[float, list[float]]:
    """The first /insights of a process for `days` (what an editor waits for the first
    view of a period in a day), then `n` more, sorted."""
    app = create_app(Settings(content=content, index=index, insights=str(path),
                              insights_days=760, trusted_proxies=("127.0.0.1",)))  # fmt: skip
    times = []
    with TestClient(app, client=("127.0.0.1", 50000)) as client:
        for _ in range(n + 1):
            start = time.perf_counter()
            r = client.get("/insights", headers=EDITOR, params={"days": days})
            times.append(time.perf_counter() - start)
            assert r.status_code == 200, r.status_code
    return times[0], sorted(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="searches per round")
    parser.add_argument("--page-only", action="store_true", help="measure /insights only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        update_index(SAMPLE, IndexStore(work / "index"))
        if not args.page_only:
            search_on_and_off(SAMPLE, work / "index", work, args.requests)
        year = work / "year.sqlite"
        start = time.perf_counter()
        simulated_year(year, dt.date.today())
        size = sum(p.stat().st_size for p in work.glob("year.sqlite*"))
        took = time.perf_counter() - start
        print(f"insights file after a simulated year (365 x 1,000 searches, 20,000 distinct "
              f"queries): {size / 1e6:.1f} MB (written in {took:.0f} s)")  # fmt: skip
        for days in (30, 365, 760):
            first, t = insights_time(SAMPLE, work / "index", year, days)
            p95 = t[int(len(t) * 0.95) - 1]
            print(f"/insights?days={days} on it: first of the process {first * 1000:.0f} ms, "
                  f"then p50 {statistics.median(t) * 1000:.0f} ms, "
                  f"p95 {p95 * 1000:.0f} ms (target p95 <= 200 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
