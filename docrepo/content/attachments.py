"""A document's attached files: what its `attachments:` line declares, and where they are.

An entry is a path relative to the document's folder, or `{file, title, lang}`; its
`name` (the file's own name) is the last part of its URL, `/doc/{id}/files/{name}`. A
file the document names is found only inside the content directory: a path that leaves
it (`../`, an absolute path, a symbolic link pointing outside), a hidden file, a missing
or too large file is a problem of the `attachments` line, and that file is left out;
the document and its other files stay. Every problem of an attachment, its text's
included (`extraction.Finding`), is on that line.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Protocol

from ..errors import Level, Problem
from ..i18n import N_
from ..text import TYPED_REFERENCE, joined_reference
from .extraction import Extraction, Finding

#: the front-matter field, and the `field` of its problems
FIELD = "attachments"
_MB = 1024 * 1024


@dataclass(frozen=True)
class Attachment:
    """One entry of `attachments:`, as declared."""

    #: the path as written, relative to the document's folder
    file: str
    title: str | None = None
    #: the language of its text (None: the document's)
    lang: str | None = None

    @property
    def name(self) -> str:
        """The file's name: the last part of its URL."""
        return PurePosixPath(self.file).name


@dataclass(frozen=True)
class Located:
    """An attachment found in the content directory."""

    attachment: Attachment
    #: its path relative to the content directory
    path: str
    size: int


@dataclass(frozen=True)
class AttachmentText:
    """One attached file as the index takes it: where it is, and its text (no pages for
    a file that is not read, or that could not be)."""

    attachment: Attachment
    path: str
    size: int
    kind: str
    pages: tuple[str, ...] = ()
    page_count: int | None = None
    #: the SHA-256 of the file's bytes, as extracted
    hash: str = ""


class Document(Protocol):
    """What this module reads of a document (`documents.Document`, which imports this
    module)."""

    @property
    def path(self) -> str: ...
    @property
    def field_lines(self) -> dict[str, int]: ...
    @property
    def attachments(self) -> list[Attachment]: ...


@dataclass
class DocumentAttachments:
    """A document's attachments that are found (in the order declared), and the problems
    of its `attachments` line."""

    texts: list[AttachmentText] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def problem(document: Document, level: Level, message: str, **values: object) -> Problem:
    """A problem of a document's `attachments` line (`message` marked with N_())."""
    line = document.field_lines.get(FIELD, 1)
    pairs = tuple((name, str(value)) for name, value in values.items())
    return Problem(document.path, line, level, FIELD, message, values=pairs)


def finding_problem(document: Document, attachment: Attachment, finding: Finding) -> Problem:
    """What an extraction found, as a problem of the document's `attachments` line."""
    values = dict(finding.values, name=attachment.name)
    return problem(document, finding.level, finding.message, **values)


def text_of(located: Located, extraction: Extraction, digest: str) -> AttachmentText:
    return AttachmentText(
        located.attachment,
        located.path,
        located.size,
        extraction.kind,
        extraction.pages,
        extraction.page_count,
        digest,
    )


#: the problems of an entry's path, each of the `attachments` line
DUPLICATE = N_(
    "attachment '{name}': another attachment has the same file name ({first}); each is "
    "served as /doc/…/files/{name}: rename one of them"
)
ABSOLUTE = N_(
    "attachment '{file}': an absolute path leaves the content directory; write the path from "
    "the document's folder, e.g. '{name}' for a file beside it"
)
OUTSIDE = N_(
    "attachment '{file}': the path leaves the content directory; attach a file inside it, "
    "e.g. beside the document"
)
LINK_OUTSIDE = N_(
    "attachment '{file}': a symbolic link to a file outside the content directory; copy the "
    "file into the content directory instead"
)
HIDDEN = N_(
    "attachment '{file}': a file or folder whose name starts with '.' cannot be attached; rename it"
)
MISSING = N_("attachment '{file}': there is no such file beside the document")
MISSING_CLOSE = N_(
    "attachment '{file}': there is no such file beside the document (did you mean '{close}'?)"
)
NOT_A_FILE = N_("attachment '{file}': this is not a file (a folder?); attach a file")
UNREADABLE = N_("attachment '{file}': cannot read the file: {reason}")
TOO_LARGE = N_(
    "attachment '{name}': the file is {size} MB, over the limit of {limit} MB (setting "
    "attachment_max_mb); make it smaller, or raise the setting"
)


