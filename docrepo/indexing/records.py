"""A document as the index stores it: the record every face shows, and its fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..content.attachments import AttachmentText
from ..content.citations import link
from ..content.documents import Document
from ..content.relations import Derived
from ..content.taxonomy import Taxonomy
from ..schema import LANGS, iso_day
from ..store.fields import index_fields


def document_record(
    document: Document, derived: Derived, attached: Sequence[AttachmentText] = ()
) -> dict[str, Any]:
    """Everything the faces show of a document, stored once in the index, its attached
    files included."""
    return {
        "id": document.id,
        "path": document.path,
        "hash": document.hash,
        "title": document.title,
        "type": document.type,
        "lang": document.lang,
        "date": document.date.isoformat() if document.date else None,
        "published": document.published.isoformat() if document.published else None,
        "reference": document.reference,
        "institutes": document.institutes,
        "regions": document.regions,
        "issuer": document.issuer,
        "themes": document.themes,
        "declared_status": document.status,
        "access": document.access,
        "summary": document.summary,
        "aliases": document.aliases,
        "code": document.code,
        "director": document.director,
        "partners": document.partners,
        "city": document.city,
        "country": document.country,
        "website": document.website,
        "text": document.text,
        "toc": [[h.level, h.anchor, h.title] for h in document.toc],
        # where each section starts, in words of `text`: the section a snippet is in
        "sections": [
            [words, h.anchor, h.title]
            for h, words in zip(document.toc, document.heading_words, strict=True)
        ],
        "links": sorted({link.target for link in document.links}),
        "attachments": [attachment_record(a, document.lang) for a in attached],
        **derived_fields(derived, document.html),
    }


def attachment_record(attached: AttachmentText, lang: str) -> dict[str, Any]:
    """What the faces show of an attached file and serve it from (its path relative to
    the content directory), and its text page by page (`text`, which they leave out)."""
    attachment = attached.attachment
    return {
        "name": attachment.name,
        "title": attachment.title or attachment.name,
        "path": attached.path,
        "size": attached.size,
        "kind": attached.kind,
        "pages": attached.page_count,
        "lang": attachment.lang or lang,
        "text": list(attached.pages),
    }


def derived_fields(derived: Derived, html: str) -> dict[str, Any]:
    """The part of a record that its neighbours decide (status, reverse relations, the
    period in force: its first and last days, and as day numbers in `validity`, with the
    last day it gives itself in `own_until`, for viewers who may not see what supersedes
    it; and the links of the references its text cites, put in its HTML: `html` is the
    text as rendered, or as stored with the links of the citations it had)."""
    return {
        "status": derived.status,
        "effective": iso_day(derived.valid_from),
        "ends": iso_day(derived.valid_until),
        "validity": [derived.valid_from, derived.valid_until],
        "own_until": derived.own_until,
        "superseded_by": list(derived.superseded_by),
        "amended_by": list(derived.amended_by),
        "supersedes": list(derived.supersedes),
        "amends": list(derived.amends),
        "cites": list(derived.cited),
        "cited_by": list(derived.cited_by),
        "original": derived.original,
        "translations": list(derived.translations),
        "html": link(html, dict(derived.cites)),
    }


#: vocabularies whose labels make a document findable ("Occitanie Est", "CNRS Chimie")
LABELLED = (
    ("types", "type"),
    ("institutes", "institutes"),
    ("regions", "regions"),
    ("issuers", "issuer"),
    ("themes", "themes"),
)


def labels_text(record: dict[str, Any], taxonomy: Taxonomy) -> str:
    """The labels, in both languages, of the codes of a record (its type, institutes,
    regions, issuer, themes): "telework" finds what is tagged Telework."""
    labels: set[str] = set()
    for vocabulary, key in LABELLED:
        value = record.get(key)
        for code in value if isinstance(value, list) else [value] if value else []:
            labels.update(taxonomy.label(vocabulary, code, lang) for lang in LANGS)
    return "\n".join(sorted(labels))


def record_fields(record: dict[str, Any], taxonomy: Taxonomy) -> dict[str, Any]:
    """The index fields of a record, its labels taken from the taxonomy."""
    return index_fields(record, labels_text(record, taxonomy))
