"""The JSON API: search, one document, health, and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .index import FACET_FIELDS, index_health
from .search import MAX_PER_PAGE, RELATIONS, SORTS
from .site import lang_of, private, search_request, site_of, viewer_of

DOCUMENT_KEYS = (
    "id", "title", "type", "lang", "date", "published", "reference", "institutes", "regions",
    "issuer", "themes", "status", "access", "summary", "aliases", "code", "director", "partners",
    "city", "country", "website", "html", "toc",
)  # fmt: skip


def json_response(data: Any, status_code: int = 200) -> Response:
    return private(JSONResponse(data, status_code=status_code))


def api_search(request: Request) -> Response:
    search = search_request(request)
    result = site_of(request).library.search(search, viewer_of(request), lang_of(request))
    return json_response(result.to_json())


def api_document(request: Request) -> Response:
    doc_id = request.path_params["doc_id"]
    site, viewer = site_of(request), viewer_of(request)
    record = site.library.document(doc_id, viewer)
    if record is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    related = site.library.neighbours(record, viewer)

    def brief(records: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [{"id": r["id"], "title": r["title"], "url": f"/doc/{r['id']}"} for r in records]

    data = {key: record.get(key) for key in DOCUMENT_KEYS}
    data["url"] = f"/doc/{doc_id}"
    data["links"] = [r["id"] for r in related["links_out"]]
    data["relations"] = {name: brief(related[name]) for name in RELATIONS}
    data["links_in"] = brief(related["links_in"])
    return json_response(data)


def healthz(request: Request) -> Response:
    site = site_of(request)
    invalid, indexed_at = index_health(site.settings.index) or (0, None)
    snapshot = site.library.snapshot()
    return json_response({
        "status": "ok",
        "documents": int(snapshot.columns.live.sum()),
        "invalid": invalid,
        "indexed_at": indexed_at,
    })  # fmt: skip


def openapi(request: Request) -> Response:
    return JSONResponse(openapi_spec())


def _param(
    name: str, schema: dict[str, Any], description: str, repeat: bool = False
) -> dict[str, Any]:
    if repeat:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, "style": "form", "explode": True}  # fmt: skip


def openapi_spec() -> dict[str, Any]:
    facet_params = [
        _param(name, {"type": "string"}, f"Filter on {name} (repeatable; values ORed)", True)
        for name in FACET_FIELDS
    ]
    error = {"description": "Invalid parameter", "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}  # fmt: skip
    return {
        "openapi": "3.0.3",
        "info": {"title": "docrepo API", "version": "1.0",
                 "description": "Search the organisation's documents."},  # fmt: skip
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search documents, with facets",
                    "parameters": [
                        _param("q", {"type": "string", "maxLength": 500}, "Query"),
                        *facet_params,
                        _param("from", {"type": "string", "format": "date"}, "Dated on or after"),
                        _param("to", {"type": "string", "format": "date"}, "Dated on or before"),
                        _param("sort", {"type": "string", "enum": list(SORTS)}, "Sort order"),
                        _param("page", {"type": "integer", "minimum": 1}, "Page, from 1"),
                        _param("per_page", {"type": "integer", "minimum": 1,
                                            "maximum": MAX_PER_PAGE}, "Results per page"),
                    ],
                    "responses": {
                        "200": {"description": "Results", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/SearchResult"}}}},
                        "400": error,
                    },
                }  # fmt: skip
            },
            "/api/doc/{id}": {
                "get": {
                    "summary": "One document with its HTML and relations",
                    "parameters": [{"name": "id", "in": "path", "required": True,
                                    "schema": {"type": "string"}}],  # fmt: skip
                    "responses": {
                        "200": {"description": "The document", "content": {"application/json": {
                            "schema": {"type": "object"}}}},
                        "404": {"description": "No such document (or not visible to you)"},
                    },
                }  # fmt: skip
            },
        },
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"}},
                      "required": ["error"]},
            "SearchResult": {
                "type": "object",
                "required": ["query", "total", "page", "per_page", "suggestion", "results",
                             "facets"],
                "properties": {
                    "query": {"type": "string"},
                    "total": {"type": "integer"},
                    "page": {"type": "integer"},
                    "per_page": {"type": "integer"},
                    "suggestion": {"type": "string", "nullable": True},
                    "results": {"type": "array", "items": {"type": "object"}},
                    "facets": {"type": "object", "additionalProperties": {"type": "array"}},
                },
            },
        }},
    }  # fmt: skip
