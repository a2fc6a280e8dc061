"""The content tree: which paths are documents, and the scan that finds them all."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentUnreadable, Problem
from ..i18n import N_


def is_hidden(relative: str) -> bool:
    """Whether a path has a part starting with `.` or `_` (not content)."""
    return any(part.startswith((".", "_")) for part in relative.split("/") if part)


def is_document_path(relative: str) -> bool:
    """A `.md` file whose path has no part starting with `.` or `_`."""
    return relative.endswith(".md") and not is_hidden(relative)


#: the `field` of a problem of a path itself (a folder that cannot be read, a name that is
#: not UTF-8), not of what a file says
PATH_FIELD = "path"


@dataclass
class Scan:
    """The document files under a folder (relative path → stat), the folders that could
    not be listed (what is under them is unknown, not gone), and a problem for each of
    those and for each name that is not UTF-8 (left out: no index, database or page
    could hold it)."""

    files: dict[str, os.stat_result] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def unknown(self, path: str) -> bool:
        """Whether a path is under a folder that could not be listed."""
        return any(path.startswith(f"{folder}/") for folder in self.unreadable)


def shown(relative: str) -> str:
    """A path as a person can read it: bytes that are not UTF-8 escaped (\\xff)."""
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_utf8(name: str) -> bool:
    """Whether a name (as Python decodes file names) can be written as UTF-8."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def scan(content_dir: Path, prefix: str = "") -> Scan:
    """Every document file under a folder of the content directory (`prefix`: its
    relative path), never stopped by one folder or one name: those are problems of
    their path. Only the folder itself missing or unreadable is an error."""
    found = Scan()
    stack = [content_dir]
    root = f"{os.fspath(content_dir).rstrip('/')}/"
    while stack:
        folder = stack.pop()
        relative_folder = prefix + os.fspath(folder)[len(root) :] if folder != content_dir else ""
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            if folder == content_dir:
                raise ContentUnreadable(f"the folder {folder} does not exist") from None
            continue  # removed while we walked: what was in it is gone
        except OSError as exc:
            if folder == content_dir:
                raise ContentUnreadable(
                    f"cannot read the folder {folder}: {exc.strerror or exc}"
                ) from None
            found.unreadable.append(relative_folder.rstrip("/"))
            found.problems.append(
                Problem(
                    f"{shown(relative_folder.rstrip('/'))}/",
                    1,
                    "error",
                    PATH_FIELD,
                    N_(
                        "cannot read the folder ({reason}): the documents under it stay as they "
                        "were last indexed; give docrepo the right to read it"
                    ),
                    values=(("reason", str(exc.strerror or exc)),),
                )  # fmt: skip
            )
            continue
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            relative = prefix + entry.path[len(root) :]
            is_dir = entry.is_dir(follow_symlinks=False)
            if not (is_dir or entry.name.endswith(".md")):
                continue
            if not is_utf8(entry.name):
                message = (
                    N_("the folder name is not valid UTF-8 (its bytes are shown escaped): rename "
                       "the folder, e.g. with the accents it was meant to have")
                    if is_dir
                    else N_("the file name is not valid UTF-8 (its bytes are shown escaped): "
                            "rename the file, e.g. with the accents it was meant to have")
                )  # fmt: skip
                found.problems.append(Problem(shown(relative), 1, "error", PATH_FIELD, message))
            elif is_dir:
                stack.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                try:
                    found.files[relative] = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue  # removed while we walked
    return found
