"""The periods in force as a viewer may know them.

A text's stored period ends the day before the first text superseding it takes effect.
A viewer who may not see that text learns nothing of it, its date included: for them,
the period comes only from what they may see, the end the text gives itself (`ends`,
or `status: repealed`: the record's `own_until`) and the texts superseding it that
they may see; its status and the `at=` views follow. Such texts are few (they name a
text hidden from the viewer in their `successors`); their periods are worked out once
per snapshot and visibility class, and every face reads records and statuses through
them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from ..access import Viewer
from ..schema import ALWAYS, ENDED, day_number
from .columns import Periods, Visibility

if TYPE_CHECKING:
    from .snapshot import Snapshot

#: visibility classes whose periods are kept per snapshot (the most recent ones)
CLASSES_KEPT = 64


def told(snap: Snapshot, viewer: Viewer) -> Periods:
    """The periods in force a viewer is told, worked out once per snapshot and class."""
    terms = viewer.access_terms()
    visibility = None if terms is None else frozenset(terms)
    with snap.lock:
        found = snap.periods.get(visibility)
        if found is None:
            found = _worked_out(snap, visibility, snap.columns.visible(viewer))
            if len(snap.periods) >= CLASSES_KEPT:
                del snap.periods[next(iter(snap.periods))]  # the oldest
            snap.periods[visibility] = found
        return found


def _worked_out(snap: Snapshot, visibility: Visibility, visible: np.ndarray) -> Periods:
    """The periods a visibility class (`visible`: its documents) is told."""
    columns = snap.columns
    if visibility is None:
        return Periods(None, columns.valid_until)
    successors = columns.terms("successors")
    found = columns.numbers_of(successors)
    hidden = successors[(found < 0) | ~visible[found]]
    told: dict[str, int] = {}
    numbers: dict[int, int] = {}
    for successor in hidden.tolist():
        for doc in columns.postings("successors", successor)[0].tolist():
            if visible[doc] and doc not in numbers:
                record = snap.record(doc)
                numbers[doc] = told[record["id"]] = _until(snap, record, visible)
    if not numbers:
        return Periods(visibility, columns.valid_until)
    valid_until = columns.valid_until.copy()
    valid_until[list(numbers)] = list(numbers.values())
    valid_until.flags.writeable = False
    return Periods(visibility, valid_until, told)


def _until(snap: Snapshot, record: dict[str, Any], visible: np.ndarray) -> int:
    """The last day in force of a text without the texts superseding it that are hidden
    (as `content.relations.validity` gives it from the texts that remain)."""
    columns = snap.columns
    successors = columns.numbers_of(np.array([s.encode() for s in record["superseded_by"]]))
    ends = [
        _day_before(int(columns.valid_from[number]))
        for number in successors.tolist()
        if number >= 0 and visible[number]
    ]
    own = int(record["own_until"])
    if own != ENDED or not ends:  # declared repealed, it ends when its successor starts
        ends.append(own)
    return min(ends)


def _day_before(starts: int) -> int:
    if starts == ALWAYS:
        return ENDED
    day = dt.date(starts // 10_000, starts // 100 % 100, starts % 100)
    return day_number(day - dt.timedelta(days=1))
