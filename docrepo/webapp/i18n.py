"""The interface language of a request, and the labels of fixed codes.

French is the default; English comes from the `lang` cookie (set by the switch) or
from the browser's Accept-Language. The messages themselves are in the gettext
catalogs (`docrepo.i18n`).
"""

from __future__ import annotations

from ..i18n import N_, UI_LANGS

DEFAULT_LANG = "fr"
LANG_COOKIE = "lang"

STATUS_LABELS = {"in-force": N_("In force"), "repealed": N_("Repealed"), "draft": N_("Draft")}
GENERAL_LABEL = N_("Organisation-wide")
#: the types of SPEC in the plural, for the title of a view ("Circulaires en vigueur"); a
#: type the taxonomy adds reads "Documents of type …"
TYPE_PLURALS = {
    "decision": N_("Decisions"),
    "circular": N_("Circulars"),
    "instruction": N_("Instructions"),
    "note": N_("Notes"),
    "guide": N_("Guides"),
    "form": N_("Forms"),
    "report": N_("Reports"),
    "unit": N_("Units"),
    "regional-office": N_("Regional offices"),
    "office-abroad": N_("Offices abroad"),
    "institute": N_("Institutes"),
    "department": N_("Departments"),
    "page": N_("Pages"),
}
#: a view's status after its types ("Circulaires en vigueur"), without a day and on one
STATUS_PHRASES = {
    "in-force": (N_("in force"), N_("in force on %(day)s")),
    "repealed": (N_("no longer in force"), N_("no longer in force on %(day)s")),
}
#: a place facet ticked on its general value alone, beside a facet naming places
WITHOUT_PLACE = {"institute": N_("without an institute"), "region": N_("without a regional office")}
LANG_LABELS = {"fr": N_("French"), "en": N_("English")}
#: the link to a text's version in a language, in that language: who reads it knows it
#: whatever the interface's language
ALSO_IN = {"fr": "Aussi en français", "en": "Also in English"}
FACET_TITLES = {
    "type": N_("Document type"),
    "institute": N_("Institute"),
    "region": N_("Regional office"),
    "issuer": N_("Issuer"),
    "theme": N_("Theme"),
    "status": N_("Status"),
    "lang": N_("Language"),
    "year": N_("Year"),
}
#: the front-matter fields, as a comparison of two versions names them
FIELD_LABELS = {
    "title": N_("Title"),
    "type": N_("Type"),
    "lang": N_("Language"),
    "date": N_("Date"),
    "published": N_("Published"),
    "effective": N_("Entry into force"),
    "ends": N_("End of validity"),
    "reference": N_("Reference"),
    "institutes": N_("Institutes"),
    "regions": N_("Regional offices"),
    "issuer": N_("Issuer"),
    "themes": N_("Themes"),
    "status": N_("Status"),
    "supersedes": N_("Supersedes"),
    "amends": N_("Amends"),
    "access": N_("Access"),
    "summary": N_("Summary"),
    "aliases": N_("Former addresses"),
    "code": N_("Code"),
    "director": N_("Director"),
    "partners": N_("Partners"),
    "city": N_("City"),
    "country": N_("Country"),
    "website": N_("Website"),
    "translation_of": N_("Translation of"),
}
SORT_LABELS = {
    "relevance": N_("Relevance"),
    "newest": N_("Newest"),
    "oldest": N_("Oldest"),
    "title": N_("Title"),
}


def choose_lang(cookie: str | None, accept_language: str | None) -> str:
    """The interface language: the cookie, else the browser's first supported choice."""
    if cookie in UI_LANGS:
        return cookie
    choices: list[tuple[float, str]] = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in UI_LANGS:
            choices.append((quality, primary))
    if choices:
        return max(choices, key=lambda c: c[0])[1]
    return DEFAULT_LANG
