"""The JSON shapes of the API (`/api/search`, `/api/doc/{id}`), also printed by
`docrepo search --json`."""

from __future__ import annotations

from typing import Any

from ..schema import DOCUMENT_KEYS, RELATIONS
from ..search.result import Hit, SearchResult
from .labels import Labels
from .urls import doc_url, file_url

Record = dict[str, Any]


def hit_json(hit: Hit) -> dict[str, Any]:
    r = hit.record
    return {
        "id": r["id"],
        "url": doc_url(r["id"]),
        "title": r["title"],
        "type": r["type"],
        "reference": r["reference"],
        "date": r["date"],
        "status": r["status"],
        "effective": r["effective"],
        "ends": r["ends"],
        "lang": r["lang"],
        "institutes": r["institutes"],
        "regions": r["regions"],
        "snippet": hit.snippet,
        "section": (
            {"title": hit.section.title, "url": f"{doc_url(r['id'])}#{hit.section.anchor}"}
            if hit.section
            else None
        ),
        "missing": list(hit.missing),
        "translations": [
            {"lang": t.lang, "id": t.id, "url": doc_url(t.id), "title": t.title}
            for t in hit.translations
        ],
        "score": None if hit.score is None else round(hit.score, 3),
        "attachment": (
            {
                "name": hit.attachment.name,
                "title": hit.attachment.title,
                "url": file_url(r["id"], hit.attachment.name, hit.attachment.page),
                "page": hit.attachment.page,
            }
            if hit.attachment
            else None
        ),
    }


def result_json(result: SearchResult, labels: Labels) -> dict[str, Any]:
    return {
        "query": result.request.q,
        "total": result.total,
        "page": result.request.page,
        "per_page": result.request.per_page,
        "suggestion": result.suggestion,
        "corrected": result.corrected,
        "relaxed": result.relaxed,
        "results": [hit_json(h) for h in result.hits],
        "facets": {
            name: [vars(option) for option in options]
            for name, options in labels.facets(result).items()
        },
    }


def _brief(records: list[Record]) -> list[dict[str, str]]:
    return [{"id": r["id"], "title": r["title"], "url": doc_url(r["id"])} for r in records]


def document_json(record: Record, related: dict[str, list[Record]]) -> dict[str, Any]:
    data = {key: record.get(key) for key in DOCUMENT_KEYS}
    data["url"] = doc_url(record["id"])
    data["links"] = [r["id"] for r in related["links_out"]]
    data["relations"] = {name: _brief(related[name]) for name in RELATIONS}
    data["links_in"] = _brief(related["links_in"])
    data["translations"] = [
        {"lang": r["lang"], "id": r["id"], "url": doc_url(r["id"]), "title": r["title"]}
        for r in related["translations"]
    ]
    # the original of a translation, when the viewer may see it
    data["translation_of"] = next(
        (r["id"] for r in related["translations"] if r["id"] == record.get("original")), None
    )
    data["attachments"] = attachments_json(record)
    return data


def attachments_json(record: Record) -> list[dict[str, Any]]:
    """A document's attached files as the API and the document page show them."""
    return [
        {
            "name": a["name"],
            "title": a["title"],
            "url": file_url(record["id"], a["name"]),
            "kind": a["kind"],
            "size": a["size"],
            "pages": a["pages"],
            "lang": a["lang"],
        }
        for a in record.get("attachments", ())
    ]
