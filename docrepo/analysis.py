"""French and English analyzers: tokens, stop words, stemming, then accent folding.

The stemmer runs on the word as written and on its accent-folded spelling; both stems
are folded and indexed at the same position. So "sécurité" and "securite" meet even
though Snowball stems them differently ("sécur" / "securit"), and a query typed
without accents finds accented text. Elisions (l', d', qu', with ' or ’) split off
because the apostrophe is not a word character and the particles are stop words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import snowballstemmer
from whoosh.analysis import (
    STOP_WORDS,
    Analyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)

#: A word: letters and digits, with inner dots or hyphens kept out (they split words).
WORD = r"\w+"

FRENCH_STOP_WORDS = frozenset(
    """
    a à au aux avec ce ces c ceci cela celle celles celui ceux d dans de des du elle elles en
    et eux il ils j je l la le les leur leurs lui m ma mais me même mes moi mon n ne ni nos
    notre nous on ou où par pas pour qu que qui s sa se ses son sont sur t ta te tes toi ton
    tu un une vos votre vous y été être est sont ont a avait étaient cette cet dont lorsque
    puis si sans sous entre vers chez afin ainsi
    """.split()
)
ENGLISH_STOP_WORDS = frozenset(STOP_WORDS) | {"s", "t", "d", "ll", "re", "ve", "m"}


def fold(text: str) -> str:
    """Remove accents and ligatures: "Écologie œuvre" → "Ecologie oeuvre"."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _FoldedStems(Filter):  # type: ignore[misc]
    """Stem each token as written and as folded; emit both folded stems at one position."""

    def __init__(self, language: str) -> None:
        self.language = language
        stemmer = snowballstemmer.stemmer(language)

        @lru_cache(maxsize=200_000)
        def variants(word: str) -> tuple[str, ...]:
            stems = [stemmer.stemWord(word), stemmer.stemWord(fold(word))]
            if language == "french":
                # Snowball leaves an -i on some verb stems and not others ("modifiant" →
                # modifi, "modifie" → modif): the stem without it joins them.
                stems += [s[:-1] for s in stems if s.endswith("i") and len(s) > 4]
            return tuple(dict.fromkeys(fold(s) for s in stems))

        self._variants = variants

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _FoldedStems) and other.language == self.language

    def __hash__(self) -> int:
        return hash(self.language)

    def __getstate__(self) -> dict[str, Any]:
        return {"language": self.language}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["language"])  # type: ignore[misc]

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            if token.stopped:
                yield token
                continue
            words = self._variants(token.text)
            token.text = words[0]
            yield token
            for extra in words[1:]:
                token.text = extra
                yield token


class _Fold(Filter):  # type: ignore[misc]
    """Accent folding alone, for fields that are matched but not stemmed."""

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


def language_analyzer(lang: str) -> Analyzer:
    """The analyzer of a text field in `lang` ("fr" or "en")."""
    stop = FRENCH_STOP_WORDS if lang == "fr" else ENGLISH_STOP_WORDS
    language = "french" if lang == "fr" else "english"
    return (
        RegexTokenizer(WORD)
        | LowercaseFilter()
        | StopFilter(stoplist=stop, minsize=1)
        | _FoldedStems(language)
    )


def folding_analyzer() -> Analyzer:
    """Lowercase and fold accents, no stemming: names, cities, codes."""
    return RegexTokenizer(WORD) | LowercaseFilter() | _Fold()


#: A word worth correcting: three letters or more, no digits.
SPELLING_WORD = r"[^\W\d_]{3,}"


def spelling_analyzer() -> Analyzer:
    """Lowercase folded words, unstemmed: the vocabulary that suggestions come from."""
    return RegexTokenizer(SPELLING_WORD) | LowercaseFilter() | _Fold()


def analyze(analyzer: Analyzer, text: str) -> list[list[str]]:
    """The terms of `text`, grouped by position (several variants may share one)."""
    positions: dict[int, list[str]] = {}
    for token in analyzer(text, positions=True, mode="query"):
        if token.stopped:
            continue
        terms = positions.setdefault(token.pos, [])
        if token.text not in terms:
            terms.append(token.text)
    return [positions[p] for p in sorted(positions)]


SPELLING_PATTERN = re.compile(SPELLING_WORD)


def spelling_words(text: str) -> list[str]:
    """The words of a text as written, that the spelling vocabulary holds folded."""
    return SPELLING_PATTERN.findall(text)
