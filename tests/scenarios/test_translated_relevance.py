"""Relevance for texts in two languages (issue 27): the judged queries of kind
`translated`, English questions asked with an English interface, find the English
version of the text among the first three, never list its French version beside it,
and keep a held-out nDCG@10 floor of their own (the kinds of `test_judged_relevance`
are unmoved: their fingerprint covers them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.judged import INTERFACE, Judged, evaluate, load_judged, split, typing
from docrepo.access import ANONYMOUS
from docrepo.search.library import Library
from docrepo.search.request import SearchRequest
from support.trees import SAMPLE_CONTENT

KIND = "translated"
#: set from the first held-out figure (0.826 on 4 queries; "telework from abroad" has
#: the welcome guide, which mentions telework, first), less the others' margin
FLOOR = 0.79


def results(library: Library, judged: Judged) -> list[str]:
    request = SearchRequest(
        q=judged.query.strip(), per_page=10, complete_last=typing(judged.query),
        language=INTERFACE[judged.kind],
    )  # fmt: skip
    return [hit.record["id"] for hit in library.search(request, ANONYMOUS).hits]


@pytest.fixture(scope="module")
def library(sample_index: Path) -> Library:
    return Library(sample_index, SAMPLE_CONTENT)


def queries() -> list[Judged]:
    return [j for j in load_judged() if j.kind == KIND]


@pytest.mark.parametrize("judged", queries(), ids=lambda j: j.query)
def test_the_english_version_is_the_result(library: Library, judged: Judged) -> None:
    """The document graded 3 (the English version) is among the first three, and no
    other version of a text listed is listed beside it."""
    found = results(library, judged)
    [answer] = [doc for doc, grade in judged.relevant.items() if grade == 3]
    assert answer in found[:3], found
    records = [library.reader().document(doc_id, ANONYMOUS) for doc_id in found]
    texts = [r["original"] or r["id"] for r in records if r is not None]
    assert len(texts) == len(set(texts)), found


def test_the_held_out_part_holds_its_floor(library: Library) -> None:
    held_out = [j for j in split(load_judged()).held_out if j.kind == KIND]
    row = evaluate(held_out, lambda j: results(library, j)).row(KIND)
    assert row.ndcg is not None and row.ndcg >= FLOOR, row
