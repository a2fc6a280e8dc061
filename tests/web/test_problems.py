"""/problems tells editors the truth about each file: published or not, restricted or not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docrepo.cli import main as cli
from support.dom import parse_html
from support.git import Git
from support.trees import front_matter
from support.web import MakeClient

pytest_plugins = ["support.web"]

FR = {"Accept-Language": "fr"}
BROKEN = "---\ntitle: Cassé\ntype: page\ninstitue: INSB\n---\nTexte.\n"
EDITOR = {"X-Remote-User": "alice"}


def _rows(html: str) -> dict[str, list[str]]:
    """Each problem's cells by the path of its file (its first cell is PATH:LINE)."""
    dom = parse_html(html)
    return {
        cells[0].rpartition(":")[0]: cells[1:]
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
    assert [code.text for code in dom.find("main").find_all("code")] == ["content/pages/a.md:6"]


#: a public text linking to an internal one; the internal text linking to nothing; a text
#: restricted to a group, linking to nothing, whose reference a public text takes too; a
#: file never valid
HIDDEN = {
    "notes/a.md": front_matter("Voir [b](b.md).", title="A"),
    "notes/b.md": front_matter("Interne, voir [y](y.md).", title="B", access="internal"),
    "notes/c.md": front_matter("Voir [x](x.md).", title="C", reference="NOT1", access=["drh"]),
    "notes/d.md": front_matter("Public.", title="D", reference="NOT1"),
    "pages/new.md": BROKEN,
}
PROXY = {"client_host": "127.0.0.1", "trusted_proxies": ("127.0.0.1",)}
EN = {"Accept-Language": "en"}


def _problems(html: str) -> list[str]:
    """The problems of a page, each as `docrepo check` prints it."""
    found = []
    for tr in parse_html(html).find("main").find_all("tr"):
        cells = [td.text.strip() for td in tr.find_all("td")]
        if cells:
            where, level, message = cells[:3]
            found.append(f"{where}: {level.lower()}: {message}")
    return found


def _checked(content: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The problems `docrepo check` prints on the same content, in English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["check", "--content", str(content)])
    return [
        line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line
    ]


def test_editors_see_every_problem_as_docrepo_check_prints_it(
    make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member of `editor_groups` sees on /problems exactly the problems `docrepo check`
    prints, those of restricted and never-valid files included, a link to an internal text
    as a link to it and not to a missing file."""
    Git(tmp_path)
    site = make_client(HIDDEN, **PROXY)
    checked = _checked(site.content, monkeypatch)
    assert {line.split(":")[0] for line in checked} == {
        "content/notes/b.md", "content/notes/c.md", "content/notes/d.md", "content/pages/new.md"
    }  # fmt: skip
    editor = {**EN, "X-Remote-User": "eve", "X-Remote-Groups": "editors"}
    assert sorted(_problems(site.client.get("/problems", headers=editor).text)) == sorted(checked)
    other = {"X-Remote-User": "eve", "X-Remote-Groups": "redaction"}
    assert len(_problems(site.client.get("/problems", headers={**EN, **other}).text)) < len(checked)


def test_editor_groups_is_a_setting(make_client: MakeClient, tmp_path: Path) -> None:
    """With `editor_groups` naming another group, its members are the editors."""
    site = make_client(HIDDEN, editor_groups=("redaction",), **PROXY)
    editor = {**EN, "X-Remote-User": "eve", "X-Remote-Groups": "redaction"}
    assert any(
        "notes/c.md" in p for p in _problems(site.client.get("/problems", headers=editor).text)
    )
    former = {**EN, "X-Remote-User": "eve", "X-Remote-Groups": "editors"}
    assert "notes/c" not in site.client.get("/problems", headers=former).text


def test_others_see_no_trace_of_a_hidden_document(make_client: MakeClient) -> None:
    """Anonymous, a hidden text is named only as the missing target of a visible text's
    link, as a file that does not exist would be; the page says it lists what the reader
    may see."""
    site = make_client(HIDDEN, **PROXY)
    response = site.client.get("/problems", headers=EN)
    assert _problems(response.text) == [
        "notes/a.md:6: warning: link to notes/b.md, which does not exist",
    ]
    main = parse_html(response.text).find("main").text
    assert "notes/c" not in response.text and "restricted" not in main
    assert response.text.count("notes/b") == 1
    assert "lists the problems of the files you may see" in main
