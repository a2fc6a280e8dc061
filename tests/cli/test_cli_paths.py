"""Where `docrepo check` says a problem is: the path as an editor opens it from the root of
the git work tree holding the content folder (what `git status` shows), or, when the
content folder is in no work tree, from the content folder; wherever the command runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docrepo.cli import main
from support.git import Git
from support.trees import write_tree

BROKEN_LINK = {"pages/a.md": "---\ntitle: A\ntype: page\n---\n[x](missing.md)\n"}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def shown(content: Path) -> tuple[list[str], list[str]]:
    """The places of the problems `check` prints as text, and those of its JSON."""
    text = run("check", "--content", content)
    places = [line.split(": ")[0] for line in text.stderr.splitlines() if ": warning: " in line]
    listed = json.loads(run("check", "--content", content, "--format", "json").stdout)
    return places, [f"{p['path']}:{p['line']}" for p in listed]


def test_in_git_a_path_is_relative_to_the_work_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A content folder two levels down its repository: paths start with those levels,
    from a command run in another folder of the repository as from outside it."""
    Git(tmp_path)
    content = write_tree(tmp_path / "site", BROKEN_LINK)
    for where in (content / "pages", tmp_path.parent):
        monkeypatch.chdir(where)
        assert shown(content) == (["site/content/pages/a.md:5"], ["site/content/pages/a.md:5"])


def test_out_of_git_a_path_is_relative_to_the_content_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of any work tree, the paths are those the README shows, relative to the content
    folder, whatever --content says (here relative to the folder the command runs in)."""
    write_tree(tmp_path, BROKEN_LINK)
    monkeypatch.chdir(tmp_path)
    assert shown(Path("content")) == (["pages/a.md:5"], ["pages/a.md:5"])


def test_a_path_named_in_a_message_has_the_same_form(tmp_path: Path) -> None:
    """The file a broken link names is shown like the file holding the link, in the text,
    the JSON and on /problems, so that an editor's tool opens both from the same place."""
    Git(tmp_path)
    content = write_tree(tmp_path / "site", BROKEN_LINK)
    text = run("check", "--content", content).stderr
    assert "link to site/content/pages/missing.md, which does not exist" in text, text
    listed = json.loads(run("check", "--content", content, "--format", "json").stdout)
    assert [p["message"] for p in listed] == [
        "link to site/content/pages/missing.md, which does not exist"
    ]


def test_in_a_linked_work_tree_a_path_is_relative_to_that_work_tree(tmp_path: Path) -> None:
    """A work tree added with `git worktree add` (its `.git` a file naming the repository)
    shows its own paths, as `git status` run there does."""
    (tmp_path / "main").mkdir()
    repo = Git(tmp_path / "main")
    write_tree(tmp_path / "main" / "site", {})
    repo.run("add", "-A")
    repo.run("commit", "-q", "-m", "taxonomy")
    repo.run("worktree", "add", "-q", str(tmp_path / "linked"))
    content = write_tree(tmp_path / "linked" / "site", BROKEN_LINK)
    assert (tmp_path / "linked" / ".git").is_file()
    assert shown(content) == (["site/content/pages/a.md:5"], ["site/content/pages/a.md:5"])
