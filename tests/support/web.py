"""Fixtures and helpers for the web tests: test clients of sites over indexed trees.

Use from a test module with ``pytest_plugins = ["support.web"]`` (the module is imported
by the test modules before pytest sees that line, hence PYTEST_DONT_REWRITE: its asserts
carry their own messages). Pages are read with `support.dom`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from docrepo.app import create_app
from docrepo.config import Settings
from docrepo.indexing.pipeline import UpdateSummary, update_index
from docrepo.store.writing import IndexStore
from support.trees import SAMPLE_CONTENT, Files, MakeTree

__all__ = ["MakeClient", "TestClient", "WebTree", "query_of"]


def query_of(url: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a URL's query string, in order."""
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


# --- applications and clients --------------------------------------------------------------

#: the Host of the test client's requests, named as a deployment names its own (without
#: it, links of feeds are refused: `webapp.hosts`)
TEST_HOSTS = ("testserver",)


@pytest.fixture(scope="session")
def sample_app(sample_index: Path) -> Starlette:
    """The web application over the indexed sample corpus (shared: it is read-only; its
    search insights go to a file of the session's)."""
    insights = str(sample_index.parent / "sample-insights.sqlite")
    return create_app(
        Settings(
            content=SAMPLE_CONTENT, index=sample_index, insights=insights, allowed_hosts=TEST_HOSTS
        )
    )


@pytest.fixture
def client(sample_app: Starlette) -> Iterator[TestClient]:
    """A fresh client (no cookies) of the sample site."""
    with TestClient(sample_app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def module_client(sample_app: Starlette) -> Iterator[TestClient]:
    """A client of the sample site shared by a module's tests (for Hypothesis); no raising."""
    with TestClient(
        sample_app, follow_redirects=False, raise_server_exceptions=False
    ) as test_client:
        yield test_client


@dataclass
class WebTree:
    """A content tree built for one test, its index, and a client of the site over it."""

    content: Path
    index: Path
    client: TestClient

    def reindex(self) -> UpdateSummary:
        """Bring the index up to date with the (changed) content directory."""
        return update_index(self.content, IndexStore(self.index))

    def write(self, name: str, text: str) -> None:
        (self.content / name).write_text(text, encoding="utf-8")


MakeClient = Callable[..., WebTree]


@pytest.fixture
def make_client(make_tree: MakeTree, tmp_path: Path) -> Iterator[MakeClient]:
    """Build a tree from {path: text}, index it, and serve it: `make_client(files, **settings)`.

    Extra keyword arguments are settings (`base_url`, `trusted_proxies`, …; `allowed_hosts`
    names the test client's host unless given); `client_host`
    sets the address the requests come from. Search insights go to a file of the test's
    own unless `insights` says otherwise.
    """
    clients: list[TestClient] = []

    def make(files: Files, client_host: str = "testclient", **settings: Any) -> WebTree:
        content = make_tree(files)
        index = tmp_path / f"index-{len(clients)}"
        settings.setdefault("insights", str(tmp_path / f"insights-{len(clients)}.sqlite"))
        settings.setdefault("allowed_hosts", TEST_HOSTS)
        update_index(content, IndexStore(index))
        app = create_app(Settings(content=content, index=index, **settings))
        test_client = TestClient(app, follow_redirects=False, client=(client_host, 50000))
        test_client.__enter__()
        clients.append(test_client)
        return WebTree(content, index, test_client)

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)
