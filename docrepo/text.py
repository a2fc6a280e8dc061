"""Words, references and accents, as every side reads them (no analyzer, no index)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: A word: letters and digits; an apostrophe, a dot or a hyphen splits words.
WORD = r"\w+"
WORD_PATTERN = re.compile(WORD)

# A reference, DEC240187DAJ: the three letters of its type (`REFERENCE_PREFIXES`), the
# year and the number of the text in six digits (24, 0187), the code of its issuer (two
# to six letters). Every pattern of a reference below is made of these parts.
_LETTER = "[A-Za-z]"
_DIGIT = r"\d"
_TYPE = f"{_LETTER}{{3}}"
_NUMBER = f"{_DIGIT}{{6}}"
_ISSUER = f"{_LETTER}{{2,6}}"

#: the prefix of the references of each type that has them
REFERENCE_PREFIXES = {"decision": "DEC", "circular": "CIR", "instruction": "INS", "note": "NOT"}
#: a reference written whole (a file's name, `dec240187daj`): its type, number and issuer
#: as groups; use with `fullmatch`
REFERENCE = re.compile(f"({_TYPE})({_NUMBER})({_ISSUER})")
#: a reference without its issuer (`DEC240187`): the references it begins
REFERENCE_STEM = re.compile(f"{_TYPE}{_NUMBER}")
#: a reference begun, as typed before a `*` (`DEC24`): its type's letters, then digits
#: (without a digit, `circ` is a word begun)
REFERENCE_BEGUN = re.compile(f"{_TYPE}{_DIGIT}+{_LETTER}*")
#: the text of a pattern of what `joined_reference` gives: a reference or its stem
JOINED_REFERENCE = f"{_TYPE}{_NUMBER}(?:{_ISSUER})?"
#: a reference as people write it: `DEC240187DAJ`, `DEC 240187 DAJ`, `dec-240187-daj`,
#: `Dec.240187`; the query parser and the citations of texts both read references so
TYPED_REFERENCE = re.compile(
    rf"(?<![\w-])({_TYPE})[ .\-]?({_NUMBER})(?:[ .\-]?({_ISSUER}))?(?![\w-])"
)


def joined_reference(match: re.Match[str]) -> str:
    """The reference a match of `TYPED_REFERENCE` stands for: `DEC 240187 daj` → DEC240187DAJ."""
    return "".join(part for part in match.groups() if part).upper()


@lru_cache(maxsize=500_000)
def fold(text: str) -> str:
    """Remove accents and ligatures: "Écologie œuvre" → "Ecologie oeuvre"."""
    if text.isascii():  # nothing to remove (most words, every number)
        return text
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_key(text: str) -> tuple[str, ...]:
    """The words of a text as they are compared: lowercased, accents folded."""
    return tuple(WORD_PATTERN.findall(fold(text.lower())))
