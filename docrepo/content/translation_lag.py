"""A translation left behind: its original was committed after the translation's last
commit, so the translation may no longer say what the original says.

`docrepo check` finds it from git (`lagging`); the problems page and the translation's
page from the history the writer keeps (`search.history`). Both say it with `behind`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import Problem
from ..i18n import N_

if TYPE_CHECKING:  # the problems page says it without git
    from .history import Commit, ContentRepository

BEHIND = N_(
    "the original text {original} changed on {changed}, after this translation (last "
    "changed on {translated}): bring the translation up to date and commit it"
)


def behind(path: str, line: int, original: str, changed: dt.date, translated: dt.date) -> Problem:
    """The warning of a translation at `path` whose original changed after it did."""
    values = (
        ("original", original),
        ("changed", changed.isoformat()),
        ("translated", translated.isoformat()),
    )
    return Problem(path, line, "warning", "translation_of", BEHIND, original, values)


def commit_day(commit: Commit) -> dt.date:
    """The day of a commit, in its author's time zone."""
    zone = dt.timezone(dt.timedelta(minutes=commit.offset))
    return dt.datetime.fromtimestamp(commit.time, zone).date()


def lagging(repository: ContentRepository, pairs: Iterable[tuple[str, str, int]]) -> list[Problem]:
    """The warnings of the translations (path, original's path, line of `translation_of`)
    whose original's last commit comes after their own, walking the history from HEAD
    until each file's last commit is found."""
    pairs = list(pairs)
    head = repository.head()
    if not pairs or head is None:
        return []
    wanted = {path for pair in pairs for path in pair[:2]}
    last: dict[str, tuple[int, Commit]] = {}
    for place, (commit, changes) in enumerate(repository.commits(head, None, wanted.__contains__)):
        for change in changes:
            last.setdefault(change.path, (place, commit))
        if len(last) == len(wanted):
            break
    problems = []
    for path, original_path, line in pairs:
        if path in last and original_path in last and last[original_path][0] < last[path][0]:
            original, translation = last[original_path][1], last[path][1]
            original_id = original_path[: -len(".md")]
            problems.append(
                behind(path, line, original_id, commit_day(original), commit_day(translation))
            )
    return problems
