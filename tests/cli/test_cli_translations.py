"""`docrepo search` and translations (issue 27): one result per text in the locale's
language, its other versions named ("Also in French"), and a translation repealed with
its original, on the same day (`--at`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docrepo.cli import main
from support.git import Git
from support.trees import MakeTree, decision, front_matter

TREE = {
    "old.md": decision("Délégation de signature", "DEC200004DAJ", "Signature à Kourou.",
                       date="2020-06-30"),
    "old-en.md": front_matter("Signing in Kourou.", title="Delegation of signature",
                              type="decision", date="2020-06-30", lang="en",
                              reference="DEC200004DAJ", translation_of="DEC200004DAJ"),
    "new.md": decision("Délégation de signature, nouvelle", "DEC240001DAJ", "Signature.",
                       date="2024-03-01", effective="2024-03-12", supersedes=["DEC200004DAJ"]),
}  # fmt: skip


@pytest.fixture
def indexed(make_tree: MakeTree, tmp_path: Path) -> tuple[Path, Path]:
    content, index = make_tree(TREE), tmp_path / "index"
    done = CliRunner().invoke(main, ["index", "--content", str(content), "--index", str(index)])
    assert done.exit_code == 0, done.output
    return content, index


def search(indexed: tuple[Path, Path], locale: str, *args: str) -> str:
    content, index = indexed
    result = CliRunner(env={"LANGUAGE": "", "LC_ALL": locale}).invoke(
        main, ["search", "Kourou", *args, "--content", str(content), "--index", str(index)]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_one_result_per_text_in_the_locales_language(indexed: tuple[Path, Path]) -> None:
    """Under an English locale the English version is the result and names the French
    one ("Aussi en français", as its readers say it); under a French locale the French
    one, naming the English one."""
    english = search(indexed, "en_GB.UTF-8")
    assert "1 document" in english and "Delegation of signature" in english
    assert "Aussi en français — Délégation de signature — /doc/old" in english
    french = search(indexed, "fr_FR.UTF-8")
    assert "1 document" in french
    assert "Also in English — Delegation of signature — /doc/old-en" in french


def test_the_translation_is_repealed_with_its_original(indexed: tuple[Path, Path]) -> None:
    """The day before the new decision takes effect the English version is in force; from
    that day it is repealed, as its original, superseded by the new decision."""
    before: dict[str, Any] = json.loads(
        search(indexed, "en_GB.UTF-8", "--at", "2024-03-11", "--json")
    )
    assert [(r["id"], r["status"], r["ends"]) for r in before["results"]] == [
        ("old-en", "in-force", "2024-03-11")
    ]
    after: dict[str, Any] = json.loads(
        search(indexed, "en_GB.UTF-8", "--at", "2024-03-12", "--json")
    )
    assert [(r["id"], r["status"]) for r in after["results"]] == [("old-en", "repealed")]
    assert after["results"][0]["translations"] == [
        {"lang": "fr", "id": "old", "url": "/doc/old", "title": "Délégation de signature"}
    ]


def test_check_warns_of_a_translation_left_behind(make_tree: MakeTree) -> None:
    """`docrepo check` reads git: the French text committed after its English version is
    a warning on the translation's `translation_of` line; a new English commit ends it."""
    content = make_tree({})
    git = Git(content)
    git.commit({"old.md": TREE["old.md"]}, "Décision", "2024-01-10T09:00:00+01:00")
    git.commit({"old-en.md": TREE["old-en.md"]}, "English", "2024-02-01T09:00:00+01:00")
    changed = TREE["old.md"].replace("Kourou", "Cayenne")
    git.commit({"old.md": changed}, "Lieu changé", "2024-03-12T09:00:00+01:00")
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert result.exit_code == 0, result.output
    assert (
        "old-en.md:7: warning: the original text old changed on 2024-03-12, after this "
        "translation (last changed on 2024-02-01): bring the translation up to date and "
        "commit it" in result.stderr
    )
    git.commit({"old-en.md": TREE["old-en.md"].replace("Kourou", "Cayenne")}, "Place changed",
               "2024-03-13T09:00:00+01:00")  # fmt: skip
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.stderr, result.output
