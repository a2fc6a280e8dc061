"""The Starlette application: routes, middleware, error handling."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ..config import Settings
from ..content.taxonomy import Taxonomy
from ..errors import NotFound
from ..search.library import Library
from . import api, feeds, files, history, insights, pages
from .errors import HANDLERS
from .middleware import JSONCors, RequestLimits, SecurityHeaders
from .site import STATIC_DIR, Site, site_of


def static_file(request: Request) -> Response:
    """A static asset by its content-hashed name: immutable, cached for a year."""
    path = site_of(request).assets.by_hashed.get(request.path_params["name"])
    if path is None:
        raise NotFound("no such static file")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=31536000, immutable"})


def widget_script(request: Request) -> Response:
    """The embeddable widget, at a stable URL (pages of other sites name it)."""
    return FileResponse(
        STATIC_DIR / "widget.js",
        media_type="text/javascript; charset=utf-8",
        headers={
            "Cache-Control": "public, max-age=3600",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


def build_app(settings: Settings, library: Library, taxonomy: Taxonomy) -> Starlette:
    """The web application over a library (it only reads the index)."""

    routes = [
        Route("/", pages.search_page),
        # `/doc` and `/doc/` (what a client makes of `/doc/.`) name no document: a 404
        # at once, not a redirect from one to the other
        Route("/doc", pages.document_page),
        # the pages under a document's URL before the document: docs/design.md says how a
        # document whose id ends with /history or /diff stays reachable
        Route("/doc/{doc_id:path}/history", pages.under_document("history", history.history_page)),
        Route("/doc/{doc_id:path}/diff", pages.under_document("diff", history.diff_page)),
        Route(
            "/doc/{doc_id:path}/files/{name}",
            pages.under_document("files/{name}", files.attached_file),
        ),
        Route("/doc/{doc_id:path}", pages.document_page),
        Route("/problems", pages.problems_page),
        Route("/insights", insights.insights_page),
        Route("/api/insights", insights.api_insights),
        Route(insights.EVENT_PATH, insights.opened_event, methods=["POST"]),
        Route("/lang/{code}", pages.switch_language),
        Route("/api/search", api.api_search),
        Route("/api/doc", api.api_document),
        Route("/api/doc/{doc_id:path}", api.api_document),
        Route("/api/openapi.json", api.openapi),
        Route("/healthz", api.healthz),
        Route("/feed.atom", feeds.atom_feed),
        Route("/opensearch.xml", feeds.opensearch),
        Route("/static/{name}", static_file),
        Route("/widget.js", widget_script),
        Route("/widget", pages.widget_page),
    ]
    site = Site.create(settings, library, taxonomy)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        site.insights.close()  # what is buffered is written before the worker ends

    app = Starlette(
        lifespan=lifespan,
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                JSONCors,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET"],
                allow_headers=["Accept-Language"],
                allow_credentials=False,
                max_age=3600,
            ),
            Middleware(GZipMiddleware, minimum_size=800),
            *(
                [Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))]
                if settings.allowed_hosts
                else []
            ),
            Middleware(RequestLimits),
        ],
        exception_handlers=HANDLERS,
    )
    app.state.site = site
    return app
