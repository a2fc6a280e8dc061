"""The judged relevance set of the sample corpus (``content/``) and its measures.

``judged_queries.yml`` (next to this file) lists queries with, for each, the documents
a reader judged relevant and how much: 3 = the document the user is looking for,
2 = highly relevant, 1 = somewhat relevant. Documents are named by their id (the path
under ``content/`` without ``.md``). Queries of kind ``none`` have no relevant document.

The measures take a ranked list of ids (what an engine returned, best first) and the
judged grades of one query; `evaluate` runs every query through an engine and averages
them per kind. This module knows nothing of docrepo (it imports no docrepo module), so
any engine can be measured with it.

The set is split once and for all (`split`): a development part, on which the engine's
parameters may be tuned, and a held-out part (a third of each kind, drawn by a seeded
hash of each query), which is only ever measured: the suite checks its figures, so
that they say how the engine does on queries nothing was chosen on.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).with_name("judged_queries.yml")

KINDS = (
    "keywords",
    "questions",
    "english",
    "acronyms",
    "typos",
    "prefix",
    "references",
    "in_force",
    "none",
    # issue 25: English questions answered by French texts, sentences of six words or
    # more, topics where texts in force and unrelated repealed texts both match
    "english_fr",
    "long",
    "in_force_mixed",
    # issue 26: answered only by a document's attached file (PDF, DOCX, ODT)
    "attachment",
    # issue 27: English questions about texts published in French and in English, asked
    # with an English interface (`INTERFACE`): the English version is the answer
    "translated",
)
#: the interface language a kind's queries are asked in (French for the others): of a
#: text's language versions, a search shows the one in that language
INTERFACE = {"translated": "en"}
GRADES = (1, 2, 3)
#: the grade from which a document counts as relevant for P@1, MRR and recall
RELEVANT = 2
DEPTH = 10
OVERALL = "overall"
#: the seed of the split between development and held-out queries (fixed before any
#: figure of either part was seen; never to be changed to move a query between parts)
SPLIT_SEED = "docrepo judged split 2026-12-08"
#: the share of each kind's queries held out (rounded up)
HELD_OUT_SHARE = 1 / 3


@dataclass(frozen=True)
class Judged:
    """One judged query: its text, its kind, and the grade of each relevant document."""

    query: str
    kind: str
    relevant: dict[str, int] = field(default_factory=dict)


def load_judged(path: Path | str = DEFAULT_PATH) -> list[Judged]:
    """The judged queries of a file, checked (ValueError naming the entry if wrong)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of queries, found {type(data).__name__}")
    judged: list[Judged] = []
    for number, entry in enumerate(data, 1):
        where = f"{path}: query {number}"
        if not isinstance(entry, dict) or set(entry) - {"query", "kind", "relevant"}:
            raise ValueError(f"{where}: expected {{query, kind, relevant}}, found {entry!r}")
        query, kind, relevant = entry.get("query"), entry.get("kind"), entry.get("relevant")
        relevant = {} if relevant is None else relevant
        if not isinstance(query, str) or not query.strip():
            raise ValueError(f"{where}: 'query' must be a non-empty string, not {query!r}")
        if kind not in KINDS:
            raise ValueError(f"{where} ({query!r}): unknown kind {kind!r}")
        if not isinstance(relevant, dict) or not all(
            isinstance(doc, str) and isinstance(grade, int) and grade in GRADES
            for doc, grade in relevant.items()
        ):
            raise ValueError(f"{where} ({query!r}): 'relevant' must map document ids to grades 1-3")
        if (kind == "none") != (not relevant):
            raise ValueError(
                f"{where} ({query!r}): kind 'none' and only it has no relevant document"
            )
        judged.append(Judged(query, kind, dict(relevant)))
    return judged


@dataclass(frozen=True)
class Split:
    """The judged queries in two parts, each in file order: `development` to tune on,
    `held_out` never used to choose anything."""

    development: list[Judged]
    held_out: list[Judged]


def typing(query: str) -> bool:
    """Whether docrepo's widget asks with `prefix=last` for this text in its box: it
    does while the text does not end with a space (the last word is still being typed).

    A judged query is what a reader typed before reading the results; the widget, which
    searches at each keystroke and has no submit, is where that is read, so the engines
    are asked what it asks: every query, whatever its kind, with its last word completed
    unless a space follows it."""
    return bool(query) and not query[-1].isspace()


def _draw(judged: Judged) -> str:
    return hashlib.sha256(f"{SPLIT_SEED}\n{judged.kind}\n{judged.query}".encode()).hexdigest()


