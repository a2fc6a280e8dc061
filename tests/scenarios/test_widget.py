"""The widget on a host page of another origin, with a strict CSP of its own, in Chromium."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest

from support.browser import axe_violations, chromium, recording_page
from support.server import docrepo_server, free_port
from support.timing import percentile
from support.trees import SAMPLE_CONTENT

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Intranet d'unité</title>
<meta http-equiv="Content-Security-Policy" content="{csp}">
<link rel="icon" href="/favicon.svg"><link rel="stylesheet" href="/host.css">
<script src="{docrepo}/widget.js" defer></script></head>
<body><main><h1>Intranet de l'unité</h1>
<p><a id="host-link" href="/">Un lien de la page</a></p>
<docrepo-search type="decision circular" status="in-force" lang="fr"></docrepo-search>
</main></body></html>
"""
#: the host's own policy: no inline script or style, connections only to docrepo
HOST_CSP = (
    "default-src 'self'; script-src 'self' {docrepo}; connect-src {docrepo}; "
    "style-src 'self'; img-src 'self'"
)
#: the host's own styles, which must not reach inside the widget
HOST_CSS = (
    "li { color: rgb(255, 0, 0); } input { font-size: 40px; } mark { background: rgb(0, 0, 255); }"
)
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """docrepo on one loopback port, the host page on another, allowed by cors_origins."""
    host_port = free_port()
    host = f"http://127.0.0.1:{host_port}"
    index = tmp_path_factory.mktemp("widget-index")
    with docrepo_server(SAMPLE_CONTENT, index, cors_origins=host) as docrepo:
        root: Path = tmp_path_factory.mktemp("host")
        csp = HOST_CSP.format(docrepo=docrepo)
        page = HOST_PAGE.format(docrepo=docrepo, csp=csp)
        (root / "index.html").write_text(page, encoding="utf-8")
        (root / "host.css").write_text(HOST_CSS, encoding="utf-8")
        (root / "favicon.svg").write_text(FAVICON, encoding="utf-8")
        handler = partial(_Quiet, directory=str(root))
        server = ThreadingHTTPServer(("127.0.0.1", host_port), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield host, docrepo
        finally:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Any, sites: tuple[str, str]) -> Iterator[Any]:
    with recording_page(browser, locale="fr-FR") as p:
        p.goto(sites[0] + "/index.html")
        p.wait_for_function("customElements.get('docrepo-search') !== undefined")
        yield p


def _input(page: Any) -> Any:
    return page.locator("docrepo-search input")


def test_a_half_typed_word_already_finds_its_texts(page: Any) -> None:
    """While the last word is being typed (`délégation de sig`), the widget asks with
    `prefix=last` and shows the signature delegations before the word is complete."""
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/search" in r.url else None)
    _input(page).press_sequentially("délégation de sig", delay=20)
    options = page.locator("docrepo-search [role=option]")
    options.first.wait_for(timeout=5000)
    assert "signature" in options.first.inner_text().lower()
    assert any("prefix=last" in url for url in asked)
    links = page.locator("docrepo-search a").evaluate_all("els => els.map(e => e.href)")
    assert links and not any("prefix=" in href for href in links)


def test_typing_shows_results_with_their_type_date_and_status(page: Any) -> None:
    """Typing shows results as one types, each with type, reference, date; no console error."""
    _input(page).fill("délégation")
    options = page.locator("docrepo-search [role=option]")
    options.first.wait_for(timeout=5000)
    assert options.count() >= 1
    first_meta = options.first.locator(".meta").inner_text()
    assert first_meta.split(" · ")[0] in {"Décision", "Circulaire"}
    assert any(ch.isdigit() for ch in first_meta)  # a date
    assert (
        page.locator("docrepo-search [role=status]")
        .inner_text()
        .endswith(("document", "documents"))
        or "—" in page.locator("docrepo-search [role=status]").inner_text()
    )
    assert page.console_errors == []


def test_preset_filters_hold(page: Any) -> None:
    """Only decisions and circulars in force come back, as the attributes say."""
    _input(page).fill("télétravail")
    options = page.locator("docrepo-search [role=option]")
    options.first.wait_for(timeout=5000)
    for meta in options.locator(".meta").all_inner_texts():
        assert meta.split(" · ")[0] in {"Décision", "Circulaire"}
        assert "Abrogé" not in meta


