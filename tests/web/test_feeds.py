"""Atom feeds of any view and the OpenSearch description (SPEC §5, §6 for access)."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree as ET

import pytest

from support.trees import front_matter
from support.web import MakeClient, TestClient, query_of

pytest_plugins = ["support.web"]

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
BASE = "https://docs.example.org/depot"


def feed(client: TestClient, query: str = "", **kwargs: Any) -> ET.Element:
    """GET /feed.atom?query, check it is served as Atom, and parse it."""
    response = client.get(f"/feed.atom?{query}", **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def api_ids(client: TestClient, query: str) -> list[str]:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 200
    return [r["id"] for r in response.json()["results"]]


def text(element: ET.Element, tag: str) -> str:
    """The text of the only child `tag` of an element."""
    children = element.findall(f"{ATOM}{tag}")
    assert len(children) == 1, (tag, len(children))
    return children[0].text or ""


def rfc3339(value: str) -> dt.datetime:
    assert RFC3339.fullmatch(value), value
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def links(element: ET.Element, rel: str) -> list[str]:
    return [
        link.attrib["href"]
        for link in element.findall(f"{ATOM}link")
        if link.attrib.get("rel", "alternate") == rel
    ]


def entry_ids(root: ET.Element) -> list[str]:
    """The document ids of a feed's entries, from their alternate links."""
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        (href,) = links(entry, "alternate")
        ids.append(urlsplit(href).path.removeprefix("/doc/"))
    return ids


def check_atom(root: ET.Element) -> None:
    """The elements RFC 4287 requires of a feed and its entries, with valid values."""
    assert text(root, "title")
    assert urlsplit(text(root, "id")).scheme in ("http", "https", "tag", "urn")
    rfc3339(text(root, "updated"))
    (self_link,) = links(root, "self")
    assert urlsplit(self_link).path == "/feed.atom"
    has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        assert text(entry, "title")
        ids.append(text(entry, "id"))
        rfc3339(text(entry, "updated"))
        for published in entry.findall(f"{ATOM}published"):
            rfc3339(published.text or "")
        (alternate,) = links(entry, "alternate")
        assert urlsplit(alternate).path.startswith("/doc/")
        assert urlsplit(alternate).scheme in ("http", "https")
        assert text(entry, "summary").strip()
        assert has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
    assert len(ids) == len(set(ids))


def test_default_feed_is_well_formed_atom(client: TestClient) -> None:
    """/feed.atom is an Atom 1.0 feed whose entries have title, id, updated, link and summary."""
    root = feed(client)
    check_atom(root)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 20
    assert entry_ids(root) == api_ids(client, "sort=newest")


def test_default_feed_lists_the_newest_documents_first(client: TestClient) -> None:
    """The entries of the default feed come newest first, by their date."""
    root = feed(client, "per_page=100")
    dates = [entry.findtext(f"{ATOM}published") for entry in root.findall(f"{ATOM}entry")]
    dated = [rfc3339(d) for d in dates if d]
    assert len(dated) > 50
    assert dated == sorted(dated, reverse=True)
    assert None not in dates[: len(dated)], "an undated entry comes before a dated one"


def test_feed_updated_is_its_newest_entry(client: TestClient) -> None:
    """The feed's `updated` is not older than any of its entries."""
    root = feed(client, "type=decision")
    newest = max(rfc3339(text(e, "updated")) for e in root.findall(f"{ATOM}entry"))
    assert rfc3339(text(root, "updated")) >= newest


def test_filtered_feed_holds_only_matching_entries_newest_first(client: TestClient) -> None:
    """A feed of a filtered view lists the view's documents, newest first."""
    view = "type=circular&status=in-force"
    root = feed(client, view)
    check_atom(root)
    ids = entry_ids(root)
    assert ids and ids == api_ids(client, f"{view}&sort=newest")
    assert {c.attrib["term"] for c in root.iter(f"{ATOM}category")} == {"circular"}
    all_matching = set(api_ids(client, f"{view}&per_page=100"))
    assert set(ids) <= all_matching


