"""The gettext catalogs: complete for what the code and templates say, plurals, locale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from docrepo.i18n import LOCALE_DIR, locale_lang, long_date, translations
from support.trees import REPO

METHODS = [("docrepo/**.py", "python"), ("web/templates/**.html", "jinja2")]
OPTIONS = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def _extracted() -> set[str]:
    """Every message the sources mark, as `scripts/catalogs.sh` extracts them."""
    found = extract_from_dir(REPO, METHODS, OPTIONS, KEYWORDS)
    return {m if isinstance(m, str) else m[0] for _, _, m, _, _ in found}


def _catalog(lang: str) -> dict[str, object]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "docrepo.po").open("rb") as source:
        catalog = read_po(source, locale=lang)
    return {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog if m.id}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_catalogs_hold_exactly_what_the_sources_say(lang: str) -> None:
    """A new message without its catalog entry (or a stale entry) fails here:
    run `bash scripts/catalogs.sh` and translate."""
    extracted, catalog = _extracted(), _catalog(lang)
    assert sorted(extracted - catalog.keys()) == []
    assert sorted(catalog.keys() - extracted) == []


def test_every_french_message_is_translated_with_the_same_placeholders() -> None:
    for msgid, translation in _catalog("fr").items():
        forms = translation if isinstance(translation, tuple) else (translation,)
        for form in forms:
            assert form, f"untranslated: {msgid!r}"
            assert set(PLACEHOLDER.findall(form)) == set(PLACEHOLDER.findall(msgid)), msgid


def test_plural_forms_follow_each_language() -> None:
    fr, en = translations("fr"), translations("en")
    one, many = "%(num)s document", "%(num)s documents"
    assert fr.ngettext(one, many, 0) % {"num": 0} == "0 document"
    assert fr.ngettext(one, many, 1) % {"num": 1} == "1 document"
    assert fr.ngettext(one, many, 2) % {"num": 2} == "2 documents"
    assert en.ngettext(one, many, 0) % {"num": 0} == "0 documents"
    assert en.ngettext(one, many, 1) % {"num": 1} == "1 document"


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_the_command_line_follows_the_locale(environ: dict[str, str], lang: str) -> None:
    assert locale_lang(environ) == lang


def test_the_catalogs_ship_with_the_package() -> None:
    assert Path(LOCALE_DIR, "fr", "LC_MESSAGES", "docrepo.po").is_file()


def test_dates_are_written_as_each_language_writes_them() -> None:
    assert long_date("2024-03-12", "fr") == "12 mars 2024"
    assert long_date("2024-09-01", "fr") == "1er septembre 2024"
    assert long_date("2024-09-01", "en") == "September 1, 2024"
    assert long_date("2024-09-11", "fr") == "11 septembre 2024"
