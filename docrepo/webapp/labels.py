"""Labels in the interface language: of vocabulary codes, statuses, languages, and the
facet values of a result, listed by count then label."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis import fold
from ..content.taxonomy import Taxonomy
from ..schema import FACET_BY_NAME
from ..search.result import SearchResult
from .i18n import LANG_LABELS, STATUS_LABELS


@dataclass(frozen=True)
class FacetOption:
    """One value of a facet as the page and the API show it."""

    value: str
    label: str
    count: int
    selected: bool


class Labels:
    """The labels of one interface language."""

    def __init__(self, taxonomy: Taxonomy, lang: str) -> None:
        self.taxonomy, self.lang = taxonomy, lang

    def vocabulary(self, vocabulary: str, code: str) -> str:
        return self.taxonomy.label(vocabulary, code, self.lang)

    def status(self, code: str) -> str:
        return STATUS_LABELS.get(code, {}).get(self.lang, code)

    def of(self, facet: str, value: str) -> str:
        """The label of a facet value (a year, or an unknown code, is its own label)."""
        vocabulary = FACET_BY_NAME[facet].vocabulary
        if vocabulary is not None:
            return self.vocabulary(vocabulary, value)
        if facet == "status":
            return self.status(value)
        if facet == "lang":
            return LANG_LABELS.get(value, {}).get(self.lang, value)
        return value

    def facets(self, result: SearchResult) -> dict[str, list[FacetOption]]:
        """Every facet of a result, its values labelled, by count then label."""
        return {
            name: sorted(
                (FacetOption(v.value, self.of(name, v.value), v.count, v.selected) for v in values),
                key=lambda option: (-option.count, fold(option.label).casefold()),
            )
            for name, values in result.facets.items()
        }
