"""Interface languages: the choice of language, interface strings, and dates.

French is the default; English comes from the `lang` cookie (set by the switch) or
from the browser's Accept-Language.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

UI_LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
LANG_COOKIE = "lang"

STATUS_LABELS = {
    "in-force": {"fr": "En vigueur", "en": "In force"},
    "repealed": {"fr": "Abrogé", "en": "Repealed"},
    "draft": {"fr": "Brouillon", "en": "Draft"},
}
LANG_LABELS = {
    "fr": {"fr": "Français", "en": "French"},
    "en": {"fr": "Anglais", "en": "English"},
}

STRINGS: dict[str, dict[str, str]] = {
    "site": {"fr": "Doc'utiles", "en": "Doc'utiles"},
    "tagline": {
        "fr": "Textes et pages de l'organisme",
        "en": "Texts and pages of the organisation",
    },
    "skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "search": {"fr": "Rechercher", "en": "Search"},
    "search_label": {"fr": "Rechercher dans les documents", "en": "Search the documents"},
    "search_hint": {
        "fr": 'Mots, "expression exacte", -exclure, OU avec OR, référence (DEC24*)',
        "en": 'Words, "exact phrase", -exclude, either with OR, reference (DEC24*)',
    },
    "filters": {"fr": "Filtres", "en": "Filters"},
    "apply": {"fr": "Appliquer les filtres", "en": "Apply filters"},
    "reset": {"fr": "Tout effacer", "en": "Clear all"},
    "active_filters": {"fr": "Filtres actifs", "en": "Active filters"},
    "remove_filter": {"fr": "Retirer le filtre", "en": "Remove filter"},
    "results": {"fr": "Résultats", "en": "Results"},
    "n_results": {"fr": "{n} document(s)", "en": "{n} document(s)"},
    "no_results": {
        "fr": "Aucun document ne correspond à cette recherche.",
        "en": "No document matches this search.",
    },
    "no_results_hint": {
        "fr": "Essayez moins de mots, retirez un filtre ou vérifiez l'orthographe.",
        "en": "Try fewer words, remove a filter or check the spelling.",
    },
    "did_you_mean": {"fr": "Vouliez-vous dire", "en": "Did you mean"},
    "results_for": {"fr": "Résultats pour", "en": "Results for"},
    "search_instead_for": {"fr": "rechercher plutôt", "en": "search instead for"},
    "relaxed": {
        "fr": "Peu de documents contiennent tous les mots : voici aussi ceux qui en "
        "contiennent les plus importants.",
        "en": "Few documents hold every word: here are also those holding the most "
        "significant ones.",
    },
    "missing": {"fr": "Il manque :", "en": "Missing:"},
    "in_section": {"fr": "Dans la section", "en": "In section"},
    "sort": {"fr": "Trier par", "en": "Sort by"},
    "sort_relevance": {"fr": "Pertinence", "en": "Relevance"},
    "sort_newest": {"fr": "Plus récents", "en": "Newest"},
    "sort_oldest": {"fr": "Plus anciens", "en": "Oldest"},
    "sort_title": {"fr": "Titre", "en": "Title"},
    "dates": {"fr": "Période", "en": "Dates"},
    "date_from": {"fr": "Du", "en": "From"},
    "date_to": {"fr": "Au", "en": "To"},
    "facet_type": {"fr": "Type de document", "en": "Document type"},
    "facet_institute": {"fr": "Institut", "en": "Institute"},
    "facet_region": {"fr": "Délégation régionale", "en": "Regional office"},
    "facet_issuer": {"fr": "Émetteur", "en": "Issuer"},
    "facet_theme": {"fr": "Thème", "en": "Theme"},
    "facet_status": {"fr": "Statut", "en": "Status"},
    "facet_lang": {"fr": "Langue", "en": "Language"},
    "facet_year": {"fr": "Année", "en": "Year"},
    "pagination": {"fr": "Pagination", "en": "Pagination"},
    "previous": {"fr": "Précédent", "en": "Previous"},
    "next": {"fr": "Suivant", "en": "Next"},
    "page_n": {"fr": "Page {n}", "en": "Page {n}"},
    "feed": {"fr": "Flux Atom de cette vue", "en": "Atom feed of this view"},
    "language": {"fr": "Langue de l'interface", "en": "Interface language"},
    "switch_to": {"fr": "English", "en": "Français"},
    "contents": {"fr": "Sommaire", "en": "Contents"},
    "details": {"fr": "Informations", "en": "Details"},
    "reference": {"fr": "Référence", "en": "Reference"},
    "date": {"fr": "Date", "en": "Date"},
    "published": {"fr": "Publication", "en": "Published"},
    "type": {"fr": "Type", "en": "Type"},
    "status": {"fr": "Statut", "en": "Status"},
    "issuer": {"fr": "Émetteur", "en": "Issuer"},
    "institutes": {"fr": "Instituts", "en": "Institutes"},
    "regions": {"fr": "Délégations", "en": "Regional offices"},
    "themes": {"fr": "Thèmes", "en": "Themes"},
    "code": {"fr": "Code", "en": "Code"},
    "director": {"fr": "Direction", "en": "Director"},
    "partners": {"fr": "Partenaires", "en": "Partners"},
    "city": {"fr": "Ville", "en": "City"},
    "country": {"fr": "Pays", "en": "Country"},
    "website": {"fr": "Site web", "en": "Website"},
    "access": {"fr": "Diffusion", "en": "Access"},
    "access_internal": {"fr": "Interne", "en": "Internal"},
    "access_groups": {"fr": "Réservé à : {groups}", "en": "Restricted to: {groups}"},
    "repealed_banner": {
        "fr": "Ce texte est abrogé.",
        "en": "This text has been repealed.",
    },
    "replaced_by": {"fr": "Il est remplacé par :", "en": "It is replaced by:"},
    "supersedes": {"fr": "Remplace", "en": "Supersedes"},
    "superseded_by": {"fr": "Remplacé par", "en": "Superseded by"},
    "amends": {"fr": "Modifie", "en": "Amends"},
    "amended_by": {"fr": "Modifié par", "en": "Amended by"},
    "relations": {"fr": "Textes liés", "en": "Related texts"},
    "links_out": {"fr": "Documents cités", "en": "Documents linked from here"},
    "links_in": {"fr": "Documents qui citent celui-ci", "en": "Documents linking here"},
    "similar_feed": {
        "fr": "Suivre les documents semblables (Atom)",
        "en": "Follow similar documents (Atom)",
    },
    "not_found": {"fr": "Page introuvable", "en": "Page not found"},
    "not_found_text": {
        "fr": "Aucun document ne porte cette adresse. Il a peut-être été déplacé ou supprimé.",
        "en": "No document has this address. It may have been moved or deleted.",
    },
    "search_instead": {
        "fr": "Rechercher des documents proches",
        "en": "Search for close documents",
    },
    "bad_request": {"fr": "Requête invalide", "en": "Invalid request"},
    "error": {"fr": "Erreur", "en": "Error"},
    "back_home": {"fr": "Retour à la recherche", "en": "Back to search"},
    "problems": {"fr": "Problèmes dans les contenus", "en": "Content problems"},
    "problems_none": {
        "fr": "Aucun problème : tous les fichiers sont valides.",
        "en": "No problems: every file is valid.",
    },
    "problems_intro": {
        "fr": "Tant qu'un fichier est invalide, sa dernière version valide reste consultable.",
        "en": "While a file is invalid, its last valid version stays searchable.",
    },
    "problems_hidden": {
        "fr": "{n} autre(s) problème(s) dans des fichiers réservés : connectez-vous pour les voir.",
        "en": "{n} other problem(s), in restricted files: sign in to see them.",
    },
    "path": {"fr": "Fichier", "en": "File"},
    "line": {"fr": "Ligne", "en": "Line"},
    "level": {"fr": "Niveau", "en": "Level"},
    "message": {"fr": "Message", "en": "Message"},
    "signed_in_as": {"fr": "Connecté : {user}", "en": "Signed in: {user}"},
    "anonymous": {"fr": "Non connecté", "en": "Not signed in"},
    "main_nav": {"fr": "Navigation principale", "en": "Main navigation"},
    "loading": {"fr": "Recherche…", "en": "Searching…"},
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


def translate(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key].get(lang) or STRINGS[key][DEFAULT_LANG]
    return text.format(**values) if values else text


def long_date(value: str | dt.date | None, lang: str) -> str:
    """A date as people read it: "12 mars 2024", "March 12, 2024"."""
    if not value:
        return ""
    date = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return str(format_date(date, format="long", locale=lang))
