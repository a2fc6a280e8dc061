"""Fixtures and helpers for the web tests: test clients over indexed trees, a tiny HTML DOM.

Use from a test module with ``pytest_plugins = ["web_fixtures"]`` (the module is imported
by the test modules before pytest sees that line, hence PYTEST_DONT_REWRITE: its asserts
carry their own messages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import SAMPLE_CONTENT, Files, MakeTree
from starlette.applications import Starlette
from starlette.testclient import TestClient

from docrepo.app import create_app
from docrepo.config import Settings
from docrepo.indexing.pipeline import UpdateSummary, update_index
from docrepo.store.writing import IndexStore

__all__ = ["TestClient", "WebTree", "parse_html", "query_of", "Node"]

# --- a tiny DOM ----------------------------------------------------------------------------

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


@dataclass
class Node:
    """One HTML element: its tag, attributes and children (nodes or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """The text content, whitespace collapsed."""
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        """Descendants with this tag, class and attribute values (`True` = present)."""
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if cls is not None and cls not in node.classes:
                continue
            wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
            if all(
                (name in node.attrs) if value is True else node.attrs.get(name) == value
                for name, value in wanted.items()
            ):
                found.append(node)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: Any) -> Node:
        """The first matching descendant; fails the test if there is none."""
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'}> class={cls!r} {attrs!r} in <{self.tag}>"
        return found[0]

    def first(self, tag: str | None = None, cls: str | None = None, **attrs: Any) -> Node | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v if v is not None else "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v if v is not None else "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    """The document tree of an HTML page."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def query_of(url: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a URL's query string, in order."""
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


# --- applications and clients --------------------------------------------------------------


@pytest.fixture(scope="session")
def sample_app(sample_index: Path) -> Starlette:
    """The web application over the indexed sample corpus (shared: it is read-only)."""
    return create_app(Settings(content=SAMPLE_CONTENT, index=sample_index))


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

    Extra keyword arguments are settings (`base_url`, `trusted_proxies`, …); `client_host`
    sets the address the requests come from.
    """
    clients: list[TestClient] = []

    def make(files: Files, client_host: str = "testclient", **settings: Any) -> WebTree:
        content = make_tree(files)
        index = tmp_path / f"index-{len(clients)}"
        update_index(content, IndexStore(index))
        app = create_app(Settings(content=content, index=index, **settings))
        test_client = TestClient(app, follow_redirects=False, client=(client_host, 50000))
        test_client.__enter__()
        clients.append(test_client)
        return WebTree(content, index, test_client)

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)
