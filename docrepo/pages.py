"""The HTML pages: search, document, problems, language switch."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .i18n import LANG_COOKIE, UI_LANGS
from .index import FACET_FIELDS, load_manifest
from .search import SORTS, SearchRequest, SearchResult
from .site import base_url, lang_of, private, render, search_request, site_of, viewer_of


def _chips(request: SearchRequest, result: SearchResult) -> list[dict[str, str]]:
    """Active filters, each with the URL of the view without it."""
    chips: list[dict[str, str]] = []
    for name in FACET_FIELDS:
        labels = {v.value: v.label for v in result.facets.get(name, [])}
        for value in request.filters.get(name, ()):
            rest = [v for v in request.filters[name] if v != value]
            chips.append({
                "facet": name,
                "label": labels.get(value, value),
                "url": "/?" + urlencode(request.to_params(**{name: rest, "page": ""})),
            })  # fmt: skip
    for name, day in (("from", request.date_from), ("to", request.date_to)):
        if day:
            chips.append({
                "facet": name,
                "label": day.isoformat(),
                "url": "/?" + urlencode(request.to_params(**{name: "", "page": ""})),
            })  # fmt: skip
    return chips


def _pages(request: SearchRequest, result: SearchResult) -> list[dict[str, Any]]:
    """Page links around the current one: first, last, and two on each side."""
    current, last = request.page, result.pages
    numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    links: list[dict[str, Any]] = []
    previous = 0
    for n in numbers:
        if n - previous > 1:
            links.append({"gap": True})
        links.append({"n": n, "url": "/?" + urlencode(request.to_params(page=str(n))),
                      "current": n == current})  # fmt: skip
        previous = n
    return links


def search_page(request: Request) -> Response:
    search = search_request(request)
    site = site_of(request)
    result = site.library.search(search, viewer_of(request), lang_of(request))
    params = search.to_params(page="")
    return render(
        request,
        "search.html",
        search=search,
        result=result,
        chips=_chips(search, result),
        pages=_pages(search, result) if result.pages > 1 else [],
        sorts=SORTS,
        facet_names=FACET_FIELDS,
        feed_url="/feed.atom" + (f"?{urlencode(params)}" if params else ""),
        suggestion_url="/?" + urlencode(search.to_params(q=result.suggestion or "", page="")),
        prev_url="/?" + urlencode(search.to_params(page=str(search.page - 1))),
        next_url="/?" + urlencode(search.to_params(page=str(search.page + 1))),
    )


def document_page(request: Request) -> Response:
    doc_id = request.path_params["doc_id"]
    site, viewer = site_of(request), viewer_of(request)
    record = site.library.document(doc_id, viewer)
    if record is None:
        owners = site.library.referrers("aliases", doc_id, viewer)
        if owners:  # the first by path keeps an alias claimed twice, as the checker says
            owner = min(owners, key=lambda r: str(r["path"]))
            return private(RedirectResponse(f"/doc/{owner['id']}", status_code=301))
        raise HTTPException(404)
    similar = [("type", record["type"]), *(("institute", i) for i in record["institutes"])]
    return render(
        request,
        "document.html",
        doc=record,
        related=site.library.neighbours(record, viewer),
        feed_url="/feed.atom?" + urlencode(similar),
    )


def problems_page(request: Request) -> Response:
    """Problems of the files whose document the viewer may see (editors are signed in).

    A file that never was valid has no known access: only a signed-in viewer sees its
    problems, so that nobody learns the paths of documents hidden from them.
    """
    site, viewer = site_of(request), viewer_of(request)
    manifest = load_manifest(site.settings.index)
    problems = []
    hidden = 0
    for problem in manifest.problems() if manifest else []:
        entry = manifest.entries.get(problem.path) if manifest else None
        if entry is not None and entry.indexed and entry.id:
            shown = site.library.document(entry.id, viewer) is not None
        else:
            shown = viewer.authenticated or viewer.sees_all
        if shown and problem.related:  # the message names another document
            shown = site.library.document(problem.related, viewer) is not None
        if shown:
            problems.append(problem)
        else:
            hidden += 1
    return render(request, "problems.html", problems=problems, hidden=hidden)


def switch_language(request: Request) -> Response:
    """Remember the chosen interface language and go back to the page it was chosen on."""
    code = request.path_params["code"]
    if code not in UI_LANGS:
        raise HTTPException(404)
    back = request.query_params.get("next", "/")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = "/"
    response = RedirectResponse(back, status_code=303)
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def widget_page(request: Request) -> Response:
    """How to embed the search widget: the snippet, a live example, every attribute."""
    return render(request, "widget.html", base=base_url(request), facet_names=FACET_FIELDS)
