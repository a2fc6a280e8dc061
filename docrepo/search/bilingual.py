"""English and French terms of the administration of research, for asking in one
language about texts written in the other (`bilingual.txt`, shipped with docrepo).

Each line of the file pairs English terms with French ones::

    leave | time off = congé | congés

A query's word, or run of words, that is one term of a line also looks for the terms
of the other language, in the fields of that language only, weighted below the words
themselves (`query`): "payslip" finds a French text that says "bulletin de paie".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

from ..text import words_key

VOCABULARY_FILE = "bilingual.txt"
#: elided French words, left out of a term's key: "l'étranger" is the term "étranger"
ELIDED = frozenset("c d j l m n qu s t".split())


def term_key(text: str) -> tuple[str, ...]:
    """The words of a term as they are compared (`words_key`), elisions left out."""
    return tuple(word for word in words_key(text) if word not in ELIDED)


@dataclass(frozen=True)
class Vocabulary:
    """For each term (by its key), the terms of the other language, with their language."""

    by_key: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = field(default_factory=dict)

    @property
    def longest(self) -> int:
        """The number of words of the longest term."""
        return max((len(key) for key in self.by_key), default=0)

    def translations(self, words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """(language, term) of the other language for some words (as `term_key` gives
        them); none when they are no term of the vocabulary."""
        return self.by_key.get(words, ())


NO_VOCABULARY = Vocabulary()


def parse_vocabulary(text: str) -> Vocabulary:
    """The vocabulary of lines `english | … = french | …` (`#` starts a comment);
    ValueError naming the line of a line of another shape."""
    found: dict[tuple[str, ...], dict[tuple[str, str], None]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        sides = line.split("=")
        terms = [[t.strip() for t in side.split("|")] for side in sides]
        if len(sides) != 2 or not all(term_key(t) for side in terms for t in side):
            raise ValueError(f"{VOCABULARY_FILE}, line {number}: expected 'english = français'")
        english, french = terms
        for own, other, theirs in ((english, "fr", french), (french, "en", english)):
            for term in own:
                found.setdefault(term_key(term), {}).update(
                    dict.fromkeys((other, t) for t in theirs)
                )
    return Vocabulary({key: tuple(terms) for key, terms in found.items()})


@functools.cache
def vocabulary() -> Vocabulary:
    """The vocabulary shipped with docrepo."""
    text = resources.files(__package__).joinpath(VOCABULARY_FILE).read_text(encoding="utf-8")
    return parse_vocabulary(text)
