"""One file just under the 1 MB cap, of each kind `benchmarks/big_files.py` times, is
indexed with its words found, or refused with a message saying why and what to do
(docs/performance.md, "No single file holds the writer"). Not timed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.big_files import big_file
from docrepo.cli import main
from support.trees import write_tree


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def found_ids(content: Path, index: Path, words: str) -> list[str]:
    args = ["search", words, "--json", "--content", str(content), "--index", str(index)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return [hit["id"] for hit in json.loads(result.stdout)["results"]]


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("distinct numbers", ["0", "70001", "140000"]),
        ("one word repeated", ["télétravail", "teletravail"]),
    ],
)
def test_a_large_file_of_this_kind_is_indexed_and_its_words_found(
    tmp_path: Path, kind: str, words: list[str]
) -> None:
    content = write_tree(tmp_path, {"pages/long.md": big_file(kind)})
    assert len((content / "pages" / "long.md").read_bytes()) > 990_000
    index = tmp_path / "index"
    result = CliRunner().invoke(main, ["index", "--content", str(content), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout and "0 invalid" in result.stdout
    for word in words:
        assert found_ids(content, index, word) == ["pages/long"], word


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        # 111,000 made-up words: the writer would spend seconds stemming them
        ("distinct words", "the text has 111,000 distinct words (the limit is 10,000, numbers "
                           "aside): split it into several documents"),
        # 9,670 rows of 6 cells, 7 '|' each: seconds to render, refused before
        ("long table", "the text has 67,690 '|' of tables (the limit is 50,000): split it "
                       "into several documents"),
    ],
)  # fmt: skip
def test_a_file_too_costly_to_index_is_a_problem_of_its_own(
    tmp_path: Path, kind: str, message: str
) -> None:
    """Refused on the line after the front matter, saying how many, the limit and what to
    do, by `docrepo index` (the other files indexed) and by `docrepo check`."""
    content = write_tree(
        tmp_path, {"pages/long.md": big_file(kind), "pages/short.md": big_file("short")}
    )
    index = tmp_path / "index"
    result = CliRunner().invoke(main, ["index", "--content", str(content), "--index", str(index)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"pages/long.md:5: error: {message}"]
    assert "1 added" in result.stdout and "1 invalid" in result.stdout
    assert found_ids(content, index, "télétravail") == ["pages/short"]
    checked = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert checked.exit_code == 1
    assert f"pages/long.md:5: error: {message}" in checked.stderr.splitlines()
