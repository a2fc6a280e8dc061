"""Messages in the reader's language: gettext catalogs, plural forms, dates.

Messages are written in English in the code and the templates; `docrepo/locale/` holds
one gettext catalog (`.po`) per language, extracted with Babel (`docs/operations.md`,
"Translations"). The catalogs are compiled in memory when first used, so a checkout
or a wheel needs no build step and no compiled `.mo` file is kept beside its source.

The web follows the interface language (French by default); the command line follows
the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`; English by default).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Mapping
from importlib.resources import files
from io import BytesIO
from pathlib import Path

UI_LANGS = ("fr", "en")
DOMAIN = "docrepo"
LOCALE_DIR = Path(str(files("docrepo"))) / "locale"
CLI_DEFAULT_LANG = "en"


def N_(message: str) -> str:
    """Mark a message for the catalogs without translating it (it is translated where
    it is shown, in the language of whoever reads it)."""
    return message


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of a language (English, the language of the code, if it has none)."""
    from babel.messages.mofile import write_mo  # here: `docrepo --help` needs no Babel
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def locale_lang(environ: Mapping[str, str]) -> str:
    """The language of the command line's locale, as gettext chooses it."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for choice in environ.get(name, "").split(":"):
            code = choice.split("_")[0].split(".")[0].lower()
            if code in UI_LANGS:
                return code
            if code in ("c", "posix"):
                return CLI_DEFAULT_LANG
    return CLI_DEFAULT_LANG


def long_date(value: str | dt.date | None, lang: str) -> str:
    """A date as people read it, the one format of each language everywhere:
    "12 mars 2024", "March 12, 2024"."""
    from babel.dates import format_date

    if not value:
        return ""
    date = dt.date.fromisoformat(value) if isinstance(value, str) else value
    written = str(format_date(date, format="long", locale=lang))
    # French writes the first of the month as an ordinal: "1er septembre 2024"
    return "1er" + written[1:] if lang == "fr" and date.day == 1 else written
