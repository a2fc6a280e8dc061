"""One search per intent: the requests of one typing count once.

The live results and the widget ask again at each pause of the typing (`prefix=last`),
and the page loaded afterwards asks the same query once more. Without knowing who asks,
the requests are told apart by their queries alone: a request continues an open intent
when its query begins with the intent's query, or the intent's with it, or the two
differ only in their last two characters (a typo put right), and it comes within
`WINDOW` seconds of the intent's last request. An intent counts once, with its last
query, its last number of results and its last filters, when no request continued it
for `WINDOW` seconds. Two people typing related queries within the same seconds count
once: the price of naming no one (README, "Search insights").
"""

from __future__ import annotations

import dataclasses
from os.path import commonprefix

from .events import Search

#: seconds after which an intent with no further request is over
WINDOW = 30.0
#: intents open at once, at most (the oldest is counted when one more opens)
MAX_OPEN = 1000
#: characters in which two queries of one typing may differ at their end
RETYPED = 2


def continues(earlier: str, later: str) -> bool:
    """Whether `later` is the same typing as `earlier` (see the module)."""
    shared = len(commonprefix([earlier, later]))
    return shared >= min(len(earlier), len(later)) - RETYPED and shared > 0


class Intents:
    """The intents open in one process, in the order they were last continued."""

    def __init__(self) -> None:
        self._open: list[Search] = []

    def add(self, search: Search) -> list[Search]:
        """Take one request; the intents it ends (over, or pushed out) are returned."""
        over = self.settle(search.at)
        for i in range(len(self._open) - 1, -1, -1):
            if continues(self._open[i].query, search.query):
                first = self._open.pop(i)
                self._open.append(dataclasses.replace(search, source=first.source))
                return over
        self._open.append(search)
        if len(self._open) > MAX_OPEN:
            over.append(self._open.pop(0))
        return over

    def settle(self, now: float | None = None) -> list[Search]:
        """The intents over at `now` (None: every open intent), taken out."""
        if now is None:
            over, self._open = self._open, []
            return over
        over = [s for s in self._open if now - s.at > WINDOW]
        self._open = [s for s in self._open if now - s.at <= WINDOW]
        return over

    def found(self, query: str) -> int | None:
        """The results of an open intent with this query (None: none open)."""
        return next((s.total for s in reversed(self._open) if s.query == query), None)
