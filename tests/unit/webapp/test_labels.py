"""Labels of the web faces: a result's facet values labelled in the interface language,
listed by decreasing count, then by label in the alphabet a reader expects."""

from __future__ import annotations

import unicodedata

import pytest

from docrepo.content.taxonomy import Taxonomy, load_taxonomy
from docrepo.search.request import SearchRequest
from docrepo.search.result import FacetCount, SearchResult
from docrepo.webapp.labels import FacetOption, Labels
from support.trees import SAMPLE_CONTENT


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    """The sample corpus's taxonomy."""
    return load_taxonomy(SAMPLE_CONTENT)[0]


def result_of(**facets: dict[str, int]) -> SearchResult:
    """A result whose facets hold these values with these counts, in this order."""
    counts = [count for values in facets.values() for count in values.values()]
    return SearchResult(
        request=SearchRequest(),
        total=max(counts, default=0),
        hits=[],
        facets={
            name: [FacetCount(value, count, False) for value, count in values.items()]
            for name, values in facets.items()
        },
    )


def labelled(taxonomy: Taxonomy, result: SearchResult, lang: str) -> dict[str, list[FacetOption]]:
    """The result's facets as the web faces show them in a language."""
    return Labels(taxonomy, lang).facets(result)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_facets_sorted_by_count_then_label(taxonomy: Taxonomy) -> None:
    """Facet values come by decreasing count, then by label."""
    result = result_of(institute={"INSB": 1, "INSU": 3, "INC": 2})
    labels = [(v.count, v.label) for v in labelled(taxonomy, result, "fr")["institute"]]
    assert labels == [
        (3, "CNRS Terre & Univers"),
        (2, "CNRS Chimie"),
        (1, "CNRS Biologie"),
    ]


def test_facet_labels_sorted_alphabetically_whatever_their_accents(taxonomy: Taxonomy) -> None:
    """At equal counts labels follow the alphabet a reader expects: É files with E, Î with I."""
    institutes = ["INEE", "INSU", "INC", "INSIS"]
    regions = ["DR01", "DR12", "DR10", "DR04"]
    for order in (1, -1):  # whatever order the result lists them in
        result = result_of(
            institute=dict.fromkeys(institutes[::order], 1),
            region=dict.fromkeys(regions[::order], 1),
        )
        facets = labelled(taxonomy, result, "fr")
        for facet in ("institute", "region"):
            labels = [v.label for v in facets[facet]]
            assert labels == sorted(labels, key=_fold), facet


def test_facet_labels_follow_the_interface_language(taxonomy: Taxonomy) -> None:
    """Facet labels are French by default and English when the interface is in English."""
    result = result_of(
        type={"decision": 2, "circular": 2, "note": 1},
        institute={"INSB": 3, "INC": 2, "INEE": 1},
        region={"DR13": 1, "DR11": 1},
        status={"in-force": 6},
        lang={"fr": 5, "en": 1},
        year={"2024": 2, "2023": 1},
    )
    fr = labelled(taxonomy, result, "fr")
    en = labelled(taxonomy, result, "en")

    def label(facets: dict[str, list[FacetOption]], facet: str, value: str) -> str:
        return next(v.label for v in facets[facet] if v.value == value)

    assert label(fr, "type", "decision") == "Décision"
    assert label(en, "type", "decision") == "Decision"
    assert label(fr, "institute", "INEE") == "CNRS Écologie & Environnement"
    assert label(en, "institute", "INEE") == "CNRS Ecology & Environment"
    assert label(fr, "region", "DR11") == "Alpes"
    assert label(en, "region", "DR11") == "Alps"
    assert label(fr, "status", "in-force") == "En vigueur"
    assert label(en, "status", "in-force") == "In force"
    assert label(fr, "lang", "en") == "Anglais"
    assert label(en, "lang", "en") == "English"
    assert label(fr, "year", "2024") == "2024"
