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

from ..i18n import translations
from .site import base_url, labels_of, lang_of, private, reader_of, search_request, viewer_of
from .urls import doc_url

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
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(request: Request) -> Response:
    """The newest documents of the view the query string describes."""
    search = dataclasses.replace(search_request(request), sort="newest", page=1)
    labels = labels_of(request)
    _ = labels.gettext
    reader = reader_of(request)
    result = reader.search(search, viewer_of(request))
    changed = reader.changed_at([h.record for h in result.hits])
    root_url = base_url(request)
    params = urlencode(search.to_params(sort=""))
    view_url = f"{root_url}/" + (f"?{params}" if params else "")
    now = _rfc3339(dt.datetime.now(dt.UTC))

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    title = labels.view(search) + " — " + _("Doc'utiles")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = xml_text(title)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = xml_text(view_url)
    updated = [_updated(h.record, changed, now) for h in result.hits]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = max(updated, default=now)
    self_url = f"{root_url}/feed.atom" + (f"?{request.url.query}" if request.url.query else "")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=xml_text(self_url))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                  href=xml_text(view_url))  # fmt: skip
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = _("Doc'utiles")
    for hit in result.hits:
        r = hit.record
        url = xml_text(root_url + doc_url(r["id"]))
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = xml_text(r["title"])
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _updated(r, changed, now)
        if r.get("date"):
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _midnight(r["date"])
        summary = ET.SubElement(entry, f"{{{ATOM}}}summary", type="text")
        summary.text = xml_text(r.get("summary") or " ".join(r["text"].split()[:60]))
        ET.SubElement(entry, f"{{{ATOM}}}category", term=r["type"],
                      label=labels.vocabulary("types", r["type"]))  # fmt: skip
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
