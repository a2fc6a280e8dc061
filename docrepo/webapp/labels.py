"""Labels in the interface language: of vocabulary codes, statuses, languages, and the
facet values of a result, listed by count then label (years newest first)."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis import fold
from ..content.taxonomy import Taxonomy
from ..i18n import translations
from ..schema import FACET_BY_NAME, GENERAL
from ..search.result import SearchResult
from .i18n import FACET_TITLES, GENERAL_LABEL, LANG_LABELS, SORT_LABELS, STATUS_LABELS


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
        self.gettext = translations(lang).gettext

    def vocabulary(self, vocabulary: str, code: str) -> str:
        return self.taxonomy.label(vocabulary, code, self.lang)

    def status(self, code: str) -> str:
        return self.gettext(STATUS_LABELS[code]) if code in STATUS_LABELS else code

    def facet_title(self, name: str) -> str:
        return self.gettext(FACET_TITLES[name])

    def sort(self, code: str) -> str:
        return self.gettext(SORT_LABELS[code])

    def of(self, facet: str, value: str) -> str:
        """The label of a facet value (a year, or an unknown code, is its own label)."""
        if value == GENERAL and FACET_BY_NAME[facet].has_general:
            return self.gettext(GENERAL_LABEL)
        vocabulary = FACET_BY_NAME[facet].vocabulary
        if vocabulary is not None:
            return self.vocabulary(vocabulary, value)
        if facet == "status":
            return self.status(value)
        if facet == "lang":
            return self.gettext(LANG_LABELS[value]) if value in LANG_LABELS else value
        return value

    def facets(self, result: SearchResult) -> dict[str, list[FacetOption]]:
        """Every facet of a result, its values labelled, by count then label (years
        newest first)."""
        return {
            name: sorted(
                (FacetOption(v.value, self.of(name, v.value), v.count, v.selected) for v in values),
                key=_newest_first if name == "year" else _by_count,
            )
            for name, values in result.facets.items()
        }


def _by_count(option: FacetOption) -> tuple[int, str]:
    return -option.count, fold(option.label).casefold()


def _newest_first(option: FacetOption) -> tuple[int, str]:
    return -int(option.value) if option.value.isdigit() else 0, option.value
