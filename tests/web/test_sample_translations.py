"""The sample's translated texts (issue 27), in the sample built as its own repository
(`scripts/sample_repository.py`): the English version of the vehicles circular was
written in April 2025 and the French text changed in September, so it is left behind;
the English telework circular and the pages of the Brussels and Tokyo offices in the
other language follow their originals' last change."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from docrepo.app import create_app
from docrepo.cli import main
from docrepo.config import Settings
from docrepo.indexing.pipeline import update_index
from docrepo.store.writing import IndexStore
from support.trees import REPO
from support.web import TestClient

BEHIND = "circulars/2025/cir250031dsfim-en"
IN_STEP = (
    "circulars/2024/cir240006drh-en",
    "offices-abroad/brussels-en",
    "offices-abroad/tokyo-fr",
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, TestClient]]:
    root = tmp_path_factory.mktemp("sample-translations")
    script = REPO / "scripts" / "sample_repository.py"
    subprocess.run([sys.executable, str(script), str(root / "sample")], check=True)
    update_index(root / "sample", IndexStore(root / "index"))
    app = create_app(Settings(content=root / "sample", index=root / "index"))
    with TestClient(app, follow_redirects=False) as client:
        client.cookies.set("lang", "en")
        yield root / "sample", client


def test_the_translation_left_behind_says_so(sample: tuple[Path, TestClient]) -> None:
    """Its page dates the French change and links the comparison of the French text from
    the version it followed (March 2025) to the last (September 2025)."""
    _, client = sample
    page = client.get(f"/doc/{BEHIND}").text
    assert "The French text changed on September 22, 2025, after this translation" in page
    assert 'href="/doc/circulars/2025/cir250031dsfim/diff?from=' in page
    for doc_id in IN_STEP:
        assert "translation-lag" not in client.get(f"/doc/{doc_id}").text, doc_id


def test_check_warns_of_it_alone(sample: tuple[Path, TestClient]) -> None:
    """`docrepo check` on the sample repository warns of the one translation behind."""
    content, _ = sample
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "after this translation" in line]
    assert warnings == [
        f"{BEHIND}.md:6: warning: the original text circulars/2025/cir250031dsfim changed on "
        "2025-09-22, after this translation (last changed on 2025-04-15): bring the "
        "translation up to date and commit it"
    ]
