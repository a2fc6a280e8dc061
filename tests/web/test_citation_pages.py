"""Citations through HTTP (SPEC §2, §5): the document page and /api/doc show a cited
reference as a link and the relation both ways, and never a document the viewer may
not see."""

from __future__ import annotations

from support.dom import Node, parse_html
from support.trees import decision, doc
from support.web import MakeClient, TestClient

pytest_plugins = ["support.web"]

FILES = {
    "decisions/dec240187daj.md": decision("Décision sur le télétravail", "DEC240187DAJ"),
    "notes/internal.md": decision(
        "Note interne", "NOT240002DRH", "Texte interne.", access="internal"
    ),
    "pages/guide.md": doc(
        "Guide",
        "Selon la décision dec-240187-daj et la note NOT 240002 DRH, "
        "voir aussi [DEC240187DAJ](https://example.org) et `DEC240187DAJ`.",
    ),
}
GUIDE_LINK = ("/doc/decisions/dec240187daj", "dec-240187-daj")


def page(client: TestClient, url: str, **headers: str) -> Node:
    response = client.get(url, headers={"Accept-Language": "fr", **headers})
    assert response.status_code == 200, response.text[:300]
    return parse_html(response.text)


def body_links(dom: Node) -> list[tuple[str, str]]:
    body = dom.find(cls="doc-body")
    return [(a.attrs["href"], a.text) for a in body.find_all("a")]


def relation_list(dom: Node, heading: str) -> list[str]:
    """The ids listed under a heading of the relations block."""
    found: list[str] = []
    current = None
    for node in dom.find(cls="relations").iter():
        if node.tag == "h3":
            current = node.text
        elif node.tag == "a" and current == heading:
            found.append(node.attrs["href"].removeprefix("/doc/"))
    return found


def test_a_cited_reference_is_a_link_and_a_relation_both_ways(make_client: MakeClient) -> None:
    """The citing page links the reference as written and lists the document under
    "Cite"; the cited page lists the citing one under "Cité par"."""
    site = make_client(FILES)
    guide = page(site.client, "/doc/pages/guide")
    assert body_links(guide) == [GUIDE_LINK, ("https://example.org", "DEC240187DAJ")]
    assert relation_list(guide, "Cite") == ["decisions/dec240187daj"]
    cited = page(site.client, "/doc/decisions/dec240187daj")
    assert relation_list(cited, "Cité par") == ["pages/guide"]
    english = page(site.client, "/doc/decisions/dec240187daj", **{"Accept-Language": "en"})
    assert relation_list(english, "Cited by") == ["pages/guide"]


def test_the_api_gives_citations_in_the_html_and_the_relations(make_client: MakeClient) -> None:
    """/api/doc has the link in `html` and `cites` / `cited_by` among the relations."""
    site = make_client(FILES)
    guide = site.client.get("/api/doc/pages/guide").json()
    assert [r["id"] for r in guide["relations"]["cites"]] == ["decisions/dec240187daj"]
    assert guide["relations"]["cited_by"] == []
    assert 'href="/doc/decisions/dec240187daj">dec-240187-daj</a>' in guide["html"]
    cited = site.client.get("/api/doc/decisions/dec240187daj").json()
    assert cited["relations"]["cited_by"] == [
        {"id": "pages/guide", "title": "Guide", "url": "/doc/pages/guide"}
    ]


def test_a_citation_of_a_hidden_document_is_neither_a_link_nor_a_relation(
    make_client: MakeClient,
) -> None:
    """Anonymous visitors see the internal note's reference as plain text and no relation
    to it; a signed-in user sees the link and the relation."""
    site = make_client(FILES, client_host="127.0.0.1", trusted_proxies=["127.0.0.1"])
    anonymous = page(site.client, "/doc/pages/guide")
    assert "/doc/notes/internal" not in [href for href, _ in body_links(anonymous)]
    assert "NOT 240002 DRH" in anonymous.find(cls="doc-body").text
    assert relation_list(anonymous, "Cite") == ["decisions/dec240187daj"]
    api = site.client.get("/api/doc/pages/guide").json()
    assert "notes/internal" not in api["html"]
    assert [r["id"] for r in api["relations"]["cites"]] == ["decisions/dec240187daj"]

    signed_in = page(site.client, "/doc/pages/guide", **{"X-Remote-User": "alice"})
    assert ("/doc/notes/internal", "NOT 240002 DRH") in body_links(signed_in)
    assert relation_list(signed_in, "Cite") == ["decisions/dec240187daj", "notes/internal"]


def test_a_page_without_citations_has_no_citation_lists(make_client: MakeClient) -> None:
    """A text citing nothing and cited by nothing shows neither heading."""
    site = make_client({"pages/a.md": doc("Seule", "Aucune référence ici.")})
    dom = page(site.client, "/doc/pages/a")
    assert dom.find_all(cls="relations") == []


def test_a_repealed_citation_names_its_successor_only_to_who_may_see_it(
    make_client: MakeClient,
) -> None:
    """A public text citing a public decision repealed by an internal one: the warning on
    /problems, which names the internal text, is for signed-in readers only."""
    site = make_client({
        "notes/old.md": decision("Ancienne décision", "DEC240001DAJ"),
        "notes/new.md": decision("Décision interne", "DEC240077DRH", date="2024-03-02",
                                 supersedes=["DEC240001DAJ"], access="internal"),
        "pages/a.md": doc("Page", "Voir la décision DEC 240001 DAJ."),
    }, client_host="127.0.0.1", trusted_proxies=("127.0.0.1",))  # fmt: skip
    anonymous = site.client.get("/problems", headers={"Accept-Language": "fr"}).text
    assert "DEC240077DRH" not in anonymous and "pages/a.md" not in anonymous
    signed_in = site.client.get("/problems", headers={"X-Remote-User": "alice"}).text
    assert "abrogé par DEC240077DRH" in signed_in
