"""The repository on a day (SPEC §2 "Validity over time", §4 `at`): which texts a search
lists, their statuses and the `status` facet, on the day asked for or on the clock's day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from docrepo.access import EVERYONE
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from docrepo.search.result import SearchResult
from support.index import update
from support.trees import MakeTree, decision, front_matter

TREE = {
    "old.md": decision("Télétravail des agents", "DEC1", date="2024-03-12"),
    "new.md": decision("Télétravail des agents, nouvelles règles", "DEC2", date="2025-01-20",
                       effective="2025-02-04", supersedes=["DEC1"]),
    "later.md": decision("Télétravail des agents, règles de 2027", "DEC3", date="2026-05-01",
                         effective="2027-01-01", supersedes=["DEC2"]),
    "interim.md": front_matter("Le télétravail pendant les travaux.", title="Télétravail",
                               type="circular", date="2024-01-01", ends="2025-12-31"),
}  # fmt: skip
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def index(make_tree: MakeTree, tmp_path: Path) -> tuple[Path, Path]:
    content = make_tree(TREE)
    update(content, tmp_path / "index")
    return content, tmp_path / "index"


def _search(
    index: tuple[Path, Path], today: dt.date = TODAY, **params: str | list[str]
) -> SearchResult:
    library = Library(index[1], index[0], today=lambda: today)
    query = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return library.search(SearchRequest.from_params(query), EVERYONE)


def _statuses(result: SearchResult) -> dict[str, str]:
    return {hit.record["id"]: hit.record["status"] for hit in result.hits}


def _status_facet(result: SearchResult) -> dict[str, int]:
    return {f.value: f.count for f in result.facets["status"]}


def test_at_leaves_out_texts_not_yet_in_force_and_shows_those_repealed_later_in_force(
    index: tuple[Path, Path],
) -> None:
    """On 1 June 2024 only the first decision and the interim circular were in force."""
    result = _search(index, at="2024-06-01")
    assert _statuses(result) == {"old": "in-force", "interim": "in-force"}
    assert result.total == 2
    assert _status_facet(result) == {"in-force": 2}


def test_at_gives_each_text_its_status_of_that_day(index: tuple[Path, Path]) -> None:
    """On 1 June 2025 the first decision had been replaced; the day a replacement takes
    effect is its first day, the day before the replaced text's last."""
    result = _search(index, at="2025-06-01")
    assert _statuses(result) == {"old": "repealed", "new": "in-force", "interim": "in-force"}
    assert _status_facet(result) == {"in-force": 2, "repealed": 1}
    assert _statuses(_search(index, at="2025-02-03"))["old"] == "in-force"
    assert _statuses(_search(index, at="2025-02-04"))["old"] == "repealed"


def test_the_status_filter_and_its_counts_follow_the_day(index: tuple[Path, Path]) -> None:
    """`status=in-force` on a day lists what was in force then; the status facet still
    counts both values (multi-select)."""
    result = _search(index, at="2025-06-01", status="in-force")
    assert set(_statuses(result)) == {"new", "interim"}
    assert _status_facet(result) == {"in-force": 2, "repealed": 1}
    assert set(_statuses(_search(index, at="2025-06-01", status="repealed"))) == {"old"}


def test_without_at_every_text_is_listed_with_its_status_on_the_clocks_day(
    index: tuple[Path, Path],
) -> None:
    """Today a text past its `ends` is repealed, and one whose replacement is not yet in
    force is still in force; a text not yet in force is listed (it is not repealed)."""
    result = _search(index)
    assert _statuses(result) == {
        "old": "repealed", "new": "in-force", "later": "in-force", "interim": "repealed",
    }  # fmt: skip
    assert _status_facet(result) == {"in-force": 2, "repealed": 2}


def test_the_status_depends_on_the_day_searched_not_on_the_day_indexed(
    index: tuple[Path, Path],
) -> None:
    """The same index, searched a year later, shows the texts whose period ended since
    as repealed: nothing is indexed again."""
    assert _statuses(_search(index, dt.date(2025, 6, 1)))["interim"] == "in-force"
    assert _statuses(_search(index, dt.date(2027, 6, 1)))["interim"] == "repealed"
    assert _statuses(_search(index, dt.date(2027, 6, 1)))["new"] == "repealed"
    assert _search(index, dt.date(2027, 6, 1), status="in-force").total == 1


def _ranked(result: SearchResult) -> list[str]:
    return [hit.record["id"] for hit in result.hits]


def test_ranking_puts_the_texts_in_force_on_the_day_first(index: tuple[Path, Path]) -> None:
    """A repealed text never ranks above the text that replaced it, on the day searched:
    before the replacement, the first decision comes first; after it, below it, and both
    below the last one down the chain once that is in force."""
    query = "télétravail des agents"
    assert _ranked(_search(index, at="2024-06-01", q=query))[0] == "old"
    on_2025 = _ranked(_search(index, at="2025-06-01", q=query))
    assert on_2025.index("new") < on_2025.index("old")
    on_2027 = _ranked(_search(index, at="2027-06-01", q=query))
    assert on_2027[0] == "later"  # both earlier decisions repealed, down the chain
