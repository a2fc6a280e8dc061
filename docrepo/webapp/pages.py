"""The HTML pages: search, document, problems, language switch."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..errors import NotFound
from ..i18n import N_, UI_LANGS, long_date
from ..schema import FACET_NAMES, FACETS, GENERAL, IN_FORCE, REPEALED
from ..search.request import SORTS, SearchRequest
from . import history
from .i18n import LANG_COOKIE
from .insights import record_search
from .labels import FacetOption, Labels
from .shapes import attachments_json
from .site import (
    base_url,
    labels_of,
    private,
    reader_of,
    render,
    search_request,
    site_of,
    viewer_of,
)
from .urls import doc_url, feed_url, linked, search_url

Record = dict[str, Any]
#: a function answering a request
Endpoint = Callable[[Request], Response]
#: how many values of a facet show before its "show more"
FACET_FIRST_VALUES = 5
#: the facets with many values, which get a box that filters their values as one types
FILTERABLE_FACETS = frozenset({"institute", "region", "issuer", "theme"})
#: the titles of the date chips
DATE_TITLES = {"from": N_("From"), "to": N_("To")}
#: what each filter attribute of the widget takes (its values are listed after it)
WIDGET_FILTERS = {
    "type": N_("Document types: codes of the types vocabulary."),
    "institute": N_(
        "Institutes: codes of the institutes vocabulary, or general for the texts that "
        "concern the whole organisation."
    ),
    "region": N_(
        "Regional offices: codes of the regions vocabulary, or general for the texts "
        "that concern the whole organisation."
    ),
    "issuer": N_("Issuing departments: codes of the issuers vocabulary."),
    "theme": N_("Themes: codes of the themes vocabulary."),
    "status": N_("Status of the texts on the day of the search:"),
    "year": N_("Years of the texts' dates, in four digits, such as 2024."),
}


@dataclass(frozen=True)
class FacetView:
    """A facet as the filters show it: its first values, then the others behind a
    "show more" (open when one of them is ticked)."""

    name: str
    first: list[FacetOption]
    more: list[FacetOption]

    @classmethod
    def of(cls, name: str, options: list[FacetOption]) -> FacetView:
        return cls(name, options[:FACET_FIRST_VALUES], options[FACET_FIRST_VALUES:])

    @property
    def more_open(self) -> bool:
        return any(option.selected for option in self.more)

    @property
    def filterable(self) -> bool:
        return self.name in FILTERABLE_FACETS and bool(self.more)


def _chips(request: SearchRequest, labels: Labels) -> list[dict[str, str]]:
    """Active filters, each with the URL of the view without it."""
    chips: list[dict[str, str]] = []
    for name in FACET_NAMES:
        for value in request.filters.get(name, ()):
            rest = [v for v in request.filters[name] if v != value]
            chips.append({
                "facet": name,
                "title": labels.facet_title(name),
                "label": labels.of(name, value),
                "url": search_url(request, **{name: rest, "page": ""}),
            })  # fmt: skip
    for name, day in (("from", request.date_from), ("to", request.date_to)):
        if day:
            chips.append({
                "facet": name,
                "title": labels.gettext(DATE_TITLES[name]),
                "label": long_date(day, labels.lang),
                "url": search_url(request, **{name: "", "page": ""}),
            })  # fmt: skip
    if request.at:
        chips.append({
            "facet": "at",
            "label": labels.gettext(N_("In force on %(day)s"))
            % {"day": long_date(request.at, labels.lang)},
            "url": search_url(request, at="", page=""),
        })  # fmt: skip
    return chips


def _pages(request: SearchRequest, last: int) -> list[dict[str, Any]]:
    """Page links around the current one: first, last, and two on each side."""
    current = request.page
    numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    links: list[dict[str, Any]] = []
    previous = 0
    for n in numbers:
        if n - previous > 1:
            links.append({"gap": True})
        links.append({"n": n, "url": search_url(request, page=str(n)), "current": n == current})
        previous = n
    return links


def _unfiltered(request: Request, search: SearchRequest) -> tuple[int, str] | None:
    """How many documents the words of a view that found nothing find without its
    filters, and that view's URL (None: it has no words, or no filter to remove)."""
    bare = SearchRequest(q=search.q, spell=search.spell)
    if not search.q.strip() or bare.to_params() == search.to_params(sort="", page="", per_page=""):
        return None
    found = reader_of(request).search(dataclasses.replace(bare, per_page=1), viewer_of(request))
    return found.total, search_url(bare)


def search_page(request: Request) -> Response:
    search = search_request(request)
    labels = labels_of(request)
    result = reader_of(request).search(search, viewer_of(request))
    record_search(request, search, result, "page")
    facets: dict[str, list[FacetOption]] = labels.facets(result)
    past_end = result.total > 0 and search.page > result.pages
    last_url = search_url(search, page=str(result.pages))
    return render(
        request,
        "search.html",
        search=search,
        result=result,
        facet_views=[FacetView.of(name, facets[name]) for name in FACET_NAMES if facets[name]],
        chips=_chips(search, labels),
        pages=_pages(search, result.pages) if result.pages > 1 else [],
        past_end=past_end,
        last_url=last_url,
        unfiltered=_unfiltered(request, search) if result.total == 0 else None,
        # the bare page is "Search"; any other view is titled as its feed
        title=labels.view(search, result) if search.to_params(page="", sort="") else "",
        sorts=SORTS,
        feed_url=feed_url(search.to_params(page="")),
        suggestion_url=search_url(search, q=result.suggestion or "", page=""),
        as_typed_url=search_url(search, spell="off", page=""),
        prev_url=last_url if past_end else search_url(search, page=str(search.page - 1)),
        next_url=search_url(search, page=str(search.page + 1)),
    )


