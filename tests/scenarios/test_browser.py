"""Browser tests: a real `docrepo serve` on a loopback port, driven in Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from support.browser import axe_violations, chromium, recording_page
from support.server import docrepo_server
from support.trees import REPO, SAMPLE_CONTENT

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`docrepo serve` on the sample content, in its own process."""
    with docrepo_server(SAMPLE_CONTENT, tmp_path_factory.mktemp("browser-index")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh French-speaking page that records console errors."""
    with recording_page(browser, locale="fr-FR", viewport={"width": 1280, "height": 900}) as p:
        yield p


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
    with recording_page(browser, java_script_enabled=False, locale="fr-FR") as page:
        page.goto(server + "/")
        page.fill("#q", "astreintes")
        page.get_by_role("button", name="Rechercher").first.click()
        page.wait_for_load_state()
        assert _params(page.url)["q"] == ["astreintes"]
        assert page.locator(".hit").count() > 0


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
        "/widget",
    ],
)
def test_pages_have_no_axe_violations(browser: Any, server: str, path: str) -> None:
    """axe-core finds no accessibility violation on the search, results, document and 404 pages."""
    assert axe_violations(browser, server + path) == []
