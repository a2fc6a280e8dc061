"""French and English analyzers: tokens, stop words, stemming, then accent folding.

The stemmer runs on the word as written and on its accent-folded spelling; both stems
are folded and indexed at the same position. So "sécurité" and "securite" meet even
though Snowball stems them differently ("sécur" / "securit"), and a query typed
without accents finds accented text. Elisions (l', d', qu', with ' or ’) split off
because the apostrophe is not a word character and the particles are stop words.

The analysis is plain functions over words: the search analyzes a query's words with
it, and the store wraps the same `Analyzer` into the analyzers of its schema
(`store/analyzers.py`), so that a query's terms are the index's by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

import snowballstemmer

from .text import WORD, WORD_PATTERN, fold

__all__ = ["WORD", "WORD_PATTERN", "fold"]

FRENCH_STOP_WORDS = frozenset(
    """
    a à au aux avec ce ces c ceci cela celle celles celui ceux d dans de des du elle elles en
    et eux il ils j je l la le les leur leurs lui m ma mais me même mes moi mon n ne ni nos
    notre nous on ou où par pas pour qu que qui s sa se ses son sont sur t ta te tes toi ton
    tu un une vos votre vous y été être est sont ont a avait étaient cette cet dont lorsque
    puis si sans sous entre vers chez afin ainsi
    """.split()
)
#: Whoosh's English stop words (whoosh.analysis.STOP_WORDS), and the ends of contractions
ENGLISH_STOP_WORDS = frozenset(
    """
    a an and are as at be by can for from have if in is it may not of on or tbd that the
    this to us we when will with yet you your s t d ll re ve m
    """.split()
)
#: Words that ask rather than say what is sought ("comment demander le télétravail ?",
#: "who signs contracts in Toulouse"), folded: a query never requires them.
QUESTION_WORDS = frozenset(
    """
    comment combien quel quelle quels quelles quand pourquoi quoi faut peut peuvent puis
    dois doit doivent faire existe lequel laquelle lesquels lesquelles svp stp veut veux
    dire signifie peux pouvons pouvez savoir
    how what which who whom whose when where why could do does did should must might
    shall would get mean means meaning
    """.split()
)
#: Words that say nothing of what is sought in a question as people speak it: pronouns
#: and auxiliaries ("how do I request telework", "est-ce que je peux"), folded; like
#: the question words, never required and never scored (measured on the judged
#: development queries: docs/performance.md).
FILLER_WORDS = frozenset(
    """
    i me my mine myself our ours he him his she her they them their there here its
    am was were been being has had having got need needs want wants please possible
    allowed
    je moi mes mon ma nous nos notre il ils elle elles on y en ce ça cela
    """.split()
)
NOT_CONTENT_WORDS = QUESTION_WORDS | FILLER_WORDS


class Analyzer:
    """Words, lowercased, stop words dropped, each turned into its index terms: one pass.

    Tokenizing, stop words and stemming happen in one loop (a chain of filters would
    cost one generator per stage per word, where indexing spends most of its time), with
    the terms of each distinct word computed once (cached).
    """

    def __init__(self, language: str | None) -> None:
        self.language = language
        self._setup()

    terms: Callable[[str], tuple[str, ...]]

    def _setup(self) -> None:
        language = self.language
        self.stop = {"french": FRENCH_STOP_WORDS, "english": ENGLISH_STOP_WORDS}.get(
            language or "", frozenset()
        )
        if language is None:
            self.terms = lru_cache(maxsize=200_000)(lambda word: (fold(word),))
            return

        stemmer = snowballstemmer.stemmer(language)

        @lru_cache(maxsize=200_000)
        def terms(word: str) -> tuple[str, ...]:
            # each stemming costs ~40 µs (pure Python): a number has no stem, and a word
            # without accents one (a file of 150,000 distinct numbers took 13 s)
            if word.isdigit():
                return (fold(word),)
            folded = fold(word)
            stems = [stemmer.stemWord(word)]
            if folded != word:
                stems.append(stemmer.stemWord(folded))
            if language == "french":
                # Snowball leaves an -i on some verb stems and not others ("modifiant" →
                # modifi, "modifie" → modif): the stem without it joins them.
                stems += [s[:-1] for s in stems if s.endswith("i") and len(s) > 4]
            return tuple(dict.fromkeys(fold(s) for s in stems))

        self.terms = terms

    def word_terms(self, word: str) -> tuple[str, ...]:
        """The index terms of one lowercased word (a stop word stands for itself)."""
        return (word,) if word in self.stop else self.terms(word)

    def words(self, value: str) -> Iterator[tuple[re.Match[str], tuple[str, ...] | None]]:
        """Each word of `value` with its index terms (None: a stop word)."""
        stop, terms = self.stop, self.terms
        for match in WORD_PATTERN.finditer(value):
            word = match.group().lower()
            yield match, None if word in stop else terms(word)

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each term of `value` with the positions of the words it comes from, stop words
        left out (what the index holds of a text: the words of `words`, in one loop)."""
        found: dict[str, list[int]] = {}
        stop, terms = self.stop, self.terms
        pos = 0
        for match in WORD_PATTERN.findall(value):
            word = match.lower()
            if word in stop:
                continue
            for term in terms(word):
                found.setdefault(term, []).append(pos)
            pos += 1
        return found

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Analyzer) and other.language == self.language

    def __hash__(self) -> int:
        return hash(self.language)


def language_analyzer(lang: str) -> Analyzer:
    """The analyzer of a text field in `lang` ("fr" or "en")."""
    return Analyzer("french" if lang == "fr" else "english")


def folding_analyzer() -> Analyzer:
    """Lowercase and fold accents, no stemming: names, cities, codes."""
    return Analyzer(None)


#: A word worth correcting: four letters or more, no digits.
SPELLING_WORD = r"[^\W\d_]{4,}"
SPELLING_PATTERN = re.compile(SPELLING_WORD)
_NOT_SPELLING = FRENCH_STOP_WORDS | ENGLISH_STOP_WORDS


def spelling_terms(text: str) -> str:
    """The distinct words of a text, lowercase and folded, unstemmed, stop words left
    out: the vocabulary that suggestions come from (indexed as keywords: which documents
    hold a word, no more; the most numerous postings of the index, so kept lean)."""
    words = dict.fromkeys(w.lower() for w in SPELLING_PATTERN.findall(text))
    return " ".join(dict.fromkeys(fold(w) for w in words if w not in _NOT_SPELLING))


def analyze(analyzer: Analyzer, text: str) -> list[list[str]]:
    """The terms of `text`, grouped by position (several variants may share one)."""
    return [list(terms) for _, terms in analyzer.words(text) if terms]


def spelling_words(text: str) -> list[str]:
    """The words of a text as written that could be misspelt ones (four letters or more,
    no digit): those looked up, lowercase and folded, in the spelling vocabulary."""
    return SPELLING_PATTERN.findall(text)
