"""`SearchRequest`: the whole state of a view, parsed once from a query string (the
web page, the API, the feed, the widget) or from the CLI's options."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadRequest, Message
from ..i18n import N_
from ..schema import FACET_NAMES

SORTS = ("relevance", "newest", "oldest", "title")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
#: deepest result reachable by paging (page × per_page)
MAX_DEPTH = 10_000


@dataclass(frozen=True)
class SearchRequest:
    """The whole state of a view: what the URL's query string (or the CLI's options) says."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: the day the repository is shown as it stood (None: as it stands today, every
    #: text listed, even one not yet in force)
    at: dt.date | None = None
    sort: str | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    #: the query's last word is still being typed (`prefix=last`: the widget, live
    #: results); not part of a view, so never in a link or a bookmark
    complete_last: bool = False
    #: `spell=off`: the words exactly as typed, with no correction of any kind
    spell: bool = True
    #: the reader's language (the interface's, not part of a URL): of a text's versions
    #: that match, the one in it is the result
    language: str = "fr"

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q.strip() else "newest")

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> SearchRequest:
        """Parse query-string parameters (each a list of values); raise BadRequest."""

        def one(name: str) -> str:
            values = params.get(name) or []
            return values[-1].strip() if values else ""

        filters = {
            name: tuple(dict.fromkeys(v.strip() for v in params.get(name, []) if v.strip()))
            for name in FACET_NAMES
        }
        return cls(
            q=one("q"),
            filters={k: v for k, v in filters.items() if v},
            date_from=_date("from", one("from")),
            date_to=_date("to", one("to")),
            at=_date("at", one("at")),
            sort=_sort(one("sort")),
            page=_int("page", one("page"), MAX_DEPTH, POSITIVE) or 1,
            per_page=_int("per_page", one("per_page"), MAX_PER_PAGE, IN_RANGE) or DEFAULT_PER_PAGE,
            # a query ending with a space has its last word written whole
            complete_last=_choice("prefix", one("prefix"), {"": False, "last": True})
            and not (params.get("q") or [""])[-1][-1:].isspace(),
            spell=_choice("spell", one("spell"), {"": True, "on": True, "off": False}),
        )

    def to_params(self, **changes: Any) -> list[tuple[str, str]]:
        """The query string of this view (with some parameters changed), in a stable order."""
        values: dict[str, Any] = {
            "q": self.q,
            **{k: list(v) for k, v in self.filters.items()},
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "at": self.at.isoformat() if self.at else "",
            "sort": self.sort or "",
            "page": str(self.page) if self.page != 1 else "",
            "per_page": str(self.per_page) if self.per_page != DEFAULT_PER_PAGE else "",
            "spell": "" if self.spell else "off",
        }
        values.update(changes)
        pairs: list[tuple[str, str]] = []
        for name in ("q", *FACET_NAMES, "from", "to", "at", "sort", "page", "per_page", "spell"):
            value = values.get(name)
            for item in value if isinstance(value, list | tuple) else [value]:
                if item:
                    pairs.append((name, str(item)))
        return pairs


#: what a number parameter must be: any page from 1 (to the deepest), or 1 to its maximum
POSITIVE = N_("'{name}' must be a positive integer, not {value}")
IN_RANGE = N_("'{name}' must be an integer from 1 to {high}, not {value}")


def _choice(name: str, value: str, choices: dict[str, bool]) -> bool:
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices if c)
        message = N_("'{name}' must be {allowed} or absent, not {value}")
        raise BadRequest(name, Message.of(message, name=name, allowed=allowed, value=repr(value)))
    return choices[value]


def _date(name: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        message = N_("'{name}' must be a date YYYY-MM-DD, not {value}")
        raise BadRequest(name, Message.of(message, name=name, value=repr(value))) from None


def _sort(value: str) -> str | None:
    if value and value not in SORTS:
        message = N_("'sort' must be one of {sorts}, not {value}")
        raise BadRequest("sort", Message.of(message, sorts=", ".join(SORTS), value=repr(value)))
    return value or None


def _int(name: str, value: str, high: int, expected: str) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", value) or not 1 <= int(value) <= high:
        raise BadRequest(name, Message.of(expected, name=name, high=high, value=repr(value)))
    return int(value)
