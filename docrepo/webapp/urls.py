"""The URLs the web faces write: one builder for each kind of page."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ..content.doc_links import addressed
from ..search.request import SearchRequest


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


def search_url(request: SearchRequest, **changes: object) -> str:
    """The search page of a view, with some of its parameters changed."""
    return "/?" + urlencode(request.to_params(**changes))


def feed_url(params: list[tuple[str, str]]) -> str:
    """The Atom feed of a view (its parameters, in order)."""
    return "/feed.atom" + (f"?{urlencode(params)}" if params else "")
