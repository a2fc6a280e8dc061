"""One content file → a `Document`, or the `Problem`s that keep it from being one.

Front matter is read node by node with PyYAML's composer so that every problem can
name its line, and so that values YAML 1.1 would silently change (``0123`` → 83,
``no`` → false) are caught before they are converted. Anchors and aliases are refused
outright: an alias bomb never gets to expand.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..errors import Level, Problem
from ..i18n import N_
from ..schema import INTERNAL, LANGS, PUBLIC, STATUSES
from ..text import WORD_PATTERN
from .attachments import Attachment
from .markdown import Citation, Heading, Link, render
from .taxonomy import Taxonomy
from .yaml_errors import yaml_problem

#: Files larger than this are refused: no editor writes a 1 MB administrative text.
MAX_FILE_SIZE = 1_000_000
#: A text that takes longer than this to render (CPU time) is a problem of its file.
MAX_RENDER_SECONDS = 2.0
#: More headings than this are refused before rendering (a megabyte of them takes seconds)
MAX_HEADINGS = 20_000
#: More '|' than this are refused before rendering: each table cell costs ~20 µs to render
MAX_TABLE_BARS = 50_000
#: More distinct words (numbers aside) than this are refused: the index's writer stems each
#: one in ~50 µs, twice if accented (docs/performance.md, "No single file holds the writer")
MAX_DISTINCT_WORDS = 10_000

DATED_TYPES = frozenset({"decision", "circular", "instruction", "note"})

_GROUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
#: a `reference:` line of a front matter, its value plain or quoted, maybe a comment after
_REFERENCE_LINE = re.compile(r"^reference:[ \t]*(['\"]?)([^'\"\s#]+)\1[ \t]*(?:#.*)?$", re.M)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: what YAML would turn an unquoted value into, and the message that says so
_YAML_READS = {
    "tag:yaml.org,2002:int": N_(
        "field '{name}': YAML reads {value} as a number, not as text; quote the value: '{value}'"
    ),
    "tag:yaml.org,2002:float": N_(
        "field '{name}': YAML reads {value} as a number, not as text; quote the value: '{value}'"
    ),
    "tag:yaml.org,2002:bool": N_(
        "field '{name}': YAML reads {value} as true/false, not as text; quote the value: '{value}'"
    ),
    "tag:yaml.org,2002:timestamp": N_(
        "field '{name}': YAML reads {value} as a date, not as text; quote the value: '{value}'"
    ),
}


class _Handler(YAMLHandler):
    """python-frontmatter's YAML handler, with a boundary that keeps the blank lines
    after a `---` (its own pattern swallows them, and every line number after shifts)."""

    FM_BOUNDARY = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)


_FM = _Handler()


@dataclass
class Document:
    """A valid document, with its rendered text."""

    id: str
    path: str
    title: str
    type: str
    hash: str
    lang: str = "fr"
    date: dt.date | None = None
    published: dt.date | None = None
    reference: str | None = None
    institutes: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    issuer: str | None = None
    themes: list[str] = field(default_factory=list)
    status: str = "in-force"
    supersedes: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    access: list[str] = field(default_factory=lambda: [PUBLIC])
    effective: dt.date | None = None
    ends: dt.date | None = None
    summary: str | None = None
    aliases: list[str] = field(default_factory=list)
    code: str | None = None
    director: str | None = None
    partners: list[str] = field(default_factory=list)
    city: str | None = None
    country: str | None = None
    website: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    #: the reference or id of the text this one translates (None: not a translation)
    translation_of: str | None = None
    html: str = ""
    text: str = ""
    toc: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    field_lines: dict[str, int] = field(default_factory=dict)
    #: the number of words of `text` before each heading of `toc`
    heading_words: list[int] = field(default_factory=list)
    #: the references written in the text (what it may cite)
    citations: list[Citation] = field(default_factory=list)

    @property
    def in_force_from(self) -> dt.date | None:
        """The day the text enters into force: `effective`, else its `date`."""
        return self.effective or self.date


@dataclass
class ParsedFile:
    """The outcome of reading one file: a document (when valid) and its problems."""

    path: str
    hash: str
    document: Document | None
    problems: list[Problem]
    #: the reference the file declares, read even when the file is not valid
    declared_reference: str | None = None

    @property
    def valid(self) -> bool:
        return self.document is not None


class _Rejected(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark is not None else 1


#: libyaml's loader when PyYAML was built with it (ten times faster), else the Python one
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_anchors(text: str) -> None:
    """Refuse anchors and aliases before composing: no alias bomb, no shared nodes."""
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise _Rejected(event.start_mark, N_("YAML aliases (*name) are not allowed here"))
        if getattr(event, "anchor", None) is not None:
            raise _Rejected(event.start_mark, N_("YAML anchors (&name) are not allowed here"))


class _FieldError(Exception):
    """A value that does not fit its field: a message that says what was expected (the
    field's `{name}` is filled in by the caller), and the values it names."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values
        #: the line of the item of a list that is wrong (None: the field's line)
        self.line: int | None = None


_NULL = "tag:yaml.org,2002:null"


def _scalar(node: yaml.Node) -> str:
    """A scalar node's text, refusing values YAML would turn into another type."""
    if isinstance(node, yaml.SequenceNode):
        raise _FieldError(N_("field '{name}': expected a single value, found a list"))
    if not isinstance(node, yaml.ScalarNode):
        raise _FieldError(N_("field '{name}': expected a single value, found a mapping"))
    if not node.style and node.tag == _NULL:
        raise _FieldError(N_("field '{name}': the value is empty"))
    reads_as = _YAML_READS.get(node.tag)
    if not node.style and reads_as:
        raise _FieldError(reads_as, value=node.value)
    value = str(node.value).strip()
    if not value:
        raise _FieldError(N_("field '{name}': the value is empty"))
    control = _CONTROL.search(value)
    if control:
        raise _FieldError(
            N_(
                "field '{name}': the value holds an invisible control character ({char}); remove it"
            ),
            char=f"U+{ord(control.group()):04X}",
        )
    return value


def _scalars(node: yaml.Node) -> list[str]:
    """A list of scalars; a single value counts as a list of one."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null" and not node.style:
            return []
        return [_scalar(node)]
    if not isinstance(node, yaml.SequenceNode):
        raise _FieldError(N_("field '{name}': expected a list, found a mapping"))
    values: list[str] = []
    for item in node.value:
        try:
            values.append(_scalar(item))
        except _FieldError as exc:
            exc.line = item.start_mark.line + 1
            raise
    return values


#: for each month, the message of a day past its end (one sentence each, so that every
#: language names its months its own way)
_DAYS_IN = (
    N_("field '{name}': {value} is not a date: January {year} has {days} days"),
    N_("field '{name}': {value} is not a date: February {year} has {days} days"),
    N_("field '{name}': {value} is not a date: March {year} has {days} days"),
    N_("field '{name}': {value} is not a date: April {year} has {days} days"),
    N_("field '{name}': {value} is not a date: May {year} has {days} days"),
    N_("field '{name}': {value} is not a date: June {year} has {days} days"),
    N_("field '{name}': {value} is not a date: July {year} has {days} days"),
    N_("field '{name}': {value} is not a date: August {year} has {days} days"),
    N_("field '{name}': {value} is not a date: September {year} has {days} days"),
    N_("field '{name}': {value} is not a date: October {year} has {days} days"),
    N_("field '{name}': {value} is not a date: November {year} has {days} days"),
    N_("field '{name}': {value} is not a date: December {year} has {days} days"),
)


def _date(node: yaml.Node) -> dt.date:
    if not isinstance(node, yaml.ScalarNode):
        raise _FieldError(N_("field '{name}': expected a date YYYY-MM-DD, not a list or a mapping"))
    value = str(node.value).strip()
    if not _DATE.match(value):
        raise _FieldError(N_("field '{name}': expected a date YYYY-MM-DD, found '{value}'"),
                          value=value)  # fmt: skip
    year, month, day = (int(part) for part in value.split("-"))
    if year == 0:
        raise _FieldError(N_("field '{name}': {value} is not a date: years start at 0001"),
                          value=value)  # fmt: skip
    if not 1 <= month <= 12:
        raise _FieldError(
            N_("field '{name}': {value} is not a date: there is no month {month}; months are "
               "01 to 12"),
            value=value, month=value[5:7],
        )  # fmt: skip
    days = calendar.monthrange(year, month)[1]
    if day == 0:
        raise _FieldError(N_("field '{name}': {value} is not a date: days are numbered from 01"),
                          value=value)  # fmt: skip
    if day > days:
        raise _FieldError(_DAYS_IN[month - 1], value=value, year=value[:4], days=days)
    return dt.date(year, month, day)


def _choice(allowed: tuple[str, ...]) -> Callable[[yaml.Node], str]:
    def convert(node: yaml.Node) -> str:
        value = _scalar(node) if not _is_plain_bool(node) else str(node.value)
        if value not in allowed:
            close = _close(value, allowed)
            message = (
                N_("field '{name}': '{value}' is not allowed; expected one of: {allowed} "
                   "(did you mean '{close}'?)")
                if close
                else N_("field '{name}': '{value}' is not allowed; expected one of: {allowed}")
            )  # fmt: skip
            raise _FieldError(message, value=value, allowed=", ".join(allowed), close=close)
        return value

    return convert


def _is_plain_bool(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool"


def _close(value: str, choices: list[str] | tuple[str, ...]) -> str:
    """The choice closest to a mistyped value, or ''."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


def _access(node: yaml.Node) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(node)
        if value in (PUBLIC, INTERNAL):
            return [value]
        raise _FieldError(
            N_(
                "field '{name}': '{value}' is not allowed; expected public, internal, or a "
                "list of group names such as [{value}]"
            ),
            value=value,
        )
    groups = _scalars(node)
    if not groups:
        raise _FieldError(
            N_(
                "field '{name}': the list of groups is empty; expected public, internal or "
                "[group, …]"
            )
        )
    for group in groups:
        if not _GROUP.match(group):
            raise _FieldError(
                N_(
                    "field '{name}': '{value}' is not a group name; expected letters, digits, "
                    "'.', '_' or '-'"
                ),
                value=group,
            )
    return groups


def _url(node: yaml.Node) -> str:
    value = _scalar(node)
    if not re.match(r"^https?://[^\s/]+", value, re.IGNORECASE):
        raise _FieldError(
            N_("field '{name}': '{value}' is not a web address; expected https://…"), value=value
        )
    return value


def _reference(node: yaml.Node) -> str:
    value = _scalar(node)
    if not _REFERENCE.match(value):
        raise _FieldError(
            N_(
                "field '{name}': '{value}' is not a reference; expected e.g. DEC240187DAJ, "
                "no spaces"
            ),
            value=value,
        )
    return value


def _ids(node: yaml.Node) -> list[str]:
    values = _scalars(node)
    for value in values:
        if value.startswith("/") or value.endswith(".md") or ".." in value.split("/"):
            raise _FieldError(
                N_(
                    "field '{name}': '{value}' is not a document id; expected a path relative "
                    "to the content directory without .md, e.g. decisions/2024/dec240187daj"
                ),
                value=value,
            )
    return values


_LANG = _choice(LANGS)
_ATTACHMENT_KEYS = ("file", "title", "lang")
_ATTACHMENT_SHAPE = N_(
    "field '{name}': expected a list of files, each a path (annexe-1.pdf) or a mapping "
    "such as {{file: annexe-1.pdf, title: Annexe 1, lang: fr}}"
)


def _attachments(node: yaml.Node) -> list[Attachment]:
    """Files beside the document, each a path or `{file, title, lang}` (one alone is a
    list of one); where they are is looked at later (`attachments.locate`)."""
    if isinstance(node, yaml.ScalarNode) and node.tag == _NULL and not node.style:
        return []
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    return [_attachment(item) for item in items]


def _attachment(node: yaml.Node) -> Attachment:
    if isinstance(node, yaml.ScalarNode):
        return Attachment(_scalar(node))
    if not isinstance(node, yaml.MappingNode):
        raise _FieldError(_ATTACHMENT_SHAPE)
    values: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        if key not in _ATTACHMENT_KEYS or key in values:
            close = _close(key, _ATTACHMENT_KEYS) if key not in values else ""
            raise _FieldError(
                N_("field '{name}': '{key}' is not a key of an attachment (did you mean "
                   "'{close}'?); expected file, title and lang")
                if close
                else N_("field '{name}': '{key}' is not a key of an attachment, or is given "
                        "twice; expected file, title and lang"),
                key=key, close=close,
            )  # fmt: skip
        values[key] = _LANG(value_node) if key == "lang" else _scalar(value_node)
    if "file" not in values:
        raise _FieldError(
            N_("field '{name}': an attachment without 'file'; expected e.g. "
               "{{file: annexe-1.pdf, title: Annexe 1}}")
        )  # fmt: skip
    return Attachment(values["file"], values.get("title"), values.get("lang"))


_Converter = Callable[[yaml.Node], Any]
_TEXT: _Converter = _scalar
_TEXTS: _Converter = _scalars


@dataclass(frozen=True)
class Types:
    """Some document types, or every one (`EVERY_TYPE`)."""

    names: frozenset[str] = frozenset()
    every: bool = False

    def __contains__(self, doc_type: object) -> bool:
        return self.every or doc_type in self.names


EVERY_TYPE = Types(every=True)
NO_TYPE = Types()
DATED = Types(frozenset(DATED_TYPES))


@dataclass(frozen=True)
class FieldSpec:
    """A field of the front matter: how its value is read, and what a document of each
    type makes of it (the checks, and the front matter `docrepo new` writes)."""

    convert: _Converter
    #: the vocabulary of the taxonomy its codes belong to
    vocabulary: str | None = None
    #: a list of values (one value alone is a list of one)
    is_list: bool = False
    #: the types whose documents must give it
    required: Types = NO_TYPE
    #: the types whose new documents offer it, to fill
    offered: Types = NO_TYPE
    #: the value a new document shows, commented out, until it is filled (a list: [])
    example: str = "…"


def _types(*names: str) -> Types:
    return Types(frozenset(names))


#: every field of the front matter (the one table: the checks, and the front matter of
#: `docrepo new`, in this order)
FIELDS: dict[str, FieldSpec] = {
    "title": FieldSpec(_TEXT, required=EVERY_TYPE),
    "type": FieldSpec(_TEXT, "types", required=EVERY_TYPE),
    "status": FieldSpec(_choice(STATUSES), offered=EVERY_TYPE),
    "lang": FieldSpec(_LANG),
    "date": FieldSpec(_date, required=DATED),
    "published": FieldSpec(_date),
    "reference": FieldSpec(_reference, offered=DATED, example="DEC250001DAJ"),
    "issuer": FieldSpec(_TEXT, "issuers", offered=DATED, example="DAJ"),
    "institutes": FieldSpec(_TEXTS, "institutes", is_list=True, offered=EVERY_TYPE),
    "regions": FieldSpec(_TEXTS, "regions", is_list=True, offered=EVERY_TYPE),
    "themes": FieldSpec(_TEXTS, "themes", is_list=True, offered=EVERY_TYPE),
    "supersedes": FieldSpec(_TEXTS, is_list=True),
    "amends": FieldSpec(_TEXTS, is_list=True),
    "access": FieldSpec(_access, is_list=True),
    "effective": FieldSpec(_date),
    "ends": FieldSpec(_date),
    "summary": FieldSpec(_TEXT, offered=EVERY_TYPE),
    "aliases": FieldSpec(_ids, is_list=True),
    "code": FieldSpec(_TEXT, offered=_types("unit", "regional-office", "institute", "department")),
    "director": FieldSpec(
        _TEXT, offered=_types("unit", "regional-office", "office-abroad", "institute", "department")
    ),
    "partners": FieldSpec(_TEXTS, is_list=True, offered=_types("unit")),
    "city": FieldSpec(_TEXT, offered=_types("unit", "regional-office", "office-abroad")),
    "country": FieldSpec(_TEXT, offered=_types("unit", "office-abroad")),
    "website": FieldSpec(_url, offered=_types("unit", "office-abroad", "institute")),
    "attachments": FieldSpec(_attachments, is_list=True),
    "translation_of": FieldSpec(_TEXT),
}
#: fields whose problems are on the field's own line, whatever line of its value is wrong
_ON_FIELD_LINE = frozenset({"attachments"})
REQUIRED = tuple(name for name, spec in FIELDS.items() if spec.required.every)


def document_id(relative_path: str) -> str:
    """The id of a file: its path relative to the content directory, without `.md`."""
    return relative_path[: -len(".md")] if relative_path.endswith(".md") else relative_path


class _FileProblems:
    """Collects the problems of one file while its parts are read."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(
        self,
        line: int,
        message: str,
        field: str | None = None,
        level: Level = "error",
        /,
        **values: object,
    ) -> None:
        """A problem: `message` marked with N_(), naming `{values}` filled in when shown."""
        pairs = tuple((name, str(value)) for name, value in values.items())
        self.problems.append(Problem(self.path, line, level, field, message, values=pairs))

    @property
    def failed(self) -> bool:
        return any(p.level == "error" for p in self.problems)


def _decode(data: bytes, problems: _FileProblems) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(
            line,
            N_("the file is not valid UTF-8 (byte {byte} at offset {offset}); save it as UTF-8"),
            byte=f"0x{data[exc.start]:02x}",
            offset=exc.start,
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split(text: str, problems: _FileProblems) -> tuple[str, str, int] | None:
    """(front matter, body, file line of the closing ---) or None with a problem."""
    if not text.strip():
        problems.add(
            1, N_("the file is empty; a document starts with front matter between --- lines")
        )
        return None
    if not _FM.detect(text):
        problems.add(
            1,
            N_(
                "no front matter; a document starts with a --- line, fields such as "
                "'title:' and 'type:', and a closing --- line"
            ),
        )
        return None
    try:
        front, body = _FM.split(text)
    except ValueError:
        problems.add(1, N_("the front matter opened on this line is never closed by a --- line"))
        return None
    return front, body, 1 + front.count("\n")


def declared_reference(front: str) -> str | None:
    """The reference a front matter declares, read line by line: an invalid file still
    answers to it, whatever else is wrong with its fields or its YAML."""
    found = _REFERENCE_LINE.search(front)
    return found.group(2) if found and _REFERENCE.match(found.group(2)) else None


def _front_matter(front: str, problems: _FileProblems) -> yaml.MappingNode | None:
    try:
        _refuse_anchors(front)
        root = yaml.compose(front, Loader=_LOADER)
    except _Rejected as exc:
        problems.add(exc.line, exc.message)
        return None
    except yaml.YAMLError as exc:
        message = N_(
            "the front matter is not valid YAML: {what}; check indentation and quote values "
            "that contain ': '"
        )
        line, message, values = yaml_problem(exc, front, message)
        problems.add(line, message, **values)
        return None
    if isinstance(root, yaml.MappingNode):
        return root
    if root is None:
        message = N_(
            "the front matter is empty; expected fields such as 'title: …' and 'type: …'. "
            "If this first --- is meant as a horizontal rule, add front matter above it"
        )
    elif isinstance(root, yaml.SequenceNode):
        message = N_(
            "the front matter is a list, not a mapping of fields; expected fields such as "
            "'title: …' and 'type: …'. If this first --- is meant as a horizontal rule, add "
            "front matter above it"
        )
    else:
        message = N_(
            "the front matter is '{value}', not a mapping of fields; expected fields such as "
            "'title: …' and 'type: …'. If this first --- is meant as a horizontal rule, add "
            "front matter above it"
        )
    problems.add(1, message, value=getattr(root, "value", ""))
    return None


def _fields(root: yaml.MappingNode, taxonomy: Taxonomy, problems: _FileProblems) -> dict[str, Any]:
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.add(
                line,
                N_("a field name must be a plain word (such as 'title'), not a list or a mapping"),
            )
            continue
        name = str(key_node.value)
        if name in lines:
            problems.add(line, N_("field '{name}' is given twice (first on line {first})"), name,
                         name=name, first=lines[name])  # fmt: skip
            continue
        lines[name] = line
        if name not in FIELDS:
            close = _close(name, list(FIELDS))
            message = (
                N_("unknown field '{name}' (did you mean '{close}'?)")
                if close
                else N_("unknown field '{name}'")
            )
            problems.add(line, message, name, name=name, close=close)
            continue
        vocabulary = FIELDS[name].vocabulary
        try:
            value = FIELDS[name].convert(value_node)
        except _FieldError as exc:
            at = line if name in _ON_FIELD_LINE else exc.line or value_node.start_mark.line + 1
            problems.add(at, exc.message, name, name=name, **exc.values)
            continue
        if vocabulary:
            for code in value if isinstance(value, list) else [value]:
                if not taxonomy.has(vocabulary, code):
                    close_codes = taxonomy.closest(vocabulary, code)
                    message = (
                        N_("field '{name}': unknown code '{code}' in vocabulary '{vocabulary}'; "
                           "did you mean {close}?")
                        if close_codes
                        else N_("field '{name}': unknown code '{code}' in vocabulary "
                                "'{vocabulary}'")
                    )  # fmt: skip
                    close = ", ".join(close_codes)
                    problems.add(value_node.start_mark.line + 1, message, name, name=name,
                                 code=code, vocabulary=vocabulary, close=close)  # fmt: skip
                    break
            else:
                values[name] = value
        else:
            values[name] = value
    values["field_lines"] = lines
    return values


def _check_required(values: dict[str, Any], problems: _FileProblems) -> None:
    lines: dict[str, int] = values["field_lines"]
    for name in REQUIRED:
        if name not in lines:
            problems.add(1, N_("field '{name}' is required"), name, name=name)
    doc_type = values.get("type")
    if doc_type in FIELDS["date"].required and "date" not in lines:
        problems.add(
            lines.get("type", 1),
            N_("field 'date' is required for a {type}: the date of signature, YYYY-MM-DD"),
            "date",
            type=doc_type,
        )


def _check_period(values: dict[str, Any], problems: _FileProblems) -> None:
    """A text cannot end before it enters into force."""
    ends, starts = values.get("ends"), values.get("effective") or values.get("date")
    if ends is not None and starts is not None and ends < starts:
        start_field = "effective" if "effective" in values else "date"
        problems.add(
            values["field_lines"]["ends"],
            N_(
                "field 'ends': {ends} is before the day the text enters into force "
                "({start_field}: {starts}); a text ends on or after its '{start_field}'"
            ),
            "ends",
            ends=ends,
            start_field=start_field,
            starts=starts,
        )


def parse_file(path: Path, content_dir: Path, taxonomy: Taxonomy) -> ParsedFile:
    """Read and validate one file; never raises for bad content."""
    relative = path.relative_to(content_dir).as_posix()
    problems = _FileProblems(relative)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(1, N_("cannot read the file: {reason}"), reason=exc.strerror)
        return ParsedFile(relative, "", None, problems.problems)
    return parse_bytes(relative, data, taxonomy, problems)


def parse_bytes(
    relative: str, data: bytes, taxonomy: Taxonomy, problems: _FileProblems | None = None
) -> ParsedFile:
    """Validate a file's bytes as the document at `relative` (a path under content/)."""
    problems = problems or _FileProblems(relative)
    digest = hashlib.sha256(data).hexdigest()
    declared: str | None = None

    def outcome(document: Document | None = None) -> ParsedFile:
        valid = None if problems.failed else document
        return ParsedFile(relative, digest, valid, problems.problems, declared)

    if len(data) > MAX_FILE_SIZE:
        problems.add(
            1,
            N_("the file is {size} bytes; the limit is {limit}: split it into several documents"),
            size=f"{len(data):,}",
            limit=f"{MAX_FILE_SIZE:,}",
        )
        return outcome()
    text = _decode(data, problems)
    if text is None:
        return outcome()
    parts = _split(text, problems)
    if parts is None:
        return outcome()
    front, body, closing_line = parts
    declared = declared_reference(front)
    root = _front_matter(front, problems)
    if root is None:
        return outcome()
    values = _fields(root, taxonomy, problems)
    _check_required(values, problems)
    _check_period(values, problems)
    if not body.strip():
        problems.add(closing_line, N_("the document has no text after its front matter"))
    if problems.failed:
        return outcome()
    doc_id = document_id(relative)
    # refused before rendering: the watcher never waits on them
    too_many = (
        (
            body.count("\n#") + body.startswith("#"),
            MAX_HEADINGS,
            N_("the text has {count} headings (the limit is {limit}): split it into several "
               "documents"),
        ),
        (
            body.count("|"),
            MAX_TABLE_BARS,
            N_("the text has {count} '|' of tables (the limit is {limit}): split it into "
               "several documents"),
        ),
    )  # fmt: skip
    for count, limit, message in too_many:
        if count > limit:
            problems.add(closing_line + 1, message, count=f"{count:,}", limit=f"{limit:,}")
            return outcome()
    started = time.process_time()
    rendered = render(body, doc_id, first_line=closing_line)
    spent = time.process_time() - started
    if spent > MAX_RENDER_SECONDS:  # linear, but a megabyte of headings still takes seconds
        problems.add(
            closing_line + 1,
            N_("the text took {spent} s to render (the limit is {limit} s): split it into "
               "several documents"),
            spent=f"{spent:.1f}",
            limit=f"{MAX_RENDER_SECONDS:.0f}",
        )  # fmt: skip
        return outcome()
    words = {w for w in WORD_PATTERN.findall(rendered.text.lower()) if not w.isdigit()}
    if len(words) > MAX_DISTINCT_WORDS:
        problems.add(
            closing_line + 1,
            N_("the text has {count} distinct words (the limit is {limit}, numbers aside): "
               "split it into several documents"),
            count=f"{len(words):,}",
            limit=f"{MAX_DISTINCT_WORDS:,}",
        )  # fmt: skip
        return outcome()
    if rendered.brackets_escaped:
        problems.add(
            closing_line + 1,
            N_("too many '[' to parse links: they are shown as text"),
            None,
            "warning",
        )
    document = Document(
        id=doc_id,
        path=relative,
        hash=digest,
        html=rendered.html,
        text=rendered.text,
        toc=rendered.toc,
        links=rendered.links,
        heading_words=rendered.heading_words,
        citations=rendered.citations,
        **values,
    )
    return outcome(document)
