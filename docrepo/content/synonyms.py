"""Synonyms and acronyms that editors own: `content/synonyms.yml`.

A list of groups of equivalent terms, words or phrases, in either language::

    - [RGPD, GDPR, données personnelles, personal data]
    - [marchés publics, commande publique]

They are applied when searching (a change needs no reindex): a query that holds one
term of a group matches any of them. The file is read again when it changes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

import yaml

from ..errors import Problem
from ..i18n import N_
from ..text import words_key
from .yaml_errors import yaml_problem

SYNONYMS_FILE = "synonyms.yml"


@dataclass(frozen=True)
class Synonyms:
    """Groups of equivalent terms, and the group of each term (by its key)."""

    groups: tuple[tuple[str, ...], ...] = ()
    by_key: dict[tuple[str, ...], int] = field(default_factory=dict)

    @property
    def longest(self) -> int:
        """The number of words of the longest term."""
        return max((len(key) for key in self.by_key), default=0)

    def group_of(self, words: tuple[str, ...]) -> tuple[str, ...] | None:
        """The terms equivalent to some words (as `words_key` gives them), them included."""
        index = self.by_key.get(words)
        return None if index is None else self.groups[index]


NO_SYNONYMS = Synonyms()


def load_synonyms(content_dir: Path) -> tuple[Synonyms, list[Problem]]:
    """Read content/synonyms.yml if there is one; problems name the line of each mistake.
    Read again only when the file changed."""
    path = content_dir / SYNONYMS_FILE
    try:
        stat = path.stat()
    except OSError:
        return NO_SYNONYMS, []
    if not S_ISREG(stat.st_mode):  # a FIFO would block the reading forever
        return NO_SYNONYMS, [
            Problem(
                SYNONYMS_FILE, 1, "error", None, N_("not a regular file; synonyms.yml must be one")
            )
        ]
    synonyms, problems = _load(path.resolve(), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return synonyms, list(problems)


@functools.lru_cache(maxsize=8)
def _load(path: Path, *_stat: int) -> tuple[Synonyms, tuple[Problem, ...]]:
    problems: list[Problem] = []

    def problem(line: int, message: str, **values: str) -> None:
        """A problem: `message` marked with N_(), naming `{values}` filled in when shown."""
        pairs = tuple(values.items())
        problems.append(Problem(SYNONYMS_FILE, line, "error", None, message, values=pairs))

    try:
        text = path.read_text(encoding="utf-8-sig")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except UnicodeDecodeError:
        problem(1, N_("the file is not valid UTF-8; save it as UTF-8"))
        return NO_SYNONYMS, tuple(problems)
    except OSError as exc:
        problem(1, N_("cannot read the file: {reason}"), reason=str(exc.strerror or exc))
        return NO_SYNONYMS, tuple(problems)
    except yaml.YAMLError as exc:
        line, message, values = yaml_problem(exc, text)
        problem(line, message, **values)
        return NO_SYNONYMS, tuple(problems)
    if root is None:
        return NO_SYNONYMS, ()
    if not isinstance(root, yaml.SequenceNode):
        problem(1, N_("expected a list of groups, e.g. - [RGPD, GDPR, données personnelles]"))
        return NO_SYNONYMS, tuple(problems)
    groups: list[tuple[str, ...]] = []
    by_key: dict[tuple[str, ...], int] = {}
    first_line: dict[tuple[str, ...], int] = {}
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.SequenceNode):
            problem(
                line, N_("a group is a list of terms, e.g. [marchés publics, commande publique]")
            )
            continue
        terms: list[str] = []
        errors_before = len(problems)
        for item in node.value:
            item_line = item.start_mark.line + 1
            if not isinstance(item, yaml.ScalarNode) or not words_key(str(item.value)):
                problem(item_line, _shape(item))
                continue
            term = " ".join(str(item.value).split())
            key = words_key(term)
            if key in first_line:
                if key in map(words_key, terms):
                    message = N_(
                        "the term '{term}' is twice in this group: a term belongs to one group"
                    )
                else:
                    message = N_(
                        "the term '{term}' is in two groups (line {first} and here): a term "
                        "belongs to one group"
                    )
                problem(item_line, message, term=term, first=str(first_line[key]))
                continue
            first_line[key] = item_line
            terms.append(term)
        if not node.value:
            problem(line, N_("an empty group: list two terms or more, or remove the line"))
            continue
        if len(terms) < 2:
            if len(problems) == errors_before:
                problem(line, N_("a group needs two terms or more to be equivalent"))
            continue
        for term in terms:
            by_key[words_key(term)] = len(groups)
        groups.append(tuple(terms))
    return Synonyms(tuple(groups), by_key), tuple(problems)


def _shape(node: yaml.Node) -> str:
    """The message for an item of a group that is no term."""
    if isinstance(node, yaml.SequenceNode):
        return N_("a term is a word or a phrase, not a list")
    if isinstance(node, yaml.MappingNode):
        return N_(
            "a term is a word or a phrase, not a mapping (a ':' followed by a space? quote "
            "the term)"
        )
    return N_("a term is a word or a phrase, not an empty value")
