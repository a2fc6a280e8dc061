"""Browser tests: a real `docrepo serve` on a loopback port, driven in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import REPO, SAMPLE_CONTENT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`docrepo serve` on the sample content, in its own process."""
    index_dir = tmp_path_factory.mktemp("browser-index")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCREPO_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "docrepo", "serve", "--no-watch", "--port", str(port),
         "--content", str(SAMPLE_CONTENT), "--index", str(index_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"docrepo serve did not start: {stderr}") from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    if process.stderr:
        process.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required: apt-get install chromium")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh French-speaking page that records console errors."""
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=False
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


def _axe_violations(browser: Any, url: str) -> list[str]:
    """axe-core's violations on a page (the scan needs its script injected past the CSP)."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(bypass_csp=True, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(url)
        results = Axe().run(page)
        return [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        ]
    finally:
        context.close()


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_typing_shows_results_and_the_url_follows(server: str, page: Any) -> None:
    """Results follow typing without a submit, and the address bar holds the query."""
    page.goto(server + "/")
    page.fill("#q", "télétravail")
    page.wait_for_url(lambda u: "q=" in u, timeout=5000)
    assert _params(page.url)["q"] == ["télétravail"]
    first = page.locator(".hit h3 a").first
    assert "télétravail" in first.inner_text().lower()
    assert page.locator(".hit .snippet mark").count() > 0
    assert page.console_errors == []


def test_ticking_a_facet_filters_and_back_restores(server: str, page: Any) -> None:
    """Ticking a facet narrows the results and changes the URL; Back returns to the view before."""
    page.goto(server + "/?q=d%C3%A9l%C3%A9gation")
    total_before = page.locator("#results-title").inner_text()
    page.get_by_label("Décision", exact=False).first.check()
    page.wait_for_url(lambda u: "type=decision" in u, timeout=5000)
    page.locator(".chip").first.wait_for(timeout=5000)
    types = {t.inner_text() for t in page.locator(".hit .badge[class*='type-']").all()}
    assert types == {"Décision"}
    screenshot(page, "search-facet-selected.png")
    page.go_back()
    page.wait_for_url(lambda u: "type=" not in u, timeout=5000)
    page.locator(".chip").first.wait_for(state="detached", timeout=5000)
    assert page.locator("#results-title").inner_text() == total_before
    assert page.console_errors == []


def test_the_search_form_works_without_javascript(browser: Any, server: str) -> None:
    """With JavaScript off, the form submits by GET and every state is a URL."""
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(server + "/")
        page.fill("#q", "astreintes")
        page.get_by_role("button", name="Rechercher").first.click()
        page.wait_for_load_state()
        assert _params(page.url)["q"] == ["astreintes"]
        assert page.locator(".hit").count() > 0
    finally:
        context.close()


def test_opening_a_document_shows_its_page(server: str, page: Any) -> None:
    """A result opens its document page, with contents, metadata and relations."""
    page.goto(server + "/?q=CIR170004DRH")
    page.locator(".hit h3 a").first.click()
    page.wait_for_url("**/doc/circulars/2017/cir170004drh")
    banner = page.locator(".banner.repealed")
    assert "abrogé" in banner.inner_text()
    assert page.locator(".toc li").count() > 1
    assert "Direction des ressources humaines" in page.locator(".meta").inner_text()
    screenshot(page, "document.png")


def test_keyboard_reaches_the_search_box_facets_and_results(server: str, page: Any) -> None:
    """The skip link comes first; Tab reaches the query box; a facet toggles with Space."""
    page.goto(server + "/?q=mission")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.focus("#facet-type input[type=checkbox]")
    page.keyboard.press("Space")
    page.wait_for_url(lambda u: "type=" in u, timeout=5000)


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def test_screenshot_of_the_search_page(server: str, page: Any) -> None:
    """The run saves a screenshot of the search page (for the README and a human look)."""
    page.goto(server + "/?q=t%C3%A9l%C3%A9travail")
    screenshot(page, "search.png")
    assert (SCREENSHOTS / "search.png").stat().st_size > 10_000


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=t%C3%A9l%C3%A9travail&type=circular&type=decision&institute=INSB&status=in-force",
        "/doc/circulars/2017/cir170004drh",
        "/doc/units/umr5203",
        "/doc/nope",
        "/problems",
    ],
)
def test_pages_have_no_axe_violations(browser: Any, server: str, path: str) -> None:
    """axe-core finds no accessibility violation on the search, results, document and 404 pages."""
    assert _axe_violations(browser, server + path) == []
