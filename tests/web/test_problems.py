"""/problems tells editors the truth about each file: published or not, restricted or not."""

from __future__ import annotations

from pathlib import Path

from support.dom import parse_html
from support.git import Git
from support.trees import front_matter
from support.web import MakeClient

pytest_plugins = ["support.web"]

FR = {"Accept-Language": "fr"}
BROKEN = "---\ntitle: Cassé\ntype: page\ninstitue: INSB\n---\nTexte.\n"
EDITOR = {"X-Remote-User": "alice"}


def _rows(html: str) -> dict[str, list[str]]:
    dom = parse_html(html)
    return {
        cells[0]: cells[1:]
        for tr in dom.find_all("tr")
        if (cells := [td.text.strip() for td in tr.find_all("td")])
    }


def test_a_new_file_never_valid_is_said_not_published(make_client: MakeClient) -> None:
    """A broken new file is not "still searchable in its last valid version": it never was."""
    site = make_client({"pages/good.md": front_matter(title="Bon"), "pages/new.md": BROKEN},
                       client_host="127.0.0.1", trusted_proxies=("127.0.0.1",))  # fmt: skip
    rows = _rows(site.client.get("/problems", headers={**FR, **EDITOR}).text)
    assert rows["pages/new.md"][-1] == "Pas encore publié : corrigez-le pour le publier."
    assert site.client.get("/doc/pages/new").status_code == 404


def test_a_file_broken_after_publication_keeps_its_last_version(make_client: MakeClient) -> None:
    site = make_client({"pages/later.md": front_matter(title="Bientôt cassé")})
    site.write("pages/later.md", BROKEN)
    site.reindex()
    rows = _rows(site.client.get("/problems", headers=FR).text)
    assert rows["pages/later.md"][-1] == "Sa dernière version valide reste consultable."


def test_anonymous_readers_are_told_why_problems_are_hidden(make_client: MakeClient) -> None:
    """Problems of a never-published file are hidden from anonymous readers, who are told so
    (not that the file is restricted), with a real plural."""
    site = make_client({"pages/a.md": BROKEN, "pages/b.md": BROKEN.replace("Cassé", "Autre")})
    main = parse_html(site.client.get("/problems", headers=FR).text).find("main").text
    assert "2 autres problèmes, dans des fichiers pas encore publiés" in main
    assert "réservé" not in main and "pages/a.md" not in main
    english = site.client.get("/problems", headers={"Accept-Language": "en"}).text
    assert "2 other problems, in files not published yet: sign in to see them." in english


def test_paths_are_shown_from_the_root_of_the_work_tree(
    make_client: MakeClient, tmp_path: Path
) -> None:
    """In a git work tree, a file's path is shown from its root, as `docrepo check` and
    `git status` show it (the content folder is `content/` at that root here)."""
    Git(tmp_path)
    site = make_client({"pages/a.md": front_matter("Voir [x](missing.md).", title="A")})
    dom = parse_html(site.client.get("/problems").text)
    assert [code.text for code in dom.find("main").find_all("code")] == ["content/pages/a.md"]
