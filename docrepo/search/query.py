"""The query language of SPEC §4, parsed safely into Whoosh queries.

Only this syntax exists: words (all must match), ``"a phrase"``, ``-word`` or
``-"a phrase"`` to exclude, ``OR`` between two terms, and a reference prefix followed
by ``*`` (``DEC24*``). Everything else (other wildcards, ``~``, ranges, ``field:``)
is plain text, so that no input can make Whoosh expand a huge term set. Queries are
capped in length and in number of terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as q

from ..analysis import analyze, folding_analyzer, language_analyzer

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
#: `DEC24*`: three letters, then digits, optionally the issuer letters
REFERENCE_PREFIX = re.compile(r"^[A-Za-z]{3}\d*[A-Za-z]*$")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')

ANALYZERS = {"fr": language_analyzer("fr"), "en": language_analyzer("en")}
META_ANALYZER = folding_analyzer()
TEXT_FIELDS = tuple(f"{part}_{lang}" for lang in ("fr", "en") for part in ("title", "body"))
TITLE_FIELDS = ("title_fr", "title_en")
#: fields analyzed without language: unit and office facts, taxonomy labels
PLAIN_FIELDS = ("meta", "place", "labels")


@dataclass(frozen=True)
class Clause:
    """One term of a query: a word, a phrase, or a reference prefix."""

    text: str
    kind: str = "word"  # word | phrase | prefix
    negated: bool = False


@dataclass
class ParsedQuery:
    """A query as groups of clauses: clauses in a group are ORed, groups are ANDed."""

    groups: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded

    def clauses(self) -> list[Clause]:
        return [c for g in self.groups for c in g]


def parse(text: str) -> ParsedQuery:
    """Split a user's query into clauses, ignoring any syntax §4 does not define."""
    text = text[:MAX_QUERY_CHARS]
    parsed = ParsedQuery()
    pending_or = False
    count = 0
    for match in _TOKEN.finditer(text):
        if count >= MAX_TERMS:
            break
        minus, phrase, word = match.group(1), match.group(2), match.group(3)
        if word == "OR":
            pending_or = bool(parsed.groups)
            continue
        if phrase is not None:
            clause = Clause(phrase, "phrase", bool(minus))
        else:
            negated = word.startswith("-") and len(word) > 1
            word = word[1:] if negated else word
            if word.endswith("*") and REFERENCE_PREFIX.match(word[:-1]) and len(word) > 3:
                clause = Clause(word[:-1], "prefix", negated)
            else:
                clause = Clause(word.replace("*", " ").replace("?", " "), "word", negated)
        if not _has_words(clause.text):
            continue
        count += 1
        if clause.negated:
            parsed.excluded.append(clause)
        elif pending_or:
            parsed.groups[-1].append(clause)
        else:
            parsed.groups.append([clause])
        pending_or = False
    return parsed


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _is_stop_word_somewhere(text: str) -> bool:
    """A single word that a language drops (les, the, est…): it must not be required."""
    return any(not analyze(a, text) for a in ANALYZERS.values())


def _field_query(field_name: str, positions: list[list[str]]) -> q.Query | None:
    if not positions:
        return None
    if len(positions) == 1:
        return _variants(field_name, positions[0])
    return q.Sequence([_variants(field_name, terms) for terms in positions])


def _variants(field_name: str, terms: list[str]) -> q.Query:
    """Spellings of one word at one position: the best one scores, they do not add up."""
    if len(terms) == 1:
        return q.Term(field_name, terms[0])
    return q.DisjunctionMax([q.Term(field_name, t) for t in terms])


def _fields_query(text: str, fields: tuple[str, ...], plain: tuple[str, ...]) -> q.Query | None:
    """`text` in each field, analyzed as that field is (language fields, then plain ones)."""
    alternatives: list[q.Query] = []
    for name in fields:
        sub = _field_query(name, analyze(ANALYZERS[name[-2:]], text))
        if sub is not None:
            alternatives.append(sub)
    for name in plain:
        sub = _field_query(name, analyze(META_ANALYZER, text))
        if sub is not None:
            alternatives.append(sub)
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else q.Or(alternatives)


def clause_query(clause: Clause) -> q.Query | None:
    """The Whoosh query of one clause over every searchable field."""
    if clause.kind == "prefix":
        return q.Prefix("reference", clause.text.lower())
    found = _fields_query(clause.text, TEXT_FIELDS, PLAIN_FIELDS)
    if clause.kind == "word" and not any(ch.isspace() for ch in clause.text.strip()):
        exact = q.Term("reference", clause.text.strip().lower(), boost=50.0)
        found = exact if found is None else q.Or([found, exact])
    return found


@dataclass
class Compiled:
    """A parsed query as Whoosh queries: what must match, what must not, how to rank."""

    required: q.Query | None
    excluded: q.Query | None
    ranking: q.Query | None


def _title_boosts(words: list[str]) -> list[q.Query]:
    """Boosts for a title that holds all the query's words, and holds them side by side."""
    if len(words) < 2:
        return []
    spans = [" ".join(words[i : i + 2]) for i in range(len(words) - 1)]
    if len(words) > 2:
        spans.append(" ".join(words))
    found = [_fields_query(span, TITLE_FIELDS, ()) for span in spans]
    each = [_fields_query(word, TITLE_FIELDS, ()) for word in words]
    if all(each):
        found.append(q.And([w for w in each if w is not None], boost=2.0))
    return [f for f in found if f is not None]


def compile_query(parsed: ParsedQuery) -> Compiled:
    """Required clauses (ANDed), excluded ones, and the ranking query with optional boosts.

    Exclusion is applied by the caller on document sets: Whoosh's AndNot matcher lets
    the first positive document through when the excluded side starts before it.
    """
    required: list[q.Query] = []
    optional: list[q.Query] = []
    words: list[str] = []
    for group in parsed.groups:
        if len(group) == 1 and group[0].kind == "word" and _is_stop_word_somewhere(group[0].text):
            sub = _fields_query(group[0].text, TEXT_FIELDS, PLAIN_FIELDS)
            optional += [sub] if sub is not None else []
            continue
        options = [sub for c in group if (sub := clause_query(c)) is not None]
        if options:
            required.append(options[0] if len(options) == 1 else q.Or(options))
        if len(group) == 1 and group[0].kind == "word":
            words.append(group[0].text)
    if not required:  # a query of stop words only: then they are what is asked for
        required, optional = optional, []
    excluded = [sub for c in parsed.excluded if (sub := clause_query(c)) is not None]
    must = (required[0] if len(required) == 1 else q.And(required)) if required else None
    optional += _title_boosts(words)
    ranking = q.AndMaybe(must, q.Or(optional)) if must is not None and optional else must
    return Compiled(must, q.Or(excluded) if excluded else None, ranking)


def highlight_terms(parsed: ParsedQuery, lang: str) -> set[str]:
    """Index terms (in a language) that the positive clauses of a query look for."""
    terms: set[str] = set()
    for clause in parsed.clauses():
        if clause.kind == "prefix" or (
            clause.kind == "word" and _is_stop_word_somewhere(clause.text)
        ):
            continue
        for position in analyze(ANALYZERS[lang], clause.text):
            terms.update(position)
    return terms
