"""What the faces show of a search that widened, was corrected, or matched in a section:
the API's keys, the page's lines, and links that never carry `prefix`."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from support.dom import parse_html
from support.web import TestClient

pytest_plugins = ["support.web"]


def api(client: TestClient, **params: str) -> dict[str, Any]:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_the_api_says_when_it_widened_and_what_each_result_lacks(client: TestClient) -> None:
    """`relaxed` is true and each result lists the words (as typed) it lacks."""
    data = api(client, q="who signs contracts in Toulouse")
    assert data["relaxed"] is True and data["corrected"] is None
    assert data["results"] and all(isinstance(r["missing"], list) for r in data["results"])
    assert any(r["missing"] for r in data["results"])
    plain = api(client, q="télétravail")
    assert plain["relaxed"] is False and all(r["missing"] == [] for r in plain["results"])


def test_the_api_gives_the_correction_and_keeps_the_query(client: TestClient) -> None:
    data = api(client, q="teletravial")
    assert data["query"] == "teletravial" and data["corrected"] == "télétravail"
    assert data["total"] > 0
    exact = api(client, q="teletravial", spell="off")
    assert exact["total"] == 0 and exact["corrected"] is None and exact["suggestion"] is None


def test_each_result_names_its_section_with_a_link(client: TestClient) -> None:
    """A result found in a section gives its title and the URL of its anchor."""
    results = api(client, q="télétravail jours par semaine")["results"]
    sections = [r["section"] for r in results if r["section"]]
    assert sections
    for r in results:
        if r["section"]:
            assert r["section"]["url"].startswith(r["url"] + "#")
            assert r["section"]["title"]


def test_prefix_last_finds_a_half_typed_word(client: TestClient) -> None:
    assert api(client, q="télétrav")["total"] == 0
    assert api(client, q="télétrav", prefix="last")["total"] > 0
    assert client.get("/api/search", params={"prefix": "first"}).status_code == 400


def test_the_page_says_it_widened_and_lists_what_is_missing(client: TestClient) -> None:
    html = client.get("/", params={"q": "who signs contracts in Toulouse"}).text
    dom = parse_html(html)
    assert dom.first("p", cls="relaxed") is not None
    missing = dom.find_all("p", cls="missing")
    assert missing and all(m.text.startswith("Il manque :") for m in missing)


def test_the_page_shows_the_correction_and_links_the_query_as_typed(client: TestClient) -> None:
    dom = parse_html(client.get("/", params={"q": "teletravial"}).text)
    line = dom.first("p", cls="corrected")
    assert line is not None and "Résultats pour" in line.text and "télétravail" in line.text
    link = line.first("a")
    assert link is not None and link.text == "teletravial"
    assert parse_qs(urlsplit(link.attrs["href"]).query) == {"q": ["teletravial"], "spell": ["off"]}


def test_no_link_of_a_live_result_carries_prefix(client: TestClient) -> None:
    """The page fetched while typing (`prefix=last`) links views without `prefix`."""
    html = client.get("/", params={"q": "frais de miss", "prefix": "last"}).text
    dom = parse_html(html)
    hrefs = [a.attrs.get("href", "") for a in dom.find_all("a")]
    assert hrefs and not any("prefix=" in h for h in hrefs)
    assert dom.find_all("li", cls="hit")
