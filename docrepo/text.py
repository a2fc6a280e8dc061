"""Words, references and accents, as every side reads them (no analyzer, no index)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: A word: letters and digits; an apostrophe, a dot or a hyphen splits words.
WORD = r"\w+"
WORD_PATTERN = re.compile(WORD)

#: a reference as people write it: `DEC240187DAJ`, `DEC 240187 DAJ`, `dec-240187-daj`,
#: `Dec.240187`; the query parser and the citations of texts both read references so
TYPED_REFERENCE = re.compile(
    r"(?<![\w-])([A-Za-z]{3})[ .\-]?(\d{6})(?:[ .\-]?([A-Za-z]{2,6}))?(?![\w-])"
)


def joined_reference(match: re.Match[str]) -> str:
    """The reference a match of `TYPED_REFERENCE` stands for: `DEC 240187 daj` → DEC240187DAJ."""
    return "".join(part for part in match.groups() if part).upper()


@lru_cache(maxsize=500_000)
def fold(text: str) -> str:
    """Remove accents and ligatures: "Écologie œuvre" → "Ecologie oeuvre"."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_key(text: str) -> tuple[str, ...]:
    """The words of a text as they are compared: lowercased, accents folded."""
    return tuple(WORD_PATTERN.findall(fold(text.lower())))
