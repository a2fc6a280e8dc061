"""The web application's composition root: `create_app(settings)` puts the search
library and the web faces together; `from_environment` is the factory that
`uvicorn --factory docrepo.app:from_environment` and `docrepo serve --workers N` run in
each web worker."""

from __future__ import annotations

import ctypes
import sys

from starlette.applications import Starlette

from .config import Settings, load_settings
from .content.taxonomy import load_taxonomy
from .search.library import Library
from .store.whoosh_internals import check_version as check_whoosh_version
from .webapp.app import build_app


def create_app(settings: Settings) -> Starlette:
    """The web application over the index of `settings.index` (it only reads it)."""
    check_whoosh_version()
    taxonomy, _ = load_taxonomy(settings.content)
    return build_app(settings, Library(settings.index, settings.content), taxonomy)


def from_environment() -> Starlette:
    """The application with settings from DOCREPO_* and docrepo.toml, in a web worker
    whose heap is kept lean (`lean_heap`)."""
    lean_heap()
    return create_app(load_settings())


#: glibc's `mallopt` parameters (malloc.h)
_M_ARENA_MAX, _M_MMAP_THRESHOLD = -8, -3


def lean_heap() -> None:
    """Keep a web worker's heap to what it holds (glibc). By default each thread that
    answers a request gets a malloc arena of its own and keeps what it freed there, and
    the size from which blocks are mapped apart grows: after a load of 16 clients, a
    worker at 100,000 documents held 150 to 290 MB of heap for 70 MB of live data. Two
    arenas, and blocks of 1 MB or more (NumPy's temporaries) mapped apart, so given back
    when freed."""
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(_M_ARENA_MAX, 2)
    mallopt(_M_MMAP_THRESHOLD, 1 << 20)
