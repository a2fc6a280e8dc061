"""One handler for every error: the status the error carries, as JSON on the API's
URLs, as plain text on those feed readers fetch, and as an HTML page elsewhere; never a
traceback, and a 5xx is logged."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from ..errors import BadRequest, DocrepoError, IndexUnavailable, NotFound
from ..i18n import translations
from .site import lang_of, private, render

log = logging.getLogger("docrepo")


#: the URLs of feed readers and browsers' search boxes, which show no HTML page
TEXT_PATHS = frozenset({"/feed.atom", "/opensearch.xml"})


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def _status(exc: Exception) -> int:
    if isinstance(exc, DocrepoError):
        return exc.http_status
    return exc.status_code if isinstance(exc, HTTPException) else 500


def _message(exc: Exception, status: int, lang: str = "en") -> str:
    """What the person is told: the error's own words (in `lang` when the error has them
    in the catalogs), but nothing of a bug."""
    if status == 404:
        return "not found"
    if isinstance(exc, DocrepoError):
        return exc.text(lang)
    if isinstance(exc, HTTPException) and status < 500:
        return str(exc.detail)
    return "internal error" if status == 500 else "error"


def error_response(request: Request, exc: Exception) -> Response:
    status = _status(exc)
    if status >= 500:
        if isinstance(exc, DocrepoError):
            log.error("docrepo: %s", exc)
        else:
            log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    if _wants_json(request):  # programs read the API's messages: in English
        return private(JSONResponse({"error": _message(exc, status)}, status_code=status))
    lang = lang_of(request)
    message = _message(exc, status, lang)
    if request.url.path in TEXT_PATHS:
        return private(PlainTextResponse(message, status_code=status))
    _ = translations(lang).gettext
    if status == 404:
        return render(request, "error.html", status_code=404, title=_("Page not found"),
                      message=_("No document has this address. It may have been moved or deleted."),
                      not_found=True)  # fmt: skip
    title = _("Invalid request") if status == 400 else _("Error")
    return render(request, "error.html", status_code=status, title=title, message=message)


#: the exception handlers of the application: every kind goes to the one handler
HANDLERS = {
    kind: error_response
    for kind in (BadRequest, NotFound, IndexUnavailable, DocrepoError, HTTPException, Exception)
}
