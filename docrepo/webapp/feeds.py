"""Atom feeds of any view, and the OpenSearch description."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from starlette.requests import Request
from starlette.responses import Response

from ..i18n import N_, translations
from ..search.changes import changes
from ..search.request import MAX_PER_PAGE, SearchRequest
from .history import document_history
from .insights import record_search
from .site import (
    base_url,
    labels_of,
    lang_of,
    private,
    reader_of,
    search_request,
    viewer_of,
)
from .urls import diff_url, doc_url

ATOM = "http://www.w3.org/2005/Atom"
#: characters XML 1.0 cannot hold (control characters, surrogates, U+FFFE/FFFF)
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text an XML document can hold: what XML 1.0 forbids is dropped."""
    return _NOT_XML.sub("", text)


OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"


def _midnight(day: str) -> str:
    return f"{day}T00:00:00Z"


def _updated(record: dict[str, Any], changed: dict[str, dt.datetime], now: str) -> str:
    """When an entry was last updated: its publication or signature date, else when its
    file last changed (stable between polls, unlike the time of the request)."""
    day = record.get("published") or record.get("date")
    if day:
        return _midnight(day)
    return _rfc3339(changed[record["id"]]) if record["id"] in changed else now


def _rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: how many documents of a view a changes feed follows (the newest), and how many events
#: it lists
CHANGES_OF = MAX_PER_PAGE
CHANGES_LISTED = 50


def atom_feed(request: Request) -> Response:
    """The newest documents of the view the query string describes; with `changes=1`, the
    events of its documents (`doc=ID`: of one document)."""
    if request.query_params.get("changes") == "1":
        return _changes_feed(request)
    search = dataclasses.replace(search_request(request), sort="newest", page=1)
    labels = labels_of(request)
    reader = reader_of(request)
    result = reader.search(search, viewer_of(request))
    record_search(request, search, result, "feed")
    changed = reader.changed_at([h.record for h in result.hits])
    now = _rfc3339(dt.datetime.now(dt.UTC))
    updated = [_updated(h.record, changed, now) for h in result.hits]
    feed = _feed(request, labels.view(search, result), search, max(updated, default=now))
    root_url = base_url(request)
    for hit, when in zip(result.hits, updated, strict=True):
        r = hit.record
        url = root_url + doc_url(r["id"])
        summary = r.get("summary") or " ".join(r["text"].split()[:60])
        entry = _entry(feed, url, r["title"], url, when, summary)
        if r.get("date"):
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _midnight(r["date"])
        ET.SubElement(entry, f"{{{ATOM}}}category", term=r["type"],
                      label=labels.vocabulary("types", r["type"]))  # fmt: skip
    return _atom(feed)


def _changes_feed(request: Request) -> Response:
    """What happened to the documents of a view (the newest `CHANGES_OF`, whatever their
    status, so that a text leaving an in-force view says why), newest first."""
    labels, reader, viewer = labels_of(request), reader_of(request), viewer_of(request)
    _ = labels.gettext
    search = search_request(request)
    doc_id = request.query_params.get("doc")
    if doc_id is not None:
        record = reader.document(doc_id, viewer)
        records = [record] if record is not None else []
        title = _("Changes to %(title)s") % {"title": record["title"] if record else doc_id}
    else:
        filters = {k: v for k, v in search.filters.items() if k != "status"}
        view = dataclasses.replace(
            search, filters=filters, sort="newest", page=1, per_page=CHANGES_OF
        )
        records = [hit.record for hit in reader.search(view, viewer).hits]
        title = _("Changes · %(view)s") % {"view": labels.view(search)}
    events = changes(records, reader, document_history(request), viewer, CHANGES_LISTED)
    now = _rfc3339(dt.datetime.now(dt.UTC))
    feed = _feed(request, title, search, _rfc3339(events[0].when) if events else now)
    root_url = base_url(request)
    for event in events:
        r = event.record
        by = event.by
        what = (
            _TRANSLATED[by["lang"]]
            if event.kind == "translated" and by
            else _EVENT_TITLES[event.kind]
        )
        named = {"title": r["title"], "by": (by.get("reference") or by["title"]) if by else ""}
        if event.commit and event.before:
            link = diff_url(r["id"], event.before, event.commit)
        elif by is not None:
            link = doc_url(by["id"])
        else:
            link = doc_url(r["id"])
        summary = by["title"] if by else " — ".join(p for p in (event.message, event.author) if p)
        tag = event.commit or f"{event.kind}-{by['id'] if by else r['id']}"
        _entry(feed, f"{root_url}{doc_url(r['id'])}#change-{tag}", _(what) % named,
               root_url + link, _rfc3339(event.when), summary)  # fmt: skip
    return _atom(feed)


_EVENT_TITLES = {
    "published": N_("Published: %(title)s"),
    "modified": N_("Modified: %(title)s"),
    "amended": N_("Amended by %(by)s: %(title)s"),
    "repealed": N_("Repealed by %(by)s: %(title)s"),
}
#: a translation of a text published, by the translation's language
_TRANSLATED = {
    "en": N_("English version published: %(title)s"),
    "fr": N_("French version published: %(title)s"),
}


def _feed(request: Request, title: str, search: SearchRequest, updated: str) -> ET.Element:
    """A feed's head: its title, id, time, links and author."""
    _ = labels_of(request).gettext
    root_url = base_url(request)
    params = urlencode(search.to_params(sort=""))
    view_url = f"{root_url}/" + (f"?{params}" if params else "")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = xml_text(title + " — " + _("Doc'utiles"))
    feed_id = root_url + "/feed.atom" + (f"?{request.url.query}" if request.url.query else "")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = xml_text(
        view_url if request.query_params.get("changes") != "1" else feed_id
    )
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=xml_text(feed_id))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                  href=xml_text(view_url))  # fmt: skip
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = _("Doc'utiles")
    return feed


def _entry(
    feed: ET.Element, entry_id: str, title: str, url: str, updated: str, summary: str
) -> ET.Element:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}title").text = xml_text(title)
    ET.SubElement(entry, f"{{{ATOM}}}id").text = xml_text(entry_id)
    ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=xml_text(url))
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = updated
    ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = xml_text(summary)
    return entry


def _atom(feed: ET.Element) -> Response:
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return private(Response(body, media_type="application/atom+xml; charset=utf-8"))


def opensearch(request: Request) -> Response:
    _ = translations(lang_of(request)).gettext
    root_url = base_url(request)
    ET.register_namespace("", OPENSEARCH)
    doc = ET.Element(f"{{{OPENSEARCH}}}OpenSearchDescription")
    ET.SubElement(doc, f"{{{OPENSEARCH}}}ShortName").text = _("Doc'utiles")
    ET.SubElement(doc, f"{{{OPENSEARCH}}}Description").text = _("Search the documents")
    ET.SubElement(doc, f"{{{OPENSEARCH}}}InputEncoding").text = "UTF-8"
    ET.SubElement(doc, f"{{{OPENSEARCH}}}Url", type="text/html",
                  template=f"{root_url}/?q={{searchTerms}}")  # fmt: skip
    ET.SubElement(doc, f"{{{OPENSEARCH}}}Url", type="application/atom+xml",
                  template=f"{root_url}/feed.atom?q={{searchTerms}}")  # fmt: skip
    ET.SubElement(doc, f"{{{OPENSEARCH}}}Url", type="application/json",
                  template=f"{root_url}/api/search?q={{searchTerms}}")  # fmt: skip
    body = ET.tostring(doc, encoding="unicode", xml_declaration=True)
    return Response(body, media_type="application/opensearchdescription+xml; charset=utf-8")
