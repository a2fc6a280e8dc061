"""The corpus of `benchmarks.attachments`: every tenth document attaches a 10-page PDF of
its own, which a build reads without a problem."""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks.attachments import attach_every_tenth
from support.index import stored_records, update
from support.trees import MakeTree, doc


def test_every_tenth_document_attaches_a_ten_page_pdf_of_its_own(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    content = make_tree({f"notes/n{n:02d}.md": doc(f"Note {n}") for n in range(20)})
    annexes = attach_every_tenth(content, random.Random(1))
    assert [a.name for a in annexes] == ["n00-annexe.pdf", "n10-annexe.pdf"]
    assert annexes[0].read_bytes() != annexes[1].read_bytes()
    summary = update(content, tmp_path / "index", rebuild=True)
    assert summary.problems == []
    records = stored_records(tmp_path / "index")
    attached = records["notes/n00"]["attachments"]
    assert [(a["name"], a["pages"], len(a["text"])) for a in attached] == [
        ("n00-annexe.pdf", 10, 10)
    ]
    assert "zorglub" in attached[0]["text"][-1] and "zorglub" not in attached[0]["text"][0]
    assert records["notes/n01"]["attachments"] == []
