"""Search insights in Chromium: the page's and the widget's beacons, the pairing of a
failed search with the next one in the same tab, and /insights for axe-core."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from support.browser import DESKTOP, PHONE, axe_violations, chromium, recording_page, viewport
from support.server import docrepo_server, free_port
from support.trees import REPO, doc, write_tree

pytestmark = pytest.mark.browser

EDITOR = {"X-Remote-User": "alice", "X-Remote-Groups": "editors"}
TREE = {
    "circulaires/mission.md": doc("Frais de mission", "Barème des frais de mission en France."),
    "circulaires/teletravail.md": doc("Télétravail", "Le télétravail des agents."),
    "circulaires/conges.md": doc("Congés annuels", "Les congés annuels et le télétravail."),
}
HOST_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Hôte</title>
<script src="{docrepo}/widget.js" defer></script></head>
<body><main><docrepo-search lang="fr"></docrepo-search></main></body></html>"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """docrepo (insights in a file of the module's, editors trusted from loopback) and a
    host page of another origin holding the widget."""
    root = tmp_path_factory.mktemp("insights-browser")
    content = write_tree(root / "tree", TREE)
    host_port = free_port()
    host = f"http://127.0.0.1:{host_port}"
    path = root / "insights.sqlite"
    with docrepo_server(content, root / "index", cors_origins=host, insights=str(path),
                        trusted_proxies="127.0.0.1") as docrepo:  # fmt: skip
        (root / "host").mkdir()
        (root / "host" / "index.html").write_text(HOST_PAGE.format(docrepo=docrepo), "utf-8")
        handler = partial(SimpleHTTPRequestHandler, directory=str(root / "host"))
        handler.log_message = lambda *a: None  # type: ignore[method-assign]
        server = ThreadingHTTPServer(("127.0.0.1", host_port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield docrepo, host, path
        finally:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


def _report(docrepo: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{docrepo}/api/insights", headers=EDITOR)
    with urllib.request.urlopen(request, timeout=10) as response:
        data: dict[str, Any] = json.load(response)
        return data


def _type(page: Any, box: Any, text: str) -> None:
    box.fill("")
    box.press_sequentially(text, delay=60)


def test_beacons_and_tab_pairing(sites: tuple[str, str, Path], browser: Any) -> None:
    """On the page, 'ndf' typed finds nothing, then 'frais de mission' typed and its result
    opened: one beacon with the position and the failed query. Three tabs doing so make a
    proposed synonym; the widget's opened result counts as the widget's."""
    docrepo, host, _ = sites
    for _ in range(3):
        with recording_page(browser, locale="fr-FR", viewport=viewport(DESKTOP)) as page:
            page.goto(f"{docrepo}/")
            box = page.locator("#q")
            _type(page, box, "ndf")
            page.wait_for_selector('#results[data-q="ndf"][data-total="0"]')
            _report(docrepo)  # the failed intent is over (else the next typing continues it)
            _type(page, box, "frais de mission")
            page.wait_for_selector('#results[data-q="frais de mission"] .hits a')
            with page.expect_request(lambda r: r.url.endswith("/insights/event")) as sent:
                page.locator("#results .hits h3 a").first.click()
            assert json.loads(sent.value.post_data) == {
                "q": "frais de mission", "doc": "circulaires/mission", "position": 1,
                "source": "page", "failed": "ndf",
            }  # fmt: skip
            page.wait_for_url("**/doc/circulaires/mission")
            assert page.console_errors == []
        _report(docrepo)
    report = _report(docrepo)
    assert report["synonym_proposals"][0]["line"] == "- [ndf, frais de mission]"
    assert report["sources"]["page"] == 6
    with recording_page(browser, locale="fr-FR") as page:
        page.goto(f"{host}/")
        box = page.locator("docrepo-search input")
        _type(page, box, "congés")
        page.locator("docrepo-search li a").first.wait_for()
        with page.expect_request(lambda r: r.url.endswith("/insights/event")) as sent:
            page.locator("docrepo-search li a").first.click()
        event = json.loads(sent.value.post_data)
        assert (event["source"], event["position"]) == ("widget", 1)
        page.wait_for_url("**/doc/circulaires/**")
    report = _report(docrepo)
    assert report["sources"]["widget"] == 1
    assert {"id": event["doc"], "clicks": 1} in report["documents"]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_insights_page_passes_axe(
    sites: tuple[str, str, Path], browser: Any, width: int
) -> None:
    """/insights for an editor: no axe-core violation at 1280 and 390 px; a screenshot."""
    docrepo = sites[0]
    assert axe_violations(browser, f"{docrepo}/insights", width, headers=EDITOR) == []
    with recording_page(browser, locale="fr-FR", viewport=viewport(width),
                        extra_http_headers=EDITOR) as page:  # fmt: skip
        page.goto(f"{docrepo}/insights")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(REPO / "screenshots" / f"insights-{width}.png"), full_page=True)
