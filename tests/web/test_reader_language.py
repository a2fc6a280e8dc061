"""What the search page says, in the reader's language and typography: a bad parameter's
message, the chips of active filters, the page's title (issue 23, point 9)."""

from __future__ import annotations

from support.dom import parse_html
from support.web import TestClient

pytest_plugins = ["support.web"]

NNBSP = "\u202f"  # French puts a narrow no-break space before a colon
EN = {"Accept-Language": "en"}


def test_a_bad_parameter_is_explained_in_the_readers_language(client: TestClient) -> None:
    """`/?page=0` names the parameter in French in the French interface, in English in the
    English one; the API keeps its English message for programs."""
    french = client.get("/?page=0")
    assert french.status_code == 400
    main = parse_html(french.text).find("main")
    assert "must be" not in main.text
    assert "'page' doit être un entier positif, pas '0'" in main.text
    english = parse_html(client.get("/?page=0", headers=EN).text).find("main").text
    assert "'page' must be a positive integer, not '0'" in english
    per_page = parse_html(client.get("/?per_page=500").text).find("main").text
    assert "'per_page' doit être un entier de 1 à 100, pas '500'" in per_page
    assert "'sort' doit être l'une des valeurs relevance, newest, oldest, title, pas 'foo'" in (
        parse_html(client.get("/?sort=foo").text).find("main").text
    )
    day = parse_html(client.get("/?from=2024-02-30").text).find("main").text
    assert "'from' doit être une date AAAA-MM-JJ, pas '2024-02-30'" in day
    api = client.get("/api/search?page=0", headers={"Accept-Language": "fr"})
    assert api.json() == {"error": "'page' must be a positive integer, not '0'"}


def test_chips_follow_each_languages_typography(client: TestClient) -> None:
    """A chip reads "Type de document : Circulaire" with a narrow no-break space in French,
    "Document type: Circular" in English (the raw text: the DOM helper collapses spaces)."""

    def chip(headers: dict[str, str]) -> str:
        dom = parse_html(client.get("/?type=circular", headers=headers).text)
        facet = dom.find("a", cls="chip").find("span", cls="chip-facet")
        return "".join(c for c in facet.children if isinstance(c, str))

    assert chip({}) == f"Type de document{NNBSP}:"
    assert chip(EN) == "Document type:"


def test_the_title_says_what_the_page_shows(client: TestClient) -> None:
    """A corrected query's page is titled with the words whose results it shows."""
    title = parse_html(client.get("/?q=teletravial").text).find("title").text
    assert title == "« télétravail » — Doc'utiles"
    exact = parse_html(client.get("/?q=teletravial&spell=off").text).find("title").text
    assert exact == "« teletravial » — Doc'utiles"
    english = parse_html(client.get("/?q=teletravial", headers=EN).text).find("title").text
    assert english == "“télétravail” — Doc'utiles"
