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
        candidates: dict[str, tuple[int, int, str]] = {}
        for term in snap.columns.terms_like("spell", folded, maxdist):
            edits = distance(folded, term, maxdist)
            if edits <= maxdist and (seen := seen_in(term)) > 0:
                candidates[term] = (edits, -seen, term)
        # the closest, then the most frequent, then the first in order: the same choice
        # whatever the segments, among the words the viewer may see
        if candidates:
            replacements[word] = min(candidates, key=lambda t: candidates[t])
    if not replacements:
        return None
    corrected = " ".join(replacements.get(w, w) for w in text.split())
    matched = snap.evaluator.words(compile_query(parse(corrected, synonyms))).mask & visible
    if int(matched.sum()) <= total:
        return None
    docs = np.flatnonzero(matched)
    first = docs[np.argsort(snap.columns.id_rank[docs], kind="stable")][:RESTORED_FROM]
    return _restore_spelling(snap, first.tolist(), corrected)


def distance(a: str, b: str, limit: int) -> int:
    """The number of edits (a letter added, removed or replaced, two neighbours swapped)
    from `a` to `b`; any number above `limit` is returned as `limit + 1`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            row.append(cost)
        if min(row) > limit:
            return limit + 1
        before, previous = previous, row
    return min(previous[-1], limit + 1)


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
