"""How readers open the index's SQLite files (the manifest, the history)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write (sqlite's `mode=ro`): a reader never writes behind
    the writer's back, and on a read-only mount it reads, or fails and says why."""
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", timeout=30, uri=True)
