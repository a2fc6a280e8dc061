"""What editors read of the insights file: for the last N days, searches per day, the
queries (top, found nothing, results never opened), positions and documents opened,
filters, and the synonyms proposed from what staff typed next.

A query searched fewer than `MIN_LISTED` times in the period counts in the totals but is
never listed: a colleague's name typed once does not appear on a page.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import io
import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..content.synonyms import Synonyms
from ..errors import DocrepoError, Message
from ..i18n import N_
from ..text import words_key
from . import storage, tally

#: searches in the period below which a query is not listed
MIN_LISTED = 2
#: times a pair must be seen before its synonym is proposed
MIN_PAIRS = 3
#: rows of each list
LISTED = 20


class InsightsUnavailable(DocrepoError):
    """The insights file cannot be read (damaged, locked too long): a 503, exit 1."""

    http_status = 503


@dataclass(frozen=True)
class QueryRow:
    query: str
    searches: int
    no_results: int
    clicks: int

    @property
    def no_results_rate(self) -> float:
        return round(self.no_results / self.searches, 3)

    @property
    def click_through_rate(self) -> float:
        return round(self.clicks / self.searches, 3)


@dataclass(frozen=True)
class Proposal:
    """A synonym proposed: the query that found nothing, the one whose result was then
    opened, how often, and the line of synonyms.yml to paste (`replaces`: the line it
    replaces, when one of the terms is already in a group)."""

    terms: tuple[str, str]
    seen: int
    line: str
    replaces: str | None


@dataclass(frozen=True)
class Report:
    days: int
    first: dt.date
    last: dt.date
    #: (day, searches, searches that found nothing), every day of the period
    per_day: list[tuple[str, int, int]]
    sources: dict[str, int]
    top: list[QueryRow]
    no_results: list[QueryRow]
    unopened: list[QueryRow]
    clicks: int
    average_position: float | None
    documents: list[tuple[str, int]]
    filters: list[tuple[str, str, int]]
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def searches(self) -> int:
        return sum(n for _, n, _ in self.per_day)

    @property
    def searches_without_results(self) -> int:
        return sum(n for _, _, n in self.per_day)

    @property
    def no_results_rate(self) -> float:
        return round(self.searches_without_results / self.searches, 3) if self.searches else 0.0

    @property
    def click_through_rate(self) -> float:
        return round(self.clicks / self.searches, 3) if self.searches else 0.0

    def as_json(self) -> dict[str, Any]:
        def row(r: QueryRow) -> dict[str, Any]:
            return {**asdict(r), "no_results_rate": r.no_results_rate,
                    "click_through_rate": r.click_through_rate}  # fmt: skip

        return {
            "days": self.days, "from": self.first.isoformat(), "to": self.last.isoformat(),
            "searches": self.searches, "no_results_rate": self.no_results_rate,
            "click_through_rate": self.click_through_rate,
            "average_position": self.average_position,
            "sources": self.sources,
            "per_day": [{"day": d, "searches": n, "no_results": z} for d, n, z in self.per_day],
            "top": [row(r) for r in self.top],
            "no_results": [row(r) for r in self.no_results],
            "unopened": [row(r) for r in self.unopened],
            "documents": [{"id": doc, "clicks": n} for doc, n in self.documents],
            "filters": [{"facet": f, "value": v, "uses": n} for f, v, n in self.filters],
            "synonym_proposals": [
                {"terms": list(p.terms), "seen": p.seen, "line": p.line, "replaces": p.replaces}
                for p in self.proposals
            ],
        }  # fmt: skip


def read_report(path: Path | None, days: int, today: dt.date, synonyms: Synonyms) -> Report:
    """The report of the `days` days ending today (an empty one without a file)."""
    first = today - dt.timedelta(days=days - 1)
    try:
        return _read(path, days, first, today, synonyms)
    except sqlite3.Error as exc:
        message = N_("the insights file {path} cannot be read: {reason}")
        raise InsightsUnavailable(Message.of(message, path=path, reason=exc)) from None


def _read(
    path: Path | None, days: int, first: dt.date, today: dt.date, synonyms: Synonyms
) -> Report:
    connection = storage.open_for_reading(path) if path else None
    if path is None or connection is None:
        return _report(days, first, today, tally.Period(tally.Tally(), tally.Tally()), synonyms)
    try:
        connection.execute("BEGIN")  # one snapshot of the file for the whole report
        day = today.isoformat()
        past = tally.past_days.read(connection, path, first.isoformat(), day)
        sums = tally.Period(past, tally.read(connection, day, day))
    finally:
        connection.close()
    return _report(days, first, today, sums, synonyms)


def _by_searches(query: str, sums: list[int]) -> tuple[int, str] | None:
    return (-sums[0], query) if sums[0] >= MIN_LISTED else None


def _by_no_results(query: str, sums: list[int]) -> tuple[int, str] | None:
    return (-sums[1], query) if sums[0] >= MIN_LISTED and sums[1] else None


def _unopened(query: str, sums: list[int]) -> tuple[int, str] | None:
    """Searched, found something, and nothing opened."""
    return _by_searches(query, sums) if not sums[2] and sums[0] > sums[1] else None


def _report(
    days: int, first: dt.date, last: dt.date, sums: tally.Period, synonyms: Synonyms
) -> Report:
    def top(rank: tally.Rank) -> list[QueryRow]:
        return [QueryRow(q, n, z, c) for q, (n, z, c, _) in sums.top(rank, LISTED)]

    _, _, clicks, positions = sums.totals
    dates = [(first + dt.timedelta(days=i)).isoformat() for i in range(days)]
    by_uses = sorted(sums.counts("filters").items(), key=lambda item: (-item[1], item[0]))
    pairs = sorted(
        ((a, b, n) for (a, b), n in sums.counts("pairs").items() if n >= MIN_PAIRS),
        key=lambda p: (-p[2], p[0], p[1]),
    )
    return Report(
        days=days,
        first=first,
        last=last,
        per_day=[(d, *sums.per_day(d)) for d in dates],
        sources=dict(sorted(sums.counts("sources").items())),
        top=top(_by_searches),
        no_results=top(_by_no_results),
        unopened=top(_unopened),
        clicks=clicks,
        average_position=round(positions / clicks, 2) if clicks else None,
        documents=heapq.nsmallest(
            LISTED, sums.counts("documents").items(), key=lambda item: (-item[1], item[0])
        ),
        filters=[(f, v, n) for (f, v), n in by_uses[:LISTED]],
        proposals=[p for p in (_proposal(a, b, n, synonyms) for a, b, n in pairs) if p],
    )


def _proposal(failed: str, found: str, seen: int, synonyms: Synonyms) -> Proposal | None:
    """The line of synonyms.yml that makes `failed` find what `found` finds (None: they
    are synonyms already, or each is in a group of its own)."""
    groups = [synonyms.group_of(words_key(term)) for term in (failed, found)]
    if groups[0] and groups[1]:
        return None
    group = groups[0] or groups[1]
    terms = [*group, found if groups[0] else failed] if group else [failed, found]
    return Proposal((failed, found), seen, yaml_line(terms), yaml_line(group) if group else None)


#: a term YAML reads as written, unquoted, in a flow list
_PLAIN = re.compile(r"[^\W\d_][\w'’. -]*[\w.]|[^\W\d_]")


def yaml_line(terms: tuple[str, ...] | list[str]) -> str:
    """A group of synonyms.yml as a line: `- [note de frais, frais de mission]`."""
    shown = []
    for term in terms:
        plain = _PLAIN.fullmatch(term) and yaml.safe_load(term) == term
        shown.append(term if plain else json.dumps(term, ensure_ascii=False))
    return "- [" + ", ".join(shown) + "]"


#: the headings of the text report, in the order printed
HEADINGS = {
    "top": N_("Top queries"),
    "no_results": N_("Queries that found nothing"),
    "unopened": N_("Queries whose results nobody opened"),
    "documents": N_("Documents most opened from a search"),
    "filters": N_("Filters most used"),
    "synonyms": N_("Synonyms proposed (paste into content/synonyms.yml)"),
}


def as_text(report: Report, gettext: Callable[[str], str]) -> str:
    """The report for a terminal, in the language of `gettext`."""
    lines = [
        gettext(N_("Search insights from {first} to {last} ({days} days)")).format(
            first=report.first, last=report.last, days=report.days
        ),
        gettext(N_("{searches} searches, {no_results:.1%} found nothing, "
                   "{ctr:.1%} opened a result, average position opened: {position}")).format(
            searches=report.searches, no_results=report.no_results_rate,
            ctr=report.click_through_rate,
            position="-" if report.average_position is None else report.average_position,
        ),
    ]  # fmt: skip
    rows: dict[str, list[str]] = {
        key: [
            f"{r.searches:6}  {r.no_results_rate:6.1%}  {r.click_through_rate:6.1%}  {r.query}"
            for r in getattr(report, key)
        ]
        for key in ("top", "no_results", "unopened")
    }
    rows["documents"] = [f"{n:6}  {doc}" for doc, n in report.documents]
    rows["filters"] = [f"{n:6}  {facet}={value}" if value else f"{n:6}  {facet}"
                       for facet, value, n in report.filters]  # fmt: skip
    rows["synonyms"] = [p.line for p in report.proposals]
    for key, heading in HEADINGS.items():
        lines += ["", gettext(heading)] + (rows[key] or ["-"])
    return "\n".join(lines) + "\n"


def as_csv(report: Report) -> str:
    """The report as one CSV table: list, item, searches, no_results, clicks."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["list", "item", "searches", "no_results", "clicks"])
    for day, n, z in report.per_day:
        writer.writerow(["day", day, n, z, ""])
    for key in ("top", "no_results", "unopened"):
        for r in getattr(report, key):
            writer.writerow([key, r.query, r.searches, r.no_results, r.clicks])
    for doc, n in report.documents:
        writer.writerow(["document", doc, "", "", n])
    for facet, value, n in report.filters:
        writer.writerow(["filter", f"{facet}={value}" if value else facet, n, "", ""])
    for p in report.proposals:
        writer.writerow(["synonym", p.line, p.seen, "", ""])
    return out.getvalue()
