"""The Starlette application: `create_app(settings)`, routes, middleware, errors."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import api, feeds, pages
from .config import Settings, load_settings
from .errors import BadRequest, DocrepoError
from .i18n import translate
from .site import STATIC_DIR, Site, lang_of, private, render, site_of
from .taxonomy import load_taxonomy

log = logging.getLogger("docrepo")

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"content-security-policy", PAGE_CSP.encode()),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


#: longest query string accepted; a search never needs more
MAX_QUERY_STRING = 8192


class RequestLimits:
    """Refuses what no view needs: long query strings (414), methods other than GET."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            status = 0
            if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
                status, message = 414, "the query string is too long"
            elif scope["method"] not in ("GET", "HEAD", "OPTIONS"):
                status, message = 405, "only GET is allowed"
            if status:
                response = JSONResponse({"error": message}, status_code=status)
                if status == 405:
                    response.headers["Allow"] = "GET, HEAD, OPTIONS"
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def static_file(request: Request) -> Response:
    """A static asset by its content-hashed name: immutable, cached for a year."""
    path = site_of(request).assets.by_hashed.get(request.path_params["name"])
    if path is None:
        raise HTTPException(404)
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


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def bad_request(request: Request, exc: Exception) -> Response:
    message = str(exc)
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=400)
    return render(request, "error.html", status_code=400,
                  title=translate("bad_request", lang_of(request)), message=message)  # fmt: skip


def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    lang = lang_of(request)
    if _wants_json(request):
        detail = exc.detail if isinstance(exc, HTTPException) and status != 404 else None
        error = detail or ("not found" if status == 404 else "error")
        return private(JSONResponse({"error": error}, status_code=status))
    if status == 404:
        return render(request, "error.html", status_code=404, title=translate("not_found", lang),
                      message=translate("not_found_text", lang), not_found=True)  # fmt: skip
    return render(request, "error.html", status_code=status, title=translate("error", lang),
                  message=str(exc.detail) if isinstance(exc, HTTPException) else "")  # fmt: skip


def server_error(request: Request, exc: Exception) -> Response:
    """The index is unavailable (503), or a bug (500): logged, never a traceback to users."""
    if isinstance(exc, DocrepoError):
        status, message = 503, str(exc)
        log.error("docrepo: %s", exc)
    else:
        status, message = 500, "internal error"
        log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return render(request, "error.html", status_code=status,
                  title=translate("error", lang_of(request)), message=message)  # fmt: skip


def create_app(settings: Settings) -> Starlette:
    """The web application over the index of `settings.content` (it only reads the index)."""
    taxonomy, _ = load_taxonomy(settings.content)

    routes = [
        Route("/", pages.search_page),
        Route("/doc/{doc_id:path}", pages.document_page),
        Route("/problems", pages.problems_page),
        Route("/lang/{code}", pages.switch_language),
        Route("/api/search", api.api_search),
        Route("/api/doc/{doc_id:path}", api.api_document),
        Route("/api/openapi.json", api.openapi),
        Route("/healthz", api.healthz),
        Route("/feed.atom", feeds.atom_feed),
        Route("/opensearch.xml", feeds.opensearch),
        Route("/static/{name}", static_file),
        Route("/widget.js", widget_script),
        Route("/widget", pages.widget_page),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                CORSMiddleware,
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
        exception_handlers={
            BadRequest: bad_request,
            HTTPException: http_error,
            DocrepoError: server_error,
            Exception: server_error,
        },
    )
    app.state.site = Site.create(settings, taxonomy)
    return app


def from_environment() -> Starlette:
    """The application with settings from DOCREPO_* and docrepo.toml (for `uvicorn --factory`)."""
    return create_app(load_settings())
