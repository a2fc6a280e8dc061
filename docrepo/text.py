"""Words and accents, as every side compares them (no analyzer, no index)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: A word: letters and digits; an apostrophe, a dot or a hyphen splits words.
WORD = r"\w+"
WORD_PATTERN = re.compile(WORD)


@lru_cache(maxsize=500_000)
def fold(text: str) -> str:
    """Remove accents and ligatures: "Écologie œuvre" → "Ecologie oeuvre"."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_key(text: str) -> tuple[str, ...]:
    """The words of a text as they are compared: lowercased, accents folded."""
    return tuple(WORD_PATTERN.findall(fold(text.lower())))
