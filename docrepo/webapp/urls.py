"""The URLs the web faces write: one builder for each kind of page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlencode

from ..content.doc_links import addressed
from ..i18n import N_
from ..search.request import SearchRequest
from ..search.result import AttachmentPlace


def doc_url(doc_id: str) -> str:
    """The page of a document, its id percent-encoded (a file may be named `q?x=1#a.md`)."""
    return "/doc/" + quote(doc_id, safe="/")


def linked(rendered: str) -> str:
    """A document's HTML with its links to documents (marked by their ids) made URLs."""
    return addressed(rendered, doc_url)


def history_url(doc_id: str) -> str:
    """The list of a document's versions."""
    return doc_url(doc_id) + "/history"


def version_url(doc_id: str, commit: str) -> str:
    """A document as it was in one version."""
    return doc_url(doc_id) + "?" + urlencode({"version": commit})


def diff_url(doc_id: str, old: str, new: str) -> str:
    """What changed in a document between two versions."""
    return doc_url(doc_id) + "/diff?" + urlencode({"from": old, "to": new})


def file_url(doc_id: str, name: str, page: int | None = None) -> str:
    """An attached file of a document, opened at a page (of a PDF) when one is given."""
    return doc_url(doc_id) + "/files/" + quote(name, safe="") + (f"#page={page}" if page else "")


#: a page of an attached file, as the results say it
ON_PAGE = N_("{title}, p. {page}")


def attachment_place(place: AttachmentPlace, gettext: Callable[[str], str]) -> str:
    """Where a snippet of an attached file is, as people write it: "Annexe 2 — formulaire,
    p. 3" (its title alone for a file without pages)."""
    if place.page is None:
        return place.title
    return gettext(ON_PAGE).format(title=place.title, page=place.page)


def search_url(request: SearchRequest, **changes: object) -> str:
    """The search page of a view, with some of its parameters changed."""
    return "/?" + urlencode(request.to_params(**changes))


def feed_url(params: list[tuple[str, str]]) -> str:
    """The Atom feed of a view (its parameters, in order)."""
    return "/feed.atom" + (f"?{urlencode(params)}" if params else "")
