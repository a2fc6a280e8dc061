"""The middleware of every response: security headers, and limits on requests."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
#: the one path that takes a POST: a result opened, sent by `navigator.sendBeacon`
BEACON_PATH = "/insights/event"


class RequestLimits:
    """Refuses what no view needs: long query strings (414), methods other than GET
    (but the POST of an opened result, to `BEACON_PATH`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            status = 0
            if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
                status, message = 414, "the query string is too long"
            elif scope["method"] not in ("GET", "HEAD", "OPTIONS") and not (
                scope["method"] == "POST" and scope["path"] == BEACON_PATH
            ):
                status, message = 405, "only GET is allowed"
            if status:
                response = JSONResponse({"error": message}, status_code=status)
                if status == 405:
                    response.headers["Allow"] = "GET, HEAD, OPTIONS"
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class JSONCors(CORSMiddleware):
    """Starlette's CORS middleware, refusing a preflight with the API's JSON error (its
    own answer is plain text) and the same status and headers."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        refused = JSONResponse({"error": bytes(response.body).decode()}, response.status_code)
        for name, value in response.headers.items():
            if name.lower() not in ("content-type", "content-length"):
                refused.headers[name] = value
        return refused
