"""The sample's history is its editors' (issue 23): `scripts/sample_repository.py` builds
the sample as a repository of its own, and its history pages show the editors' versions,
never docrepo's development commits (which touch `content/` in docrepo's repository)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from docrepo.app import create_app
from docrepo.config import Settings
from docrepo.indexing.pipeline import update_index
from docrepo.store.writing import IndexStore
from support.dom import Node, parse_html
from support.trees import REPO, SAMPLE_CONTENT
from support.web import TestClient

EDITORS = {"Claire Martin", "Julien Moreau", "Sophie Lefèvre", "Karim Benali"}
VEHICLES = "circulars/2025/cir250031dsfim"
TELEWORK = "circulars/2024/cir240006drh"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, TestClient]]:
    """The sample built as the README says, indexed and served."""
    root = tmp_path_factory.mktemp("sample-repository")
    script = REPO / "scripts" / "sample_repository.py"
    subprocess.run([sys.executable, str(script), str(root / "sample")], check=True)
    update_index(root / "sample", IndexStore(root / "index"))
    app = create_app(Settings(content=root / "sample", index=root / "index"))
    with TestClient(app, follow_redirects=False) as client:
        yield root / "sample", client


def versions(client: TestClient, doc_id: str) -> list[tuple[str, str]]:
    """(message, the rest of the line: date and author) of each version listed, newest first."""
    response = client.get(f"/doc/{doc_id}/history", headers={"Accept-Language": "fr"})
    assert response.status_code == 200, (doc_id, response.status_code)
    items = parse_html(response.text).find("ol", cls="versions").find_all("li")
    return [(li.first("p", cls="message").text, li.text) for li in items]


def authors(line: str) -> set[str]:
    return {name for name in EDITORS if name in line}


def test_a_sample_text_lists_its_editors_versions(sample: tuple[Path, TestClient]) -> None:
    """The circular on service vehicles, edited twice; the telework circular, published
    once (docrepo's own commit "README and design notes: …" changed it in docrepo's
    repository)."""
    _, client = sample
    listed = versions(client, VEHICLES)
    assert [message for message, _ in listed] == [
        "Véhicules électriques, bornes de recharge et déclaration des sinistres",
        "Réservation des véhicules dans l'application de la délégation",
        "Circulaire véhicules de service : première version",
    ]
    assert [authors(line) for _, line in listed] == [
        {"Sophie Lefèvre"}, {"Julien Moreau"}, {"Claire Martin"},
    ]  # fmt: skip
    telework = versions(client, TELEWORK)
    assert [message for message, _ in telework] == ["Publication de la circulaire CIR240006DRH"]
    assert authors(telework[0][1]) == {"Julien Moreau"}


def test_every_version_of_the_sample_is_by_one_of_its_editors(
    sample: tuple[Path, TestClient],
) -> None:
    root, client = sample
    served = [
        doc_id
        for path in sorted(root.rglob("*.md"))
        if client.get(f"/doc/{(doc_id := path.relative_to(root).with_suffix('').as_posix())}")
        .status_code == 200
    ]  # fmt: skip
    listed = {doc_id: versions(client, doc_id) for doc_id in served}
    assert len(served) > 150 and all(listed.values())
    strangers = [
        (i, m) for i, found in listed.items() for m, line in found if len(authors(line)) != 1
    ]
    assert strangers == []


def test_the_sample_repository_holds_the_sample_as_it_is(sample: tuple[Path, TestClient]) -> None:
    """Its files are content's, so no page says it was modified since its last version."""
    root, client = sample
    built = {
        p.relative_to(root): p.read_bytes()
        for p in root.rglob("*")
        if ".git" not in p.parts and p.is_file()
    }
    bundled = {
        p.relative_to(SAMPLE_CONTENT): p.read_bytes()
        for p in SAMPLE_CONTENT.rglob("*")
        if p.is_file()
    }
    assert built == bundled
    note: Node = parse_html(client.get(f"/doc/{VEHICLES}").text).find("p", cls="history-note")
    assert note.first("span", cls="modified") is None
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""


def test_the_quick_start_line_runs_twice(tmp_path: Path) -> None:
    """The Quick start run a second time keeps the sample and what an editor committed in
    it (exit 0, so that `docrepo serve` follows); a folder that is not a content repository
    is refused, and --force builds the sample again."""
    script = [sys.executable, str(REPO / "scripts" / "sample_repository.py")]
    built = tmp_path / "sample"
    subprocess.run([*script, str(built)], check=True, capture_output=True)
    (built / "notes.md").write_text("an editor's file\n", "utf-8")
    again = subprocess.run([*script, str(built)], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert (built / "notes.md").exists()
    forced = subprocess.run([*script, str(built), "--force"], capture_output=True, text=True)
    assert forced.returncode == 0 and not (built / "notes.md").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("x", "utf-8")
    refused = subprocess.run([*script, str(other)], capture_output=True, text=True)
    assert refused.returncode == 2 and "--force" in refused.stderr


def test_an_attachment_is_published_with_its_document(sample: tuple[Path, TestClient]) -> None:
    """The signed original of DEC240187DAJ comes in the commit that publishes the decision,
    by the same editor, not among the vocabularies of the first commit."""
    root, _ = sample
    log = subprocess.run(
        ["git", "-C", str(root), "log", "--format=%an|%s", "--name-only", "--",
         "decisions/2024/dec240187daj-original-signe.pdf"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert log == [
        "Karim", "Benali|Publication", "de", "la", "décision", "DEC240187DAJ",
        "decisions/2024/dec240187daj-original-signe.pdf",
    ]  # fmt: skip
