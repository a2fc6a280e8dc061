"""`docrepo search --at` (SPEC §3): the repository as it stood on a day, from the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docrepo.cli import main
from support.trees import MakeTree, decision

TREE = {
    "old.md": decision("Délégation de signature", "DEC200004DAJ", date="2020-06-30"),
    "new.md": decision("Délégation de signature, nouvelle", "DEC240001DAJ", date="2024-03-01",
                       effective="2024-03-12", supersedes=["DEC200004DAJ"]),
}  # fmt: skip


def _search(content: Path, index: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["search", "délégation", *args, "--content", str(content), "--index", str(index)]
    )
    return result.exit_code, result.stdout, result.stderr


def test_search_at_shows_the_repository_of_that_day(make_tree: MakeTree, tmp_path: Path) -> None:
    """Before the new decision took effect, the old one is the only one, in force; after,
    both are listed, the old one repealed; the JSON carries each text's period."""
    content, index = make_tree(TREE), tmp_path / "index"
    indexed = CliRunner().invoke(main, ["index", "--content", str(content), "--index", str(index)])
    assert indexed.exit_code == 0, indexed.output
    code, out, _ = _search(content, index, "--at", "2024-03-11", "--json")
    assert code == 0
    before: dict[str, Any] = json.loads(out)
    assert [(r["id"], r["status"]) for r in before["results"]] == [("old", "in-force")]
    assert before["results"][0]["ends"] == "2024-03-11"
    after: dict[str, Any] = json.loads(_search(content, index, "--at", "2024-03-12", "--json")[1])
    assert {r["id"]: r["status"] for r in after["results"]} == {
        "new": "in-force", "old": "repealed",
    }  # fmt: skip
    assert after["results"][0]["effective"] == "2024-03-12"
    statuses = {v["value"]: v["count"] for v in after["facets"]["status"]}
    assert statuses == {"in-force": 1, "repealed": 1}
    code, out, _ = _search(content, index, "--at", "2024-03-11")
    assert code == 0 and "1 document" in out and "(repealed)" not in out


def test_search_bad_at_is_a_usage_error_naming_it(make_tree: MakeTree, tmp_path: Path) -> None:
    """A malformed --at exits 2 with one line naming the parameter and the value."""
    code, _, err = _search(make_tree(TREE), tmp_path / "index", "--at", "2024-02-30")
    assert code == 2
    assert "'at' must be a date YYYY-MM-DD, not '2024-02-30'" in err
    assert "Traceback" not in err


def test_a_bad_parameter_is_named_in_the_locales_language(
    make_tree: MakeTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a French locale, the message of a malformed --at is the catalog's French."""
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    code, _, err = _search(make_tree(TREE), tmp_path / "index", "--at", "2024-02-30")
    assert code == 2
    assert "'at' doit être une date AAAA-MM-JJ, pas '2024-02-30'" in err
