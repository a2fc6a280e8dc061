"""The pages of a document's history: the list of its versions, one version, and what
changed between two.

The list and the note on the document page come from the history the writer keeps
(`search.history`): no git, no renderer. A version or a comparison reads the committed
bytes from git (`content.history`) and renders them (`content.versions`, which loads the
front-matter reader and the Markdown renderer): that module is imported only by those
two pages, so that a worker serving anything else never loads them.
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..content.history import ContentRepository
from ..content.taxonomy import Taxonomy
from ..errors import BadRequest, Message, NotFound
from ..i18n import N_
from ..search.history import DocumentHistory, Version, when
from .site import reader_of, render, site_of, taxonomy_of, viewer_of
from .urls import diff_url, doc_url, history_url, linked, version_url

Record = dict[str, Any]


def document_history(request: Request) -> DocumentHistory:
    """The versions of documents, from the history the writer keeps for this site."""
    return DocumentHistory(site_of(request).library.directory.root)


def note(request: Request, record: Record) -> dict[str, Any] | None:
    """What the document page says of the history: the last version (its date, a link
    to the list), and whether the file on disk differs from it (None: no history)."""
    versions = document_history(request).all_versions(record)
    if not versions:
        return None
    visible = [v for v in versions if viewer_of(request).may_see(list(v.change.access))]
    return {
        "last": when(visible[0]).date() if visible else None,
        "url": history_url(record["id"]),
        "modified": versions[0].change.hash != record["hash"],
    }


def lag(request: Request, record: Record) -> dict[str, Any] | None:
    """What a translation's page says when its original changed after it: the day, and
    the comparison of the original since the version the translation followed."""
    original = reader_of(request).document(record.get("original") or "", viewer_of(request))
    if original is None:
        return None
    found = document_history(request).lag(record, original, viewer_of(request))
    if found is None:
        return None
    changed = found.changed.commit.sha
    return {
        "date": when(found.changed).date(),
        "lang": original["lang"],
        "url": (
            diff_url(original["id"], found.since.commit.sha, changed)
            if found.since
            else history_url(original["id"])
        ),
    }


def _versions(request: Request, record: Record) -> list[Version]:
    versions = document_history(request).versions(record, viewer_of(request))
    if versions is None:
        raise NotFound(f"the document {record['id']!r} has no history (the content is not in git)")
    return versions


def history_page(request: Request, record: Record) -> Response:
    versions = _versions(request, record)
    rows = [
        {
            "version": version,
            "date": when(version),
            "url": version_url(record["id"], version.commit.sha),
            "diff_url": (
                diff_url(record["id"], older.commit.sha, version.commit.sha) if older else None
            ),
        }
        for version, older in zip(versions, [*versions[1:], None], strict=True)
    ]
    return render(request, "history.html", doc=record, rows=rows, note=note(request, record))


def _version(request: Request, record: Record, parameter: str) -> Version:
    commit = request.query_params.get(parameter, "").strip().lower()
    if not commit:
        message = N_("'{name}' must name a version (a commit id)")
        raise BadRequest(parameter, Message.of(message, name=parameter))
    if len(commit) < 7 or any(c not in "0123456789abcdef" for c in commit):
        message = N_("'{name}' must be a commit id (7 to 40 hexadecimal digits)")
        raise BadRequest(parameter, Message.of(message, name=parameter))
    version = document_history(request).version(record, commit, viewer_of(request))
    if version is None:
        raise NotFound(f"no version {commit!r} of {record['id']!r}")
    return version


def _read(request: Request, version: Version) -> tuple[Any, Taxonomy]:
    """A version read and rendered: a `ParsedFile` (its document None if it was
    invalid), read against the taxonomy of its own commit, which it was written for
    (today's when that commit has none), and that taxonomy."""
    from ..content import versions  # the renderer, loaded by these pages only

    site = site_of(request)
    repository = ContentRepository.open(site.settings.content)
    data = repository.version(version.change.blob) if repository else None
    if repository is None or data is None:
        raise NotFound(f"version {version.commit.sha[:10]} is not in the repository any more")
    taxonomy = versions.taxonomy_at(repository, version.commit.sha) or taxonomy_of(request)
    return versions.read_version(version.change.path, data, taxonomy), taxonomy


def version_page(request: Request, record: Record) -> Response:
    """The document as it was in one version, under a banner."""
    from ..content.versions import as_record

    version = _version(request, record, "version")
    parsed, request.state.taxonomy = _read(request, version)  # labelled as in its commit
    if parsed.document is not None:
        shown = {**record, **as_record(parsed.document), "id": record["id"]}
        shown["html"] = linked(shown["html"])
    else:
        problems = "".join(f"<li>{html.escape(p.message)}</li>" for p in parsed.problems)
        shown = {**record, "html": f'<ul class="problems">{problems}</ul>', "toc": []}
    reader = reader_of(request)
    return render(
        request,
        "document.html",
        doc=shown,
        related=reader.neighbours(record, viewer_of(request)),
        feed_url="/feed.atom",
        version={
            "date": when(version).date(),
            "invalid": parsed.document is None,
            "current_url": doc_url(record["id"]),
            "history_url": history_url(record["id"]),
        },
    )


def diff_page(request: Request, record: Record) -> Response:
    """What changed between two versions: fields as a table, the text marked."""
    from ..content.versions import compare

    old, new = _version(request, record, "from"), _version(request, record, "to")
    (before, _), (after, _) = _read(request, old), _read(request, new)
    comparison = None
    if before.document is not None and after.document is not None:
        found = compare(before.document, after.document)
        comparison = dataclasses.replace(found, html=linked(found.html))
    return render(
        request,
        "diff.html",
        doc=record,
        old={"version": old, "date": when(old), "url": version_url(record["id"], old.commit.sha)},
        new={"version": new, "date": when(new), "url": version_url(record["id"], new.commit.sha)},
        comparison=comparison,
        history_url=history_url(record["id"]),
    )
