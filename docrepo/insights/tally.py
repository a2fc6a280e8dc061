"""The sums a report is made of, and those of the days before today kept in memory
from one report to the next.

A year of daily rows (240,000 searches, 145,000 opened results for 1,000 searches a day)
takes more than a second to group. The days before today hardly change, so their sums
are kept per (file, first day, today) and grouped again only when the count of events
written to one of those days has moved (every row written counts one event of its day,
`storage._room`): the same figures as a fresh read, and a report then groups today's
rows only (docs/performance.md, "Search insights").
"""

from __future__ import annotations

import collections
import datetime as dt
import heapq
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: spans of days kept in memory, at most (each holds one entry per query of its days)
KEPT = 8


@dataclass
class Tally:
    """The sums of a span of days."""

    #: day -> [searches, searches that found nothing]
    per_day: dict[str, list[int]] = field(default_factory=dict)
    sources: collections.Counter[str] = field(default_factory=collections.Counter)
    #: query -> [searches, searches that found nothing, results opened, sum of positions]
    queries: dict[str, list[int]] = field(default_factory=dict)
    documents: collections.Counter[str] = field(default_factory=collections.Counter)
    filters: collections.Counter[tuple[str, str]] = field(default_factory=collections.Counter)
    pairs: collections.Counter[tuple[str, str]] = field(default_factory=collections.Counter)

    #: per query, the four sums above added over every query
    totals: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    _ranked: dict[Rank, list[tuple[tuple[int, str], str]]] = field(default_factory=dict, repr=False)

    def ranked(self, rank: Rank) -> list[tuple[tuple[int, str], str]]:
        """The queries `rank` keeps, in its order (sorted once: a tally read is not changed)."""
        if rank not in self._ranked:
            kept = ((rank(q, sums), q) for q, sums in self.queries.items())
            self._ranked[rank] = sorted((key, q) for key, q in kept if key is not None)
        return self._ranked[rank]


#: a query's place in a list (the smallest first), None when not listed
Rank = Callable[[str, list[int]], "tuple[int, str] | None"]


def _added(a: list[int] | None, b: list[int]) -> list[int]:
    return [x + y for x, y in zip(a, b, strict=True)] if a else b


@dataclass(frozen=True)
class Period:
    """The sums of the days before today and of today, added when asked."""

    past: Tally
    today: Tally

    def per_day(self, day: str) -> tuple[int, int]:
        n, none = _added(self.past.per_day.get(day), self.today.per_day.get(day, [0, 0]))
        return n, none

    def counts(self, name: str) -> collections.Counter[Any]:
        """`sources`, `documents`, `filters` or `pairs`, added."""
        counts: collections.Counter[Any] = getattr(self.past, name) + getattr(self.today, name)
        return counts

    @property
    def totals(self) -> list[int]:
        return _added(self.past.totals, self.today.totals)

    def top(self, rank: Rank, n: int) -> list[tuple[str, list[int]]]:
        """The first `n` queries by `rank`, their sums added: the past keeps its order,
        and only today's queries are ranked again."""
        today = {
            q: _added(self.past.queries.get(q), sums) for q, sums in self.today.queries.items()
        }
        chosen: list[tuple[tuple[int, str], str, list[int]]] = []
        for key, q in self.past.ranked(rank):
            if len(chosen) == n:
                break
            if q not in today:
                chosen.append((key, q, self.past.queries[q]))
        for q, sums in today.items():
            place = rank(q, sums)
            if place is not None:
                chosen.append((place, q, sums))
        return [(q, sums) for _, q, sums in heapq.nsmallest(n, chosen)]


def read(connection: sqlite3.Connection, first: str, last: str) -> Tally:
    """The sums of the days from `first` to `last` (ISO dates, both included)."""
    tally = Tally()
    span = (first, last)

    def rows(sql: str) -> sqlite3.Cursor:
        return connection.execute(sql.format(days="day BETWEEN ? AND ?"), span)

    for day, source, n, none in rows(
        "SELECT day, source, sum(searches), sum(no_results) FROM searches WHERE {days} "
        "GROUP BY day, source"
    ):
        daily = tally.per_day.setdefault(day, [0, 0])
        daily[0] += n
        daily[1] += none
        tally.sources[source] += n
    for query, n, none in rows(
        "SELECT query, sum(searches), sum(no_results) FROM searches WHERE {days} GROUP BY query"
    ):
        tally.queries[query] = [n, none, 0, 0]
    for query, n, positions in rows(
        "SELECT query, sum(opened), sum(opened * position) FROM opened WHERE {days} GROUP BY query"
    ):
        sums = tally.queries.setdefault(query, [0, 0, 0, 0])
        sums[2:] = [n, positions]
    for sums in tally.queries.values():
        tally.totals = [a + b for a, b in zip(tally.totals, sums, strict=True)]
    tally.documents.update(
        dict(rows("SELECT doc, sum(opened) FROM opened WHERE {days} GROUP BY doc"))
    )
    for facet, value, n in rows(
        "SELECT facet, value, sum(uses) FROM filters WHERE {days} GROUP BY facet, value"
    ):
        tally.filters[facet, value] = n
    for failed, found, n in rows(
        "SELECT failed, found, sum(seen) FROM pairs WHERE {days} GROUP BY failed, found"
    ):
        tally.pairs[failed, found] = n
    return tally


def _events(connection: sqlite3.Connection, first: str, last: str) -> tuple[tuple[str, int], ...]:
    """The events written to each day of the span: any row written moves them."""
    rows = connection.execute(
        "SELECT day, events FROM days WHERE day BETWEEN ? AND ? ORDER BY day", (first, last)
    )
    return tuple(rows)


class PastDays:
    """The tallies of the days before today, kept per (file, first day, today)."""

    def __init__(self) -> None:
        self._kept: collections.OrderedDict[
            tuple[str, str, str], tuple[tuple[tuple[str, int], ...], Tally]
        ] = collections.OrderedDict()
        self._lock = threading.Lock()

    def read(self, connection: sqlite3.Connection, path: Path, first: str, today: str) -> Tally:
        """The tally from `first` to the day before `today`, from memory when none of
        those days has been written to since it was read."""
        last = (dt.date.fromisoformat(today) - dt.timedelta(days=1)).isoformat()
        key = (str(path.resolve()), first, today)
        events = _events(connection, first, last)
        with self._lock:
            kept = self._kept.get(key)
            if kept and kept[0] == events:
                self._kept.move_to_end(key)
                return kept[1]
        tally = read(connection, first, last)
        with self._lock:
            self._kept[key] = (events, tally)
            self._kept.move_to_end(key)
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        return tally


#: the past days of this process's reports
past_days = PastDays()