def _results_left(request: Request) -> str | None:
    """The search view the reader opened this page from (a Referer on this site's search
    page), for the way back to the same results; None when they came from elsewhere."""
    came_from = urlsplit(request.headers.get("referer", ""))
    if came_from.netloc != request.url.netloc or came_from.path != "/":
        return None
    return "/" + (f"?{came_from.query}" if came_from.query else "")


def _document(request: Request, doc_id: str, page: str = "") -> Record | Response:
    """The document `doc_id` names for this viewer, or the redirect of a former id (an
    alias) to the same page of the current one, query included."""
    reader, viewer = reader_of(request), viewer_of(request)
    record = reader.document(doc_id, viewer)
    if record is not None:
        return record
    owner = reader.alias_owner(doc_id, viewer)
    if owner is None:
        raise NotFound(f"no document {doc_id!r}")
    query = f"?{request.url.query}" if request.url.query else ""
    return private(RedirectResponse(doc_url(owner) + page + query, status_code=301))


def document_page(request: Request, doc_id: str | None = None) -> Response:
    """`/doc/{id}`: the document, or one of its versions (`?version=`)."""
    found = _document(request, request.path_params.get("doc_id", "") if doc_id is None else doc_id)
    if isinstance(found, Response):
        return found
    record, reader, viewer = found, reader_of(request), viewer_of(request)
    if "version" in request.query_params:
        return history.version_page(request, record)
    similar = SearchRequest.from_params(
        {"type": [record["type"]], "institute": record["institutes"]}
    )
    back_url = _results_left(request)
    query = parse_qs(urlsplit(back_url).query).get("q", [""])[0] if back_url else ""
    return render(
        request,
        "document.html",
        doc={**record, "html": linked(record["html"])},
        back_url=back_url,
        header_q=query,
        related=reader.neighbours(record, viewer),
        replacements=reader.replacements(record, viewer),
        today=reader.today.isoformat(),
        feed_url=feed_url(similar.to_params(page="")),
        feed_follows=labels_of(request).view(similar),
        changes_url=feed_url([("changes", "1"), ("doc", record["id"])]),
        history=history.note(request, record),
        lag=history.lag(request, record),
        attachments=attachments_json(record),
    )


def under_document(name: str, page: Callable[[Request, Record], Response]) -> Endpoint:
    """The endpoint of `/doc/{id}/{name}`, the page `name` of the document `id` (`name`
    may hold the route's parameters: `files/{name}`).

    That URL is also `/doc/` followed by the id `{id}/{name}`: a document (or former id)
    of that id wins, so that every document is reachable at `/doc/{its id}`; the page it
    hides is then reachable by no other URL (docs/design.md, URLs under /doc/)."""

    def endpoint(request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        tail = name.format_map(request.path_params)  # `files/{name}`: the file's name
        whole = f"{doc_id}/{tail}"
        reader, viewer = reader_of(request), viewer_of(request)
        if reader.document(whole, viewer) is not None or reader.alias_owner(whole, viewer):
            return document_page(request, whole)
        found = _document(request, doc_id, f"/{tail}")
        return found if isinstance(found, Response) else page(request, found)

    return endpoint


def problems_page(request: Request) -> Response:
    """Every problem for editors (members of `editor_groups`), as `docrepo check` reports
    them; for anyone else, those of the files whose document they may see."""
    site, viewer = site_of(request), viewer_of(request)
    editor = viewer.member_of(site.settings.editor_groups)
    return render(
        request,
        "problems.html",
        report=reader_of(request).problems(viewer, every=editor),
        editor=editor,
        shown_path=site.shown_paths.show,
    )


def switch_language(request: Request) -> Response:
    """Remember the chosen interface language and go back to the page it was chosen on."""
    code = request.path_params["code"]
    if code not in UI_LANGS:
        raise NotFound(f"no interface language {code!r}")
    back = request.query_params.get("next", "/")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = "/"
    response = RedirectResponse(back, status_code=303)
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


@dataclass(frozen=True)
class WidgetFilter:
    """A filter attribute of the widget as /widget describes it: what it takes, and its
    values (codes with their labels), if they can be listed."""

    name: str
    effect: str
    values: list[tuple[str, str]]


def _widget_filters(labels: Labels) -> list[WidgetFilter]:
    filters = []
    for facet in FACETS:
        if facet.name not in WIDGET_FILTERS:
            continue  # the documents' language is the attribute doc-lang
        if facet.vocabulary:
            codes = labels.taxonomy.codes(facet.vocabulary)
            codes += [GENERAL] if facet.has_general else []
        else:
            codes = [IN_FORCE, REPEALED] if facet.name == "status" else []
        values = [(code, labels.of(facet.name, code)) for code in codes]
        filters.append(WidgetFilter(facet.name, labels.gettext(WIDGET_FILTERS[facet.name]), values))
    return filters


def widget_page(request: Request) -> Response:
    """How to embed the search widget: the snippet, a live example, every attribute."""
    filters = _widget_filters(labels_of(request))
    return render(request, "widget.html", base=base_url(request), filters=filters)
