"""Fixtures every test may use: a clean environment, content trees built in tmp_path from a
dict of files, the sample corpus indexed once. Helpers live in `support/`."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from support.trees import SAMPLE_CONTENT, Files, MakeTree, write_tree

# Property tests draw the same examples at every run (CI must not find a new one by
# chance): `derandomize` ties them to each test; the examples once found are kept with
# `@example`. HYPOTHESIS_PROFILE=explore draws new ones, to look for more.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No DOCREPO_* variable of the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("DOCREPO_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _signal_handlers() -> Iterator[None]:
    """No test leaves a handler of SIGTERM behind: a process forked later (a pool of the
    parallel rebuild) would catch the pool's SIGTERM instead of ending, and hang the run."""
    before = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, before)


@pytest.fixture
def make_tree(tmp_path: Path) -> MakeTree:
    """Build a content directory in tmp_path from {relative path: text or bytes}."""

    def make(files: Files) -> Path:
        return write_tree(tmp_path, files)

    return make


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled sample content, indexed once for the whole session."""
    from docrepo.indexing.pipeline import update_index
    from docrepo.store.writing import IndexStore

    index_dir = tmp_path_factory.mktemp("sample-index")
    update_index(SAMPLE_CONTENT, IndexStore(index_dir))
    yield index_dir
