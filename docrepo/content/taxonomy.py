"""The vocabularies (types, institutes, regions, issuers, themes) and their labels."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem

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
        """Known codes closest to a mistyped one, case-insensitively."""
        codes = self.codes(vocabulary)
        by_lower = {c.lower(): c for c in codes}
        if code.lower() in by_lower:
            return [by_lower[code.lower()]]
        found = difflib.get_close_matches(code.lower(), list(by_lower), n=n, cutoff=0.5)
        return [by_lower[c] for c in found]


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
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or " ".join(str(exc).split())
        problem((mark.line + 1) if mark else 1, f"not valid YAML: {what}")
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
            labels: dict[str, str] = {}
            if isinstance(labels_node, yaml.MappingNode):
                labels = {str(k.value): str(v.value) for k, v in labels_node.value}
            missing = [lang for lang in LANGUAGES if not labels.get(lang)]
            if missing:
                problem(
                    cline,
                    f"{name}: code {code!r} needs a label in each language, "
                    f"e.g. {{fr: …, en: …}}; missing: {', '.join(missing)}",
                    name,
                )
            vocabularies[name][code] = {lang: labels.get(lang) or code for lang in LANGUAGES}
    for name in VOCABULARIES:
        if not vocabularies[name]:
            problem(1, f"vocabulary {name!r} is missing or empty", name)
    return Taxonomy(vocabularies), problems
