"""Checksums of a generation's index files, so that damage is found, not served.

After each commit the writer records, in `CHECKSUMS.json` beside the index files, the
size and CRC-32 of each file (segments never change once written: only new ones are
read). Readers verify a generation before they serve it and again when reading it
fails; the writer verifies it before it writes into it. A process remembers the files
it has verified (by size and modification time), so a commit costs the reading of its
new files only.
"""

from __future__ import annotations

import json
import threading
import zlib
from pathlib import Path

CHECKSUMS_FILE = "CHECKSUMS.json"
#: the index files: segments' (`MAIN_….drp`, `.drd`, `.col`) and tables of contents (`_MAIN_n.toc`)
_PREFIXES = ("MAIN_", "_MAIN_")
_LOCK_FILE = "MAIN_WRITELOCK"
_CHUNK = 1 << 20

_verified: set[tuple[str, int, int]] = set()
#: the sums last read of each CHECKSUMS file, by its (path, mtime, size)
_read: dict[str, tuple[tuple[str, int, int], dict[str, list[int]] | None]] = {}
#: generations found damaged by this process, and why (they stay so: they are replaced)
_damaged: dict[str, str] = {}
_lock = threading.Lock()


def _index_files(generation: Path) -> list[Path]:
    return sorted(
        p
        for p in generation.iterdir()
        if p.name.startswith(_PREFIXES) and p.name != _LOCK_FILE and p.is_file()
    )


def _crc(path: Path) -> int:
    value = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            value = zlib.crc32(chunk, value)
    return value


def _expected(generation: Path) -> dict[str, list[int]] | None:
    """The recorded sums, read again only when the file changed (readers ask for them at
    every request)."""
    path = generation / CHECKSUMS_FILE
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        with _lock:
            if _read.get(str(path), (None,))[0] == key:
                return _read[str(path)][1]
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sums = data if isinstance(data, dict) else None
    with _lock:
        _read[str(path)] = (key, sums)
    return sums


def record(generation: Path) -> None:
    """Write the checksums of a generation's files after a commit (a file already
    recorded with the same size is a segment that did not change: its sum is kept)."""
    before = _expected(generation) or {}
    sums: dict[str, list[int]] = {}
    for path in _index_files(generation):
        size = path.stat().st_size
        known = before.get(path.name)
        unchanged = known is not None and known[0] == size and not path.name.endswith(".toc")
        sums[path.name] = list(known) if unchanged and known else [size, _crc(path)]
    tmp = generation / f"{CHECKSUMS_FILE}.tmp"
    tmp.write_text(json.dumps(sums), encoding="utf-8")
    tmp.replace(generation / CHECKSUMS_FILE)


def damage(generation: Path, again: bool = False) -> str | None:
    """What is damaged in a generation (None: every file as recorded). A file no longer
    there was merged away by a later commit; a file not yet recorded is being written.
    With `again`, files already verified by this process are read again."""
    with _lock:
        if str(generation) in _damaged:
            return _damaged[str(generation)]
    expected = _expected(generation)
    if expected is None:
        return None  # written before checksums existed: opening it is the only test
    for name, (size, crc) in sorted(expected.items()):
        path = generation / name
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if stat.st_size != size:
            return _found(generation, f"{name} has {stat.st_size:,} bytes, not {size:,}")
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with _lock:
            if key in _verified and not again:
                continue
        if _crc(path) != crc:
            return _found(generation, f"{name} does not hold what was written (checksum)")
        with _lock:
            _verified.add(key)
    return None


def _found(generation: Path, reason: str) -> str:
    with _lock:
        _damaged[str(generation)] = reason
    return reason
