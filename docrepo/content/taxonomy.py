"""The vocabularies (types, institutes, regions, issuers, themes) and their labels."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem
from ..i18n import N_
from ..schema import FACETS, GENERAL
from ..text import REFERENCE_PREFIXES, fold
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
        """Known codes closest to a mistyped one, whatever its case and accents; a label
        written where its code is expected (`CNRS Biologie`) gives that code (`INSB`), and
        a type's reference prefix (`REFERENCE_PREFIXES`: DEC240187DAJ is a decision), or a
        word beginning with it (`décret`), that type."""
        entries = self.vocabularies.get(vocabulary, {})
        wanted, folded = code.lower(), _folded(code)
        for known, labels in entries.items():
            if wanted == known.lower() or folded in map(_folded, labels.values()):
                return [known]
        scores: dict[str, float] = {}
        for known, labels in entries.items():
            by_code = _similarity(wanted, known.lower(), cutoff=0.5)
            by_label = max(_similarity(folded, _folded(label), 0.6) for label in labels.values())
            prefix = REFERENCE_PREFIXES.get(known) if vocabulary == "types" else None
            by_prefix = _SURE if prefix and folded.startswith(prefix.casefold()) else 0.0
            if max(by_code, by_label, by_prefix):
                scores[known] = max(by_code, by_label, by_prefix)
        ranked = sorted(scores, key=lambda known: -scores[known])
        sure = [known for known in ranked if scores[known] >= _SURE]
        return (sure or ranked)[:n]


#: a score this high (a letter or two mistyped, a type's reference prefix) leaves the
#: others out of the suggestions
_SURE = 0.8


def _similarity(a: str, b: str, cutoff: float) -> float:
    """difflib's ratio of two strings, or 0 under the cutoff."""
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return ratio if ratio >= cutoff else 0.0


def _folded(text: str) -> str:
    return " ".join(fold(text).casefold().split())


#: the vocabularies whose facet has the value `general` (its code is reserved there)
WITH_GENERAL = {f.vocabulary for f in FACETS if f.has_general}


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
    if not path.exists():
        message = N_("the vocabulary file is missing: expected {path}")
    elif not path.is_file():  # a FIFO or a device would block the reading forever
        message = N_("{path} is not a regular file; the vocabulary file must be one")
    else:
        return _parse(path.read_bytes())
    values = (("path", str(path)),)
    problem = Problem(TAXONOMY_FILE, 1, "error", None, message, values=values)
    return Taxonomy({v: {} for v in VOCABULARIES}), [problem]


def read_taxonomy(data: bytes) -> tuple[Taxonomy, list[Problem]]:
    """The taxonomy a taxonomy.yml holding `data` gives (a version of it in git, for
    one: `content.versions`); problems name the line of each bad entry."""
    taxonomy, problems = _parse(data)
    return taxonomy, list(problems)


@functools.lru_cache(maxsize=8)
def _parse(data: bytes) -> tuple[Taxonomy, list[Problem]]:
    problems: list[Problem] = []

    def problem(line: int, message: str, field: str | None = None, **values: object) -> None:
        """A problem: `message` marked with N_(), naming `{values}` filled in when shown."""
        pairs = tuple((name, str(value)) for name, value in values.items())
        problems.append(Problem(TAXONOMY_FILE, line, "error", field, message, values=pairs))

    try:
        text = data.decode("utf-8-sig")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except UnicodeDecodeError:
        problem(1, N_("the file is not valid UTF-8; save it as UTF-8"))
        return Taxonomy({v: {} for v in VOCABULARIES}), problems
    except yaml.YAMLError as exc:
        line, message, values = yaml_problem(exc, text)
        problem(line, message, **values)
        return Taxonomy({v: {} for v in VOCABULARIES}), problems

    vocabularies: dict[str, dict[str, dict[str, str]]] = {v: {} for v in VOCABULARIES}
    if not isinstance(root, yaml.MappingNode):
        problem(1, N_("expected a mapping of vocabularies ({vocabularies})"),
                vocabularies=", ".join(VOCABULARIES))  # fmt: skip
        return Taxonomy(vocabularies), problems
    for key_node, codes_node in root.value:
        name = key_node.value
        line = key_node.start_mark.line + 1
        if name not in VOCABULARIES:
            close = difflib.get_close_matches(name, VOCABULARIES, n=1)
            message = (
                N_("unknown vocabulary '{vocabulary}'; did you mean '{close}'?")
                if close
                else N_("unknown vocabulary '{vocabulary}'")
            )
            problem(line, message, name, vocabulary=name, close="".join(close))
            continue
        if not isinstance(codes_node, yaml.MappingNode):
            problem(line, N_("vocabulary '{vocabulary}': expected a mapping of codes to labels"),
                    name, vocabulary=name)  # fmt: skip
            continue
        for code_node, labels_node in codes_node.value:
            code = str(code_node.value)
            cline = code_node.start_mark.line + 1
            if code in vocabularies[name]:
                problem(cline, N_("{vocabulary}: code '{code}' is listed twice"), name,
                        vocabulary=name, code=code)  # fmt: skip
                continue
            if code == GENERAL and name in WITH_GENERAL:
                problem(cline, N_("{vocabulary}: the code '{code}' is the facet value of texts "
                                  "of general scope; choose another code"),
                        name, vocabulary=name, code=code)  # fmt: skip
                continue
            labels, mistakes = _labels(labels_node)
            for message, values in mistakes:
                problem(cline, message, name, vocabulary=name, code=code, **values)
            vocabularies[name][code] = {lang: labels.get(lang) or code for lang in LANGUAGES}
    for name in VOCABULARIES:
        if not vocabularies[name]:
            problem(1, N_("vocabulary '{vocabulary}' is missing or empty"), name, vocabulary=name)
    return Taxonomy(vocabularies), problems


