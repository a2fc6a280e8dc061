"""The report's figures are those of the raw daily rows, whether the days before today
are grouped afresh or taken from memory: checked against a computation written here,
on 45 days of random searches, after writes to today and to a past day."""

from __future__ import annotations

import collections
import datetime as dt
import random
import sqlite3
from pathlib import Path
from typing import Any

from docrepo.content.synonyms import NO_SYNONYMS
from docrepo.insights import storage
from docrepo.insights.events import Opened, Search
from docrepo.insights.report import read_report

TODAY = dt.date(2026, 3, 4)
QUERIES = [f"q{i:02}" for i in range(60)]
FILTERS = [("type", "circular"), ("unit", "dsi"), ("from", "")]


def _day(rng: random.Random, day: dt.date, searches: int) -> list[Search | Opened]:
    """Searches of one day (one in seven finding nothing) and results opened from them,
    some after a search that found nothing (a pair)."""
    events: list[Search | Opened] = []
    for _ in range(searches):
        i = min(int(rng.paretovariate(0.8)), len(QUERIES)) - 1
        total = 0 if i % 7 == 3 else 1 + i % 9
        filters = tuple(rng.sample(FILTERS, rng.randint(0, 2)))
        events.append(Search(day, QUERIES[i], rng.choice(("page", "api", "widget")), total,
                             filters))  # fmt: skip
        if total and rng.random() < 0.6:
            failed = "q03" if rng.random() < 0.3 else ""
            events.append(Opened(day, QUERIES[i], f"doc{rng.randint(1, 30)}",
                                 rng.randint(1, total), "page", failed))  # fmt: skip
    return events


def _write(path: Path, events: list[Search | Opened]) -> None:
    db = storage.open_for_writing(path)
    searches = [e for e in events if isinstance(e, Search)]
    storage.write(db, searches, [(e, True) for e in events if isinstance(e, Opened)])
    db.close()


def _expected(path: Path, days: int) -> dict[str, Any]:
    """The figures of the last `days` days, from every raw row, as the README defines them."""
    first = (TODAY - dt.timedelta(days=days - 1)).isoformat()
    last = TODAY.isoformat()
    db = sqlite3.connect(path)
    rows = {t: [r for r in db.execute(f"SELECT * FROM {t}") if first <= r[0] <= last]
            for t in ("searches", "opened", "filters", "pairs")}  # fmt: skip
    db.close()
    per_day = {(TODAY - dt.timedelta(days=back)).isoformat(): [0, 0] for back in range(days)}
    sources: collections.Counter[str] = collections.Counter()
    queries: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for day, query, source, n, none, _ in rows["searches"]:
        per_day[day][0] += n
        per_day[day][1] += none
        sources[source] += n
        queries[query][0] += n
        queries[query][1] += none
    documents: collections.Counter[str] = collections.Counter()
    clicks = positions = 0
    for _, query, doc, position, n in rows["opened"]:
        queries[query][2] += n
        documents[doc] += n
        clicks += n
        positions += n * position
    listed = [(q, *sums) for q, sums in queries.items() if sums[0] >= 2]

    def top(kept: list[tuple[str, int, int, int]], by: int) -> list[dict[str, Any]]:
        ordered = sorted(kept, key=lambda r: (-r[by], r[0]))[:20]
        return [{"query": q, "searches": n, "no_results": z, "clicks": c} for q, n, z, c in ordered]

    uses: collections.Counter[tuple[str, str]] = collections.Counter()
    for _, facet, value, n in rows["filters"]:
        uses[facet, value] += n
    seen: collections.Counter[tuple[str, str]] = collections.Counter()
    for _, failed, found, n in rows["pairs"]:
        seen[failed, found] += n
    searches = sum(n for n, _ in per_day.values())
    return {
        "searches": searches,
        "no_results_rate": round(sum(z for _, z in per_day.values()) / searches, 3),
        "click_through_rate": round(clicks / searches, 3),
        "average_position": round(positions / clicks, 2),
        "sources": dict(sources),
        "per_day": [{"day": d, "searches": n, "no_results": z}
                    for d, (n, z) in sorted(per_day.items())],  # fmt: skip
        "top": top(listed, 1),
        "no_results": top([r for r in listed if r[2]], 2),
        "unopened": top([r for r in listed if not r[3] and r[1] > r[2]], 1),
        "documents": [{"id": d, "clicks": n}
                      for d, n in sorted(documents.items(), key=lambda x: (-x[1], x[0]))[:20]],
        "filters": [{"facet": f, "value": v, "uses": n}
                    for (f, v), n in sorted(uses.items(), key=lambda x: (-x[1], x[0]))[:20]],
        "pairs": sorted(([a, b, n] for (a, b), n in seen.items() if n >= 3),
                        key=lambda p: (-p[2], p[0], p[1])),
    }  # fmt: skip


def _figures(path: Path, days: int) -> dict[str, Any]:
    data = read_report(path, days, TODAY, NO_SYNONYMS).as_json()
    rows = ("top", "no_results", "unopened")
    for key in rows:
        for row in data[key]:
            del row["no_results_rate"], row["click_through_rate"]
    data["pairs"] = [[*p["terms"], p["seen"]] for p in data.pop("synonym_proposals")]
    for key in ("days", "from", "to"):
        del data[key]
    return data


def test_the_report_is_the_sum_of_the_raw_rows_before_and_after_writes(tmp_path: Path) -> None:
    rng = random.Random(28)
    path = tmp_path / "insights.sqlite"
    for back in range(45, -1, -1):
        _write(path, _day(rng, TODAY - dt.timedelta(days=back), rng.randint(20, 80)))
    spans = (1, 2, 7, 30, 45, 60)
    for days in spans:
        assert _figures(path, days) == _expected(path, days), days
    expected = _expected(path, 30)
    assert len(expected["top"]) == 20 and expected["unopened"] and expected["pairs"]
    assert _figures(path, 30) == expected  # read again: from memory
    _write(path, _day(rng, TODAY, 40))  # today moves
    assert _figures(path, 30) == _expected(path, 30) != expected
    _write(path, _day(rng, TODAY - dt.timedelta(days=3), 40))  # and a day before today
    for days in spans:
        assert _figures(path, days) == _expected(path, days), days
