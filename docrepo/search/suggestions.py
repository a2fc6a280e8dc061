"""Spelling suggestions: a corrected query that would find more, accents restored.

Only what the viewer may see counts: a word is known if a visible document holds it,
and corrections are ranked by how many visible documents hold them.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from ..analysis import SPELLING_PATTERN, fold, spelling_words
from ..content.synonyms import NO_SYNONYMS, Synonyms
from .query import ParsedQuery, compile_query, parse
from .snapshot import Snapshot

#: longer words are not corrected (the edit-distance automaton grows with the word)
MAX_CORRECTED = 30
#: the accents of a correction are taken from this many of the documents it finds
RESTORED_FROM = 8


def suggest(
    snap: Snapshot,
    parsed: ParsedQuery,
    text: str,
    visible: np.ndarray,
    total: int,
    synonyms: Synonyms = NO_SYNONYMS,
) -> str | None:
    """A corrected query that would find more, with accents restored from a visible text."""
    reader = snap.searcher.reader()

    def seen_in(folded: str) -> int:
        """How many visible documents hold a word (the spelling field's postings, read
        as arrays and kept like any term's)."""
        ids, _ = snap.columns.postings("spell", folded.encode("utf-8"))
        return int(np.count_nonzero(visible[ids])) if len(ids) else 0

    replacements: dict[str, str] = {}
    for clause in (c for group in parsed.required() for c in group.clauses):
        if clause.kind != "word" or clause.completes:  # a word being typed is not wrong
            continue
        word = clause.text.strip()
        folded = fold(word.lower())
        if not 4 <= len(folded) <= MAX_CORRECTED or not folded.isalpha() or seen_in(folded):
            continue
        maxdist = 1 if len(folded) < 6 else 2
        candidates = {
            t: seen_in(t) for t in reader.terms_within("spell", folded, maxdist, prefix=1)
        }
        best = max(candidates, key=lambda t: candidates[t], default=None)
        if best is not None and candidates[best] > 0:
            replacements[word] = best
    if not replacements:
        return None
    corrected = " ".join(replacements.get(w, w) for w in text.split())
    matched = snap.evaluator.words(compile_query(parse(corrected, synonyms))).mask & visible
    if int(matched.sum()) <= total:
        return None
    docs = np.flatnonzero(matched)
    first = docs[np.argsort(snap.columns.id_rank[docs], kind="stable")][:RESTORED_FROM]
    return _restore_spelling(snap, first.tolist(), corrected)


def _restore_spelling(snap: Snapshot, docs: list[int], query: str) -> str:
    """The query's words as the documents write them (accents, capitals) where they differ
    only by those."""
    forms: dict[str, Counter[str]] = {}
    wanted = {fold(w).lower() for w in spelling_words(query)}
    for docnum in docs:
        record = snap.record(docnum)
        for word in spelling_words(f"{record['title']} {record['text']}"):
            key = fold(word).lower()
            if key in wanted:
                forms.setdefault(key, Counter())[word] += 1

    def written(match: re.Match[str]) -> str:
        word = match.group(0)
        counter = forms.get(fold(word).lower())
        if not counter:
            return word
        if all(w[0].isupper() for w in counter):  # a proper name: keep its capital
            return counter.most_common(1)[0][0]
        lowered: Counter[str] = Counter()
        for form, n in counter.items():
            lowered[form.lower()] += n
        return lowered.most_common(1)[0][0]

    return SPELLING_PATTERN.sub(written, query)
