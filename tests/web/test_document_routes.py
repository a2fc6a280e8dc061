"""The URLs under `/doc/` (SPEC §5), each a route of its own: a document at `/doc/{id}`,
its history at `/doc/{id}/history`, a comparison at `/doc/{id}/diff`; a document whose id
ends with the name of such a page (`guides/history`) stays reachable at `/doc/{its id}`,
which wins over the page of the same URL (docs/design.md, URLs under /doc/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docrepo.app import create_app
from docrepo.config import Settings
from support.dom import Node, parse_html
from support.git import Git
from support.trees import doc
from support.web import MakeClient, TestClient, WebTree

pytest_plugins = ["support.web"]

FILES = {
    "guides.md": doc("Les guides"),
    "guides/history.md": doc("Histoire des guides", body="L'histoire des guides."),
    "guides/diff.md": doc("Différences entre guides"),
    "notes/files.md": doc("Fichiers des notes"),
    "notes/files/annexe.md": doc("Annexe des fichiers"),
    "manuels/history.md": doc("Histoire des manuels", aliases=["manuels/ancien"]),
    "dec-new.md": doc("Décision renommée", aliases=["dec-old"]),
}


@pytest.fixture
def site(make_client: MakeClient) -> tuple[WebTree, dict[str, str]]:
    """A repository whose documents have ids ending in `history`, `diff` and `files`,
    each committed twice."""
    site = make_client({})
    git = Git(site.content)
    first = git.commit(FILES, "Création", "2024-01-10T09:00:00+01:00")
    edited = {
        name: text.replace("Texte du document.", "Texte revu.") for name, text in FILES.items()
    }
    edited["guides/history.md"] = doc("Histoire des guides", body="La longue histoire des guides.")
    second = git.commit(edited, "Révision", "2024-02-10T09:00:00+01:00")
    site.reindex()
    return site, {"first": first, "second": second}


def page(client: TestClient, url: str, status: int = 200) -> Node:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:300])
    return parse_html(response.text)


def title(dom: Node) -> str:
    return dom.first("h1").text.strip()


def test_a_document_whose_id_ends_with_a_page_name_is_served_at_its_id(
    site: tuple[WebTree, dict[str, str]],
) -> None:
    """`/doc/guides/history` is the document guides/history, though the document guides
    exists (a document wins over the page of the same URL); likewise …/diff and …/files."""
    client = site[0].client
    assert title(page(client, "/doc/guides/history")) == "Histoire des guides"
    assert title(page(client, "/doc/guides/diff")) == "Différences entre guides"
    assert title(page(client, "/doc/notes/files")) == "Fichiers des notes"
    assert title(page(client, "/doc/notes/files/annexe")) == "Annexe des fichiers"
    assert title(page(client, "/doc/manuels/history")) == "Histoire des manuels"
    assert title(page(client, "/doc/guides")) == "Les guides"


def test_the_pages_under_such_a_document_work(site: tuple[WebTree, dict[str, str]]) -> None:
    """The history, versions and comparison of guides/history are at its own URL, as for
    any document; so is the history of a document whose id has no such ending."""
    (web, commits) = site
    history = page(web.client, "/doc/guides/history/history")
    assert title(history).endswith("Histoire des guides"), title(history)
    links = [a.attrs["href"] for a in history.find("ol", cls="versions").find_all("a")]
    assert f"/doc/guides/history?version={commits['first']}" in links
    old = page(web.client, f"/doc/guides/history?version={commits['first']}")
    assert "L'histoire des guides." in old.find("div", cls="doc-body").text
    changes = f"diff?from={commits['first']}&to={commits['second']}"
    marked = page(web.client, f"/doc/guides/history/{changes}").find("div", cls="diff-text")
    assert [d.text for d in marked.find_all("del")] == ["L'histoire"]
    assert [i.text for i in marked.find_all("ins")] == ["La longue histoire"]
    assert page(web.client, "/doc/notes/files/history").find("ol", cls="versions") is not None
    assert page(web.client, "/doc/notes/files/annexe/history").find("ol", cls="versions")


def test_a_page_under_a_former_id_is_redirected_to_the_same_page(
    site: tuple[WebTree, dict[str, str]],
) -> None:
    """A former id (`aliases:`) redirects, with the page and query under it, to the
    current id; a former id ending in a page name redirects to its document."""
    (web, commits) = site
    diff = f"/diff?from={commits['first']}&to={commits['second']}"
    for old, new in (("/doc/dec-old/history", "/doc/dec-new/history"),
                     (f"/doc/dec-old{diff}", f"/doc/dec-new{diff}"),
                     ("/doc/manuels/ancien", "/doc/manuels/history"),
                     ("/doc/manuels/ancien/history", "/doc/manuels/history/history")):  # fmt: skip
        response = web.client.get(old)
        assert (response.status_code, response.headers.get("location")) == (301, new), old


def test_a_page_of_no_document_is_not_found(site: tuple[WebTree, dict[str, str]]) -> None:
    """A page under an id that names no document, and /doc/history itself, are 404s."""
    client = site[0].client
    for url in ("/doc/nothing/history", "/doc/history", "/doc//history", "/doc/notes/history"):
        assert client.get(url).status_code == 404, url


def test_each_family_of_document_urls_is_a_route(tmp_path: Path) -> None:
    """The document, its history, its comparison and its attached files are routes of
    their own (in this order of matching: the pages under a document before the document)."""
    app = create_app(Settings(content=tmp_path, index=tmp_path / "index"))
    paths = [getattr(route, "path", "") for route in app.routes]
    documents = [p for p in paths if p.startswith("/doc/")]
    assert documents == [
        "/doc/{doc_id:path}/history",
        "/doc/{doc_id:path}/diff",
        "/doc/{doc_id:path}/files/{name}",
        "/doc/{doc_id:path}",
    ]
