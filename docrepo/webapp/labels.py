"""Labels in the interface language: of vocabulary codes, statuses, languages, and the
facet values of a result, listed by count then label (years newest first)."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis import fold
from ..content.taxonomy import Taxonomy
from ..i18n import long_date, translations
from ..schema import FACET_BY_NAME, FACET_NAMES, GENERAL
from ..search.request import SearchRequest
from ..search.result import SearchResult
from .i18n import FACET_TITLES, FIELD_LABELS, GENERAL_LABEL, LANG_LABELS, SORT_LABELS, STATUS_LABELS


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

    def field(self, name: str) -> str:
        """A front-matter field's name for readers (an unknown one is its own name)."""
        return self.gettext(FIELD_LABELS[name]) if name in FIELD_LABELS else name

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

    def view(self, search: SearchRequest, result: SearchResult | None = None) -> str:
        """What a view shows, in a few words: "« budget » · Circulaire · CNRS Biologie,
        Portée générale · En vigueur" (its page's and its feed's title, its follow link);
        the words are those whose results are shown (a corrected query's correction)."""
        _ = self.gettext
        q = result.corrected if result is not None and result.corrected else search.q
        parts = [f"« {q} »" if self.lang == "fr" else f"“{q}”"] if q else []
        for name in FACET_NAMES:
            if search.filters.get(name):
                parts.append(", ".join(self.of(name, v) for v in search.filters[name]))
        if search.date_from:
            parts.append(_("from %(date)s") % {"date": long_date(search.date_from, self.lang)})
        if search.date_to:
            parts.append(_("to %(date)s") % {"date": long_date(search.date_to, self.lang)})
        if search.at:
            parts.append(_("In force on %(day)s") % {"day": long_date(search.at, self.lang)})
        return " · ".join(parts) or _("Newest documents")

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
