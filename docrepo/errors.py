"""The exceptions docrepo raises, and the problems it reports about content.

    DocrepoError              anything docrepo reports to a user, never with a traceback
    ├── ConfigError           a setting has a wrong value
    ├── ContentUnreadable     a folder of the content directory cannot be read
    ├── IndexUnavailable      the index cannot be opened or written
    └── BadRequest            a search request has a parameter that makes no sense

A `Problem` is not an exception: reading content collects every problem it finds
(file, line, field, message) and goes on with the other files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


class DocrepoError(Exception):
    """Base class: a message meant for a person, shown without a traceback."""

    exit_code = 1


class ConfigError(DocrepoError):
    """A setting has a value that is not what it should be."""

    exit_code = 2


class ContentUnreadable(DocrepoError):
    """A folder of the content directory cannot be listed (nothing is changed then)."""


class IndexUnavailable(DocrepoError):
    """The index cannot be opened, built or written."""


class BadRequest(DocrepoError):
    """A search request parameter is invalid (HTTP 400)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (error) or suspicious (warning) in a content file."""

    path: str
    line: int
    level: Level
    field: str | None
    message: str
    #: the id of another document the message names (hidden from who may not see it)
    related: str | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "level": self.level,
            "field": self.field,
            "message": self.message,
        }

    def to_record(self) -> dict[str, object]:
        """Everything, `related` included, for the manifest."""
        return {**self.to_dict(), "related": self.related}

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
        )
