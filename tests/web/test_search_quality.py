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


# --- what a new user types: a field name, a word begun with * ------------------------------

TELEWORK = "circulars/2024/cir240006drh"


def ids_of(data: dict[str, Any]) -> list[str]:
    return [r["id"] for r in data["results"]]


def test_a_field_name_before_a_colon_is_left_out(client: TestClient) -> None:
    """`title:télétravail` is not syntax: the name is left out and the word is searched,
    so the telework circular is found (its title holds the word)."""
    for query in ("title:télétravail", "titre:télétravail", "title:teletravail"):
        data = api(client, q=query)
        assert TELEWORK in ids_of(data)[:3], (query, ids_of(data)[:5])
        assert data["results"][0]["missing"] == []
    # a word that is no field name keeps its colon's halves together
    assert api(client, q="zqx:télétravail", spell="off")["total"] == 0


def test_a_word_ending_with_a_star_finds_the_words_it_begins(client: TestClient) -> None:
    """`télé*` completes the word as `prefix=last` does (télétravail…); a reference
    prefix (`CIR24*`) still matches references only."""
    assert api(client, q="télé", spell="off")["total"] == 0
    starred = api(client, q="télé*")
    assert TELEWORK in ids_of(starred)
    assert ids_of(starred) == ids_of(api(client, q="télé", prefix="last"))
    assert TELEWORK in ids_of(api(client, q="circulaire télétrav*"))
    references = api(client, q="CIR24*", per_page="100")
    assert references["total"] == 2
    assert {r["reference"][:5] for r in references["results"]} == {"CIR24"}


def test_the_empty_page_says_what_would_find_something(client: TestClient) -> None:
    """With filters, the page counts what the words find without them and links there;
    without any, it says how words are matched and that * completes a word."""
    page = parse_html(client.get("/", params={"q": "télétravail", "year": "2015"}).text)
    empty = page.find("div", cls="empty")
    unfiltered = api(client, q="télétravail")["total"]
    assert unfiltered > 0
    assert f"{unfiltered} documents contiennent ces mots sans les filtres" in empty.text
    link = empty.find("a")
    assert parse_qs(urlsplit(link.attrs["href"]).query) == {"q": ["télétravail"]}
    assert "moins de mots" not in empty.text
    alone = parse_html(client.get("/", params={"q": "zqxwv"}).text).find("div", cls="empty")
    assert "télé*" in alone.text and "filtre" not in alone.text
    assert "moins de mots" not in alone.text
    filters = parse_html(client.get("/", params={"type": "form", "year": "2015"}).text)
    assert "Retirez un des filtres" in filters.find("div", cls="empty").text


def ranked_ids(client: TestClient, **params: str) -> list[str]:
    return [r["id"] for r in api(client, per_page="20", **params)["results"]]


def test_an_english_question_finds_the_french_telework_texts(client: TestClient) -> None:
    """Issue 25: `how do I`: not words a text must hold; `telework` finds the French
    circular and guide (judged by reading them: the texts that answer)."""
    for params in ({}, {"prefix": "last"}):
        top = ranked_ids(client, q="how do I request telework?", **params)[:3]
        assert {"circulars/2024/cir240006drh", "guides/guide-teletravail"} & set(top), top


def test_the_texts_in_force_rank_above_the_repealed_ones_without_a_chain(
    client: TestClient,
) -> None:
    """Issue 25: `frais de mission à l'étranger`: the 2023 circular, its 2025 amendment
    and the practical guide to missions abroad, all in force, above every repealed text
    (DEC150374DSFIM, CIR160012DSFIM, CIR190015DSFIM…), which still appear."""
    results = api(client, q="frais de mission à l'étranger", per_page="20")["results"]
    ranks = {r["id"]: n for n, r in enumerate(results)}
    in_force = ["circulars/2023/cir230008dsfim", "circulars/2025/cir250004dsfim",
                "guides/missions-abroad-practical-guide"]  # fmt: skip
    repealed = [n for n, r in enumerate(results) if r["status"] == "repealed"]
    assert repealed and all(d in ranks for d in in_force), list(ranks)
    assert max(ranks[d] for d in in_force) < min(repealed), list(ranks)


def test_a_half_typed_word_puts_first_what_the_whole_word_puts_first(
    client: TestClient,
) -> None:
    """Issue 25: `télétrav` while typing ranks the main telework circular first, as the
    whole word does."""
    assert ranked_ids(client, q="télétrav", prefix="last")[0] == "circulars/2024/cir240006drh"
    assert ranked_ids(client, q="télétravail")[0] == "circulars/2024/cir240006drh"
