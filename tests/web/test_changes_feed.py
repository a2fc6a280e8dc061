"""The changes feed (SPEC §5, `/feed.atom?changes=1`): the events of a view's documents,
newest first — published, modified with the commit's message, amended, repealed."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from support.dom import parse_html
from support.git import Git
from support.trees import decision, doc
from support.web import MakeClient, TestClient, WebTree

pytest_plugins = ["support.web"]

ATOM = "{http://www.w3.org/2005/Atom}"
PROXY = {"client_host": "127.0.0.1", "trusted_proxies": ["127.0.0.1"]}
MISSION = "Indemnités de mission"


def entries(client: TestClient, query: str, **kwargs: object) -> list[dict[str, str]]:
    response = client.get(f"/feed.atom?{query}", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    root = ET.fromstring(response.content)
    return [
        {
            "title": e.findtext(f"{ATOM}title") or "",
            "updated": e.findtext(f"{ATOM}updated") or "",
            "summary": e.findtext(f"{ATOM}summary") or "",
            "link": e.find(f"{ATOM}link").attrib["href"],  # type: ignore[union-attr]
            "id": e.findtext(f"{ATOM}id") or "",
        }
        for e in root.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def story(make_client: MakeClient, tmp_path: Path) -> tuple[WebTree, dict[str, str]]:
    """A decision published, modified, amended by another, then repealed by a third that
    takes effect after it is signed; and an internal note."""
    site = make_client({}, **PROXY)
    git = Git(site.content.parent)
    first = decision(MISSION, "DEC240001DAJ", body="Le taux est de 100 euros.")
    commits = {
        "first": git.commit({"dec.md": first}, "Première version", "2024-01-10T09:00:00+01:00",
                            under="content"),
        "second": git.commit({"dec.md": first.replace("100", "120")}, "Taux revalorisé",
                             "2024-03-12T10:00:00+01:00", "Julien Moreau", "content"),
        "amending": git.commit(
            {"amend.md": decision("Modification des indemnités", "DEC240050DAJ",
                                  date="2024-04-01", amends=["DEC240001DAJ"])},
            "Décision modificative", "2024-04-01T10:00:00+02:00", under="content"),
        "new": git.commit(
            {"new.md": decision("Nouvelles indemnités de mission", "DEC240099DAJ",
                                date="2024-08-20", effective="2024-09-01",
                                supersedes=["DEC240001DAJ"])},
            "Nouvelle décision", "2024-08-20T15:00:00+02:00", under="content"),
        "internal": git.commit({"note.md": doc("Note interne", access="internal",
                                               type="note", date="2024-10-01")},
                               "Note interne", "2024-10-01T10:00:00+02:00", under="content"),
    }  # fmt: skip
    site.reindex()
    return site, commits


def test_the_events_of_a_view_newest_first(story: tuple[WebTree, dict[str, str]]) -> None:
    """A director following the decisions in force learns that one was repealed, and by
    what: the changes feed follows the view's texts whatever their status."""
    site, commits = story
    found = entries(site.client, "changes=1&type=decision&status=in-force")
    assert [e["title"] for e in found] == [
        f"Abrogé par DEC240099DAJ : {MISSION}",
        "Publié : Nouvelles indemnités de mission",
        "Publié : Modification des indemnités",
        f"Modifié par DEC240050DAJ : {MISSION}",
        f"Modifié : {MISSION}",
        f"Publié : {MISSION}",
    ]
    repealed, *_, modified, published = found
    assert repealed["updated"] == "2024-09-01T00:00:00Z"
    assert repealed["link"].endswith("/doc/new")
    assert modified["summary"] == "Taux revalorisé — Julien Moreau"
    assert modified["link"].endswith(
        f"/doc/dec/diff?from={commits['first']}&to={commits['second']}"
    )
    assert modified["updated"] == "2024-03-12T09:00:00Z"
    assert len({e["id"] for e in found}) == len(found)
    assert published["summary"] == "Première version — Claire Martin"


def test_the_changes_of_one_document(story: tuple[WebTree, dict[str, str]]) -> None:
    """The document page links the feed of its own changes."""
    site, _ = story
    dom = parse_html(site.client.get("/doc/dec").text)
    link = next(a for a in dom.find_all("a") if "changes=1" in a.attrs.get("href", ""))
    assert link.text == "Modifications de ce texte (flux Atom)"
    found = entries(site.client, link.attrs["href"].split("?", 1)[1],
                    headers={"Accept-Language": "en"})  # fmt: skip
    assert [e["title"] for e in found] == [
        f"Repealed by DEC240099DAJ: {MISSION}",
        f"Amended by DEC240050DAJ: {MISSION}",
        f"Modified: {MISSION}",
        f"Published: {MISSION}",
    ]


def test_events_name_only_what_the_viewer_may_see(story: tuple[WebTree, dict[str, str]]) -> None:
    site, _ = story
    anonymous = [e["title"] for e in entries(site.client, "changes=1")]
    assert "Publié : Note interne" not in anonymous
    signed_in = entries(site.client, "changes=1", headers={"X-Remote-User": "alice"})
    assert signed_in[0]["title"] == "Publié : Note interne"
    assert entries(site.client, "changes=1&doc=note") == []


def test_without_git_a_text_is_published_on_its_date(make_client: MakeClient) -> None:
    site = make_client({"d.md": decision(MISSION, "DEC240001DAJ", date="2024-02-03")})
    (event,) = entries(site.client, "changes=1")
    assert (event["title"], event["updated"]) == (f"Publié : {MISSION}", "2024-02-03T00:00:00Z")
