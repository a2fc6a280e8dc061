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
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

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

    def plus(self, other: Tally) -> Tally:
        """The sums of both spans (neither is changed)."""
        queries = dict(self.queries)
        for query, sums in other.queries.items():
            mine = queries.get(query)
            queries[query] = [a + b for a, b in zip(mine, sums, strict=True)] if mine else sums
        per_day = dict(self.per_day)
        for day, sums in other.per_day.items():
            mine = per_day.get(day)
            per_day[day] = [a + b for a, b in zip(mine, sums, strict=True)] if mine else sums
        return Tally(
            per_day,
            self.sources + other.sources,
            queries,
            self.documents + other.documents,
            self.filters + other.filters,
            self.pairs + other.pairs,
        )


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