def split(judged: Sequence[Judged]) -> Split:
    """Held out: in each kind, the third (rounded up) of the queries whose seeded hash
    comes first. A query's part depends on its own text and on the hashes of its kind
    alone: adding a query moves at most one query of its kind across the line."""
    held: set[str] = set()
    for kind in dict.fromkeys(j.kind for j in judged):
        drawn = sorted(_draw(j) for j in judged if j.kind == kind)
        held.update(drawn[: math.ceil(len(drawn) * HELD_OUT_SHARE)])
    return Split(
        [j for j in judged if _draw(j) not in held], [j for j in judged if _draw(j) in held]
    )


# -- measures over one ranked list --------------------------------------------------


def _distinct(ranked: Iterable[str]) -> list[str]:
    """The ranked ids, each counted once (at its best rank)."""
    return list(dict.fromkeys(ranked))


def ndcg_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = DEPTH) -> float:
    """nDCG@k: gain = the grade, discount log2(rank + 1), ideal from the judged grades
    (0.0 when nothing is judged relevant)."""
    ideal = sum(
        grade / math.log2(rank + 2)
        for rank, grade in enumerate(sorted(relevant.values(), reverse=True)[:k])
    )
    if ideal <= 0:
        return 0.0
    gained = sum(
        relevant.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(_distinct(ranked)[:k])
    )
    return gained / ideal


def precision_at_1(ranked: Sequence[str], relevant: Mapping[str, int]) -> float:
    """1.0 when the first result has grade ≥ 2, else 0.0."""
    return 1.0 if ranked and relevant.get(ranked[0], 0) >= RELEVANT else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: Mapping[str, int]) -> float:
    """1 / the rank of the first result with grade ≥ 2 (0.0 if there is none)."""
    for rank, doc in enumerate(_distinct(ranked), 1):
        if relevant.get(doc, 0) >= RELEVANT:
            return 1.0 / rank
    return 0.0


def recall_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = DEPTH) -> float:
    """Share of the documents of grade ≥ 2 found in the top k (of grade ≥ 1 when no
    document has grade ≥ 2; 0.0 when nothing is judged relevant)."""
    wanted = {doc for doc, grade in relevant.items() if grade >= RELEVANT}
    if not wanted:
        wanted = {doc for doc, grade in relevant.items() if grade >= 1}
    if not wanted:
        return 0.0
    return len(wanted.intersection(_distinct(ranked)[:k])) / len(wanted)


# -- a run over the whole set -------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One query's results and measures (measures are None when nothing is relevant)."""

    judged: Judged
    ranked: list[str]
    ndcg: float | None
    p1: float | None
    rr: float | None
    recall: float | None

    @property
    def has_relevant(self) -> bool:
        return bool(self.judged.relevant)

    @property
    def empty(self) -> bool:
        return not self.ranked


@dataclass(frozen=True)
class Row:
    """The means of one kind (or of all queries): None where no query has a relevant
    document. `count` is the number of queries, `judged` those with a relevant document."""

    kind: str
    count: int
    judged: int
    ndcg: float | None
    p1: float | None
    mrr: float | None
    recall: float | None
    #: share of the queries with a relevant document for which nothing was returned
    zero: float | None
    #: queries without a relevant document for which something was returned
    answered_none: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "queries": self.count,
            "with_relevant": self.judged,
            "ndcg@10": self.ndcg,
            "p@1": self.p1,
            "mrr": self.mrr,
            "recall@10": self.recall,
            "zero_result_rate": self.zero,
            "no_relevant_but_results": self.answered_none,
        }


@dataclass(frozen=True)
class Table:
    """Per kind (in the order kinds first appear) and overall (the last row)."""

    rows: list[Row]
    scored: list[Scored]

    @property
    def overall(self) -> Row:
        return self.rows[-1]

    def row(self, kind: str) -> Row:
        for row in self.rows:
            if row.kind == kind:
                return row
        raise KeyError(kind)

    def worst(self, n: int = 15) -> list[Scored]:
        """The n queries with a relevant document of lowest nDCG@10 (ties in file order)."""
        return sorted((s for s in self.scored if s.has_relevant), key=lambda s: s.ndcg or 0.0)[:n]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": [row.as_dict() for row in self.rows],
            "queries": [
                {
                    "query": s.judged.query,
                    "kind": s.judged.kind,
                    "returned": s.ranked,
                    "ndcg@10": s.ndcg,
                    "p@1": s.p1,
                    "rr": s.rr,
                    "recall@10": s.recall,
                }
                for s in self.scored
            ],
        }


