"""Relations across documents: references, aliases, `supersedes`, `amends`, links and
citations.

A relation names its target by id, by alias (a former id) or by reference (any case).
What a document's neighbours say of it (its effective status, who supersedes or amends
it) and the problems relations reveal (a duplicate reference or alias, a name that
names nothing, a link to a missing file) are kept in a `RelationGraph`, with indexes
from every name to the entries that claim it and to those that use it. A change to a
few files then redoes only the entries those names reach: saving one file among
100,000 does not resolve the 99,999 others again (a full pass takes about a second).
The full resolution is the same graph built from nothing, so both agree by design.

A citation is a reference written in a text (`Entry.citations`) that a live document
claims; a text never cites itself. Citations are names the text uses, like the targets
of `supersedes`: adding, changing or deleting the document claiming one redoes the
texts that write it, whose `Derived.cites` then change, and the indexer links their
stored HTML again (`content.citations`). A text in force that cites a repealed one,
which it neither supersedes nor amends, is warned of; the warning depends on the cited
text's repeal (`repeals`), so it is redone for the citing texts when that changes.

A translation (`translation_of`) and the text it names are one text in two languages:
the original governs. The translation resolves no relation of its own and takes the
original's derived relations, status and period in force; its own relation fields are
checked against the original's (`_check_translation`), and its own citations only link
its text. Whatever changes the original's derivation redoes its translations'.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from ..errors import Problem, related_ids
from ..i18n import N_
from ..schema import ALWAYS, ENDED, FOREVER, day_number

if TYPE_CHECKING:
    from .entries import Entry


class Derived(NamedTuple):
    """What a document's neighbours say of it: its effective status, reverse relations,
    and the period it is in force (day numbers, both included: see `validity`).

    A named tuple: 100,000 of them are compared after every update.
    """

    status: str
    superseded_by: tuple[str, ...] = ()
    amended_by: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    amends: tuple[str, ...] = ()
    #: (reference as written in the text, joined and upper-cased; id it names), by reference
    cites: tuple[tuple[str, str], ...] = ()
    cited_by: tuple[str, ...] = ()
    valid_from: int = ALWAYS
    valid_until: int = FOREVER
    #: of a translation, the id of its original
    original: str | None = None
    #: the ids of the other language versions of the text (the original's translations,
    #: or a translation's original)
    translations: tuple[str, ...] = ()
    #: the last day in force the text gives itself (`ends`, or ENDED when it declares
    #: itself repealed), whatever supersedes it: a viewer who may not see a text that
    #: supersedes it is told its period without that text (`search.periods`)
    own_until: int = FOREVER

    @property
    def cited(self) -> tuple[str, ...]:
        """The ids of the documents the text cites."""
        return tuple(sorted({doc_id for _, doc_id in self.cites}))


@dataclass
class Relations:
    """Relations resolved over the whole repository, with the problems they reveal."""

    derived: dict[str, Derived]
    problems: list[Problem]


def validity(entry: Entry, superseders: Iterable[Entry]) -> tuple[int, int]:
    """The period a text is in force: from its entry into force until the day before the
    first text that supersedes it takes effect, or until its `ends`. A text repealed
    (declared so, or superseded by a text of no known date) on a day nobody gave ends
    ENDED: it counts as repealed on any day it would otherwise be in force."""
    ends = [_day_before(s.effective) for s in superseders]
    if entry.ends:
        ends.append(day_number(dt.date.fromisoformat(entry.ends)))
    if not ends and entry.status == "repealed":
        ends.append(ENDED)
    starts = day_number(dt.date.fromisoformat(entry.effective)) if entry.effective else ALWAYS
    return starts, min(ends, default=FOREVER)


def _day_before(day: str | None) -> int:
    if day is None:
        return ENDED
    return day_number(dt.date.fromisoformat(day) - dt.timedelta(days=1))


def _id_of(path: str) -> str:
    return path[: -len(".md")]


def _live(entry: Entry | None) -> bool:
    """Whether a version of the entry is in the index (`Entry.indexed`, inlined: hot)."""
    return entry is not None and entry.id is not None and entry.status != "draft"


def _answers(entry: Entry | None) -> bool:
    """Whether relations may name the file: a version of it is in the index, or it was
    never valid (it is still there, and its own problems say what is wrong with it)."""
    return entry is not None and (entry.id is None or _live(entry))


def _claim(index: dict[str, list[str]], key: str, path: str) -> None:
    bisect.insort(index.setdefault(key, []), path)


def _unclaim(index: dict[str, list[str]], key: str, path: str) -> None:
    claims = index[key]
    claims.remove(path)
    if not claims:
        del index[key]


#: id → ids it supersedes, amends and cites, resolved
Forward = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
#: the values a problem's message names
Values = tuple[tuple[str, str], ...]


class RelationGraph:
    """The relations of a set of manifest entries, kept up to date change by change."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        #: upper-cased reference → paths of the files that declare it (the last valid
        #: version's, or a file never valid: the one it declares), sorted
        self.references: dict[str, list[str]] = {}
        #: alias → paths of the indexed files that declare it, sorted (once per mention)
        self.aliases: dict[str, list[str]] = {}
        #: a name as written, and upper-cased → paths of indexed files naming it
        self.users: dict[str, set[str]] = {}
        self.forward: dict[str, Forward] = {}
        #: id → the references of its text that name a document, and the ids they name
        self.cites: dict[str, tuple[tuple[str, str], ...]] = {}
        self.superseded_by: dict[str, list[str]] = {}
        self.amended_by: dict[str, list[str]] = {}
        self.cited_by: dict[str, list[str]] = {}
        #: id → the translations that cite it (not shown: only their originals are; but
        #: their warnings follow the cited text's repeal)
        self.cited_in_translations: dict[str, list[str]] = {}
        #: path → the relation problems of that file
        self.problems: dict[str, list[Problem]] = {}
        #: path → the warnings of that file's citations of repealed texts
        self.stale_citations: dict[str, list[Problem]] = {}
        #: id of a repealed text → how it is repealed: the warning of a citation of it
        #: (message, values but the reference)
        self.repeals: dict[str, tuple[str, Values, str | None]] = {}
        self.derived: dict[str, Derived] = {}
        #: id of a translation → id of its original; id of an original → its translations
        self.original_of: dict[str, str] = {}
        self.translated_by: dict[str, list[str]] = {}
        #: path of a translation → its problems with its original and its siblings
        self.translation_problems: dict[str, list[Problem]] = {}
        ordered = sorted(entries)
        for path in ordered:
            self._index(path, entries[path])
        for path in ordered:
            self._resolve(path)
        for doc_id in self._originals_first(_id_of(path) for path in ordered):
            self._derive(doc_id)
        for path in ordered:
            self._warn(path)
            self._check_translation(path)

    def update(self, entries: dict[str, Entry], changed: Iterable[str]) -> None:
        """Take the entries after a change of the files at `changed` (added, edited, gone)."""
        changed = set(changed)
        names: set[str] = set()
        for path in changed:
            if (old := self.entries.get(path)) is not None:
                names |= self._names(path, old)
                self._unindex(path, old)
        self.entries = entries
        for path in changed:
            if (new := entries.get(path)) is not None:
                names |= self._names(path, new)
                self._index(path, new)
        affected = set(changed)
        for name in names:
            for key in (name, name.upper()):
                affected.update(self.references.get(key, ()))
                affected.update(self.aliases.get(key, ()))
                affected.update(self.users.get(key, ()))
        to_derive = {_id_of(path) for path in affected}
        for path in affected:
            to_derive |= self._resolve(path)
        texts = {self.original_of.get(doc_id, doc_id) for doc_id in to_derive}
        translations = {t for text in texts for t in self.translated_by.get(text, ())}
        to_warn = set(affected)
        for doc_id in self._originals_first(to_derive | translations):
            if self._derive(doc_id):
                to_warn.add(f"{doc_id}.md")
                citers = (
                    *self.cited_by.get(doc_id, ()),
                    *self.cited_in_translations.get(doc_id, ()),
                )
                to_warn.update(f"{citer}.md" for citer in citers)
        for path in to_warn:
            self._warn(path)
        for path in affected | {f"{doc_id}.md" for doc_id in translations}:
            self._check_translation(path)

    def relations(self) -> Relations:
        problems = [
            p
            for problems in (self.problems, self.stale_citations, self.translation_problems)
            for found in problems.values()
            for p in found
        ]
        return Relations(dict(self.derived), problems)

    # --- indexes

    @staticmethod
    def _names(path: str, entry: Entry) -> set[str]:
        """The names an entry answers to: its id, reference and aliases."""
        names = {_id_of(path), *entry.aliases}
        if entry.reference:
            names.add(entry.reference)
        return names

    def _index(self, path: str, entry: Entry) -> None:
        if entry.reference:
            _claim(self.references, entry.reference.upper(), path)
        if not _live(entry):
            return
        for alias in entry.aliases:
            _claim(self.aliases, alias, path)
        for name in self._used(entry):
            self.users.setdefault(name, set()).add(path)

    def _unindex(self, path: str, entry: Entry) -> None:
        if entry.reference:
            _unclaim(self.references, entry.reference.upper(), path)
        if not _live(entry):
            return
        for alias in entry.aliases:
            _unclaim(self.aliases, alias, path)
        for name in self._used(entry):
            users = self.users[name]
            users.discard(path)
            if not users:
                del self.users[name]

    @staticmethod
    def _used(entry: Entry) -> set[str]:
        named = [*entry.supersedes, *entry.amends, *filter(None, [entry.translation_of])]
        return {
            *named,
            *(n.upper() for n in named),
            *(link for link, _ in entry.links),
            *(reference for reference, _ in entry.citations),
        }

    # --- resolution

    def _known(self, doc_id: str) -> bool:
        """Whether a file has this id (valid or not)."""
        return f"{doc_id}.md" in self.entries

    def _owner(self, reference: str) -> str | None:
        """The path of the file a reference names: its first declarer that was valid,
        else its first declarer (never valid)."""
        claims = self.references.get(reference.upper(), ())
        valid = [path for path in claims if self.entries[path].id is not None]
        # a translation may carry its original's reference: the original answers to it
        originals = (path for path in valid if self.entries[path].translation_of is None)
        return next(originals, valid[0] if valid else claims[0] if claims else None)

    def _alias_owner(self, alias: str) -> str | None:
        """The id an alias stands for: its first declarer's, unless it is someone's id."""
        claims = self.aliases.get(alias)
        if not claims or self._known(alias):
            return None
        return self.entries[claims[0]].id

    def _named(self, value: str) -> str | None:
        """The id a name (id, alias or reference) stands for, or None."""
        if _answers(self.entries.get(f"{value}.md")):
            return value
        if (owner := self._alias_owner(value)) is not None:
            return owner
        if (path := self._owner(value)) is not None and _answers(self.entries[path]):
            return _id_of(path)
        return None

    def _target(self, entry: Entry, name: str, value: str, problems: list[Problem]) -> str | None:
        if (named := self._named(value)) is not None:
            return named
        problems.append(
            Problem(
                entry.path,
                entry.lines.get(name, 1),
                "error",
                name,
                N_("field '{name}': '{value}' names no document (neither a reference nor an id)"),
                values=(("name", name), ("value", str(value))),
            )
        )
        return None

    def _resolve(self, path: str) -> set[str]:
        """Redo the problems and forward relations of one file; the ids whose reverse
        relations changed."""
        doc_id = _id_of(path)
        touched: set[str] = set()
        if (before := self.forward.pop(doc_id, None)) is not None:
            touched |= self._reverse(doc_id, before, remove=True)
        if (original := self.original_of.pop(doc_id, None)) is not None:
            _unclaim(self.translated_by, original, doc_id)
            touched.add(original)
        self.cites.pop(doc_id, None)
        self.problems.pop(path, None)
        entry = self.entries.get(path)
        if entry is None or entry.id is None:
            return touched
        problems: list[Problem] = []
        if entry.reference:
            first = self._owner(entry.reference)
            translated = entry.translation_of and self._named(entry.translation_of)
            if first is not None and first != path and translated != _id_of(first):
                problems.append(
                    Problem(
                        path,
                        entry.lines.get("reference", 1),
                        "error",
                        "reference",
                        N_(
                            "reference {reference} is already used by {first}; references must "
                            "be unique"
                        ),
                        self.entries[first].id,
                        (("reference", str(entry.reference)), ("first", first)),
                    )
                )
        if _live(entry):
            self._check_aliases(path, entry, problems)
            original = self._original(entry, problems)
            cites = self._cited(doc_id, entry)
            self.cites[doc_id] = cites
            if original is not None:  # the original's relations are the text's
                self.original_of[doc_id] = original
                _claim(self.translated_by, original, doc_id)
                touched.add(original)
                forward: Forward = ((), (), tuple(sorted({t for _, t in cites})))
            else:
                sup = tuple(
                    t
                    for v in entry.supersedes
                    if (t := self._target(entry, "supersedes", v, problems))
                )
                ame = tuple(
                    t for v in entry.amends if (t := self._target(entry, "amends", v, problems))
                )
                self._check_periods(entry, sup, problems)
                forward = (sup, ame, tuple(sorted({t for _, t in cites})))
            self.forward[doc_id] = forward
            touched |= self._reverse(doc_id, forward, remove=False)
            for link, line in entry.links:
                if not self._known(link) and self._alias_owner(link) is None:
                    shown = f"{link}.md" if link else None
                    problems.append(Problem.missing_link(path, line, shown))
        if problems:
            self.problems[path] = problems
        return touched

    def _original(self, entry: Entry, problems: list[Problem]) -> str | None:
        """The id of the live text a translation names, unless it is a translation
        itself or in the same language (each a problem of the `translation_of` line)."""
        if entry.translation_of is None:
            return None
        original = self._target(entry, "translation_of", entry.translation_of, problems)
        target = self.entries.get(f"{original}.md")
        if original is None or target is None or not _live(target):
            return None
        if target.translation_of is not None:
            message = N_(
                "field 'translation_of': {original} is itself a translation (of "
                "{its_original}); name the original text: translation_of: {its_original}"
            )
            values = {"original": original, "its_original": target.translation_of}
        elif target.lang == entry.lang:
            message = N_(
                "field 'translation_of': {original} is in '{lang}' too; a translation is in "
                "another language: give this text its own 'lang:'"
            )
            values = {"original": original, "lang": entry.lang}
        else:
            return original
        problems.append(
            Problem(
                entry.path,
                entry.lines.get("translation_of", 1),
                "error",
                "translation_of",
                message,
                original,
                tuple(values.items()),
            )
        )
        return None

    def _check_translation(self, path: str) -> None:
        """Redo the problems of a translation with its text: a second translation in one
        language, and relation fields that say otherwise than the original's."""
        self.translation_problems.pop(path, None)
        doc_id = _id_of(path)
        original = self.original_of.get(doc_id)
        if original is None:
            return
        entry, text = self.entries[path], self.entries[f"{original}.md"]
        problems: list[Problem] = []

        def problem(field: str, message: str, *related: str, **values: str) -> None:
            line, pairs = entry.lines.get(field, 1), tuple(values.items())
            ids = related_ids(original, *related)
            problems.append(Problem(path, line, "error", field, message, ids, pairs))

        siblings = [
            t for t in self.translated_by[original] if self.entries[f"{t}.md"].lang == entry.lang
        ]
        if siblings[0] != doc_id:
            message = N_(
                "field 'translation_of': {original} already has a translation in '{lang}': "
                "{first}; a text has one version per language"
            )
            problem("translation_of", message, siblings[0], original=original,
                    lang=entry.lang, first=siblings[0])  # fmt: skip
        sup, ame, _ = self.forward.get(original, ((), (), ()))
        for name, declared, governing in (
            ("supersedes", entry.supersedes, sup),
            ("amends", entry.amends, ame),
        ):
            named = {self.original_of.get(n, n) if n else None for n in map(self._named, declared)}
            if name in entry.lines and named != set(governing):
                problem(name, _CONTRADICTS, name=name, original=original,
                        value=", ".join(declared) or "[]",
                        expected=", ".join(governing) or "[]")  # fmt: skip
        derived = self.derived.get(original)
        statuses = {text.status, derived.status if derived else text.status}
        for name, value, expected, agrees in (
            ("effective", entry.effective, text.effective, entry.effective == text.effective),
            ("ends", entry.ends, text.ends, entry.ends == text.ends),
            ("status", entry.status, text.status, entry.status in statuses),
        ):
            if name in entry.lines and not agrees:
                problem(name, _CONTRADICTS, name=name, original=original,
                        value=str(value or "-"), expected=str(expected or "-"))  # fmt: skip
        if problems:
            self.translation_problems[path] = problems

    def _cited(self, doc_id: str, entry: Entry) -> tuple[tuple[str, str], ...]:
        """The references of a text that name a live document other than itself."""
        cites: dict[str, str] = {}
        for reference, _ in entry.citations:
            path = self._owner(reference)
            if path is not None and _live(self.entries[path]) and _id_of(path) != doc_id:
                cites[reference] = _id_of(path)
        return tuple(sorted(cites.items()))

    def _check_periods(
        self, entry: Entry, replaced: tuple[str, ...], problems: list[Problem]
    ) -> None:
        """A text cannot replace one that enters into force after it does."""
        for target in replaced:
            old = self.entries[f"{target}.md"]
            if entry.effective and old.effective and entry.effective < old.effective:
                problems.append(
                    Problem(
                        entry.path,
                        entry.lines.get("supersedes", 1),
                        "error",
                        "supersedes",
                        N_(
                            "field 'supersedes': this text takes effect on {starts}, before "
                            "{target}, which it supersedes, takes effect ({replaced_starts}); "
                            "check the dates or 'effective'"
                        ),
                        target,
                        (
                            ("starts", entry.effective),
                            ("target", target),
                            ("replaced_starts", old.effective),
                        ),
                    )
                )

    def _check_aliases(self, path: str, entry: Entry, problems: list[Problem]) -> None:
        seen: set[str] = set()
        for alias in entry.aliases:
            owner = alias if self._known(alias) else self.entries[self.aliases[alias][0]].id
            if self._known(alias) or self.aliases[alias][0] != path or alias in seen:
                problems.append(
                    Problem(
                        path,
                        entry.lines.get("aliases", 1),
                        "error",
                        "aliases",
                        N_("alias '{alias}' is already the id or an alias of {owner}"),
                        owner,
                        (("alias", alias), ("owner", str(owner))),
                    )
                )
            seen.add(alias)

    def _reverse(self, doc_id: str, forward: Forward, remove: bool) -> set[str]:
        """Add or remove a text's forward relations to the reverse ones (a translation's
        citations to `cited_in_translations`: it has no other)."""
        touched: set[str] = set()
        cited_by = self.cited_in_translations if doc_id in self.original_of else self.cited_by
        reverse = (self.superseded_by, self.amended_by, cited_by)
        for index, targets in zip(reverse, forward, strict=True):
            for target in targets:
                sources = index.setdefault(target, [])
                if remove:
                    sources.remove(doc_id)
                else:
                    sources.append(doc_id)
                if not sources:
                    del index[target]
                touched.add(target)
        return touched

    def _originals_first(self, ids: Iterable[str]) -> list[str]:
        """Ids in the order they are derived: a translation after its original."""
        return sorted(ids, key=lambda doc_id: (doc_id in self.original_of, doc_id))

    def _derive(self, doc_id: str) -> bool:
        """Redo what a document's neighbours say of it (of a translation, what its
        original's say: derived first); whether that, or how it is repealed, changed."""
        before = self.derived.pop(doc_id, None), self.repeals.pop(doc_id, None)
        entry = self.entries.get(f"{doc_id}.md")
        if not _live(entry):
            return before != (None, None)
        assert entry is not None
        original = self.original_of.get(doc_id)
        if original is not None and original in self.derived:
            versions = {original, *self.translated_by[original]} - {doc_id}
            self.derived[doc_id] = self.derived[original]._replace(
                cites=self.cites.get(doc_id, ()),
                original=original,
                translations=tuple(sorted(versions)),
            )
            if original in self.repeals:
                self.repeals[doc_id] = self.repeals[original]
            return before != (self.derived[doc_id], self.repeals.get(doc_id))
        by = tuple(sorted(self.superseded_by.get(doc_id, ())))
        sup, ame, _ = self.forward.get(doc_id, ((), (), ()))
        starts, ends = validity(entry, (self.entries[f"{s}.md"] for s in by))
        derived = Derived(
            "repealed" if by else entry.status,
            by,
            tuple(sorted(self.amended_by.get(doc_id, ()))),
            sup,
            ame,
            self.cites.get(doc_id, ()),
            tuple(sorted(self.cited_by.get(doc_id, ()))),
            valid_from=starts,
            valid_until=ends,
            translations=tuple(self.translated_by.get(doc_id, ())),
            own_until=validity(entry, ())[1],
        )
        self.derived[doc_id] = derived
        if derived.status == "repealed":
            self.repeals[doc_id] = self._repeal(by)
        return before != (derived, self.repeals.get(doc_id))

    def _repeal(self, superseded_by: tuple[str, ...]) -> tuple[str, Values, str | None]:
        """How a repealed text is repealed: by the first text superseding it to come into
        force (from when; and that text's id), or by its own status."""
        if not superseded_by:
            return N_("cites {reference}, which is repealed"), (), None
        successors = [self.entries[f"{doc_id}.md"] for doc_id in superseded_by]
        first = min(successors, key=lambda e: (e.effective or "9999-12-31", e.path))
        successor = ("successor", str(first.reference or first.id))
        if first.effective is None:
            return N_("cites {reference}, repealed by {successor}"), (successor,), first.id
        return (
            N_("cites {reference}, repealed by {successor} since {since}"),
            (successor, ("since", first.effective)),
            first.id,
        )

    def _warn(self, path: str) -> None:
        """Redo the warnings of a text in force that cites repealed texts it neither
        supersedes nor amends."""
        self.stale_citations.pop(path, None)
        derived = self.derived.get(_id_of(path))
        if derived is None or derived.status != "in-force":
            return
        lines = dict(self.entries[path].citations)
        warnings = [
            Problem(
                path, lines[reference], "warning", None, message,
                related_ids(cited, successor), (("reference", reference), *values),
            )
            for reference, cited in derived.cites
            if cited not in derived.supersedes and cited not in derived.amends
            and cited in self.repeals
            for message, values, successor in [self.repeals[cited]]
        ]  # fmt: skip
        if warnings:
            self.stale_citations[path] = warnings


_CONTRADICTS = N_(
    "field '{name}': '{value}' says otherwise than the original text {original} "
    "({expected}); a translation takes its original's: remove this line"
)


def resolve(entries: dict[str, Entry]) -> Relations:
    """Resolve references, relations, aliases and links across every indexed document."""
    return RelationGraph(entries).relations()
