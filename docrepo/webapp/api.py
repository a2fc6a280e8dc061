"""The JSON API: search, one document, health, and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import NotFound
from .insights import record_search, recorder_of
from .openapi import openapi_spec
from .shapes import document_json, result_json
from .site import labels_of, private, reader_of, search_request, viewer_of
from .urls import linked


def json_response(data: Any, status_code: int = 200) -> Response:
    return private(JSONResponse(data, status_code=status_code))


def api_search(request: Request) -> Response:
    search = search_request(request)
    result = reader_of(request).search(search, viewer_of(request))
    # the widget says it is the widget; any other caller is the API's
    source = "widget" if request.query_params.get("source") == "widget" else "api"
    record_search(request, search, result, source)
    return json_response(result_json(result, labels_of(request)))


def api_document(request: Request) -> Response:
    doc_id = request.path_params.get("doc_id", "")
    reader, viewer = reader_of(request), viewer_of(request)
    record = reader.document(doc_id, viewer)
    if record is None:
        raise NotFound(f"no document {doc_id!r}")
    shown = {**record, "html": linked(record["html"])}
    return json_response(document_json(shown, reader.neighbours(record, viewer)))


def healthz(request: Request) -> Response:
    """This process's health: it serves its index. The watcher that keeps the index
    current is reported; its stop makes a 503 only where it is this process's own
    (`docrepo serve` without --no-watch), so readers stay in service when it dies."""
    reader = reader_of(request)
    health = reader.health()
    data: dict[str, Any] = {
        "status": "ok",
        "documents": reader.document_count(),
        "invalid": health.invalid if health else 0,
        "indexed_at": health.indexed_at if health else None,
        # ok, off, or unavailable: the insights file cannot be written (searches go on)
        "insights": recorder_of(request).state,
    }
    watcher = reader.watcher()
    if watcher is None:
        return json_response(data)
    data["watcher"] = watcher.state
    if watcher.state == "stopped":
        data["watcher_reason"] = watcher.reason
        if watcher.ours:
            data.update(status="error", reason=f"the watcher stopped: {watcher.reason}")
            return json_response(data, 503)
    return json_response(data)


def openapi(request: Request) -> Response:
    return JSONResponse(openapi_spec())
