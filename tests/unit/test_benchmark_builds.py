"""The build comparison of `python -m benchmarks.run`: bare Whoosh indexes the files as its
users would (front matter read, Markdown rendered to text, one writer process per core),
and the table judges the targets on the medians of three runs, not on the best one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.qparser import QueryParser

from benchmarks.bare_whoosh import index_folder
from benchmarks.report import build_comparison
from support.trees import REPO, MakeTree

FILES = {
    "a.md": '---\ntitle: "Le télétravail"\nthemes: [hr, it]\n---\n\n'
    "Voir [la circulaire annexée](b.md) &amp; **les horaires**.\n",
    "sub/b.md": "---\ntitle: Missions\nthemes: [travel]\n---\n\n# Frais\n\nLes `indemnités`.\n",
    "_drafts/c.md": "---\ntitle: Brouillon\n---\n\nPas indexé.\n",
}


def run(rate: float, seconds: float = 10.0) -> dict[str, object]:
    return {"rate": rate, "seconds": seconds, "peak_rss": 1 << 20, "procs": 2}


def test_a_target_met_by_the_best_run_only_is_not_met() -> None:
    """docrepo 700 / 590 / 580 docs/s against bare Whoosh 280 / 300 / 350: the best run
    meets 600 docs/s and 2× (700 / 280 = 2.5), the medians do not (590, 590 / 300)."""
    rows = build_comparison([run(700), run(590), run(580)], [run(280), run(300), run(350)])
    build, _, bare, ratio = rows
    assert build.value.startswith("590 docs/s") and "runs 700 / 590 / 580" in build.value
    assert build.met is False
    assert "procs=2" in bare.measure and bare.value.startswith("300 docs/s")
    assert ratio.value == "1.97× (run by run 2.50 / 1.97 / 1.66)" and ratio.met is False
    rows = build_comparison([run(650), run(610), run(700)], [run(300), run(320), run(290)])
    assert (rows[0].met, rows[3].value[:5], rows[3].met) == (True, "2.17×", True)


def test_bare_whoosh_indexes_the_text_of_the_markdown_not_its_markup(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """Words of link texts and headings are found, the front matter is not in the body,
    the markup and entities are not words, and the themes are tags."""
    content = make_tree(FILES)
    tags = KEYWORD(commas=True)
    schema = Schema(id=ID(stored=True), title=TEXT(stored=True), body=TEXT, tags=tags)
    (tmp_path / "ix").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ix"), schema)
    assert index_folder(content, ix, procs=2) == 2
    with ix.searcher() as searcher:

        def ids(field: str, query: str) -> set[str]:
            parsed = QueryParser(field, schema).parse(query)
            return {hit["id"] for hit in searcher.search(parsed)}

        assert ids("body", "annexée") == {"a.md"}
        assert ids("body", "frais") == {"sub/b.md"}
        assert ids("body", "indemnités") == {"sub/b.md"}
        assert ids("title", "télétravail") == {"a.md"}
        assert ids("tags", "it") == {"a.md"} and ids("tags", "travel") == {"sub/b.md"}
        for markup in ("title", "themes", "amp", "md", "strong", "h1", "href"):
            assert ids("body", markup) == set(), markup
    ix.close()


def test_bare_whoosh_runs_in_a_process_of_its_own_with_a_writer_per_core(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    content = make_tree(FILES)
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.bare_whoosh", "--content", str(content)]
        + ["--out", str(tmp_path / "bare")],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["documents"] == 2
    assert result["procs"] == len(os.sched_getaffinity(0))
    assert not (tmp_path / "bare").exists()