def test_feed_of_a_query_is_newest_first_whatever_the_sort(client: TestClient) -> None:
    """A feed of a search lists what the search finds, newest first, not by relevance or title."""
    view = "q=t%C3%A9l%C3%A9travail&region=DR13"
    expected = api_ids(client, f"{view}&sort=newest")
    assert expected
    assert entry_ids(feed(client, view)) == expected
    assert entry_ids(feed(client, f"{view}&sort=title")) == expected
    root = feed(client, view)
    assert "télétravail" in text(root, "title")


def test_feed_of_a_view_links_back_to_the_view(client: TestClient) -> None:
    """The feed's alternate link is the HTML page of the same view; its self link is itself."""
    view = "type=decision&region=DR13"
    root = feed(client, view)
    (alternate,) = links(root, "alternate")
    assert urlsplit(alternate).path == "/"
    assert sorted(query_of(alternate)) == sorted(query_of("?" + view))
    (self_link,) = links(root, "self")
    assert sorted(query_of(self_link)) == sorted(query_of("?" + view))


def test_empty_feed_is_still_valid(client: TestClient) -> None:
    """A view that finds nothing gives a valid feed without entries."""
    root = feed(client, "q=zzqxwvkj")
    check_atom(root)
    assert root.findall(f"{ATOM}entry") == []


def test_feed_rejects_bad_parameters(client: TestClient) -> None:
    """A malformed parameter on /feed.atom is a 400, not a feed."""
    assert client.get("/feed.atom?from=2024-13-01").status_code == 400


def test_feed_escapes_markup_in_documents(make_client: MakeClient) -> None:
    """Titles and summaries with &, < and > come through the feed as the same text."""
    title = "R&D <b>et</b> « innovation » > 3"
    site = make_client({
        "notes/n.md": front_matter("Corps.", title=title, type="note", date="2024-05-02",
                                   summary="Résumé <i>avec</i> & balises"),
    })  # fmt: skip
    root = feed(site.client)
    (entry,) = root.findall(f"{ATOM}entry")
    assert text(entry, "title") == title
    assert text(entry, "summary") == "Résumé <i>avec</i> & balises"


