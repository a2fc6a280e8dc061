"""The vocabularies (types, institutes, regions, issuers, themes) and their labels."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem
from ..text import fold
from .yaml_errors import yaml_problem

VOCABULARIES = ("types", "institutes", "regions", "issuers", "themes")
LANGUAGES = ("fr", "en")
TAXONOMY_FILE = "taxonomy.yml"


@dataclass(frozen=True)
class Taxonomy:
    """Codes of each vocabulary with a label per interface language."""

    vocabularies: dict[str, dict[str, dict[str, str]]]

    def codes(self, vocabulary: str) -> list[str]:
        return list(self.vocabularies.get(vocabulary, {}))

    def has(self, vocabulary: str, code: str) -> bool:
        return code in self.vocabularies.get(vocabulary, {})

    def label(self, vocabulary: str, code: str, lang: str = "fr") -> str:
        labels = self.vocabularies.get(vocabulary, {}).get(code)
        if not labels:
            return code
        return labels.get(lang) or labels.get("fr") or code

    def closest(self, vocabulary: str, code: str, n: int = 3) -> list[str]:
        """Known codes closest to a mistyped one, case-insensitively; a label written
        where its code is expected (`CNRS Biologie`) gives that code (`INSB`)."""
        entries = self.vocabularies.get(vocabulary, {})
        wanted, folded = code.lower(), _folded(code)
        for known, labels in entries.items():
            if wanted == known.lower() or folded in map(_folded, labels.values()):
                return [known]
        scores: dict[str, float] = {}
        for known, labels in entries.items():
            by_code = _similarity(wanted, known.lower(), cutoff=0.5)
            by_label = max(_similarity(folded, _folded(label), 0.6) for label in labels.values())
            if max(by_code, by_label):
                scores[known] = max(by_code, by_label)
        return sorted(scores, key=lambda known: -scores[known])[:n]


def _similarity(a: str, b: str, cutoff: float) -> float:
    """difflib's ratio of two strings, or 0 under the cutoff."""
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return ratio if ratio >= cutoff else 0.0


def _folded(text: str) -> str:
    return " ".join(fold(text).casefold().split())


def load_taxonomy(content_dir: Path) -> tuple[Taxonomy, list[Problem]]:
    """Read content/taxonomy.yml; problems name the line of each bad entry.

    The watcher asks for it at every batch: it is read again only when the file changed.
    """
    path = content_dir / TAXONOMY_FILE
    try:
        stat = path.stat()
        key: tuple[object, ...] = (path.resolve(), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        key = (path.resolve(),)
    taxonomy, problems = _load(key, path)
    return taxonomy, list(problems)


@functools.lru_cache(maxsize=8)
def _load(key: tuple[object, ...], path: Path) -> tuple[Taxonomy, list[Problem]]:
    shown = TAXONOMY_FILE
    problems: list[Problem] = []

    def problem(line: int, message: str, field: str | None = None) -> None:
        problems.append(Problem(shown, line, "error", field, message))

    if not path.exists():
        problem(1, f"the vocabulary file is missing: expected {path}")
        return Taxonomy({v: {} for v in VOCABULARIES}), problems
    if not path.is_file():  # a FIFO or a device would block the reading forever
        problem(1, f"{path} is not a regular file; the vocabulary file must be one")
        return Taxonomy({v: {} for v in VOCABULARIES}), problems
    try:
        text = path.read_text(encoding="utf-8-sig")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except UnicodeDecodeError:
        problem(1, "the file is not valid UTF-8; save it as UTF-8")
        return Taxonomy({v: {} for v in VOCABULARIES}), problems
    except yaml.YAMLError as exc:
        problem(*yaml_problem(exc, text))
        return Taxonomy({v: {} for v in VOCABULARIES}), problems

    vocabularies: dict[str, dict[str, dict[str, str]]] = {v: {} for v in VOCABULARIES}
    if not isinstance(root, yaml.MappingNode):
        problem(
            1, "expected a mapping of vocabularies (types, institutes, regions, issuers, themes)"
        )
        return Taxonomy(vocabularies), problems
    for key_node, codes_node in root.value:
        name = key_node.value
        line = key_node.start_mark.line + 1
        if name not in VOCABULARIES:
            hint = difflib.get_close_matches(name, VOCABULARIES, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            problem(line, f"unknown vocabulary {name!r}{suggestion}", name)
            continue
        if not isinstance(codes_node, yaml.MappingNode):
            problem(line, f"vocabulary {name!r}: expected a mapping of codes to labels", name)
            continue
        for code_node, labels_node in codes_node.value:
            code = str(code_node.value)
            cline = code_node.start_mark.line + 1
            if code in vocabularies[name]:
                problem(cline, f"{name}: code {code!r} is listed twice", name)
                continue
            labels, mistakes = _labels(labels_node)
            for mistake in mistakes:
                problem(cline, f"{name}: code {code!r}: {mistake}", name)
            vocabularies[name][code] = {lang: labels.get(lang) or code for lang in LANGUAGES}
    for name in VOCABULARIES:
        if not vocabularies[name]:
            problem(1, f"vocabulary {name!r} is missing or empty", name)
    return Taxonomy(vocabularies), problems


def _labels(node: yaml.Node) -> tuple[dict[str, str], list[str]]:
    """The labels of one code, which are exactly `{fr: text, en: text}`, and what is wrong
    with them: YAML splits a label at its commas unless it is quoted."""
    expected = "expected its labels as {fr: …, en: …}"
    if not isinstance(node, yaml.MappingNode):
        found = "a list" if isinstance(node, yaml.SequenceNode) else repr(node.value)
        return {}, [f"{expected}, found {found}"]
    labels: dict[str, str] = {}
    seen: set[str] = set()
    mistakes: list[str] = []
    split: list[str] = []
    for key, value in node.value:
        lang = str(key.value)
        if lang not in LANGUAGES:
            if _is_empty(value):  # `{fr: A, B, en: C}`: 'B' became a key without a value
                split.append(lang)
            else:
                mistakes.append(f"unexpected key {lang!r}; {expected}")
        elif lang in seen:
            mistakes.append(f"the {lang} label is given twice")
        elif not isinstance(value, yaml.ScalarNode):
            mistakes.append(f"the {lang} label must be text, not a list or a mapping")
            labels[lang] = ""
        elif not _is_empty(value):
            labels[lang] = str(value.value).strip()
        seen.add(lang)
    if split:
        parts = ", ".join(repr(part) for part in split)
        mistakes.insert(
            0,
            f"YAML split a label at its commas (into {parts}); quote a label that holds a "
            'comma: {fr: "…, …", en: "…"}',
        )
    else:
        missing = [lang for lang in LANGUAGES if lang not in labels]
        if missing:
            mistakes.append(f"a label is missing in: {', '.join(missing)}; {expected}")
    return {lang: label for lang, label in labels.items() if label}, mistakes


def _is_empty(node: yaml.Node) -> bool:
    plain_null = node.tag == "tag:yaml.org,2002:null" and not getattr(node, "style", None)
    return isinstance(node, yaml.ScalarNode) and (plain_null or not str(node.value).strip())
