"""The query language of SPEC §4, parsed safely into a small tree of queries.

Only this syntax exists: words, ``"a phrase"``, ``-word`` or ``-"a phrase"`` to
exclude, ``OR`` between two terms, a reference prefix followed by ``*`` (``DEC24*``),
and a word followed by ``*`` (``télé*``), which completes it as ``prefix=last`` does
(its most frequent completions, a bounded set). Everything else (other wildcards,
``~``, ranges) is plain text, so that no input can expand into a huge set of terms;
a field's name before a colon (``title:``, ``titre:``) is left out, as people type it
out of habit from other search engines. Queries are capped in length and in number of
terms.

Besides the syntax, a query is read as people type it: a reference written with
spaces, dots or hyphens is that reference; question and filler words are never
required; a term of `content/synonyms.yml` stands for its whole group; and with
`prefix=last` the word being typed also matches the words it begins.

A parsed query compiles into docrepo's own query tree (`Term`, `Prefix`, `Phrase`,
`Or`, `And`, `DisMax`), which the engine (`engine`) evaluates on the index's arrays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..analysis import NOT_CONTENT_WORDS, analyze, folding_analyzer, language_analyzer
from ..content.synonyms import NO_SYNONYMS, Synonyms
from ..text import REFERENCE_BEGUN, REFERENCE_STEM, TYPED_REFERENCE, joined_reference, words_key
from .bilingual import NO_VOCABULARY, Vocabulary, term_key

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
#: `télé*`: one word (letters and digits, no other wildcard) whose completions are sought
WORD_BEGUN = re.compile(r"^\w+$")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
#: the names of fields people type before a colon (`title:télétravail`): front matter,
#: facets, and their French names; left out of a query
FIELD_NAMES = (
    "title|titre|type|reference|référence|date|year|année|lang|langue|language|issuer"
    "|émetteur|institute|institutes|institut|region|regions|région|theme|themes|thème"
    "|status|statut|summary|résumé|body|text|texte|code|director|city|country|ville|pays"
)
_FIELD_PREFIX = re.compile(rf"(?<!\S)(-?)(?:{FIELD_NAMES}):(?=[^\s:])", re.IGNORECASE)

ANALYZERS = {"fr": language_analyzer("fr"), "en": language_analyzer("en")}
META_ANALYZER = folding_analyzer()
#: the text of a document's attached files, in its fields of a language, weighing this
#: much of the same words in its own body (measured on the judged set's development part,
#: docs/attachments.md): the text itself says more than its annexes
ATTACHED_FIELDS = ("attached_fr", "attached_en")
ATTACHMENT_WEIGHT = 0.75
TEXT_FIELDS = (
    *(f"{part}_{lang}" for lang in ("fr", "en") for part in ("title", "body")),
    *ATTACHED_FIELDS,
)
TITLE_FIELDS = ("title_fr", "title_en")
#: fields analyzed without language: unit and office facts, taxonomy labels
PLAIN_FIELDS = ("meta", "place", "labels")
#: a reference typed whole weighs this many times a word
REFERENCE_BOOST = 50.0
#: a term of the other language (`bilingual`) weighs this much of the word it translates
#: (measured on the development queries, docs/performance.md)
TRANSLATION_WEIGHT = 0.75

#: the words a half-typed word may stand for (the most frequent that it begins), each
#: with how likely it is the word being typed (1: the likeliest)
Completions = Callable[[str], list[tuple[str, float]]]


@dataclass(frozen=True)
class Term:
    """The documents whose field holds a term (as the field's analyzer writes it),
    scored by BM25F when the field is scored; `boost` multiplies the score."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """The documents whose value of a column field begins with `text`, each scoring
    `boost` (a constant score: a prefix says nothing of how well a text matches)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Words side by side in one field: `slots[k]` are the spellings of the k-th word
    (any of them at that position); a match scores what its words score (each slot the
    best of its spellings)."""

    field: str
    slots: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Or:
    """The documents any part matches; their scores added."""

    parts: tuple[Query, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class And:
    """The documents every part matches; their scores added."""

    parts: tuple[Query, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class DisMax:
    """The documents any part matches, each scoring its best part's score (spellings of
    one word: they do not add up)."""

    parts: tuple[Query, ...]


Query = Term | Prefix | Phrase | Or | And | DisMax


@dataclass(frozen=True)
class Clause:
    """One term of a query: a word, a phrase, or a reference prefix."""

    text: str
    kind: str = "word"  # word | phrase | prefix
    negated: bool = False
    #: the word being typed (`prefix=last`): it also matches the words it begins
    completes: bool = False
    #: a term of synonyms.yml standing for what was typed (a phrase of it is not marked
    #: word by word in snippets)
    synonym: bool = False
    #: a translation of what was typed: looked for in the texts of this language only,
    #: its score multiplied by `weight`
    lang: str | None = None
    weight: float = 1.0


@dataclass
class Group:
    """A part of a query: its clauses are ORed (`OR`, synonyms); `typed` is the part as
    the user wrote it (what a result lacking it is said to miss)."""

    clauses: list[Clause]
    typed: str

    @property
    def optional(self) -> bool:
        """A lone stop, question or filler word: it ranks but is never required."""
        if len(self.clauses) != 1:
            return False
        clause = self.clauses[0]
        return clause.kind == "word" and not clause.completes and not_content(clause.text)


@dataclass
class ParsedQuery:
    """A query as groups of clauses: clauses in a group are ORed, groups are ANDed."""

    groups: list[Group] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded

    def clauses(self) -> list[Clause]:
        return [c for g in self.groups for c in g.clauses]

    def required(self) -> list[Group]:
        """The groups a document must hold (all of them, unless the search widens)."""
        required = [g for g in self.groups if not g.optional]
        return required or list(self.groups)  # stop words only: then they are what is asked


def parse(
    text: str,
    synonyms: Synonyms = NO_SYNONYMS,
    complete_last: bool = False,
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> ParsedQuery:
    """Split a user's query into clauses, ignoring any syntax §4 does not define; a
    word or run of words of `vocabulary` also looks for its terms in the other language."""
    text = TYPED_REFERENCE.sub(joined_reference, text[:MAX_QUERY_CHARS])
    text = _FIELD_PREFIX.sub(r"\1", text)
    parsed = ParsedQuery()
    pending_or = False
    count = 0
    tokens = list(_TOKEN.finditer(text))
    for n, match in enumerate(tokens):
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
            begun = word[:-1] if word.endswith("*") else None
            if begun is not None and REFERENCE_BEGUN.fullmatch(begun):  # DEC24*
                clause = Clause(begun, "prefix", negated)
            elif begun is not None and WORD_BEGUN.match(begun):  # télé*: completed
                clause = Clause(begun, "word", negated, not negated)
            else:
                typing = complete_last and n == len(tokens) - 1 and not text[-1:].isspace()
                plain = word.replace("*", " ").replace("?", " ")
                clause = Clause(plain, "word", negated, typing and not negated)
        if not _has_words(clause.text):
            continue
        count += 1
        if clause.negated:
            parsed.excluded.append(clause)
        elif pending_or:
            parsed.groups[-1].clauses.append(clause)
            parsed.groups[-1].typed += f" OR {match.group(0)}"
        else:
            parsed.groups.append(Group([clause], match.group(0).strip('"')))
        pending_or = False
    if synonyms.groups:
        parsed.groups = _with_synonyms(parsed.groups, synonyms)
    if vocabulary.by_key:
        _translate(parsed.groups, vocabulary, synonyms)
    return parsed


def _with_synonyms(groups: list[Group], synonyms: Synonyms) -> list[Group]:
    """Groups where a run of plain words that is a synonym term (the longest first)
    becomes one group of every term of its synonym group."""
    found: list[Group] = []
    i = 0
    while i < len(groups):
        for length in range(min(synonyms.longest, len(groups) - i), 0, -1):
            run = groups[i : i + length]
            # a stop word is not indexed: a phrase ending with one would match without it;
            # the word being typed may be whole already (it keeps its completions)
            typing = run[-1].clauses[0] if _word(run[-1]) and len(run[-1].clauses) == 1 else None
            plain = all(_plain_word(g) for g in run[:-1]) and (typing or _plain_word(run[-1]))
            if not plain or run[0].optional or run[-1].optional:
                continue
            words = tuple(w for g in run for w in words_key(g.clauses[0].text))
            terms = synonyms.group_of(words)
            if terms is not None:
                clauses = [
                    Clause(t, "word" if len(key) == 1 else "phrase", synonym=key != words)
                    for t in terms
                    for key in [words_key(t)]
                ]
                if typing is not None and typing.completes:
                    clauses.append(typing)
                found.append(Group(clauses, " ".join(g.typed for g in run)))
                i += length
                break
        else:
            found.append(groups[i])
            i += 1
    return found


def _word(group: Group) -> bool:
    """Whether a group is a word as typed (its translations aside)."""
    return group.clauses[0].kind == "word" and all(c.lang for c in group.clauses[1:])


def _plain_word(group: Group) -> bool:
    """Whether a group is a word as typed and whole (not being typed)."""
    return _word(group) and not group.clauses[0].completes


def _translate(groups: list[Group], vocabulary: Vocabulary, synonyms: Synonyms) -> None:
    """Add to each group the terms of the other language that its words stand for: a
    run of typed words that is a term (the longest first; each word of the run then
    holds a share of the translation's weight), or a term of the group (a synonym),
    and the synonyms of each translation."""
    i = 0
    while i < len(groups):
        for length in range(min(vocabulary.longest, len(groups) - i), 0, -1):
            run = groups[i : i + length]
            if run[0].optional or run[-1].optional:
                continue
            if length > 1:
                if not all(_plain_word(g) for g in run[:-1]) or not _word(run[-1]):
                    continue
                keys = [tuple(w for g in run for w in term_key(g.clauses[0].text))]
            else:
                keys = [term_key(c.text) for c in run[0].clauses if c.kind != "prefix"]
            found = dict.fromkeys(t for key in keys for t in vocabulary.translations(key))
            for lang, term in list(found):
                same = synonyms.group_of(words_key(term)) or ()
                found.update(dict.fromkeys((lang, t) for t in same))
            if found:
                # a stop word inside the run (the "de" of "délégation de signature") stays
                # a stop word: the translation goes to the run's other words
                holders = [group for group in run if not group.optional]
                weight = TRANSLATION_WEIGHT / len(holders)
                for group in holders:
                    group.clauses += [
                        Clause(t, "word" if len(words_key(t)) == 1 else "phrase", synonym=True,
                               lang=lang, weight=weight)
                        for lang, t in found
                    ]  # fmt: skip
                i += length
                break
        else:
            i += 1


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def not_content(text: str) -> bool:
    """A word that says nothing of what is sought: one a language drops (les, the, est…),
    one that asks (comment, combien, how…) or a filler (I, do, please, y…). It is never
    required and never scored."""
    words = words_key(text)
    if words and all(word in NOT_CONTENT_WORDS for word in words):
        return True
    return any(not analyze(a, " ".join(words)) for a in ANALYZERS.values())


def _field_query(field_name: str, positions: list[list[str]]) -> Query | None:
    if not positions:
        return None
    if len(positions) == 1:
        return _variants(field_name, positions[0])
    return Phrase(field_name, tuple(tuple(terms) for terms in positions))


def _variants(field_name: str, terms: list[str]) -> Query:
    """Spellings of one word at one position: the best one scores, they do not add up."""
    if len(terms) == 1:
        return Term(field_name, terms[0])
    return DisMax(tuple(Term(field_name, t) for t in terms))


def _any(parts: list[Query]) -> Query:
    return parts[0] if len(parts) == 1 else Or(tuple(parts))


def _fields_query(text: str, fields: tuple[str, ...], plain: tuple[str, ...]) -> Query | None:
    """`text` in each field, analyzed as that field is (language fields, then plain ones)."""
    alternatives: list[Query] = []
    for name in fields:
        sub = _field_query(name, analyze(ANALYZERS[name[-2:]], text))
        if sub is not None and name in ATTACHED_FIELDS:
            sub = Or((sub,), boost=ATTACHMENT_WEIGHT)
        if sub is not None:
            alternatives.append(sub)
    for name in plain:
        sub = _field_query(name, analyze(META_ANALYZER, text))
        if sub is not None:
            alternatives.append(sub)
    if not alternatives:
        return None
    return _any(alternatives)


def clause_query(clause: Clause, completions: Completions | None = None) -> Query | None:
    """The query of one clause over every searchable field (a translation: over the
    text fields of its language)."""
    if clause.kind == "prefix":
        return Prefix("reference", clause.text.lower())
    if clause.lang is not None:
        fields = tuple(name for name in TEXT_FIELDS if name.endswith(clause.lang))
        translated = _fields_query(clause.text, fields, ())
        return None if translated is None else Or((translated,), boost=clause.weight)
    found = _fields_query(clause.text, TEXT_FIELDS, PLAIN_FIELDS)
    word = clause.text.strip()
    if clause.kind == "word" and not any(ch.isspace() for ch in word):
        exact: Query = Term("reference", word.lower(), boost=REFERENCE_BOOST)
        if REFERENCE_STEM.fullmatch(word):  # typed without its issuer: DEC210702
            exact = Or((exact, Prefix("reference", word.lower(), boost=REFERENCE_BOOST)))
        found = exact if found is None else Or((found, exact))
    if clause.completes and completions is not None:  # words of texts: no plain field
        # each completion weighs how likely it is the word being typed, and only the
        # best one counts: a text holding several words it begins is no better for it
        begun = [(_fields_query(w, TEXT_FIELDS, ()), likely) for w, likely in completions(word)]
        options: list[Query] = [Or((b,), boost=likely) for b, likely in begun if b is not None]
        if options:
            found = DisMax((found, *options)) if found is not None else DisMax(tuple(options))
    return found


@dataclass
class Compiled:
    """A parsed query as queries: what must match (each required group one part, all
    ANDed), what must not, and what adds to the score of what matches (`boosts`: the
    stop words of one language, a title holding the words side by side)."""

    parts: list[Query]
    typed: list[str]
    excluded: Query | None
    boosts: Query | None

    @property
    def required(self) -> Query | None:
        if not self.parts:
            return None
        return self.parts[0] if len(self.parts) == 1 else And(tuple(self.parts))


def _title_boosts(words: list[str]) -> list[Query]:
    """Boosts for a title that holds all the query's words, and holds them side by side."""
    if len(words) < 2:
        return []
    spans = [" ".join(words[i : i + 2]) for i in range(len(words) - 1)]
    if len(words) > 2:
        spans.append(" ".join(words))
    found = [_fields_query(span, TITLE_FIELDS, ()) for span in spans]
    each = [_fields_query(word, TITLE_FIELDS, ()) for word in words]
    if all(each):
        found.append(And(tuple(w for w in each if w is not None), boost=2.0))
    return [f for f in found if f is not None]


def compile_query(parsed: ParsedQuery, completions: Completions | None = None) -> Compiled:
    """Required groups (ANDed), excluded clauses, and the boosts of the ranking (a
    title holding the words side by side, and a stop word the query holds: the "Est" of
    "Occitanie Est" is a French stop word, but the labels of the vocabularies hold it).
    Question and filler words (comment, how, I…) neither match nor rank; stop words (les,
    the, est…) never match. What the excluded clauses match is taken away from the
    matches (`Evaluator.words`).
    """
    required = parsed.required()
    parts: list[Query] = []
    typed: list[str] = []
    optional: list[Query] = []
    words: list[str] = []
    for group in parsed.groups:
        options = [sub for c in group.clauses if (sub := clause_query(c, completions))]
        if group not in required:
            if not all(w in NOT_CONTENT_WORDS for w in words_key(group.typed)):
                optional += options  # a stop word ranks; a question or filler word never
            continue
        if options:
            parts.append(_any(options))
            typed.append(group.typed)
        if _plain_word(group):
            words.append(group.clauses[0].text)
    excluded = [sub for c in parsed.excluded if (sub := clause_query(c)) is not None]
    optional += _title_boosts(words)
    return Compiled(
        parts,
        typed,
        Or(tuple(excluded)) if excluded else None,
        _any(optional) if optional else None,
    )


def highlight_terms(
    parsed: ParsedQuery, lang: str, completions: Completions | None = None
) -> set[str]:
    """Index terms (in a language) that the positive clauses of a query look for."""
    terms: set[str] = set()
    required = parsed.required()
    for group in required:
        for clause in group.clauses:
            if clause.kind == "prefix" or (clause.synonym and clause.kind == "phrase"):
                continue
            if clause.lang not in (None, lang):
                continue
            texts = [clause.text]
            if clause.completes and completions is not None:
                texts += [w for w, _ in completions(clause.text.strip())]
            for text in texts:
                for position in analyze(ANALYZERS[lang], text):
                    terms.update(position)
    return terms
