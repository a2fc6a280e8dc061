"""The insights file: one SQLite database in WAL mode, shared by every process given
its path (web workers, hosts on a shared disk, `docrepo insights`).

Rows are per day and name no one: searches per (day, query, source), filters per
(day, facet, value), results opened per (day, query, document, position), pairs of a
query that found nothing and the query whose result was then opened per (day, failed,
found), and the events of each day (for the daily cap). Each process writes in batches
from one connection, outside the requests; readers open the file read-only.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from .events import Opened, Search

#: events written in one day, at most: past it, the day's further events are ignored
DAILY_EVENTS = 50_000
#: seconds a writer waits for another's lock before giving up this batch
BUSY_TIMEOUT = 5.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS searches (day TEXT, query TEXT, source TEXT,
  searches INTEGER, no_results INTEGER, results_max INTEGER,
  PRIMARY KEY (day, query, source)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS filters (day TEXT, facet TEXT, value TEXT, uses INTEGER,
  PRIMARY KEY (day, facet, value)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS opened (day TEXT, query TEXT, doc TEXT, position INTEGER,
  opened INTEGER, PRIMARY KEY (day, query, doc, position)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairs (day TEXT, failed TEXT, found TEXT, seen INTEGER,
  PRIMARY KEY (day, failed, found)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS days (day TEXT PRIMARY KEY, events INTEGER) WITHOUT ROWID;
"""
TABLES = ("searches", "filters", "opened", "pairs", "days")


class Verdict(Enum):
    """What becomes of an opened result: kept, waiting for its search, or refused."""

    KEPT = "kept"
    WAITING = "waiting"
    REFUSED = "refused"


def open_for_writing(path: Path) -> sqlite3.Connection:
    """The file's writing connection (created if missing); raises sqlite3.Error or
    OSError when it cannot be written (locked, read-only, full, damaged)."""
    # one connection per process, used by its writing thread or, under the recorder's
    # lock, by a request that flushes before reading
    connection = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
    )
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.executescript(SCHEMA)
        result = connection.execute("PRAGMA quick_check").fetchone()
        if result[0] != "ok":
            raise sqlite3.DatabaseError(f"the file is damaged: {result[0]}")
    except BaseException:
        connection.close()
        raise
    return connection


def open_for_reading(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to the file (None: there is no file yet)."""
    if not path.is_file():
        return None
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)


def _room(connection: sqlite3.Connection, day: str) -> bool:
    """Count one event of `day`; False when the day has reached its cap."""
    row = connection.execute("SELECT events FROM days WHERE day = ?", (day,)).fetchone()
    if row and row[0] >= DAILY_EVENTS:
        return False
    connection.execute(
        "INSERT INTO days VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET events = events + 1",
        (day,),
    )
    return True


def _write_search(connection: sqlite3.Connection, search: Search) -> None:
    day = search.day.isoformat()
    if not _room(connection, day):
        return
    connection.execute(
        "INSERT INTO searches VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT DO UPDATE SET "
        "searches = searches + 1, no_results = no_results + excluded.no_results, "
        "results_max = max(results_max, excluded.results_max)",
        (day, search.query, search.source, int(search.total == 0), search.total),
    )
    for facet, value in search.filters:
        connection.execute(
            "INSERT INTO filters VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET uses = uses + 1",
            (day, facet, value),
        )


def _searched(connection: sqlite3.Connection, day: str, query: str) -> tuple[int, int, int]:
    """A query's searches, searches that found nothing, and most results, on a day."""
    row = connection.execute(
        "SELECT sum(searches), sum(no_results), max(results_max) FROM searches "
        "WHERE day = ? AND query = ?",
        (day, query),
    ).fetchone()
    return (row[0] or 0, row[1] or 0, row[2] or 0)


def _count(connection: sqlite3.Connection, sql: str, *values: str) -> int:
    row = connection.execute(sql, values).fetchone()
    return int(row[0] or 0)


def _write_opened(connection: sqlite3.Connection, opened: Opened, expired: bool) -> Verdict:
    """Keep an opened result on the day its query was searched (today or yesterday),
    no more often than the query was searched that day, at a position its search
    showed; its pair too when the failed query found nothing that day or the day before.
    Not searched yet: it waits (refused once `expired`)."""
    days = [opened.day.isoformat(), (opened.day - dt.timedelta(days=1)).isoformat()]
    for day in days:
        searches, _, most = _searched(connection, day, opened.query)
        if not searches:
            continue
        if opened.position > most:
            return Verdict.REFUSED
        clicks = _count(
            connection, "SELECT sum(opened) FROM opened WHERE day = ? AND query = ?",
            day, opened.query,
        )  # fmt: skip
        if clicks >= searches:
            continue
        missed = opened.failed and max(_searched(connection, d, opened.failed)[1] for d in days)
        if opened.failed and not missed and not expired:
            return Verdict.WAITING
        if not _room(connection, day):
            return Verdict.REFUSED
        connection.execute(
            "INSERT INTO opened VALUES (?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET "
            "opened = opened + 1",
            (day, opened.query, opened.doc, opened.position),
        )
        seen = _count(
            connection, "SELECT sum(seen) FROM pairs WHERE day = ? AND failed = ?",
            day, opened.failed,
        )  # fmt: skip
        if missed and seen < missed:
            connection.execute(
                "INSERT INTO pairs VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET seen = seen + 1",
                (day, opened.failed, opened.query),
            )
        return Verdict.KEPT
    searched = any(_searched(connection, day, opened.query)[0] for day in days)
    return Verdict.REFUSED if expired or searched else Verdict.WAITING


def write(
    connection: sqlite3.Connection,
    searches: Iterable[Search],
    opened: Iterable[tuple[Opened, bool]],
) -> list[Opened]:
    """Write a batch in one transaction: searches, then opened results (each with
    whether it has waited long enough); the opened results still waiting are returned."""
    waiting: list[Opened] = []
    connection.execute("BEGIN IMMEDIATE")
    try:
        for search in searches:
            _write_search(connection, search)
        for event, expired in opened:
            if _write_opened(connection, event, expired) is Verdict.WAITING:
                waiting.append(event)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return waiting


def purge(connection: sqlite3.Connection, today: dt.date, keep_days: int) -> None:
    """Delete the days older than `keep_days` (today is the first day kept)."""
    oldest = (today - dt.timedelta(days=keep_days - 1)).isoformat()
    connection.execute("BEGIN IMMEDIATE")
    for table in TABLES:
        connection.execute(f"DELETE FROM {table} WHERE day < ?", (oldest,))
    connection.execute("COMMIT")
