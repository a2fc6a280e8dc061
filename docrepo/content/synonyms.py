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
            Problem(SYNONYMS_FILE, 1, "error", None, "not a regular file; synonyms.yml must be one")
        ]
    synonyms, problems = _load(path.resolve(), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return synonyms, list(problems)


@functools.lru_cache(maxsize=8)
def _load(path: Path, *_stat: int) -> tuple[Synonyms, tuple[Problem, ...]]:
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(SYNONYMS_FILE, line, "error", None, message))

    try:
        text = path.read_text(encoding="utf-8-sig")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except UnicodeDecodeError:
        problem(1, "the file is not valid UTF-8; save it as UTF-8")
        return NO_SYNONYMS, tuple(problems)
    except OSError as exc:
        problem(1, f"cannot read the file: {exc.strerror or exc}")
        return NO_SYNONYMS, tuple(problems)
    except yaml.YAMLError as exc:
        problem(*yaml_problem(exc, text))
        return NO_SYNONYMS, tuple(problems)
    if root is None:
        return NO_SYNONYMS, ()
    if not isinstance(root, yaml.SequenceNode):
        problem(1, "expected a list of groups, e.g. - [RGPD, GDPR, données personnelles]")
        return NO_SYNONYMS, tuple(problems)
    groups: list[tuple[str, ...]] = []
    by_key: dict[tuple[str, ...], int] = {}
    first_line: dict[tuple[str, ...], int] = {}
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.SequenceNode):
            problem(line, "a group is a list of terms, e.g. [marchés publics, commande publique]")
            continue
        terms: list[str] = []
        errors_before = len(problems)
        for item in node.value:
            item_line = item.start_mark.line + 1
            if not isinstance(item, yaml.ScalarNode) or not words_key(str(item.value)):
                problem(item_line, f"a term is a word or a phrase, not {_shape(item)}")
                continue
            term = " ".join(str(item.value).split())
            key = words_key(term)
            if key in first_line:
                where = first_line[key]
                again = (
                    "twice in this group"
                    if key in map(words_key, terms)
                    else f"in two groups (line {where} and here)"
                )
                problem(item_line, f"the term {term!r} is {again}: a term belongs to one group")
                continue
            first_line[key] = item_line
            terms.append(term)
        if not node.value:
            problem(line, "an empty group: list two terms or more, or remove the line")
            continue
        if len(terms) < 2:
            if len(problems) == errors_before:
                problem(line, "a group needs two terms or more to be equivalent")
            continue
        for term in terms:
            by_key[words_key(term)] = len(groups)
        groups.append(tuple(terms))
    return Synonyms(tuple(groups), by_key), tuple(problems)


def _shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping (a ':' followed by a space? quote the term)"
    return "an empty value"
