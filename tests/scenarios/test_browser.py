"""Browser tests: a real `docrepo serve` on a loopback port, driven in Debian's Chromium."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from support.browser import (
    DESKTOP,
    NARROW,
    PHONE,
    axe_violations,
    chromium,
    overflow,
    recording_page,
    small_targets,
    viewport,
)
from support.git import Git
from support.server import docrepo_server
from support.trees import REPO, SAMPLE_CONTENT, front_matter, write_tree

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "screenshots"
#: a search with two filters: the view of the screenshots and of most checks
FILTERED = "/?q=t%C3%A9l%C3%A9travail&type=circular&status=in-force"
#: a text in force amended by another; a repealed one
AMENDED = "/doc/circulars/2024/cir240006drh"
REPEALED = "/doc/circulars/2017/cir170004drh"
#: the English version of AMENDED
TRANSLATED = "/doc/circulars/2024/cir240006drh-en"


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
    assert banner.inner_text().startswith("Abrogé par CIR210009DRH du 27 septembre 2021")
    assert page.locator(".toc li").count() > 1
    assert "Direction des ressources humaines" in page.locator(".meta").inner_text()


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_screenshots_of_the_search_results_and_document_pages(
    browser: Any, server: str, width: int
) -> None:
    """The run saves the search page, a results page with filters and a document page at
    desktop and phone widths, for the README and a human look."""
    with recording_page(browser, locale="fr-FR", viewport=viewport(width)) as page:
        for name, path in [
            ("search", "/"),
            ("results", FILTERED),
            ("document", AMENDED),
            ("widget", "/widget"),
        ]:
            page.goto(server + path)
            screenshot(page, f"{name}-{width}.png")
            assert (SCREENSHOTS / f"{name}-{width}.png").stat().st_size > 10_000
        assert page.console_errors == []


#: a query whose best passage is on page 3 of an annex (a PDF) of a circular, and nowhere
#: in the circular's own text
IN_ANNEX = "/?q=re%C3%A7us+de+p%C3%A9age"
ANNEXED = "/doc/circulars/2023/cir230008dsfim"
ANNEX_URL = f"{ANNEXED}/files/cir230008dsfim-annexe-1-baremes.pdf"
ANNEX_TITLE = "Annexe 1 — barèmes des frais de déplacement"


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_a_result_found_in_an_attached_file_says_where_and_opens_its_page(
    browser: Any, server: str, width: int
) -> None:
    """Under the result, the search page says that its passage is in the annex, at page 3,
    with a link to the PDF opened at that page; the document page lists the file with its
    kind, pages and size; both fit the width, with no axe violation. The results are
    photographed (attachment-result-WIDTH.png)."""
    with recording_page(browser, locale="fr-FR", viewport=viewport(width)) as page:
        page.goto(server + IN_ANNEX)
        first = page.locator(".hit").first
        assert first.locator("h3 a").get_attribute("href") == ANNEXED
        where = first.locator(".in-attachment")
        assert where.inner_text() == f"Pièce jointe : {ANNEX_TITLE}, p. 3"
        assert where.locator("a").get_attribute("href") == f"{ANNEX_URL}#page=3"
        assert "péage" in first.locator(".snippet mark").all_inner_texts()
        assert overflow(page) == []
        screenshot(page, f"attachment-result-{width}.png")

        page.goto(server + ANNEXED)
        listed = page.locator(".attachments li")
        assert listed.count() == 1
        assert listed.locator("a").get_attribute("href") == ANNEX_URL
        assert listed.locator("a").inner_text() == ANNEX_TITLE
        assert listed.locator(".file-facts").inner_text().startswith("PDF, 3 pages, ")
        assert overflow(page) == []
        assert page.console_errors == []
    assert axe_violations(browser, server + IN_ANNEX, width) == []
    assert axe_violations(browser, server + ANNEXED, width) == []


@pytest.mark.parametrize("width", [PHONE, NARROW])
def test_on_a_phone_the_first_result_is_in_the_first_screen(
    browser: Any, server: str, width: int
) -> None:
    """At 390 and 320 px the first result shows without scrolling, above the filters, and
    nothing sticks out sideways; the active filters stay visible as chips."""
    with recording_page(browser, locale="fr-FR", viewport=viewport(width)) as page:
        page.goto(server + FILTERED)
        first = page.locator(".hit h3 a").first.bounding_box()
        assert first["y"] + first["height"] <= page.viewport_size["height"]
        assert page.locator(".chip").first.is_visible()
        assert page.locator("#filters").bounding_box()["y"] > first["y"]
        assert overflow(page) == []
        for path in ["/", AMENDED, "/problems", "/widget", "/doc/nope"]:
            page.goto(server + path)
            assert overflow(page) == [], path


#: a decision with a banner (it is repealed) and a long side column
DECISION = "/doc/decisions/2020/dec201155daj"
#: the boxes of a document page: the article, its first block, its title, text, side column
DOCUMENT_BOXES = """() => Object.fromEntries(Object.entries({
    article: "main article", first: "main article .banner, main article .doc-head",
    title: ".doc-head", body: ".doc-body", side: ".doc-side"
}).map(([k, s]) => [k, document.querySelector(s).getBoundingClientRect().toJSON()]))"""


@pytest.mark.parametrize("path", [AMENDED, DECISION])
def test_on_a_desktop_the_side_column_stands_beside_the_title(
    browser: Any, server: str, path: str
) -> None:
    """At 1280 px the side column starts at the top of the document, beside its banner and
    title, and the title's column reaches it: beside the title there is only the gutter
    between the columns (it was about 300 px of nothing, the side column starting below
    the title); at 390 px the side column comes after the text, every block as wide as
    the page."""
    with recording_page(browser, locale="fr-FR", viewport=viewport(DESKTOP)) as page:
        page.goto(server + path)
        box = page.evaluate(DOCUMENT_BOXES)
        article, first, title, side = box["article"], box["first"], box["title"], box["side"]
        assert abs(side["top"] - first["top"]) <= 1, (side, first)
        beside_title = side["left"] - title["right"]
        assert 0 < beside_title <= 64, box
        assert title["width"] + side["width"] >= article["width"] - 64, box
    with recording_page(browser, locale="fr-FR", viewport=viewport(PHONE)) as page:
        page.goto(server + path)
        box = page.evaluate(DOCUMENT_BOXES)
        assert box["side"]["top"] >= box["body"]["bottom"], box
        assert box["title"]["width"] >= box["article"]["width"] - 1, box
        assert overflow(page) == []


@pytest.mark.parametrize("width", [PHONE, NARROW])
def test_the_widget_page_shows_its_code_whole_on_a_phone(
    browser: Any, server: str, width: int
) -> None:
    """At 390 and 320 px the code samples of /widget wrap inside their box: nothing of
    them is hidden to the right, the page does not scroll sideways, and the text one
    selects and copies is the code as written (the wrapping adds no line break)."""
    with recording_page(browser, locale="fr-FR", viewport=viewport(width)) as page:
        page.goto(server + "/widget")
        assert overflow(page) == []
        boxes = page.evaluate(
            """() => [...document.querySelectorAll("pre")].map(e => ({
                hidden: e.scrollWidth - e.clientWidth,
                right: e.getBoundingClientRect().right}))"""
        )
        assert len(boxes) == 2
        for box in boxes:
            assert box["hidden"] <= 0 and box["right"] <= width, box
        page.locator("#snippet").select_text()
        copied = page.evaluate("String(getSelection())")
        assert copied.splitlines() == [
            f'<script src="{server}/widget.js" defer></script>',
            '<docrepo-search type="decision circular" status="in-force" lang="fr">'
            "</docrepo-search>",
        ]


@pytest.mark.parametrize("width", [DESKTOP, PHONE, NARROW])
def test_every_target_is_at_least_24_pixels(browser: Any, server: str, width: int) -> None:
    """Checkboxes, buttons, chips, page links and the "show more" of the filters are at
    least 24 x 24 px (WCAG 2.2 target size), the filters opened on a phone."""
    with recording_page(browser, locale="fr-FR", viewport=viewport(width)) as page:
        page.goto(server + "/?type=decision&per_page=3")
        if width < DESKTOP:
            page.locator(".filters-jump").click()
        page.locator("#facet-region details.more summary").click()
        assert small_targets(page) == []
        page.goto(server + AMENDED)
        assert small_targets(page) == []


def test_on_a_phone_the_filters_open_from_above_the_results(browser: Any, server: str) -> None:
    """On a phone the filters wait closed below the results; "Filtres (2)" above the
    results opens them and takes focus there; ticking a box filters live, and the link at
    their end leads back to the results."""
    with recording_page(browser, locale="fr-FR", viewport=viewport(PHONE)) as page:
        page.goto(server + FILTERED)
        panel = page.locator("#filters-panel")
        assert panel.get_attribute("open") is None
        assert not page.locator("#facet-type").is_visible()
        page.locator(".filters-jump").click()
        assert panel.get_attribute("open") is not None
        assert page.evaluate("document.activeElement.closest('#filters-panel') !== null")
        page.get_by_label("Décision", exact=False).first.check()
        page.wait_for_url(lambda u: "type=decision" in u, timeout=5000)
        page.locator(".to-results").wait_for(timeout=5000)
        assert page.locator("#filters-panel").get_attribute("open") is not None
        assert page.locator(".filters-jump").inner_text() == "Filtres (3)"
        page.locator(".to-results").click()
        assert page.evaluate("document.activeElement.id") == "results"
        assert page.console_errors == []


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_keyboard_walk_from_the_search_box_to_the_first_result(
    browser: Any, server: str, width: int
) -> None:
    """The first Tab reaches the skip link to the results, which lands on them; from the
    search box, the first result is at most five Tabs away."""
    with recording_page(browser, locale="fr-FR", viewport=viewport(width)) as page:
        page.goto(server + "/?q=mission")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#results"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "results"
        page.focus("#q")
        first = page.locator(".hit h3 a").first.get_attribute("href")
        tabs = 0
        while page.evaluate("document.activeElement.getAttribute('href')") != first:
            page.keyboard.press("Tab")
            tabs += 1
            assert tabs <= 5, page.evaluate("document.activeElement.outerHTML")
        page.keyboard.press("Enter")
        page.wait_for_url("**" + first)


def test_skip_link_to_the_filters_and_a_facet_toggles_with_space(server: str, page: Any) -> None:
    """The second skip link lands on the filters; a facet value toggles with Space."""
    page.goto(server + "/?q=mission")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#filters"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "filters"
    walked = []
    for _ in range(3):  # the filters' heading, then the first value (a spare Tab on a slow run)
        page.keyboard.press("Tab")
        walked.append(page.evaluate("document.activeElement.outerHTML.slice(0, 60)"))
        if page.evaluate("document.activeElement.name") == "type":
            break
    assert page.evaluate("document.activeElement.name") == "type", walked
    page.keyboard.press("Space")
    page.wait_for_url(lambda u: "type=" in u, timeout=5000)


def test_a_box_finds_the_values_of_a_long_facet(server: str, page: Any) -> None:
    """Typing in the box of the regions shows only the matching ones, those behind
    "Voir plus" included, accents aside; emptying it brings the list back as it was."""
    page.goto(server + "/")
    box = page.get_by_label("Chercher parmi les valeurs : délégation régionale")
    values = page.locator("#facet-region .facet-values li")
    shown_before = [li.is_visible() for li in values.all()]
    box.fill("ile")
    visible = [
        t for li, t in zip(values.all(), values.all_inner_texts(), strict=True) if li.is_visible()
    ]
    assert visible and all("Île" in t for t in visible)
    assert page.locator("#more-region").get_attribute("open") is not None
    box.fill("zzz")
    assert page.locator("#facet-region .none").inner_text() == "Aucune valeur ne correspond."
    box.fill("")
    assert [li.is_visible() for li in values.all()] == shown_before
    assert "ile" not in page.url and page.console_errors == []


def test_back_to_the_results_returns_to_the_same_view(server: str, page: Any) -> None:
    """From a filtered view, a document opens with the query in the header search and a
    link back that returns to the same view, filters and all."""
    page.goto(server + FILTERED)
    page.fill("#q", "télétravail indemnité")
    page.wait_for_url(lambda u: "indemnit" in u, timeout=5000)
    view = page.url
    page.locator(".hit h3 a").first.click()
    page.wait_for_url("**/doc/**")
    assert page.input_value("#q-header") == "télétravail indemnité"
    page.get_by_role("link", name="Retour aux résultats").click()
    page.wait_for_url(view)
    assert page.locator(".chip").count() == 2


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_a_translation_and_its_original_link_each_other(
    browser: Any, server: str, width: int
) -> None:
    """The English version of the telework circular says, under its title and on the
    first screen, which text it translates and that the French one prevails; its link
    "Aussi en français" opens the French text, whose "Also in English" comes back; each
    page names the other to browsers and search engines (`<link rel=alternate hreflang>`)."""
    with recording_page(browser, locale="fr-FR", viewport=viewport(width)) as page:
        page.goto(server + TRANSLATED)
        note = page.locator(".doc-head .translation-of")
        assert note.inner_text() == "Traduction de CIR240006DRH ; le texte français fait foi"
        box = note.bounding_box()
        assert box["y"] + box["height"] < page.viewport_size["height"]
        alternates = page.locator("link[rel=alternate][hreflang]").evaluate_all(
            "links => links.map(l => [l.hreflang, new URL(l.href).pathname])"
        )
        assert alternates == [["en", TRANSLATED], ["fr", AMENDED]]
        screenshot(page, f"translation-{width}.png")
        french = page.locator(".doc-head .also-in a")
        assert (french.inner_text(), french.get_attribute("lang")) == ("Aussi en français", "fr")
        french.click()
        page.wait_for_url(server + AMENDED)
        english = page.locator(".doc-head .also-in a")
        assert english.inner_text() == "Also in English"
        assert english.get_attribute("hreflang") == "en"
        english.click()
        page.wait_for_url(server + TRANSLATED)
        assert page.console_errors == []


def test_the_date_of_a_result_is_written_as_on_its_page(server: str, page: Any) -> None:
    """Results, chips and document pages write dates one way: "10 juin 2024"."""
    page.goto(server + FILTERED + "&from=2024-01-01")
    assert "1er janvier 2024" in page.locator(".chips").inner_text()
    listed = page.locator(".hit time").first.inner_text()
    page.locator(".hit h3 a").first.click()
    page.wait_for_url("**/doc/**")
    assert page.locator(".doc-head .kicker time").inner_text() == listed


VEHICLES = "circulars/2025/cir250031dsfim"


def _versions(doc_id: str) -> list[str]:
    """The commits of a sample document, newest first (fewer in a shallow clone)."""
    log = ["git", "-C", str(REPO), "log", "--format=%H", "--", f"content/{doc_id}.md"]
    return subprocess.run(log, capture_output=True, text=True, check=False).stdout.split() or [""]


VERSIONS = _versions(VEHICLES)
NEWEST, OLDEST = VERSIONS[0], VERSIONS[-1]
PAGES = {
    "search": "/",
    "results with filters": FILTERED + "&institute=general",
    "document": REPEALED,
    "amended document": AMENDED,
    "translation": TRANSLATED,
    "unit": "/doc/units/umr5203",
    "not found": "/doc/nope",
    "past the end": "/?q=mission&page=999",
    "problems": "/problems",
    "widget": "/widget",
    "history": f"/doc/{VEHICLES}/history",
    "version": f"/doc/{VEHICLES}?version={OLDEST}",
    "comparison": f"/doc/{VEHICLES}/diff?from={OLDEST}&to={NEWEST}",
}


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_pages_have_no_axe_violations(browser: Any, server: str, path: str, width: int) -> None:
    """axe-core finds no accessibility violation on any page, at desktop and phone widths."""
    assert axe_violations(browser, server + path, width) == []


# --- the problems page -----------------------------------------------------------------------

#: files with problems, in a git work tree, long paths and messages: a public text and an
#: internal one with a broken link each, a page never valid
PROBLEM_FILES = {
    "circulars/2024/cir240013dsfim.md": front_matter(
        "Voir [les seuils suivants](../../decisions/2025/dec250001dsfim-seuils-des-marches.md).",
        title="Seuils temporaires des marchés", type="circular", date="2024-01-01",
        reference="CIR240013DSFIM",
    ),
    "decisions/2024/dec240187daj.md": front_matter(
        "Voir [la délégation](../../regions/dr13-delegation-occitanie-est.md).",
        title="Délégation de signature", type="decision", date="2024-03-12",
        reference="DEC240187DAJ", access="internal",
    ),
    "pages/guides/accueil-des-chercheurs-internationaux.md": front_matter(
        title="Accueil", institue="INSB", regions="dr14",
    ),
}  # fmt: skip
EDITOR = {"X-Remote-User": "eve", "X-Remote-Groups": "editors"}


@pytest.fixture(scope="module")
def problems_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`docrepo serve` on a work tree whose files have problems, behind a trusted proxy."""
    root = tmp_path_factory.mktemp("problems")
    Git(root)
    content = write_tree(root, PROBLEM_FILES)
    with docrepo_server(content, root / "index", trusted_proxies="127.0.0.1") as url:
        yield url


