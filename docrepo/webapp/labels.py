"""Labels in the interface language: of vocabulary codes, statuses, languages, and the
facet values of a result, listed by count then label (years newest first)."""

from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list

from ..analysis import fold
from ..content.taxonomy import Taxonomy
from ..i18n import long_date, translations
from ..schema import FACET_BY_NAME, FACET_NAMES, GENERAL
from ..search.request import SearchRequest
from ..search.result import SearchResult
from .i18n import (
    ALSO_IN,
    FACET_TITLES,
    FIELD_LABELS,
    GENERAL_LABEL,
    LANG_LABELS,
    SORT_LABELS,
    STATUS_LABELS,
    STATUS_PHRASES,
    TYPE_PLURALS,
    WITHOUT_PLACE,
)


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

    def also_in(self, lang: str) -> str:
        """The link to a text's version in a language, in that language: "Also in
        English", "Aussi en français"."""
        return ALSO_IN.get(lang, lang)

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
        """What a view shows, read at a glance in a feed reader's sidebar: "Circulaires en
        vigueur — CNRS Biologie, Occitanie Est (et portée générale) · Télétravail" (its
        page's and its feed's title, its follow link). The words are those whose results
        are shown (a corrected query's correction). The rules: README, "Titles of views
        and feeds"."""
        _ = self.gettext
        filters = search.filters
        q = result.corrected if result is not None and result.corrected else search.q
        head = [f"« {q} »" if self.lang == "fr" else f"“{q}”"] if q else []
        what = self._types(filters.get("type", ()))
        status = set(filters.get("status", ()))
        day = {"day": long_date(search.at, self.lang)} if search.at else None
        if len(status) == 1 and next(iter(status)) in STATUS_PHRASES:
            phrases = STATUS_PHRASES[next(iter(status))]
            what += " " + (_(phrases[1]) % day if day else _(phrases[0]))
        elif day:
            what += " " + _("as of %(day)s") % day
        if what != _("Documents") or not q:
            head.append(what)
        tail = [self._places(filters)] if filters.get("institute") or filters.get("region") else []
        for name in FACET_NAMES:
            if name not in ("type", "institute", "region") and filters.get(name):
                if name != "status" or len(status) > 1 or not status <= STATUS_PHRASES.keys():
                    tail.append(", ".join(self.of(name, v) for v in filters[name]))
        if search.date_from:
            tail.append(_("from %(date)s") % {"date": long_date(search.date_from, self.lang)})
        if search.date_to:
            tail.append(_("to %(date)s") % {"date": long_date(search.date_to, self.lang)})
        if not tail and head == [_("Documents")]:
            return _("Newest documents")
        return " · ".join(head) + (" — " + " · ".join(tail) if tail else "")

    def _types(self, codes: tuple[str, ...]) -> str:
        """Types in the plural, as a list: "Décisions et circulaires"; no type: "Documents"."""
        _ = self.gettext
        if not codes:
            return _("Documents")
        named = [
            _(TYPE_PLURALS[c])
            if c in TYPE_PLURALS
            else _("Documents of type %(type)s") % {"type": self.vocabulary("types", c)}
            for c in codes
        ]
        named[1:] = [n[:1].lower() + n[1:] for n in named[1:]]
        return str(format_list(named, locale=self.lang))

    def _places(self, filters: dict[str, tuple[str, ...]]) -> str:
        """The institutes and regional offices of a view; the organisation-wide texts said
        once at the end when every place facet takes them, else at their own facet."""
        _ = self.gettext
        facets = [f for f in ("institute", "region") if filters.get(f)]
        named = {f: [self.of(f, v) for v in filters[f] if v != GENERAL] for f in facets}
        general = [f for f in facets if GENERAL in filters[f]]
        if general == facets:
            names = [n for f in facets for n in named[f]]
            if not names:
                return _(GENERAL_LABEL)
            return ", ".join(names) + " " + _("(and organisation-wide)")
        parts = []
        for f in facets:
            if not named[f]:
                parts.append(_(WITHOUT_PLACE[f]))
                continue
            also = " " + _("(and organisation-wide)") if f in general else ""
            parts.append(", ".join(named[f]) + also)
        return ", ".join(parts)

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
