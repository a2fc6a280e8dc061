"""Validity over time (SPEC §2): the period each text is in force, from its entry into
force to the day before the first text that supersedes it takes effect, or its `ends`;
and the impossible periods `docrepo check` reports."""

from __future__ import annotations

from pathlib import Path

from docrepo.content.check import check_content
from docrepo.content.entries import Entry
from docrepo.content.relations import resolve
from docrepo.schema import ALWAYS, ENDED, FOREVER
from support.trees import MakeTree, decision, doc


def _entry(doc_id: str, **facts: object) -> Entry:
    entry = Entry(f"{doc_id}.md", 0, 0, "h", id=doc_id)
    for name, value in facts.items():
        setattr(entry, name, value)
    return entry


def _periods(*entries: Entry) -> dict[str, tuple[int, int]]:
    derived = resolve({e.path: e for e in entries}).derived
    return {doc_id: (d.valid_from, d.valid_until) for doc_id, d in derived.items()}


def test_a_text_is_in_force_until_the_day_before_its_first_replacement() -> None:
    """Of two texts superseding one, the one taking effect first ends it (the day before)."""
    periods = _periods(
        _entry("old", effective="2024-03-12"),
        _entry("late", effective="2025-06-01", supersedes=["old"]),
        _entry("early", effective="2025-02-04", supersedes=["old"]),
    )
    assert periods["old"] == (20240312, 20250203)
    assert periods["early"] == (20250204, FOREVER)


def test_ends_bounds_a_text_that_no_text_supersedes_and_the_earlier_end_wins() -> None:
    """`ends` is the last day in force; a replacement that takes effect earlier ends it
    earlier."""
    periods = _periods(
        _entry("ends", effective="2024-01-01", ends="2024-12-31"),
        _entry("both", effective="2024-01-01", ends="2026-12-31"),
        _entry("new", effective="2025-03-01", supersedes=["both"]),
    )
    assert periods["ends"] == (20240101, 20241231)
    assert periods["both"] == (20240101, 20250228)


def test_texts_without_dates_are_in_force_always_and_a_declared_repeal_has_no_day() -> None:
    """A page with no date is in force on any day; `status: repealed` with no `ends` is
    repealed on any day it would otherwise be in force."""
    periods = _periods(
        _entry("page"),
        _entry("gone", effective="2020-05-05", status="repealed"),
        _entry("undated", supersedes=["replaced"]),
        _entry("replaced", effective="2019-01-01"),
    )
    assert periods["page"] == (ALWAYS, FOREVER)
    assert periods["gone"] == (20200505, ENDED)
    assert periods["replaced"] == (20190101, ENDED)


def _check(make_tree: MakeTree, files: dict[str, str | bytes]) -> list[tuple[str, int, str]]:
    content: Path = make_tree(files)
    return [(p.path, p.line, p.text()) for p in check_content(content) if p.level == "error"]


def test_check_reports_a_text_that_ends_before_it_enters_into_force(
    make_tree: MakeTree,
) -> None:
    """`ends` before `effective` (or before `date`, its default) is an error on the line
    of `ends`, naming both days."""
    errors = _check(make_tree, {
        "a.md": decision("A", "DEC1", date="2024-05-02", ends="2024-05-01"),
        "b.md": decision("B", "DEC2", date="2024-05-02", effective="2024-07-01",
                         ends="2024-06-30"),
        "c.md": decision("C", "DEC3", date="2024-05-02", ends="2024-05-02"),
    })  # fmt: skip
    assert [(path, line) for path, line, _ in errors] == [("a.md", 6), ("b.md", 7)]
    assert (
        "2024-05-01 is before the day the text enters into force (date: 2024-05-02)"
        in (errors[0][2])
    )
    assert "(effective: 2024-07-01)" in errors[1][2]


def test_check_reports_a_replacement_that_takes_effect_before_the_text_it_replaces(
    make_tree: MakeTree,
) -> None:
    """A text superseding one that enters into force after it is an error of the
    superseding file, on its `supersedes` line; one taking effect the same day is not."""
    errors = _check(make_tree, {
        "old.md": decision("Ancien", "DEC1", date="2024-05-02", effective="2024-09-01"),
        "new.md": decision("Nouveau", "DEC2", date="2024-06-01", supersedes=["DEC1"]),
        "same.md": decision("Même jour", "DEC3", date="2024-09-01", supersedes=["DEC1"]),
        "page.md": doc("Page"),
    })  # fmt: skip
    assert len(errors) == 1
    path, line, message = errors[0]
    assert (path, line) == ("new.md", 6)
    assert "takes effect on 2024-06-01, before old" in message
    assert "(2024-09-01)" in message
