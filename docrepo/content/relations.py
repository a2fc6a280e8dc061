"""Relations across documents: references, aliases, `supersedes`, `amends` and links.

A relation names its target by id, by alias (a former id) or by reference (any case).
What a document's neighbours say of it (its effective status, who supersedes or amends
it) and the problems relations reveal (a duplicate reference or alias, a name that
names nothing, a link to a missing file) are kept in a `RelationGraph`, with indexes
from every name to the entries that claim it and to those that use it. A change to a
few files then redoes only the entries those names reach: saving one file among
100,000 does not resolve the 99,999 others again (a full pass takes about a second).
The full resolution is the same graph built from nothing, so both agree by design.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from ..errors import Problem

if TYPE_CHECKING:
    from .entries import Entry


class Derived(NamedTuple):
    """What a document's neighbours say of it: its effective status and reverse relations.

    A named tuple: 100,000 of them are compared after every update.
    """

    status: str
    superseded_by: tuple[str, ...] = ()
    amended_by: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    amends: tuple[str, ...] = ()


@dataclass
class Relations:
    """Relations resolved over the whole repository, with the problems they reveal."""

    derived: dict[str, Derived]
    problems: list[Problem]


def _id_of(path: str) -> str:
    return path[: -len(".md")]


def _live(entry: Entry | None) -> bool:
    """Whether a version of the entry is in the index (`Entry.indexed`, inlined: hot)."""
    return entry is not None and entry.id is not None and entry.status != "draft"


def _claim(index: dict[str, list[str]], key: str, path: str) -> None:
    bisect.insort(index.setdefault(key, []), path)


def _unclaim(index: dict[str, list[str]], key: str, path: str) -> None:
    claims = index[key]
    claims.remove(path)
    if not claims:
        del index[key]


class RelationGraph:
    """The relations of a set of manifest entries, kept up to date change by change."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        #: upper-cased reference → paths of the files (with an id) that declare it, sorted
        self.references: dict[str, list[str]] = {}
        #: alias → paths of the indexed files that declare it, sorted (once per mention)
        self.aliases: dict[str, list[str]] = {}
        #: a name as written, and upper-cased → paths of indexed files naming it
        self.users: dict[str, set[str]] = {}
        #: id → ids it supersedes and amends, resolved
        self.forward: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.superseded_by: dict[str, list[str]] = {}
        self.amended_by: dict[str, list[str]] = {}
        #: path → the relation problems of that file
        self.problems: dict[str, list[Problem]] = {}
        self.derived: dict[str, Derived] = {}
        ordered = sorted(entries)
        for path in ordered:
            self._index(path, entries[path])
        for path in ordered:
            self._resolve(path)
        for path in ordered:
            self._derive(_id_of(path))

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
        for doc_id in to_derive:
            self._derive(doc_id)

    def relations(self) -> Relations:
        problems = [p for found in self.problems.values() for p in found]
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
        if entry.reference and entry.id:
            _claim(self.references, entry.reference.upper(), path)
        if not _live(entry):
            return
        for alias in entry.aliases:
            _claim(self.aliases, alias, path)
        for name in self._used(entry):
            self.users.setdefault(name, set()).add(path)

    def _unindex(self, path: str, entry: Entry) -> None:
        if entry.reference and entry.id:
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
        named = [*entry.supersedes, *entry.amends]
        return {*named, *(n.upper() for n in named), *(link for link, _ in entry.links)}

    # --- resolution

    def _known(self, doc_id: str) -> bool:
        entry = self.entries.get(f"{doc_id}.md")
        return entry is not None and entry.id is not None

    def _alias_owner(self, alias: str) -> str | None:
        """The id an alias stands for: its first declarer's, unless it is someone's id."""
        claims = self.aliases.get(alias)
        if not claims or self._known(alias):
            return None
        return self.entries[claims[0]].id

    def _target(self, entry: Entry, name: str, value: str, problems: list[Problem]) -> str | None:
        if _live(self.entries.get(f"{value}.md")):
            return value
        if (owner := self._alias_owner(value)) is not None:
            return owner
        claims = self.references.get(value.upper())
        if claims and _live(first := self.entries[claims[0]]):
            return first.id
        problems.append(
            Problem(
                entry.path,
                entry.lines.get(name, 1),
                "error",
                name,
                f"field '{name}': {value!r} names no document (neither a reference nor an id)",
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
        self.problems.pop(path, None)
        entry = self.entries.get(path)
        if entry is None or entry.id is None:
            return touched
        problems: list[Problem] = []
        if entry.reference:
            first = self.references[entry.reference.upper()][0]
            if first != path:
                problems.append(
                    Problem(
                        path,
                        entry.lines.get("reference", 1),
                        "error",
                        "reference",
                        f"reference {entry.reference} is already "
                        f"used by {first}; references must be unique",
                        self.entries[first].id,
                    )
                )
        if _live(entry):
            self._check_aliases(path, entry, problems)
            sup = tuple(
                t for v in entry.supersedes if (t := self._target(entry, "supersedes", v, problems))
            )
            ame = tuple(
                t for v in entry.amends if (t := self._target(entry, "amends", v, problems))
            )
            self.forward[doc_id] = (sup, ame)
            touched |= self._reverse(doc_id, (sup, ame), remove=False)
            for link, line in entry.links:
                if not self._known(link) and self._alias_owner(link) is None:
                    shown = f"{link}.md" if link else "a file outside the content directory"
                    problems.append(
                        Problem(
                            path, line, "warning", None, f"link to {shown}, which does not exist"
                        )
                    )
        if problems:
            self.problems[path] = problems
        return touched

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
                        f"alias {alias!r} is already the id or an alias of {owner}",
                        owner,
                    )
                )
            seen.add(alias)

    def _reverse(
        self, doc_id: str, forward: tuple[tuple[str, ...], tuple[str, ...]], remove: bool
    ) -> set[str]:
        touched: set[str] = set()
        for index, targets in zip((self.superseded_by, self.amended_by), forward, strict=True):
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

    def _derive(self, doc_id: str) -> None:
        entry = self.entries.get(f"{doc_id}.md")
        if not _live(entry):
            self.derived.pop(doc_id, None)
            return
        assert entry is not None
        by = tuple(sorted(self.superseded_by.get(doc_id, ())))
        sup, ame = self.forward.get(doc_id, ((), ()))
        self.derived[doc_id] = Derived(
            "repealed" if by else entry.status,
            by,
            tuple(sorted(self.amended_by.get(doc_id, ()))),
            sup,
            ame,
        )


def resolve(entries: dict[str, Entry]) -> Relations:
    """Resolve references, relations, aliases and links across every indexed document."""
    return RelationGraph(entries).relations()
