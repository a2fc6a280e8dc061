"""A file of named NumPy arrays, read by mapping it into memory.

The arrays of docrepo's codec (`codec`) are kept in files of this layout, so that a
reader uses them where they lie: no decoding, and the pages are the page cache's, shared
by every process that maps the same file.

    offset 0   MAGIC (8 bytes), version (uint32 LE), header length (uint32 LE)
    offset 16  the header, JSON: {"size": bytes of the whole file,
               "arrays": {name: [dtype, length, offset]}, "meta": {...}}
    then       each array's bytes, little-endian, from an offset that is a multiple of 64

A file whose size is not the one its header says (cut short by a crash or a full disk)
or whose header does not read is refused with `DamagedArrays`.
"""

from __future__ import annotations

import json
import mmap
import struct
import threading
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

MAGIC = b"DRARRAYS"
VERSION = 1
_PREAMBLE = struct.Struct("<8sII")
_ALIGN = 64

__all__ = ["ArrayFile", "DamagedArrays", "open_arrays", "write_arrays"]


class DamagedArrays(Exception):
    """An array file that is not as it was written."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path.name}: {why}")
        self.path, self.why = path, why


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN


def write_arrays(
    out: BinaryIO, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any] | None = None
) -> None:
    """Write the arrays (one-dimensional, of fixed-size items) and `meta` (JSON) to `out`."""
    contiguous = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
    for name, array in contiguous.items():
        if array.ndim != 1 or array.dtype.hasobject:
            raise ValueError(f"array {name!r}: one dimension of fixed-size items expected")
    # the header holds the offsets, which depend on its own length: laid out until stable
    header_length = 0
    while True:
        offset = _aligned(_PREAMBLE.size + header_length)
        table: dict[str, list[Any]] = {}
        for name, array in contiguous.items():
            table[name] = [array.dtype.newbyteorder("<").str, len(array), offset]
            offset = _aligned(offset + array.nbytes)
        header = json.dumps({"size": offset, "arrays": table, "meta": dict(meta or {})}).encode()
        if len(header) == header_length:
            break
        header_length = len(header)
    out.write(_PREAMBLE.pack(MAGIC, VERSION, len(header)))
    out.write(header)
    written = _PREAMBLE.size + len(header)
    for name, array in contiguous.items():
        start = table[name][2]
        out.write(b"\0" * (start - written))
        out.write(array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes())
        written = start + array.nbytes
    out.write(b"\0" * (offset - written))


class ArrayFile:
    """An array file mapped into memory: its arrays are read-only views of the mapping."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as f:
            size = f.seek(0, 2)
            if size < _PREAMBLE.size:
                raise DamagedArrays(path, f"{size} bytes, shorter than the header")
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        magic, version, length = _PREAMBLE.unpack_from(self._map)
        if magic != MAGIC or version != VERSION:
            raise DamagedArrays(path, f"not an array file of version {VERSION}")
        try:
            header = json.loads(self._map[_PREAMBLE.size : _PREAMBLE.size + length])
            expected, self._table = int(header["size"]), dict(header["arrays"])
            self.meta: dict[str, Any] = dict(header["meta"])
        except (ValueError, KeyError, TypeError):
            raise DamagedArrays(path, "its header does not read") from None
        if size != expected:
            raise DamagedArrays(path, f"{size} bytes where {expected} were written")

    def __contains__(self, name: str) -> bool:
        return name in self._table

    def array(self, name: str) -> np.ndarray:
        dtype, length, offset = self._table[name]
        view: np.ndarray = np.frombuffer(self._map, dtype=dtype, count=length, offset=offset)
        return view


_opened: weakref.WeakValueDictionary[tuple[str, int, int], ArrayFile] = (
    weakref.WeakValueDictionary()
)
_lock = threading.Lock()


def open_arrays(path: Path) -> ArrayFile:
    """The array file at `path`, mapped once per process while anything holds it (by
    path, size and mtime: a generation's files never change, so the readers of a file,
    Whoosh's and the engine's, share one mapping)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _lock:
        found = _opened.get(key)
        if found is None:
            found = _opened[key] = ArrayFile(path)
        return found