def locate(
    document: Document, content_dir: Path, max_mb: int
) -> tuple[list[Located], list[Problem]]:
    """The files a document attaches that can be served and read, and the problems of
    those that cannot (each left out)."""
    found: list[Located] = []
    problems: list[Problem] = []
    folder = posixpath.dirname(document.path)
    root = os.path.realpath(content_dir)
    for attachment in document.attachments:
        outcome = _locate_one(attachment, folder, content_dir, root, max_mb)
        first = next((f for f in found if f.attachment.name == attachment.name), None)
        if isinstance(outcome, Located) and first is not None:
            problems.append(problem(document, "error", DUPLICATE, name=attachment.name,
                                    first=first.attachment.file))  # fmt: skip
        elif isinstance(outcome, Located):
            found.append(outcome)
        else:
            message, values = outcome
            problems.append(problem(document, "error", message, **values))
    return found, problems


_Refusal = tuple[str, dict[str, object]]


def _locate_one(
    attachment: Attachment, folder: str, content_dir: Path, root: str, max_mb: int
) -> Located | _Refusal:
    file = attachment.file
    said: dict[str, object] = {"file": file}
    if file.startswith(("/", "\\")) or PureWindowsPath(file).drive:
        return ABSOLUTE, {**said, "name": attachment.name}
    relative = posixpath.normpath(posixpath.join(folder, file))
    if relative == ".." or relative.startswith("../"):
        return OUTSIDE, said
    if any(part.startswith(".") for part in relative.split("/")):
        return HIDDEN, said
    path = content_dir / relative
    real = os.path.realpath(path)
    if os.path.commonpath([root, real]) != root:
        return LINK_OUTSIDE, said
    try:
        status = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        close = _close_name(path)
        close = posixpath.join(posixpath.dirname(file), close) if close else ""
        return (MISSING_CLOSE if close else MISSING), {**said, "close": close}
    except OSError as exc:
        return UNREADABLE, {**said, "reason": exc.strerror or exc}
    if not stat.S_ISREG(status.st_mode):
        return NOT_A_FILE, said
    if status.st_size > max_mb * _MB:
        size = f"{status.st_size / _MB:.1f}"
        return TOO_LARGE, {"name": attachment.name, "size": size, "limit": max_mb}
    return Located(attachment, relative, status.st_size)


def cited(texts: list[AttachmentText]) -> list[str]:
    """The references written in attached files, in order, each once: citations of their
    document, like those of its text."""
    found = (
        joined_reference(m) for t in texts for p in t.pages for m in TYPED_REFERENCE.finditer(p)
    )
    return list(dict.fromkeys(found))


#: an attached file's state as the manifest keeps it: its path relative to the content
#: directory, its mtime in ns and its size (0 and -1 when there is no such file)
FileState = tuple[str, int, int]


def file_states(document: Document, content_dir: Path) -> list[FileState]:
    """The state of each file a document attaches inside the content directory (found
    or not): when one changes, the document is read again."""
    folder = posixpath.dirname(document.path)
    states: list[FileState] = []
    for attachment in document.attachments:
        if attachment.file.startswith(("/", "\\")) or PureWindowsPath(attachment.file).drive:
            continue
        relative = posixpath.normpath(posixpath.join(folder, attachment.file))
        if relative != ".." and not relative.startswith("../"):
            states.append(file_state(content_dir, relative))
    return states


def file_state(content_dir: Path, relative: str) -> FileState:
    """A file's state now (through symbolic links)."""
    try:
        status = (content_dir / relative).stat()
    except OSError:
        return relative, 0, -1
    return relative, status.st_mtime_ns, status.st_size


def _close_name(path: Path) -> str:
    """The name closest to a missing file's among the files of its folder, or ''."""
    try:
        names = [e.name for e in os.scandir(path.parent) if not e.name.startswith(".")]
    except OSError:
        return ""
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    if not close:
        folded = {n.lower(): n for n in names}
        return folded.get(path.name.lower(), "")
    return close[0]
