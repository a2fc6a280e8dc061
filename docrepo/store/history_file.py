"""What history needs, kept in the index directory: path → the commits that changed it.

``index/history.sqlite`` holds the commits that changed documents of the content
directory (id, author's date and name, message) and, for each, what it did to each file
(added, modified, renamed from a path, deleted; the version's git blob, its SHA-256 and
the `access` it declared). The writer appends the commits it has not seen since the last
HEAD it recorded (`record`); readers answer a document's versions by a few indexed
queries (`versions_of`), never walking git. It is kept outside the generations: a
rebuild of the index does not walk the history again.

`seq` orders the commits as the history does (each after its parents): the writer
numbers the new ones after all those it had.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..content.history import Change, Commit
from .sqlite_files import read_only

HISTORY_FILE = "history.sqlite"
#: bump when what is recorded of a version changes: a history of another format is
#: recorded again from nothing (2: a draft version declares no access)
HISTORY_FORMAT = "2"

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS commits (seq INTEGER PRIMARY KEY, sha TEXT NOT NULL UNIQUE,
  time INTEGER NOT NULL, offset INTEGER NOT NULL, author TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS changes (path TEXT NOT NULL, seq INTEGER NOT NULL,
  kind TEXT NOT NULL, old_path TEXT NOT NULL, blob TEXT NOT NULL, hash TEXT NOT NULL,
  access TEXT NOT NULL, PRIMARY KEY (path, seq)) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Recorded:
    """Where the recorded history comes from: the repository's folder, the content's
    folder in it, and the last HEAD seen."""

    root: str
    prefix: str
    head: str


@dataclass(frozen=True)
class Version:
    """One commit's change to one file, as readers get it; `seq` orders the commits."""

    seq: int
    commit: Commit
    change: Change


def _connect(index_dir: Path, write: bool = False) -> sqlite3.Connection:
    path = index_dir / HISTORY_FILE
    return sqlite3.connect(path, timeout=30) if write else read_only(path)


def exists(index_dir: Path) -> bool:
    return (index_dir / HISTORY_FILE).is_file()


def recorded(index_dir: Path) -> Recorded | None:
    """What the recorded history was taken from (None: nothing recorded)."""
    if not exists(index_dir):
        return None
    db = _connect(index_dir)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return None
    finally:
        db.close()
    if not {"root", "prefix", "head"} <= set(meta) or meta.get("format") != HISTORY_FORMAT:
        return None
    return Recorded(meta["root"], meta["prefix"], meta["head"])


def forget(index_dir: Path) -> None:
    """No history (the content is not in a git repository, or has no commit)."""
    (index_dir / HISTORY_FILE).unlink(missing_ok=True)


def record(
    index_dir: Path,
    source: Recorded,
    commits: Iterable[tuple[Commit, list[Change]]],
    anew: bool,
) -> int:
    """Append commits given newest first (`anew`: in place of everything recorded), and
    note the HEAD they go up to; returns how many were recorded."""
    found = list(commits)
    index_dir.mkdir(parents=True, exist_ok=True)
    db = _connect(index_dir, write=True)
    try:
        with db:
            db.execute("PRAGMA journal_mode=WAL")
            if anew:
                db.executescript("DROP TABLE IF EXISTS commits; DROP TABLE IF EXISTS changes;")
            db.executescript(_TABLES)
            last = db.execute("SELECT COALESCE(MAX(seq), 0) FROM commits").fetchone()[0]
            for seq, (commit, changes) in enumerate(reversed(found), last + 1):
                db.execute(
                    "INSERT INTO commits VALUES (?, ?, ?, ?, ?, ?)",
                    (seq, commit.sha, commit.time, commit.offset, commit.author, commit.message),
                )
                db.executemany(
                    "INSERT OR REPLACE INTO changes VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (c.path, seq, c.kind, c.old_path, c.blob, c.hash, "\n".join(c.access))
                        for c in changes
                    ],
                )
            db.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [
                    ("root", source.root),
                    ("prefix", source.prefix),
                    ("head", source.head),
                    ("format", HISTORY_FORMAT),
                ],  # fmt: skip
            )
    finally:
        db.close()
    return len(found)


_SELECT = (
    "SELECT c.seq, c.sha, c.time, c.offset, c.author, c.message, ch.path, ch.kind,"
    " ch.old_path, ch.blob, ch.hash, ch.access FROM changes ch JOIN commits c"
    " ON c.seq = ch.seq WHERE ch.path = ? AND ch.seq < ?"
)


def versions_of(index_dir: Path, paths: Sequence[str]) -> list[Version] | None:
    """Every version of the file now at `paths[0]` (its former paths in `paths[1:]`),
    newest first: the commits that changed it, and before a rename those that changed
    the path it came from (deletions left out). None: no history recorded."""
    if not exists(index_dir):
        return None
    try:
        db = _connect(index_dir)
        try:
            return _follow(db, paths)
        finally:
            db.close()
    except sqlite3.Error:
        return None


def _follow(db: sqlite3.Connection, paths: Sequence[str]) -> list[Version]:
    infinity = 1 << 62
    todo = [(path, infinity) for path in paths]
    looked: set[tuple[str, int]] = set()
    found: dict[int, Version] = {}
    while todo:
        wanted, before = todo.pop()
        if (wanted, before) in looked:
            continue
        looked.add((wanted, before))
        for row in db.execute(_SELECT, (wanted, before)):
            seq, sha, time, offset, author, message, path, kind, old, blob, digest, access = row
            commit = Commit(sha, time, offset, author, message)
            change = Change(path, kind, old, blob, digest, tuple(access.split("\n")))
            if kind == "renamed":
                todo.append((old, seq))
            if kind != "deleted":
                found.setdefault(seq, Version(seq, commit, change))
    return sorted(found.values(), key=lambda v: v.seq, reverse=True)
