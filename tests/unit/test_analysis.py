"""The analyzers: what the rest of the house relies on of the terms they give a word."""

from __future__ import annotations

from docrepo.analysis import WORD_PATTERN, fold
from docrepo.search.query import ANALYZERS
from support.trees import SAMPLE_CONTENT


def test_every_term_of_a_word_begins_with_its_first_letter() -> None:
    """What snippets rely on to skip stemming most words: over the sample's vocabulary
    and the stemmers' irregular forms, a word's terms keep its first letter (folded, or
    not for a stop word)."""
    text = " ".join(p.read_text("utf-8") for p in SAMPLE_CONTENT.rglob("*.md"))
    words = {w.lower() for w in WORD_PATTERN.findall(text)}
    words |= {"dying", "lying", "tying", "skies", "œuvres", "écoles", "îles", "yeux", "y"}
    assert len(words) > 3000
    for analyzer in ANALYZERS.values():
        for word in words:
            initials = {word[:1], fold(word[:1])[:1]}
            assert all(t[:1] in initials for t in analyzer.word_terms(word)), word
