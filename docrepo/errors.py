"""The exceptions docrepo raises, and the problems it reports about content.

    DocrepoError              anything docrepo reports to a user, never with a traceback
    ├── ConfigError           settings have wrong values (all of them are named at once)
    ├── ContentUnreadable     a folder of the content directory cannot be read
    ├── IndexUnavailable      the index cannot be opened or written (HTTP 503)
    ├── BadRequest            a search request has a parameter that makes no sense (400)
    └── NotFound              no such page, or not one the viewer may see (404)

Each error carries the exit code of the command that meets it and the HTTP status of
the page that does; the web faces answer any of them with one handler.

A `Problem` is not an exception: reading content collects every problem it finds
(file, line, field, message) and goes on with the other files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .i18n import N_, translations

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Message:
    """A message as written in the code, in English and marked for the catalogs with
    `N_()`, and the values it names (`"setting '{name}': …"`): shown in the language of
    whoever reads it (`text`)."""

    template: str
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, template: str, **values: object) -> Message:
        return cls(template, tuple((name, str(value)) for name, value in values.items()))

    def text(self, lang: str = "en") -> str:
        translated = translations(lang).gettext(self.template)
        return translated.format(**dict(self.values)) if self.values else translated

    def __str__(self) -> str:
        return self.text()


class DocrepoError(Exception):
    """Base class: a message meant for a person, shown without a traceback."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: Message | str) -> None:
        self.message = message if isinstance(message, Message) else Message(message)
        super().__init__(self.message.text())

    def text(self, lang: str = "en") -> str:
        """The message in a language (its catalog's translation, when it has one)."""
        return self.message.text(lang)


class ConfigError(DocrepoError):
    """Settings have values that are not what they should be: one message each."""

    exit_code = 2

    def __init__(self, *messages: Message | str) -> None:
        self.messages = [m if isinstance(m, Message) else Message(m) for m in messages]
        super().__init__(self.text())

    def text(self, lang: str = "en") -> str:
        return "\n".join(m.text(lang) for m in self.messages)


class ContentUnreadable(DocrepoError):
    """A folder of the content directory cannot be listed (nothing is changed then)."""


class IndexUnavailable(DocrepoError):
    """The index cannot be opened, built or written."""

    http_status = 503


class BadRequest(DocrepoError):
    """A search request parameter is invalid: its message names it, in the language of
    whoever reads it (`text`)."""

    exit_code = 2
    http_status = 400

    def __init__(self, parameter: str, message: Message) -> None:
        super().__init__(message)
        self.parameter = parameter


class NotFound(DocrepoError):
    """No such page or document, or one the viewer may not see (never told apart)."""

    http_status = 404


#: how a path relative to the content folder is shown to editors
ShowPath = Callable[[str], str]
#: the values of problems' messages that are paths of content files
PATH_VALUES = frozenset({"target"})


def _as_written(path: str) -> str:
    return path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (error) or suspicious (warning) in a content file.

    `message` is English, as written in the code; when it names values
    (`"unknown field '{name}'"`), they are in `values`, so that the message can be
    shown in the language of whoever reads it (`text`).
    """

    path: str
    line: int
    level: Level
    field: str | None
    message: str
    #: the ids of the other documents the message names, one per line (`related_ids`):
    #: the problem is hidden from who may not see every one of them
    related: str | None = None
    #: the values the message names, as (name, text) pairs
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def missing_link(cls, path: str, line: int, target: str | None) -> Problem:
        """The warning of a link to a file that does not exist (`target`: its path, None
        for a file outside the content directory); the reader gives the same warning of a
        link to a document hidden from the viewer, so that none tells it exists."""
        if target is None:
            outside = N_("link to a file outside the content directory, which does not exist")
            return cls(path, line, "warning", None, outside)
        missing = N_("link to {target}, which does not exist")
        return cls(path, line, "warning", None, missing, values=(("target", target),))

    @property
    def related_documents(self) -> list[str]:
        return self.related.split("\n") if self.related else []

    def text(self, lang: str = "en", show: ShowPath = _as_written) -> str:
        """The message in a language (its catalog's translation, values filled in); the
        content paths it names are shown by `show`, like the problem's own path."""
        values = tuple((k, show(v) if k in PATH_VALUES else v) for k, v in self.values)
        return Message(self.message, values).text(lang)

    def __str__(self) -> str:
        return self.line_text("en")

    def line_text(self, lang: str, show: ShowPath = _as_written) -> str:
        """`PATH:LINE: error: message`, as editors' tools read it (the level stays English);
        `show` turns a path relative to the content folder into the form editors are
        shown (`content.shown_paths`)."""
        return f"{show(self.path)}:{self.line}: {self.level}: {self.text(lang, show)}"

    def to_dict(self, lang: str = "en", show: ShowPath = _as_written) -> dict[str, object]:
        return {
            "path": show(self.path),
            "line": self.line,
            "level": self.level,
            "field": self.field,
            "message": self.text(lang, show),
        }

    def to_record(self) -> dict[str, object]:
        """Everything, the untranslated message and its values included, for the manifest."""
        return {
            "path": self.path,
            "line": self.line,
            "level": self.level,
            "field": self.field,
            "message": self.message,
            "related": self.related,
            "values": dict(self.values),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Problem:
        level: Level = "warning" if data["level"] == "warning" else "error"
        field = data.get("field")
        return cls(
            path=str(data["path"]),
            line=int(str(data["line"])),
            level=level,
            field=str(field) if field is not None else None,
            message=str(data["message"]),
            related=str(data["related"]) if data.get("related") else None,
            values=_pairs(data.get("values")),
        )


def related_ids(*ids: str | None) -> str | None:
    """The `related` of a problem naming these documents (ids never hold a line break)."""
    named = [i for i in ids if i]
    return "\n".join(named) if named else None


def _pairs(values: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(values, dict):
        return ()
    return tuple((str(name), str(value)) for name, value in values.items())