#: what one code's labels look like, as messages show it
_EXPECTED = {"example": "{fr: …, en: …}"}


def _labels(node: yaml.Node) -> tuple[dict[str, str], list[tuple[str, dict[str, str]]]]:
    """The labels of one code, which are exactly `{fr: text, en: text}`, and what is wrong
    with them (messages naming `{vocabulary}` and `{code}`, and their other values): YAML
    splits a label at its commas unless it is quoted."""
    if isinstance(node, yaml.SequenceNode):
        return {}, [(N_("{vocabulary}: code '{code}': expected its labels as {example}, found "
                        "a list"), _EXPECTED)]  # fmt: skip
    if not isinstance(node, yaml.MappingNode):
        found = {"found": str(node.value), **_EXPECTED}
        return {}, [(N_("{vocabulary}: code '{code}': expected its labels as {example}, found "
                        "'{found}'"), found)]  # fmt: skip
    labels: dict[str, str] = {}
    seen: set[str] = set()
    mistakes: list[tuple[str, dict[str, str]]] = []
    split: list[str] = []
    for key, value in node.value:
        lang = str(key.value)
        if lang not in LANGUAGES:
            if _is_empty(value):  # `{fr: A, B, en: C}`: 'B' became a key without a value
                split.append(lang)
            else:
                mistakes.append((N_("{vocabulary}: code '{code}': unexpected key '{key}'; "
                                    "expected its labels as {example}"),
                                 {"key": lang, **_EXPECTED}))  # fmt: skip
        elif lang in seen:
            mistakes.append((N_("{vocabulary}: code '{code}': the {lang} label is given twice"),
                             {"lang": lang}))  # fmt: skip
        elif not isinstance(value, yaml.ScalarNode):
            mistakes.append((N_("{vocabulary}: code '{code}': the {lang} label must be text, "
                                "not a list or a mapping"), {"lang": lang}))  # fmt: skip
            labels[lang] = ""
        elif not _is_empty(value):
            labels[lang] = str(value.value).strip()
        seen.add(lang)
    if split:
        parts = ", ".join(repr(part) for part in split)
        mistakes.insert(0, (N_("{vocabulary}: code '{code}': YAML split a label at its commas "
                               "(into {parts}); quote a label that holds a comma: {example}"),
                            {"parts": parts, "example": '{fr: "…, …", en: "…"}'}))  # fmt: skip
    else:
        missing = [lang for lang in LANGUAGES if lang not in labels]
        if missing:
            mistakes.append((N_("{vocabulary}: code '{code}': a label is missing in: {missing}; "
                                "expected its labels as {example}"),
                             {"missing": ", ".join(missing), **_EXPECTED}))  # fmt: skip
    return {lang: label for lang, label in labels.items() if label}, mistakes


def _is_empty(node: yaml.Node) -> bool:
    plain_null = node.tag == "tag:yaml.org,2002:null" and not getattr(node, "style", None)
    return isinstance(node, yaml.ScalarNode) and (plain_null or not str(node.value).strip())
