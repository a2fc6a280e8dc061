"""What insights keep of a search and of a result opened: no one is named.

A search is kept as its day, its normalised query, where it came from (`source`), how
many results it found and the filters it used; an opened result as its day, the query it
was found by, the document and its position, and, when the browser tab had just searched
in vain, the query that found nothing (a synonym to propose). Nothing of the person, their
address, browser or visit reaches these values, so nothing of them can reach the file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from ..errors import Message
from ..i18n import N_
from ..text import fold

#: the sources of a search
SOURCES = ("page", "api", "widget", "feed")
#: the sources a result is opened from (the ones that show results in a browser)
CLICK_SOURCES = ("page", "widget")
#: the longest normalised query kept (a search reads 500 characters)
MAX_QUERY = 200
#: the longest body of an opened result's event, in bytes
MAX_EVENT_BYTES = 2048
#: the deepest position a search shows (page × per_page)
MAX_POSITION = 10_000
#: the longest document id accepted in an event
MAX_DOC_ID = 500


def normalise(query: str) -> str:
    """A query as insights compare it: lower case, accents folded, spaces folded."""
    return " ".join(fold(query.lower()).split())[:MAX_QUERY]


@dataclass(frozen=True)
class Search:
    """One search request: its normalised query, source, results and filters."""

    day: dt.date
    query: str
    source: str
    total: int
    #: (facet, value) pairs; a date filter is (name, "")
    filters: tuple[tuple[str, str], ...] = ()
    #: monotonic time of the request, to fold the requests of one typing
    at: float = 0.0


@dataclass(frozen=True)
class Opened:
    """A result opened from a search, as the browser tab reports it."""

    day: dt.date
    query: str
    doc: str
    position: int
    source: str
    #: the query that found nothing just before, in the same tab ("" if none)
    failed: str = ""
    at: float = 0.0


class BadEvent(ValueError):
    """An event body that is not an opened result; its message says what was expected."""

    def __init__(self, template: str, **values: object) -> None:
        self.message = Message.of(template, **values)
        super().__init__(self.message.text())


def parse_opened(body: bytes, day: dt.date, at: float) -> Opened:
    """An opened result from a beacon's body (JSON: q, doc, position, source, failed)."""
    if len(body) > MAX_EVENT_BYTES:
        raise BadEvent(N_("the event is over {size} bytes"), size=MAX_EVENT_BYTES)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadEvent(N_("the event is not JSON")) from None
    if not isinstance(data, dict):
        raise BadEvent(N_("the event is not a JSON object"))
    query, doc = data.get("q"), data.get("doc")
    position, source = data.get("position"), data.get("source")
    failed = data.get("failed") or ""
    if not isinstance(query, str) or not normalise(query):
        raise BadEvent(N_("'q' must be the query searched"))
    if not isinstance(doc, str) or not 0 < len(doc) <= MAX_DOC_ID:
        raise BadEvent(N_("'doc' must be the id of the document opened"))
    if type(position) is not int or not 1 <= position <= MAX_POSITION:
        raise BadEvent(N_("'position' must be an integer from 1 to {high}"), high=MAX_POSITION)
    if source not in CLICK_SOURCES:
        raise BadEvent(N_("'source' must be page or widget"))
    if not isinstance(failed, str):
        raise BadEvent(N_("'failed' must be the query that found nothing, or absent"))
    normal, missed = normalise(query), normalise(failed)
    return Opened(day, normal, doc, position, source, "" if missed == normal else missed, at)