def _sideways(page: Any) -> list[str]:
    """What sticks out of the problems sideways, scrolling boxes included (not what is
    hidden but for screen readers, clipped to nothing)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll("main *")]
            .filter(e => e.getClientRects().length)
            .filter(e => { for (let a = e; a; a = a.parentElement)
                if (getComputedStyle(a).clipPath !== "none") return false; return true; })
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible")
            .map(e => `${e.tagName.toLowerCase()}.${e.className}`)"""
    )
    return found


@pytest.mark.parametrize("width", [DESKTOP, PHONE, NARROW])
def test_each_problem_reads_without_scrolling_sideways(
    browser: Any, problems_server: str, width: int
) -> None:
    """On a phone each problem is a card: its place (path:line), its level and its message
    read in the screen's width, the first message in the first screen; a file's name links
    to its document when the reader may open it. The screenshots are saved at both widths."""
    with recording_page(
        browser, locale="fr-FR", viewport=viewport(width), extra_http_headers=EDITOR
    ) as page:
        page.goto(problems_server + "/problems")
        assert _sideways(page) == [] and overflow(page) == []
        messages = page.locator("main .problem-message")
        assert messages.count() == 4
        first = messages.first.bounding_box()
        assert first["x"] >= 0 and first["x"] + first["width"] <= width
        assert first["y"] + first["height"] <= page.viewport_size["height"]
        where = page.locator("main .problem-where").first
        assert where.inner_text() == "content/circulars/2024/cir240013dsfim.md:8"
        link = where.locator("a")
        assert link.get_attribute("href") == "/doc/circulars/2024/cir240013dsfim"
        assert page.locator("main .problem-where a").count() == 2  # the new page never valid
        if width != NARROW:
            screenshot(page, f"problems-{width}.png")
        assert page.console_errors == []


def test_a_reader_gets_no_link_to_a_document_hidden_from_them(
    browser: Any, problems_server: str
) -> None:
    """Anonymous, the problems shown are those of public files, linked to their documents."""
    with recording_page(browser, locale="fr-FR", viewport=viewport(PHONE)) as page:
        page.goto(problems_server + "/problems")
        links = page.locator("main .problem-where a")
        assert [a.get_attribute("href") for a in links.all()] == [
            "/doc/circulars/2024/cir240013dsfim"
        ]
        assert "dec240187daj" not in page.content()


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("headers", [EDITOR, {}], ids=["editor", "anonymous"])
def test_the_problems_have_no_axe_violations(
    browser: Any, problems_server: str, width: int, headers: dict[str, str]
) -> None:
    assert axe_violations(browser, problems_server + "/problems", width, headers) == []