def score(judged: Judged, ranked: Sequence[str]) -> Scored:
    """The measures of one query's ranked results."""
    ranked = list(ranked)
    if not judged.relevant:
        return Scored(judged, ranked, None, None, None, None)
    rel = judged.relevant
    return Scored(
        judged,
        ranked,
        ndcg_at(ranked, rel, DEPTH),
        precision_at_1(ranked, rel),
        reciprocal_rank(ranked, rel),
        recall_at(ranked, rel, DEPTH),
    )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _row(kind: str, scored: list[Scored]) -> Row:
    judged = [s for s in scored if s.has_relevant]
    return Row(
        kind=kind,
        count=len(scored),
        judged=len(judged),
        ndcg=_mean([s.ndcg for s in judged if s.ndcg is not None]),
        p1=_mean([s.p1 for s in judged if s.p1 is not None]),
        mrr=_mean([s.rr for s in judged if s.rr is not None]),
        recall=_mean([s.recall for s in judged if s.recall is not None]),
        zero=_mean([1.0 if s.empty else 0.0 for s in judged]),
        answered_none=sum(1 for s in scored if not s.has_relevant and not s.empty),
    )


def table_of(scored: Sequence[Scored]) -> Table:
    """Rows per kind and overall from queries already scored."""
    kinds = list(dict.fromkeys(s.judged.kind for s in scored))
    rows = [_row(kind, [s for s in scored if s.judged.kind == kind]) for kind in kinds]
    rows.append(_row(OVERALL, list(scored)))
    return Table(rows, list(scored))


def evaluate(judged: Sequence[Judged], run: Callable[[Judged], list[str]]) -> Table:
    """Run every query (`run` returns the ranked ids, best first) and measure them."""
    return table_of([score(j, run(j)) for j in judged])


# -- text -------------------------------------------------------------------------

_COLUMNS = ("kind", "n", "judged", "nDCG@10", "P@1", "MRR", "R@10", "zero", "none hit")


def format_table(table: Table, title: str | None = None) -> str:
    """A fixed-width text table: one row per kind, then overall; measures as columns
    (``zero`` = zero-result rate; ``none hit`` = queries without a relevant document
    that returned something; ``—`` = no query of the row has a relevant document)."""

    def number(value: float | None) -> str:
        return "—" if value is None else f"{value:.3f}"

    def percent(value: float | None) -> str:
        return "—" if value is None else f"{100 * value:.1f} %"

    cells = [
        [
            row.kind,
            str(row.count),
            str(row.judged),
            number(row.ndcg),
            number(row.p1),
            number(row.mrr),
            number(row.recall),
            percent(row.zero),
            str(row.answered_none) if row.count > row.judged else "—",
        ]
        for row in table.rows
    ]
    widths = [max(len(c[i]) for c in [list(_COLUMNS), *cells]) for i in range(len(_COLUMNS))]

    def line(values: Sequence[str]) -> str:
        first = values[0].ljust(widths[0])
        rest = (v.rjust(w) for v, w in zip(values[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [title] if title else []
    out += [line(_COLUMNS), rule]
    out += [line(c) for c in cells[:-1]]
    out += [rule, line(cells[-1])]
    return "\n".join(out)


_SIDE = ("nDCG@10", "P@1", "MRR", "R@10", "zero")


def format_parts(development: Table, held_out: Table, title: str | None = None) -> str:
    """The development and held-out tables of one engine side by side, one row per
    kind, then overall (the columns of `format_table`, the number of queries with a
    relevant document as ``n``)."""

    def cells(row: Row | None) -> list[str]:
        if row is None:
            return ["0", *("—" for _ in _SIDE)]
        measures = [row.ndcg, row.p1, row.mrr, row.recall]
        zero = "—" if row.zero is None else f"{100 * row.zero:.1f} %"
        return [str(row.judged), *("—" if v is None else f"{v:.3f}" for v in measures), zero]

    def row_of(table: Table, kind: str) -> Row | None:
        return next((r for r in table.rows if r.kind == kind), None)

    kinds = list(dict.fromkeys(r.kind for r in development.rows + held_out.rows))
    kinds.remove(OVERALL)
    header = ["kind", "n", *_SIDE, "|", "n", *_SIDE]
    body = [
        [kind, *cells(row_of(development, kind)), "|", *cells(row_of(held_out, kind))]
        for kind in [*kinds, OVERALL]
    ]
    widths = [max(len(c[i]) for c in [header, *body]) for i in range(len(header))]

    def line(values: Sequence[str]) -> str:
        first = values[0].ljust(widths[0])
        rest = (v.rjust(w) for v, w in zip(values[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    half = sum(widths[1:7]) + 2 * 5
    top = " " * (widths[0] + 2) + "development".center(half) + "  |  " + "held out".center(half)
    rule = "  ".join("-" * w for w in widths)
    out = [title] if title else []
    out += [top.rstrip(), line(header), rule, *map(line, body[:-1]), rule, line(body[-1])]
    return "\n".join(out)