def test_keyboard_arrows_enter_and_escape(page: Any, sites: tuple[str, str]) -> None:
    """Tab reaches the box; arrows move through results (ARIA); Enter opens; Escape clears."""
    page.keyboard.press("Tab")  # the host link
    page.keyboard.press("Tab")  # into the widget
    assert page.evaluate("document.activeElement.tagName") == "DOCREPO-SEARCH"
    page.keyboard.type("mission")
    box = _input(page)
    page.locator("docrepo-search [role=option]").first.wait_for(timeout=5000)
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator("docrepo-search [role=option]").nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    page.keyboard.press("ArrowUp")
    first = page.locator("docrepo-search [role=option]").first
    assert first.get_attribute("aria-selected") == "true"
    href = first.locator("a").get_attribute("href")
    assert href.startswith(sites[1] + "/doc/")
    page.keyboard.press("Escape")
    assert box.input_value() == ""
    assert page.locator("docrepo-search [role=option]").count() == 0
    page.keyboard.type("mission")
    page.locator("docrepo-search [role=option]").first.wait_for(timeout=5000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(href, timeout=5000)


def test_styles_do_not_leak_either_way(page: Any) -> None:
    """The host's CSS does not reach the widget's results, nor the widget's the host's links."""
    _input(page).fill("mission")
    option = page.locator("docrepo-search [role=option]").first
    option.wait_for(timeout=5000)
    assert option.evaluate("e => getComputedStyle(e).color") != "rgb(255, 0, 0)"
    assert _input(page).evaluate("e => getComputedStyle(e).fontSize") != "40px"
    mark = page.locator("docrepo-search mark").first
    assert mark.evaluate("e => getComputedStyle(e).backgroundColor") != "rgb(0, 0, 255)"
    host_link = page.locator("#host-link")
    assert host_link.evaluate("e => getComputedStyle(e).fontWeight") == "400"


def test_stale_answers_do_not_win(page: Any) -> None:
    """Typing on replaces the results of earlier keystrokes with those of the last query."""
    box = _input(page)
    box.press_sequentially("astreintes", delay=30)
    box.press("Control+a")
    box.press_sequentially("zzzzqqq", delay=30)
    page.locator("docrepo-search [role=status]").filter(has_text="Aucun").wait_for(timeout=5000)
    assert page.locator("docrepo-search [role=option]").count() == 0


def test_keystroke_to_results_is_quick(page: Any) -> None:
    """From the last keystroke to results on screen (debounce included), measured and bounded."""
    delays = []
    for word in ["mission", "astreintes", "signature", "données", "télétravail", "achats"]:
        _input(page).fill("")
        page.locator("docrepo-search [role=option]").first.wait_for(state="detached")
        started = time.perf_counter()
        _input(page).fill(word)
        page.locator("docrepo-search [role=option]").first.wait_for(timeout=5000)
        delays.append(time.perf_counter() - started)
    median = percentile(delays, 50)
    print(f"keystroke to results: median {median * 1000:.0f} ms")
    assert median < 2.0


def test_host_page_with_the_widget_has_no_axe_violations(
    browser: Any, sites: tuple[str, str]
) -> None:
    """axe-core finds no violation on the host page with the widget in it."""
    assert axe_violations(browser, sites[0] + "/index.html") == []


def test_a_result_found_in_an_attached_file_links_to_its_page(
    browser: Any, page: Any, sites: tuple[str, str]
) -> None:
    """A result whose passage is on page 3 of an annex (a PDF) says so under its snippet,
    with a link that opens the PDF at that page (not the document, as the rest of the
    result does); axe finds nothing new on the host page with it shown."""
    from axe_playwright_python.sync_playwright import Axe

    annexed = sites[1] + "/doc/circulars/2023/cir230008dsfim"
    annex = f"{annexed}/files/cir230008dsfim-annexe-1-baremes.pdf#page=3"
    _input(page).fill("reçus de péage")
    first = page.locator("docrepo-search [role=option]").first
    first.wait_for(timeout=5000)
    assert first.locator("a").first.get_attribute("href") == annexed
    where = first.locator(".attachment")
    assert where.inner_text() == "Pièce jointe : Annexe 1 — barèmes des frais de déplacement, p. 3"
    assert where.locator("a").get_attribute("href") == annex
    with page.expect_request(annex.split("#")[0], timeout=5000):
        where.locator("a").click()  # the file is asked for, not the document's page
    with recording_page(browser, bypass_csp=True, locale="fr-FR") as checked:
        checked.goto(sites[0] + "/index.html")
        checked.wait_for_function("customElements.get('docrepo-search') !== undefined")
        checked.locator("docrepo-search input").fill("reçus de péage")
        checked.locator("docrepo-search .attachment a").wait_for(timeout=5000)
        found = {v["id"] for v in Axe().run(checked).response["violations"]}
    # links inside an option (the result's own, before attached files) are axe's
    # nested-interactive, whatever their number: the list's pattern, not this link's
    assert found <= {"nested-interactive"}, found


def test_a_text_in_two_languages_is_one_result_with_its_other_version(
    page: Any, sites: tuple[str, str]
) -> None:
    """The telework circular, published in French and in English, is one result in the
    widget's language (French), with a line "Also in English" (said in English) linking
    its English version."""
    _input(page).fill("télétravail")
    options = page.locator("docrepo-search [role=option]")
    options.first.wait_for(timeout=5000)
    shown = options.locator("a:not(.also-in a)").evaluate_all("els => els.map(e => e.href)")
    circular = sites[1] + "/doc/circulars/2024/cir240006drh"
    assert circular in shown and circular + "-en" not in shown
    also = page.locator("docrepo-search .also-in a")
    assert also.count() == 1
    assert also.inner_text() == "Also in English"
    assert (also.get_attribute("href"), also.get_attribute("lang")) == (circular + "-en", "en")
    with page.expect_navigation(url=circular + "-en", timeout=5000):
        also.click()


def test_the_list_closes_when_focus_leaves_and_comes_back_with_it(page: Any) -> None:
    """Tabbing out of the widget closes its list (and says so to assistive technology);
    coming back to the box shows the same results again."""
    _input(page).fill("mission")
    options = page.locator("docrepo-search [role=option]")
    options.first.wait_for(timeout=5000)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "host-link"
    assert not options.first.is_visible()
    assert _input(page).get_attribute("aria-expanded") == "false"
    _input(page).focus()
    assert options.first.is_visible()
    assert _input(page).get_attribute("aria-expanded") == "true"


def test_dates_are_written_as_the_document_pages_write_them(
    page: Any, browser: Any, sites: tuple[str, str]
) -> None:
    """The widget writes a result's date in the long format of its language, the one the
    document's page shows ("10 juin 2024")."""
    _input(page).fill("CIR240006DRH")
    option = page.locator("docrepo-search [role=option]").first
    option.wait_for(timeout=5000)
    meta = option.locator(".meta").inner_text()
    href = option.locator("a").first.get_attribute("href")  # the title (before "Also in")
    with recording_page(browser, locale="fr-FR") as document:
        document.goto(href)
        shown = document.locator(".doc-head .kicker time").inner_text()
    assert shown == "10 juin 2024"
    assert meta.split(" · ")[2] == shown


def test_a_refused_origin_is_named_with_the_setting_to_change(
    browser: Any, sites: tuple[str, str]
) -> None:
    """On a page whose origin is not in cors_origins (here the same host page reached as
    `localhost`), the browser refuses the answers; the widget names the page's origin and
    says to add it to `cors_origins`, instead of a bare "unavailable"."""
    host, _ = sites
    refused = host.replace("127.0.0.1", "localhost")
    with recording_page(browser, locale="fr-FR") as page:
        page.goto(refused + "/index.html")
        page.wait_for_function("customElements.get('docrepo-search') !== undefined")
        _input(page).fill("mission")
        status = page.locator("docrepo-search [role=status]")
        status.filter(has_text="cors_origins").wait_for(timeout=5000)
        assert f"« {refused} »" in status.inner_text()
        assert page.locator("docrepo-search [role=option]").count() == 0


def test_a_director_presets_their_institute_and_general_scope(
    page: Any, sites: tuple[str, str]
) -> None:
    """`institute="INSB general"`: the texts of INSB and those for everybody, nothing else."""
    page.evaluate(
        "document.querySelector('docrepo-search').setAttribute('institute', 'INSB general')"
    )
    with page.expect_request(lambda r: "/api/search" in r.url and "q=circulaire" in r.url) as sent:
        _input(page).fill("circulaire")
    params = parse_qs(urlsplit(sent.value.url).query)
    assert params["institute"] == ["INSB", "general"]
    page.locator("docrepo-search [role=option]").first.wait_for(timeout=5000)
    answer = json.loads(urlopen(sent.value.url).read())
    assert answer["results"]
    assert all(set(r["institutes"]) <= {"INSB"} for r in answer["results"])
    assert any(not r["institutes"] for r in answer["results"])