@pytest.mark.parametrize("query", ["\x01", "a\x0bb", "x\x00y", "\ufffe"])
def test_feed_is_well_formed_whatever_the_query(client: TestClient, query: str) -> None:
    """Characters XML cannot hold, typed in a query, never make the feed malformed."""
    response = client.get("/feed.atom", params={"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        check_atom(ET.fromstring(response.content))


def test_feed_is_well_formed_when_a_document_holds_control_characters(
    make_client: MakeClient,
) -> None:
    """Characters XML cannot hold, in a valid document's title or text, never break the feed:
    the document is in it, those characters left out.

    Front matter refuses control characters (a title with one is invalid, and no feed would
    show it), but not the noncharacter U+FFFE; a body may hold form feeds, escapes and any
    other control character, and with no `summary` the entry's summary is taken from it."""
    site = make_client({
        "pages/a.md": '---\ntitle: "Titre \\uFFFE inversé"\ntype: page\n---\n'
                      "Texte\x0cavec saut de page, \x01 début et \x1b échappement.\n",
    })  # fmt: skip
    document = site.client.get("/api/doc/pages/a")
    assert document.status_code == 200, "the document is not valid, so not indexed"
    assert document.json()["title"] == "Titre \ufffe inversé"
    response = site.client.get("/feed.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    check_atom(root)
    (entry,) = root.findall(f"{ATOM}entry")
    assert entry_ids(root) == ["pages/a"]
    title, summary = text(entry, "title"), text(entry, "summary")
    assert " ".join(title.split()) == "Titre inversé"
    assert " ".join(summary.split()) == "Texte avec saut de page, début et échappement."
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", title + summary)


# --- base_url -----------------------------------------------------------------------------


def test_base_url_makes_every_absolute_link_use_it(make_client: MakeClient) -> None:
    """With base_url set, the feed's ids and links (self included) start with it."""
    site = make_client(
        {"notes/n.md": front_matter(title="Note", type="note", date="2024-05-02")},
        base_url=BASE + "/",
    )
    root = feed(site.client, "type=note")
    urls = [text(root, "id"), *(link.attrib["href"] for link in root.iter(f"{ATOM}link"))]
    urls += [text(entry, "id") for entry in root.findall(f"{ATOM}entry")]
    for url in urls:
        assert url.startswith(BASE + "/"), url
    (entry,) = root.findall(f"{ATOM}entry")
    assert links(entry, "alternate") == [f"{BASE}/doc/notes/n"]


NOTE = {"notes/n.md": front_matter(title="Note", type="note", date="2024-05-02")}


def hosts_of(client: TestClient, host: str) -> set[str]:
    """The hosts named by the absolute links of a feed and of OpenSearch, asked for with
    `Host: host`."""
    root = feed(client, "type=note", headers={"Host": host})
    urls = [text(root, "id"), *(link.attrib["href"] for link in root.iter(f"{ATOM}link"))]
    response = client.get("/opensearch.xml", headers={"Host": host})
    assert response.status_code == 200, response.text
    urls += [u.attrib["template"] for u in ET.fromstring(response.content).iter(f"{OPENSEARCH}Url")]
    return {urlsplit(url).netloc for url in urls}


def test_without_base_url_links_are_not_built_on_a_host_nobody_named(
    make_client: MakeClient,
) -> None:
    """Without base_url or allowed_hosts, a Host the client chose makes no link: the feed,
    OpenSearch and the widget's snippet answer 400 saying to set base_url (in the
    reader's language), the pages without absolute links are served."""
    site = make_client(NOTE, allowed_hosts=())
    evil = {"Host": "evil.example"}
    for url in ("/feed.atom?type=note", "/feed.atom?changes=1", "/opensearch.xml"):
        response = site.client.get(url, headers=evil)
        assert response.status_code == 400, (url, response.status_code)
        assert response.headers["content-type"].startswith("text/plain"), url
        assert "evil.example" not in response.text
        assert "base_url" in response.text and "allowed_hosts" in response.text, response.text
    widget = site.client.get("/widget", headers={**evil, "Accept-Language": "fr"})
    assert widget.status_code == 400
    assert "evil.example" not in widget.text
    assert "base_url" in widget.text and "Requête invalide" in widget.text
    for url in ("/", "/api/search?q=note", "/doc/notes/n"):
        assert site.client.get(url, headers=evil).status_code == 200, url


def test_without_base_url_a_loopback_host_makes_the_links(make_client: MakeClient) -> None:
    """On this machine's own names (localhost, 127.0.0.0/8, ::1), links use the Host."""
    site = make_client(NOTE, allowed_hosts=())
    for host in ("localhost:8000", "127.0.0.1", "127.1.2.3:8080", "[::1]:8000"):
        assert hosts_of(site.client, host) == {host}


def test_without_base_url_a_host_allowed_hosts_names_makes_the_links(
    make_client: MakeClient,
) -> None:
    """A Host that allowed_hosts names (a wildcard too) makes the links."""
    site = make_client(NOTE, allowed_hosts=("*.example.org",))
    assert hosts_of(site.client, "docs.example.org") == {"docs.example.org"}


# --- OpenSearch ---------------------------------------------------------------------------


def opensearch(client: TestClient) -> ET.Element:
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    return root


def test_opensearch_description_is_valid(client: TestClient) -> None:
    """/opensearch.xml has a short name, a description and an HTML Url template with
    {searchTerms} that, filled in, is a working search."""
    root = opensearch(client)
    short_name = root.findtext(f"{OPENSEARCH}ShortName") or ""
    assert 0 < len(short_name) <= 16
    description = root.findtext(f"{OPENSEARCH}Description") or ""
    assert 0 < len(description) <= 1024
    templates = {u.attrib["type"]: u.attrib["template"] for u in root.iter(f"{OPENSEARCH}Url")}
    assert "text/html" in templates
    for template in templates.values():
        assert "{searchTerms}" in template
        assert urlsplit(template).scheme in ("http", "https")
    filled = templates["text/html"].replace("{searchTerms}", quote("télétravail"))
    parts = urlsplit(filled)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200
    assert 'value="télétravail"' in response.text
    if "application/atom+xml" in templates:
        atom = urlsplit(templates["application/atom+xml"].replace("{searchTerms}", "x"))
        assert client.get(f"{atom.path}?{atom.query}").status_code == 200


def test_opensearch_templates_use_base_url(make_client: MakeClient) -> None:
    """With base_url set, the OpenSearch templates point at it."""
    site = make_client({"pages/p.md": front_matter()}, base_url=BASE)
    root = opensearch(site.client)
    for url in root.iter(f"{OPENSEARCH}Url"):
        assert url.attrib["template"].startswith(BASE + "/"), url.attrib["template"]


# --- access -------------------------------------------------------------------------------

ACCESS_FILES = {
    "notes/public.md": front_matter(
        "Budget de l'année.", title="Note publique sur le budget", type="note",
        date="2024-01-10",
    ),
    "notes/internal.md": front_matter(
        "Budget confidentiel.", title="Note interne sur le budget", type="note",
        date="2024-06-10", access="internal",
    ),
    "notes/group.md": front_matter(
        "Budget des directeurs.", title="Note réservée sur le budget", type="note",
        date="2024-07-10", access=["directeurs-unite"],
    ),
}  # fmt: skip


def test_internal_documents_never_appear_in_an_anonymous_feed(make_client: MakeClient) -> None:
    """An anonymous feed, whatever its view, holds no internal or group-restricted entry."""
    site = make_client(ACCESS_FILES)
    for view in ("", "q=budget", "type=note", "q=confidentiel", "year=2024&sort=newest"):
        root = feed(site.client, view)
        assert set(entry_ids(root)) <= {"notes/public"}, view
        for entry in root.findall(f"{ATOM}entry"):
            shown = ET.tostring(entry, encoding="unicode")
            assert not {"confidentiel", "interne", "réservée", "directeurs"} & set(shown.split())
        if entry_ids(root):  # the hidden, newer notes do not set the feed's date either
            assert rfc3339(text(root, "updated")) < dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    assert entry_ids(feed(site.client, "q=confidentiel")) == []


def test_feed_shows_internal_documents_to_signed_in_staff(make_client: MakeClient) -> None:
    """From a trusted proxy, a signed-in user's feed holds internal and their groups' entries."""
    site = make_client(ACCESS_FILES, client_host="127.0.0.1", trusted_proxies=["127.0.0.1"])
    root = feed(site.client, "type=note", headers={"X-Remote-User": "alice"})
    assert entry_ids(root) == ["notes/internal", "notes/public"]
    headers = {"X-Remote-User": "bob", "X-Remote-Groups": "directeurs-unite"}
    response = site.client.get("/feed.atom?type=note", headers=headers)
    assert "private" in response.headers["cache-control"]
    root = ET.fromstring(response.content)
    assert entry_ids(root) == ["notes/group", "notes/internal", "notes/public"]


def test_sample_internal_documents_are_not_in_the_anonymous_feed(client: TestClient) -> None:
    """None of the sample corpus's internal notes shows in the anonymous feed of their type."""
    root = feed(client, "type=note&per_page=100")
    ids = set(entry_ids(root))
    assert ids
    for hidden in ("notes/2021/not210044dsi", "notes/2026/not260015mpr"):
        assert hidden not in ids


# --- what a feed says it is -----------------------------------------------------------------


def test_a_feed_title_says_what_the_view_is(make_client: MakeClient) -> None:
    """Several subscriptions can be told apart at a glance in a feed reader's sidebar: the
    types in the plural, their status, then the places (the organisation-wide texts said
    once, or at the facet they belong to), the other filters; in the interface language."""
    site = make_client({
        "circulars/c.md": front_matter(title="Circulaire", type="circular", date="2024-05-02",
                                       institutes=["INSB"], regions=["DR13"]),
    })  # fmt: skip
    director = "type=circular&institute=INSB&institute=general&region=DR13&region=general"
    expected = {
        f"{director}&status=in-force":
            "Circulaires en vigueur — CNRS Biologie, Occitanie Est (et portée générale)",
        "type=circular&institute=INSB&institute=general&region=DR13&status=in-force":
            "Circulaires en vigueur — CNRS Biologie (et portée générale), Occitanie Est",
        "type=decision&type=circular&status=repealed":
            "Décisions et circulaires qui ne sont plus en vigueur",
        "institute=general&region=general&theme=telework":
            "Documents — Portée générale · Télétravail",
        "region=DR13&institute=general": "Documents — sans institut, Occitanie Est",
        "type=decision&status=in-force&at=2022-03-15": "Décisions en vigueur le 15 mars 2022",
        "type=circular&type=lettre-de-mission":
            "Circulaires et documents de type lettre-de-mission",
        "q=budget&type=circular&year=2024": "« budget » · Circulaires — 2024",
        "q=budget": "« budget »",
        "": "Derniers documents",
    }  # fmt: skip
    for view, title in expected.items():
        assert text(feed(site.client, view), "title") == f"{title} — Doc'utiles", view
    english = {
        f"{director}&status=in-force":
            "Circulars in force — CNRS Biology, Occitanie Est (and organisation-wide)",
        "q=budget&type=circular": "“budget” · Circulars",
        "type=form&type=note&type=guide&status=repealed":
            "Forms, notes, and guides no longer in force",
    }  # fmt: skip
    for view, title in english.items():
        got = text(feed(site.client, view, headers={"Accept-Language": "en"}), "title")
        assert got == f"{title} — Doc'utiles", view


def test_a_views_page_is_titled_as_its_feed(client: TestClient) -> None:
    """The search page of a view and its feed carry the same title; the bare page is
    "Rechercher"."""
    view = (
        "type=circular&institute=INSB&institute=general&region=DR13&region=general&status=in-force"
    )
    page = client.get(f"/?{view}").text
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None
    assert title.group(1) == text(feed(client, view), "title")
    assert title.group(1) == (
        "Circulaires en vigueur — CNRS Biologie, Occitanie Est (et portée générale) — Doc'utiles"
    )
    bare = re.search(r"<title>(.*?)</title>", client.get("/").text, re.S)
    assert bare is not None and bare.group(1) == "Rechercher — Doc'utiles"


def test_an_undated_document_keeps_its_updated_time_between_polls(
    make_client: MakeClient,
) -> None:
    """An undated page's `updated` is when its file last changed, not the time of the poll."""
    site = make_client({"pages/p.md": front_matter(title="Page sans date")})
    mtime = (site.content / "pages/p.md").stat().st_mtime
    first = feed(site.client)
    time.sleep(1.1)
    second = feed(site.client)
    (entry,) = first.findall(f"{ATOM}entry")
    updated = rfc3339(text(entry, "updated"))
    assert abs(updated.timestamp() - mtime) < 1
    assert [text(e, "updated") for e in second.findall(f"{ATOM}entry")] == [text(entry, "updated")]
    assert text(second, "updated") == text(first, "updated") == text(entry, "updated")


def test_the_similar_documents_feed_says_what_it_follows(make_client: MakeClient) -> None:
    site = make_client({
        "circulars/c.md": front_matter(title="Circulaire", type="circular", date="2024-05-02",
                                       institutes=["INSB"]),
    })  # fmt: skip
    page = site.client.get("/doc/circulars/c").text
    assert "Nouveaux documents semblables : Circulaires — CNRS Biologie (flux Atom)" in page
