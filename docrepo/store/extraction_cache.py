"""Attachments' extracted text, kept by content hash in the index directory.

``index/extractions.sqlite`` maps the SHA-256 of a file's bytes (and the kind it was read
as) to what its extraction gave, so that a rebuild, a rename or a second document
attaching the same file never reads an unchanged file again. It is kept outside the
generations, like the history: a rebuild keeps it. SQLite in WAL mode with a busy
timeout lets several processes (an indexer, `docrepo check`) read and write it at once.
It is a cache: any trouble with it is a miss, never an error of the update.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Collection, Mapping
from pathlib import Path

from ..content.extraction import EXTRACTION_VERSION, Extraction, Finding

log = logging.getLogger("docrepo.index")

CACHE_FILE = "extractions.sqlite"

_TABLE = """CREATE TABLE IF NOT EXISTS extractions (hash TEXT NOT NULL, kind TEXT NOT NULL,
  version TEXT NOT NULL, page_count INTEGER, pages TEXT NOT NULL, findings TEXT NOT NULL,
  PRIMARY KEY (hash, kind, version)) WITHOUT ROWID"""

#: (SHA-256 of the bytes, kind): what identifies an extraction
Key = tuple[str, str]


class ExtractionCache:
    """The extractions kept in an index directory."""

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / CACHE_FILE

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(_TABLE)
        return db

    def get(self, keys: Collection[Key]) -> dict[Key, Extraction]:
        """The extractions kept of some files (those not kept are left out)."""
        if not keys:
            return {}
        found: dict[Key, Extraction] = {}
        try:
            db = self._connect()
            try:
                for digest, kind in keys:
                    row = db.execute(
                        "SELECT page_count, pages, findings FROM extractions"
                        " WHERE hash = ? AND kind = ? AND version = ?",
                        (digest, kind, EXTRACTION_VERSION),
                    ).fetchone()
                    if row is not None:
                        found[digest, kind] = _extraction(kind, *row)
            finally:
                db.close()
        except (sqlite3.Error, OSError, ValueError) as exc:
            log.warning("docrepo: the extraction cache %s cannot be read: %s", self.path, exc)
        return found

    def put(self, extractions: Mapping[Key, Extraction]) -> None:
        """Keep extractions (what a file's bytes always give: no time or memory limit)."""
        if not extractions:
            return
        rows = [
            (
                digest,
                kind,
                EXTRACTION_VERSION,
                extraction.page_count,
                json.dumps(extraction.pages, ensure_ascii=False),
                json.dumps([[f.level, f.message, dict(f.values)] for f in extraction.findings]),
            )
            for (digest, kind), extraction in extractions.items()
        ]
        try:
            db = self._connect()
            try:
                with db:
                    db.executemany(
                        "INSERT OR REPLACE INTO extractions VALUES (?, ?, ?, ?, ?, ?)", rows
                    )
            finally:
                db.close()
        except (sqlite3.Error, OSError) as exc:
            log.warning("docrepo: the extraction cache %s cannot be written: %s", self.path, exc)


def _extraction(kind: str, page_count: int | None, pages: str, findings: str) -> Extraction:
    return Extraction(
        kind,
        tuple(str(page) for page in json.loads(pages)),
        page_count,
        tuple(
            Finding(
                "warning" if level == "warning" else "error",
                str(message),
                tuple((str(k), str(v)) for k, v in values.items()),
            )
            for level, message, values in json.loads(findings)
        ),  # fmt: skip
    )
