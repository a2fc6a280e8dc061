"""The OpenAPI description of the JSON API (`/api/openapi.json`)."""

from __future__ import annotations

import functools
from typing import Any

from ..schema import FACET_NAMES
from ..search.query import MAX_QUERY_CHARS
from ..search.request import MAX_PER_PAGE, SORTS


def _param(
    name: str, schema: dict[str, Any], description: str, repeat: bool = False
) -> dict[str, Any]:
    if repeat:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, "style": "form", "explode": True}  # fmt: skip


@functools.cache
def openapi_spec() -> dict[str, Any]:
    facet_params = [
        _param(name, {"type": "string"}, f"Filter on {name} (repeatable; values ORed)", True)
        for name in FACET_NAMES
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
                        _param("q", {"type": "string", "maxLength": MAX_QUERY_CHARS}, "Query"),
                        *facet_params,
                        _param("from", {"type": "string", "format": "date"}, "Dated on or after"),
                        _param("to", {"type": "string", "format": "date"}, "Dated on or before"),
                        _param("at", {"type": "string", "format": "date"},
                               "The repository as it stood that day: texts not yet in force "
                               "left out, statuses of that day (default: today's, every "
                               "text listed)"),
                        _param("sort", {"type": "string", "enum": list(SORTS)}, "Sort order"),
                        _param("page", {"type": "integer", "minimum": 1}, "Page, from 1"),
                        _param("per_page", {"type": "integer", "minimum": 1,
                                            "maximum": MAX_PER_PAGE}, "Results per page"),
                        _param("prefix", {"type": "string", "enum": ["last"]},
                               "The last word is being typed: it also matches the words "
                               "it begins (for search-as-you-type)"),
                        _param("spell", {"type": "string", "enum": ["on", "off"]},
                               "off: search the words exactly as typed, no correction"),
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
            "Result": {
                "type": "object",
                "properties": {
                    "status": {"type": "string", "enum": ["in-force", "repealed"],
                               "description": "on the day searched (`at`, else today)"},
                    "effective": {"type": "string", "format": "date", "nullable": True,
                                  "description": "first day in force"},
                    "ends": {"type": "string", "format": "date", "nullable": True,
                             "description": "last day in force (the day before the text "
                                            "that supersedes it takes effect, or `ends`)"},
                    "translations": {
                        "type": "array",
                        "description": "the other language versions of the result's text "
                                       "that the viewer may see (one result per text)",
                        "items": {"type": "object", "properties": {
                            "lang": {"type": "string"}, "id": {"type": "string"},
                            "url": {"type": "string"}, "title": {"type": "string"}}},
                    },
                },
                "additionalProperties": True,
            },
            "SearchResult": {
                "type": "object",
                "required": ["query", "total", "page", "per_page", "suggestion", "corrected",
                             "relaxed", "results", "facets"],
                "properties": {
                    "query": {"type": "string"},
                    "total": {"type": "integer"},
                    "page": {"type": "integer"},
                    "per_page": {"type": "integer"},
                    "suggestion": {"type": "string", "nullable": True},
                    "corrected": {"type": "string", "nullable": True,
                                  "description": "the correction whose results these are"},
                    "relaxed": {"type": "boolean",
                                "description": "too few documents held every word: some "
                                               "results lack some (see each one's missing)"},
                    "results": {"type": "array", "items": {
                        "$ref": "#/components/schemas/Result"}},
                    "facets": {"type": "object", "additionalProperties": {"type": "array"}},
                },
            },
        }},
    }  # fmt: skip
