"""The history of documents over HTTP (SPEC §2 History, §5): the list of versions, a
version, the changes between two, and who may see them, on git repositories built in
`tmp_path` (the content directory a repository of its own, or a folder of one)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from docrepo.app import create_app
from docrepo.config import Settings
from docrepo.indexing.pipeline import update_index
from docrepo.store.writing import IndexStore
from support.dom import Node, parse_html
from support.git import Git
from support.trees import decision, doc
from support.web import MakeClient, TestClient, WebTree

pytest_plugins = ["support.web"]

PROXY = {"client_host": "127.0.0.1", "trusted_proxies": ["127.0.0.1"]}
SIGNED_IN = {"X-Remote-User": "alice"}
FIRST = decision("Indemnités de mission", "DEC240001DAJ", body="Le taux est de 100 euros par jour.")
SECOND = decision(
    "Indemnités de mission",
    "DEC240001DAJ",
    body="Le taux est de 120 euros par jour et par agent.\n\n## Entrée en vigueur\n\nAu 1er mai.",
    themes=["human-resources"],
)


def page(client: TestClient, url: str, status: int = 200, **kwargs: object) -> Node:
    response = client.get(url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, (url, response.status_code, response.text[:300])
    return parse_html(response.text)


def versions_listed(dom: Node) -> list[str]:
    """The messages of the versions a history page lists, in order."""
    return [
        li.first("p", cls="message").text for li in dom.find("ol", cls="versions").find_all("li")
    ]


@pytest.fixture
def story(make_client: MakeClient, tmp_path: Path) -> tuple[WebTree, dict[str, str]]:
    """A content folder inside a repository: a decision edited by two people, then
    renamed; and a text internal until it was published."""
    site = make_client({}, **PROXY)
    git = Git(site.content.parent)
    under = "content"
    commits = {
        "first": git.commit(
            {"dec.md": FIRST}, "Première version", "2024-01-10T09:00:00+01:00", under=under
        ),
        "second": git.commit(
            {"dec.md": SECOND},
            "Taux revalorisé",
            "2024-03-12T10:00:00+01:00",
            "Julien Moreau",
            under,
        ),
    }
    git.run("mv", "content/dec.md", "content/dec-mission.md")
    commits["renamed"] = git.commit({}, "Nom de fichier plus parlant", "2024-04-02T11:00:00+02:00")
    commits["internal"] = git.commit(
        {"note.md": doc("Projet de note", access="internal")},
        "Projet interne",
        "2024-05-01T10:00:00+02:00",
        under=under,
    )
    commits["public"] = git.commit(
        {"note.md": doc("Note publiée", body="Texte publié.")},
        "Publication",
        "2024-06-01T10:00:00+02:00",
        under=under,
    )
    site.reindex()
    return site, commits


def test_history_lists_every_version_newest_first_following_renames(
    story: tuple[WebTree, dict[str, str]],
) -> None:
    """The history page lists the commits of the file and of its former path, newest
    first, with date, author and message."""
    site, commits = story
    dom = page(site.client, "/doc/dec-mission/history")
    assert versions_listed(dom) == [
        "Nom de fichier plus parlant",
        "Taux revalorisé",
        "Première version",
    ]
    second = dom.find("ol", cls="versions").find_all("li")[1]
    assert "Julien Moreau" in second.text
    assert second.first("time").attrs["datetime"] == "2024-03-12T10:00:00+01:00"
    assert second.first("a").attrs["href"] == f"/doc/dec-mission?version={commits['second']}"


def test_document_page_says_when_it_changed_and_links_to_its_history(
    story: tuple[WebTree, dict[str, str]],
) -> None:
    """The document page gives the date of the last version and a link to the list;
    a file changed on disk since is said to be modified."""
    site, _ = story
    note = page(site.client, "/doc/dec-mission").find("p", cls="history-note")
    assert note.first("time").attrs["datetime"] == "2024-04-02"
    assert note.first("a").attrs["href"] == "/doc/dec-mission/history"
    assert note.first("span", cls="modified") is None
    site.write("dec-mission.md", SECOND.replace("Au 1er mai.", "Au 1er juin."))
    site.reindex()
    note = page(site.client, "/doc/dec-mission").find("p", cls="history-note")
    assert "modifié depuis la dernière version enregistrée" in note.text


def test_a_version_renders_as_it_was_under_a_banner(story: tuple[WebTree, dict[str, str]]) -> None:
    """?version= shows the text of that commit (an abbreviated id is enough), with a
    banner giving its date and a link to the current version."""
    site, commits = story
    dom = page(
        site.client,
        f"/doc/dec-mission?version={commits['first'][:8]}",
        headers={"Accept-Language": "fr"},
    )
    banner = dom.find("div", cls="version-banner")
    assert "Version du 10 janvier 2024" in banner.text
    assert banner.first("a").attrs["href"] == "/doc/dec-mission"
    assert "100 euros" in dom.find("div", cls="doc-body").text
    assert "120 euros" not in dom.text


def test_the_changes_between_two_versions(story: tuple[WebTree, dict[str, str]]) -> None:
    """The comparison shows changed fields in a table and the words inserted and
    deleted inside the paragraphs, marked by elements (not by colour alone)."""
    site, commits = story
    dom = page(site.client, f"/doc/dec-mission/diff?from={commits['first']}&to={commits['second']}")
    rows = dom.find("table", cls="field-changes").first("tbody").find_all("tr")
    assert [(r.first("th").text, [td.text for td in r.find_all("td")]) for r in rows] == [
        ("Thèmes themes", ["—", "human-resources"])
    ]
    text = dom.find("div", cls="diff-text")
    assert [d.text for d in text.find_all("del")] == ["100", "jour."]
    assert "120" in [i.text for i in text.find_all("ins")]
    assert text.find("div", cls="diff-added").first("h2").text == "Entrée en vigueur"


def test_bad_and_unknown_versions(story: tuple[WebTree, dict[str, str]]) -> None:
    """A version that is not a commit id is a 400; one that is no version of the
    document a 404; a comparison without both ends a 400."""
    site, commits = story
    assert site.client.get("/doc/dec-mission?version=zzzzzzzz").status_code == 400
    assert site.client.get("/doc/dec-mission?version=0123456789").status_code == 404
    assert site.client.get(f"/doc/dec-mission?version={commits['internal']}").status_code == 404
    assert site.client.get(f"/doc/dec-mission/diff?from={commits['first']}").status_code == 400
    assert site.client.get("/doc/nothing/history").status_code == 404


def test_versions_the_viewer_may_not_see_are_absent(story: tuple[WebTree, dict[str, str]]) -> None:
    """A text internal before it was published: the public sees only its public
    version, and the internal one is a 404; a signed-in reader sees both."""
    site, commits = story
    assert versions_listed(page(site.client, "/doc/note/history")) == ["Publication"]
    assert site.client.get(f"/doc/note?version={commits['internal']}").status_code == 404
    diff = f"/doc/note/diff?from={commits['internal']}&to={commits['public']}"
    assert site.client.get(diff).status_code == 404
    listed = versions_listed(page(site.client, "/doc/note/history", headers=SIGNED_IN))
    assert listed == ["Publication", "Projet interne"]
    assert (
        site.client.get(f"/doc/note?version={commits['internal']}", headers=SIGNED_IN).status_code
        == 200
    )
    assert site.client.get(diff, headers=SIGNED_IN).status_code == 200


def test_no_history_for_a_document_the_viewer_may_not_see(make_client: MakeClient) -> None:
    """History, versions and diffs of a document hidden now are 404s, as its page."""
    site = make_client({}, **PROXY)
    git = Git(site.content)
    first = git.commit({"secret.md": doc("Secret", access="internal")}, "Création")
    site.reindex()
    for url in (
        "/doc/secret/history",
        f"/doc/secret?version={first}",
        f"/doc/secret/diff?from={first}&to={first}",
    ):
        assert site.client.get(url).status_code == 404, url
    assert site.client.get("/doc/secret/history", headers=SIGNED_IN).status_code == 200


def test_content_outside_git_has_no_history_pages(make_client: MakeClient) -> None:
    """Without git, the document page has no history note and the history is a 404."""
    site = make_client({"a.md": doc("A")})
    assert page(site.client, "/doc/a").find_all("p", cls="history-note") == []
    assert site.client.get("/doc/a/history").status_code == 404
    assert site.client.get("/doc/a?version=0123456789abcdef").status_code == 404


def test_new_commits_are_recorded_incrementally_and_a_shallow_clone_works(
    make_client: MakeClient, tmp_path: Path
) -> None:
    """A commit after the last recorded HEAD is appended; a shallow clone of the
    repository shows the versions it holds, without error."""
    site = make_client({}, **PROXY)
    git = Git(site.content)
    for n in range(3):
        git.commit(
            {"a.md": doc("A", body=f"Version {n}.")},
            f"Version {n}",
            f"2024-0{n + 1}-01T10:00:00+01:00",
        )
        site.reindex()
    assert versions_listed(page(site.client, "/doc/a/history")) == [
        "Version 2",
        "Version 1",
        "Version 0",
    ]
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{site.content}", str(clone)], check=True
    )
    update_index(clone, IndexStore(tmp_path / "clone-index"))
    with TestClient(create_app(Settings(content=clone, index=tmp_path / "clone-index"))) as client:
        assert versions_listed(page(client, "/doc/a/history")) == ["Version 2"]


def test_a_draft_version_is_never_served(make_client: MakeClient) -> None:
    """Drafts are never served, old ones neither: a version committed as a draft is not
    in the history, is a 404 at its URL, and the feed publishes the text when it was."""
    site = make_client({}, **PROXY)
    git = Git(site.content.parent)
    draft = git.commit({"note.md": doc("Note", body="Texte du brouillon.", status="draft")},
                       "Brouillon", "2024-05-01T10:00:00+02:00", under="content")  # fmt: skip
    published = git.commit({"note.md": doc("Note", body="Texte publié.")}, "Publication",
                           "2024-06-01T10:00:00+02:00", under="content")  # fmt: skip
    site.reindex()
    for headers in ({}, SIGNED_IN):
        listed = page(site.client, "/doc/note/history", headers=headers)
        assert versions_listed(listed) == ["Publication"]
        page(site.client, f"/doc/note?version={draft}", status=404, headers=headers)
        page(site.client, f"/doc/note/diff?from={draft}&to={published}", status=404,
             headers=headers)  # fmt: skip
    feed = site.client.get("/feed.atom?changes=1&doc=note").text
    assert "Brouillon" not in feed and "Texte du brouillon" not in feed


def test_a_commit_changing_a_document_and_other_files_is_one_of_its_versions(
    make_client: MakeClient,
) -> None:
    """The content folder inside a repository that also holds a site and scripts: every
    commit that changes a document is a version of it, whatever else it changes (as
    `git log -- path` shows it), the document's creation included."""
    site = make_client({})
    git = Git(site.content.parent)
    git.commit({"site/index.html": "<h1>Intranet</h1>", "content/dec.md": FIRST,
                "scripts/deploy.sh": "rsync site/ web:"}, "Mise en place du site et de la décision",
               "2024-01-10T09:00:00+01:00")  # fmt: skip
    git.commit({"site/index.html": "<h1>Intranet</h1><p>Indemnités</p>"}, "Page d'accueil",
               "2024-02-01T09:00:00+01:00")  # fmt: skip
    git.commit({"content/dec.md": SECOND, "site/index.html": "<h1>Intranet</h1>"},
               "Taux revalorisé, et l'accueil allégé", "2024-03-12T10:00:00+01:00",
               "Julien Moreau")  # fmt: skip
    site.reindex()
    assert versions_listed(page(site.client, "/doc/dec/history")) == [
        "Taux revalorisé, et l'accueil allégé",
        "Mise en place du site et de la décision",
    ]
    note = page(site.client, "/doc/dec").find("p", cls="history-note")
    assert note.first("span", cls="modified") is None
